//! InvokeCommand: every parameter of the 2021 reference (plus RepeatMode, Timeout, WorkingDir,
//! TerminationMode, ContainerId, ContainerName, Tag.N and ClientToken from the current API),
//! checked in the order below so that each error of its table is reachable
//! (`docs/api-notes.md#invokecommand-error-statuses`), then one invocation recorded with a run per
//! instance: what it prints, its exit code and how long it takes come from the instance's outcome
//! (`outcome`), else the rendered command, 0 and `--run-delay-ms`. `RunCommand` reads the same run
//! parameters and starts its runs with [`start`], so both simulate runs alike.

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use super::{idempotence, object, parameters, region, template, OpContext};
use crate::errors::ApiError;
use crate::model::{Command, Instance, InstanceRun, Invocation, OsType, RepeatMode};
use crate::params::Params;
use crate::time::{day, millis};
use alicloud_api::command::MAX_ENCODED_CONTENT_BYTES;
use alicloud_api::frequency::{self, Schedule};
use alicloud_api::invoke_command::{
    check_tags, is_container_id, is_container_name, MAX_INSTANCES, MAX_TIMEOUT_SECONDS, MAX_USERNAME_CHARS,
    MAX_WINDOWS_PASSWORD_NAME_CHARS, MAX_WORKING_DIR_CHARS, MIN_TIMEOUT_SECONDS, TERMINATION_MODES,
};

const ACTION: &str = "InvokeCommand";
/// What `{{ACS::AccountId}}` renders as.
const ACCOUNT_ID: &str = "1234567890123456";

/// The run parameters InvokeCommand and RunCommand share, checked without looking at the
/// store.
pub(super) struct Request<'p> {
    instance_ids: Vec<String>,
    repeat_mode: RepeatMode,
    frequency: &'p str,
    schedule: Option<Schedule>,
    parameters: Option<&'p str>,
    username: &'p str,
    windows_password_name: &'p str,
    working_dir: &'p str,
    timeout: Option<u64>,
    termination_mode: &'p str,
    container_id: &'p str,
    container_name: &'p str,
    tags: Vec<(String, String)>,
}

impl<'p> Request<'p> {
    pub(super) fn read(params: &'p Params, now: DateTime<Utc>) -> Result<Self, ApiError> {
        let mut instance_ids = params.repeat_list("InstanceId");
        if instance_ids.is_empty() {
            return Err(ApiError::MissingInstanceId);
        }
        if instance_ids.len() > MAX_INSTANCES {
            return Err(ApiError::InstanceIdsExceedLimit);
        }
        let mut seen = std::collections::HashSet::new();
        instance_ids.retain(|id| seen.insert(id.clone()));

        let asked_mode = params
            .non_empty("RepeatMode")
            .map(|m| m.parse::<RepeatMode>().map_err(|_| ApiError::RepeatModeNotFound))
            .transpose()?;
        let timed = params.bool("Timed")?.unwrap_or(false);
        let repeat_mode = match asked_mode {
            Some(mode) if mode.is_timed() => mode,
            _ if timed => RepeatMode::Period,
            _ => RepeatMode::Once,
        };
        let frequency = params.non_empty("Frequency").unwrap_or_default();
        if repeat_mode == RepeatMode::Period && frequency.is_empty() {
            return Err(ApiError::MissingFrequency);
        }
        // A frequency is checked whenever one is given, as the API does.
        let schedule = (!frequency.is_empty())
            .then(|| frequency::parse_as_of(frequency, now).map_err(|_| ApiError::InvalidFrequency))
            .transpose()?;

        let username = params.non_empty("Username").unwrap_or_default();
        if username.chars().count() > MAX_USERNAME_CHARS {
            return Err(ApiError::UsernameExceedLimit);
        }
        let windows_password_name = params.non_empty("WindowsPasswordName").unwrap_or_default();
        if windows_password_name.chars().count() > MAX_WINDOWS_PASSWORD_NAME_CHARS {
            return Err(ApiError::WindowsPasswordNameExceedLimit);
        }
        let working_dir = params.non_empty("WorkingDir").unwrap_or_default();
        if working_dir.chars().count() > MAX_WORKING_DIR_CHARS {
            return Err(ApiError::WorkingDirInvalid);
        }
        let timeout = params.u64("Timeout")?;
        if timeout.is_some_and(|t| !(MIN_TIMEOUT_SECONDS..=MAX_TIMEOUT_SECONDS).contains(&t)) {
            return Err(ApiError::InvalidParameter("Timeout"));
        }
        let termination_mode = params.non_empty("TerminationMode").unwrap_or_default();
        if !termination_mode.is_empty() && !TERMINATION_MODES.contains(&termination_mode) {
            return Err(ApiError::TerminationModeNotFound);
        }
        let container_id = params.non_empty("ContainerId").unwrap_or_default();
        if !container_id.is_empty() && !is_container_id(container_id) {
            return Err(ApiError::ContainerIdMalformed);
        }
        let container_name = params.non_empty("ContainerName").unwrap_or_default();
        if !container_name.is_empty() && !is_container_name(container_name) {
            return Err(ApiError::ContainerNameMalformed);
        }
        let tags = params.repeat_pairs("Tag");
        check_tags(tags.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(ApiError::Tag)?;
        Ok(Self {
            instance_ids,
            repeat_mode,
            frequency,
            schedule,
            parameters: params.non_empty("Parameters"),
            username,
            windows_password_name,
            working_dir,
            timeout,
            termination_mode,
            container_id,
            container_name,
            tags,
        })
    }
}

pub fn handle(ctx: &mut OpContext, params: &Params) -> Result<Map<String, Value>, ApiError> {
    let region = region(ctx, params)?;
    if let Some(invoke_id) = idempotence::replay(&ctx.state.store, ACTION, region, params)? {
        ctx.state.stats.idempotent_replays += 1;
        return Ok(object(json!({ "InvokeId": invoke_id })));
    }
    let command_id = params.required("CommandId")?;
    let request = Request::read(params, ctx.now)?;
    let command = ctx
        .state
        .store
        .command(region, command_id)
        .ok_or(ApiError::CommandNotFound)?
        .clone();
    let invoke_id = start(
        ctx,
        ACTION,
        region,
        params,
        &request,
        &command,
        MAX_ENCODED_CONTENT_BYTES,
    )?;
    Ok(object(json!({ "InvokeId": invoke_id })))
}

/// Checks the request against the store (schedule, instances, parameters, size within
/// `max_encoded_size`, quota), then records the invocation of `command` with one run per
/// instance and remembers its `ClientToken` for `action`. Returns the InvokeId.
pub(super) fn start(
    ctx: &mut OpContext,
    action: &str,
    region: &str,
    params: &Params,
    request: &Request,
    command: &Command,
    max_encoded_size: usize,
) -> Result<String, ApiError> {
    let store = &ctx.state.store;
    if let Some(schedule) = &request.schedule {
        // A run may not outlast the interval to the next one.
        let timeout = request.timeout.unwrap_or(command.timeout);
        schedule
            .check_timeout(timeout)
            .map_err(|_| ApiError::InvalidFrequency)?;
    }
    let mut targets: Vec<Instance> = Vec::with_capacity(request.instance_ids.len());
    for id in &request.instance_ids {
        targets.push(
            store
                .instance(region, id)
                .ok_or(ApiError::InstanceNotFound)?
                .clone(),
        );
    }
    if targets
        .iter()
        .any(|i| i.status != "Running" || i.os_type != OsType::of(command.command_type))
    {
        return Err(ApiError::InstanceNotMatch);
    }
    let values = match request.parameters {
        None => Vec::new(),
        Some(text) => {
            let values = parameters::parse(text)?;
            if !command.enable_parameter && !values.is_empty() {
                return Err(ApiError::ParameterDisabled);
            }
            parameters::check(&values, &template::parameter_names(&command.command_content))?;
            values
        }
    };
    parameters::check_size(&command.command_content, request.parameters, max_encoded_size)?;
    let today = day(ctx.now);
    if store.quota_used(region, &today) >= ctx.settings.invoke_quota {
        return Err(ApiError::InvocationExceedQuota);
    }
    if ctx.state.faults.dispatch_error(action) {
        ctx.state.stats.dispatch_errors += 1;
        return Err(ApiError::Dispatch);
    }

    let invocation = build(ctx, region, request, command, &targets, values);
    let invoke_id = invocation.invoke_id.clone();
    let now_ms = millis(ctx.now);
    let store = &mut ctx.state.store;
    store.add_invocation(invocation);
    store.count_quota(region, &today);
    idempotence::remember(store, action, region, params, &invoke_id, now_ms);
    ctx.state.stats.invocations_created += 1;
    Ok(invoke_id)
}

fn build(
    ctx: &OpContext,
    region: &str,
    request: &Request,
    command: &Command,
    targets: &[Instance],
    values: Vec<(String, String)>,
) -> Invocation {
    let invoke_id = format!("t-{}", uuid::Uuid::new_v4().simple());
    let created_ms = millis(ctx.now);
    let runs = targets
        .iter()
        .map(|instance| {
            let builtins = [
                ("RegionId", region),
                ("AccountId", ACCOUNT_ID),
                ("InstanceId", instance.instance_id.as_str()),
                ("InstanceName", instance.instance_name.as_str()),
                ("InvokeId", invoke_id.as_str()),
                ("CommandId", command.command_id.as_str()),
            ];
            let rendered = if command.enable_parameter {
                template::render(&command.command_content, &values, &builtins)
            } else {
                command.command_content.clone()
            };
            let outcome = instance.run.clone().unwrap_or_default();
            InstanceRun {
                instance_id: instance.instance_id.clone(),
                output: outcome.output(rendered),
                exit_code: outcome
                    .exit_code
                    .unwrap_or_else(|| ctx.state.faults.exit_code(&instance.instance_id)),
                start_ms: created_ms + ctx.settings.pending_ms,
                run_ms: outcome.run_ms.unwrap_or(ctx.settings.run_delay_ms),
                stop_ms: None,
            }
        })
        .collect();
    Invocation {
        invoke_id: invoke_id.clone(),
        region_id: region.to_string(),
        command_id: command.command_id.clone(),
        command_name: command.name.clone(),
        command_type: command.command_type,
        command_description: command.description.clone(),
        command_content: command.command_content.clone(),
        parameters: values,
        username: request.username.to_string(),
        windows_password_name: request.windows_password_name.to_string(),
        working_dir: if request.working_dir.is_empty() {
            command.working_dir.clone()
        } else {
            request.working_dir.to_string()
        },
        timeout: request.timeout.unwrap_or(command.timeout),
        repeat_mode: request.repeat_mode,
        frequency: request.frequency.to_string(),
        termination_mode: request.termination_mode.to_string(),
        container_id: request.container_id.to_string(),
        container_name: request.container_name.to_string(),
        tags: request.tags.clone(),
        created_ms,
        runs,
        expired: false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::errors::ApiError;
    use crate::faults::{FaultPlan, Trigger};

    fn err(extra: &[(&str, &str)]) -> ApiError {
        invoke(&mut state(), at(0), extra).unwrap_err()
    }

    #[test]
    fn creates_an_invocation_with_rendered_runs() {
        let mut s = state();
        let id = invoke(
            &mut s,
            at(0),
            &[
                ("CommandId", DEPLOY),
                ("InstanceId.1", LINUX),
                ("InstanceId.2", LINUX2),
                ("Parameters", r#"{"version":"1.2.3","env":"prod"}"#),
            ],
        )
        .unwrap();
        assert!(id.starts_with("t-"));
        let inv = s.store.invocations("cn-hangzhou", 0, i64::MAX).next().unwrap();
        assert_eq!(inv.runs.len(), 2);
        assert_eq!(inv.runs[0].output, "echo deploying 1.2.3 to prod");
        assert_eq!(
            (inv.runs[0].start_ms, inv.runs[0].run_ms),
            (inv.created_ms, 1_000)
        );
        assert_eq!(
            (
                s.stats.invocations_created,
                s.store.quota_used("cn-hangzhou", "2024-05-01")
            ),
            (1, 1)
        );
    }

    #[test]
    fn required_parameters() {
        assert_eq!(
            err(&[("InstanceId.1", LINUX)]),
            ApiError::MissingParameter("CommandId")
        );
        assert_eq!(err(&[("CommandId", UPTIME)]), ApiError::MissingInstanceId);
        assert_eq!(
            err(&with(&[("RegionId", "")])),
            ApiError::MissingCommon("RegionId")
        );
    }

    fn with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let mut all = vec![("CommandId", UPTIME), ("InstanceId.1", LINUX)];
        all.extend_from_slice(extra);
        all
    }

    fn deploy(json: &str) -> ApiError {
        err(&[
            ("CommandId", DEPLOY),
            ("InstanceId.1", LINUX),
            ("Parameters", json),
        ])
    }

    #[test]
    fn reference_error_table() {
        assert_eq!(
            err(&with(&[("RegionId", "us-west-1")])),
            ApiError::RegionApiNotSupported
        );
        assert_eq!(
            err(&[("CommandId", UPTIME), ("InstanceId.1", "i-nope")]),
            ApiError::InstanceNotFound
        );
        assert_eq!(
            err(&[("CommandId", UPTIME), ("InstanceId.1", STOPPED)]),
            ApiError::InstanceNotMatch
        );
        assert_eq!(
            err(&[("CommandId", UPTIME), ("InstanceId.1", WINDOWS)]),
            ApiError::InstanceNotMatch
        );
        assert_eq!(
            err(&[("CommandId", POWERSHELL), ("InstanceId.1", LINUX)]),
            ApiError::InstanceNotMatch
        );
        assert_eq!(
            err(&[("CommandId", BAT), ("InstanceId.1", LINUX)]),
            ApiError::InstanceNotMatch
        );
        assert_eq!(
            err(&[("CommandId", "c-nope"), ("InstanceId.1", LINUX)]),
            ApiError::CommandNotFound
        );
        assert_eq!(err(&with(&[("Timed", "true")])), ApiError::MissingFrequency);
        assert_eq!(
            err(&with(&[("Timed", "true"), ("Frequency", "*/5 * * * * *")])),
            ApiError::InvalidFrequency
        );
        let many: Vec<(String, String)> = (1..=51)
            .map(|n| (format!("InstanceId.{n}"), LINUX.to_string()))
            .collect();
        let mut pairs: Vec<(&str, &str)> = many.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        pairs.push(("CommandId", UPTIME));
        assert_eq!(err(&pairs), ApiError::InstanceIdsExceedLimit);
        assert_eq!(
            err(&with(&[("Parameters", r#"{"a":"b"}"#)])),
            ApiError::ParameterDisabled
        );
        let eleven = format!(
            "{{{}}}",
            (0..11)
                .map(|i| format!("\"p{i}\":\"\""))
                .collect::<Vec<_>>()
                .join(",")
        );
        assert_eq!(deploy(&eleven), ApiError::ParameterCountExceedLimit);
        assert_eq!(
            deploy(&format!("{{\"{}\":\"x\"}}", "k".repeat(65))),
            ApiError::ParameterKeyExceedLimit
        );
        assert_eq!(deploy(r#"{"":"x"}"#), ApiError::ParameterKeyExceedLimit);
        assert_eq!(
            deploy(&format!("{{\"version\":\"{}\"}}", "v".repeat(13_000))),
            ApiError::CmdContentExceedLimit
        );
        assert_eq!(
            deploy(r#"{"version":"1","version":"2"}"#),
            ApiError::ParameterKeyDuplicate
        );
        assert_eq!(
            deploy(r#"{"version":"1","region":"x"}"#),
            ApiError::ParameterNotMatched
        );
        assert_eq!(
            err(&with(&[("Username", &"u".repeat(256))])),
            ApiError::UsernameExceedLimit
        );
        assert!(invoke(&mut state(), at(0), &with(&[("Username", &"u".repeat(255))])).is_ok());
    }

    #[test]
    fn frequencies() {
        for good in [
            "0 */20 * * * *",
            "rate(5m)",
            "at(2099-06-06 13:15:30 Asia/Shanghai)",
            "0 0/30 10-11 * * ? 2099 GMT+8:00",
        ] {
            assert!(
                invoke(
                    &mut state(),
                    at(0),
                    &with(&[("Timed", "true"), ("Frequency", good)])
                )
                .is_ok(),
                "{good}"
            );
        }
        for bad in [
            "*/5 * * * * *",
            "rate(30s)",
            "rate(8d)",
            "at(2020-01-01 00:00:00)",
            "every minute",
            "0 0 25 * * *",
        ] {
            assert_eq!(
                err(&with(&[("Timed", "true"), ("Frequency", bad)])),
                ApiError::InvalidFrequency,
                "{bad}"
            );
        }
        // Longer runs than the interval between them.
        assert_eq!(
            err(&with(&[
                ("Timed", "true"),
                ("Frequency", "rate(1m)"),
                ("Timeout", "120")
            ])),
            ApiError::InvalidFrequency
        );
        // Checked even on a one-shot invocation.
        assert_eq!(
            err(&with(&[("Frequency", "nonsense")])),
            ApiError::InvalidFrequency
        );
    }

    #[test]
    fn newer_codes() {
        assert_eq!(
            err(&with(&[("RepeatMode", "Sometimes")])),
            ApiError::RepeatModeNotFound
        );
        assert_eq!(deploy("not json"), ApiError::ParametersMalformed);
        assert_eq!(deploy(r#"{"version":1}"#), ApiError::ParameterTypeNotSupported);
        assert_eq!(
            err(&with(&[("Timed", "maybe")])),
            ApiError::InvalidParameter("Timed")
        );
        assert_eq!(
            err(&with(&[("Timeout", "5")])),
            ApiError::InvalidParameter("Timeout")
        );
        assert_eq!(
            err(&with(&[("WindowsPasswordName", &"p".repeat(256))])),
            ApiError::WindowsPasswordNameExceedLimit
        );
        assert_eq!(
            err(&with(&[("WorkingDir", &"d".repeat(201))])),
            ApiError::WorkingDirInvalid
        );
        assert_eq!(
            err(&with(&[("ClientToken", &"t".repeat(65))])),
            ApiError::ClientTokenMalformed
        );
    }

    #[test]
    fn new_request_parameters() {
        use alicloud_api::invoke_command::TagError;
        assert_eq!(
            err(&with(&[("Timeout", "86401")])),
            ApiError::InvalidParameter("Timeout")
        );
        assert_eq!(
            err(&with(&[("TerminationMode", "Everything")])),
            ApiError::TerminationModeNotFound
        );
        assert_eq!(
            err(&with(&[("ContainerId", "abc")])),
            ApiError::ContainerIdMalformed
        );
        assert_eq!(
            err(&with(&[("ContainerName", "-x")])),
            ApiError::ContainerNameMalformed
        );
        assert_eq!(
            err(&with(&[("Tag.1.Key", "acs:x")])),
            ApiError::Tag(TagError::ReservedKey)
        );
        assert_eq!(
            err(&with(&[("Tag.1.Value", "orphan")])),
            ApiError::Tag(TagError::EmptyKey)
        );
        let mut s = state();
        let id = "0123456789abcdef".repeat(4);
        let container = format!("docker://{id}");
        invoke(
            &mut s,
            at(0),
            &with(&[
                ("Timeout", "86400"),
                ("TerminationMode", "ProcessTree"),
                ("ContainerId", &container),
                ("ContainerName", "web"),
                ("Tag.1.Key", "team"),
                ("Tag.1.Value", "ops"),
                ("Tag.2.Key", "empty"),
            ]),
        )
        .unwrap();
        let inv = s.store.invocations("cn-hangzhou", 0, i64::MAX).next().unwrap();
        assert_eq!(
            (
                inv.timeout,
                inv.termination_mode.as_str(),
                inv.container_id.as_str(),
                inv.container_name.as_str()
            ),
            (86_400, "ProcessTree", container.as_str(), "web")
        );
        assert_eq!(
            inv.tags,
            [
                ("team".to_string(), "ops".to_string()),
                ("empty".to_string(), String::new())
            ]
        );
    }

    #[test]
    fn outcomes_decide_what_runs_do() {
        use crate::model::RunOutcome;
        let mut s = state();
        let mut fixtures = crate::fixtures::Fixtures::default_set();
        fixtures
            .set_outcome(
                LINUX2,
                RunOutcome {
                    exit_code: Some(7),
                    output: Some("boom".into()),
                    run_ms: Some(90_000),
                    ..Default::default()
                },
            )
            .unwrap();
        s.store = crate::store::Store::new(fixtures, None);
        invoke(
            &mut s,
            at(0),
            &[
                ("CommandId", UPTIME),
                ("InstanceId.1", LINUX),
                ("InstanceId.2", LINUX2),
            ],
        )
        .unwrap();
        let inv = s.store.invocations("cn-hangzhou", 0, i64::MAX).next().unwrap();
        let got: Vec<_> = inv
            .runs
            .iter()
            .map(|r| (r.output.as_str(), r.exit_code, r.run_ms))
            .collect();
        assert_eq!(got, [("uptime", 0, 1_000), ("boom", 7, 90_000)]);
    }

    #[test]
    fn parameters_may_be_partial_or_absent() {
        let mut s = state();
        invoke(
            &mut s,
            at(0),
            &[
                ("CommandId", DEPLOY),
                ("InstanceId.1", LINUX),
                ("Parameters", r#"{"env":"dev"}"#),
            ],
        )
        .unwrap();
        invoke(&mut s, at(0), &[("CommandId", DEPLOY), ("InstanceId.1", LINUX)]).unwrap();
        invoke(
            &mut s,
            at(0),
            &[
                ("CommandId", UPTIME),
                ("InstanceId.1", LINUX),
                ("Parameters", "{}"),
            ],
        )
        .unwrap();
        let outputs: Vec<_> = s
            .store
            .invocations("cn-hangzhou", 0, i64::MAX)
            .map(|i| i.runs[0].output.clone())
            .collect();
        assert_eq!(
            outputs,
            ["uptime", "echo deploying  to ", "echo deploying  to dev"]
        );
    }

    #[test]
    fn client_token_idempotence() {
        let mut s = state();
        let args = [
            ("CommandId", UPTIME),
            ("InstanceId.1", LINUX),
            ("ClientToken", "tok-1"),
        ];
        let first = invoke(&mut s, at(0), &args).unwrap();
        let again = invoke(&mut s, at(5), &args).unwrap();
        assert_eq!(first, again);
        assert_eq!((s.stats.invocations_created, s.stats.idempotent_replays), (1, 1));
        let other = [
            ("CommandId", UPTIME),
            ("InstanceId.1", LINUX2),
            ("ClientToken", "tok-1"),
        ];
        assert_eq!(
            invoke(&mut s, at(5), &other).unwrap_err(),
            ApiError::IdempotentParameterMismatch
        );
    }

    #[test]
    fn daily_quota() {
        let mut s = state();
        let args = [("CommandId", UPTIME), ("InstanceId.1", LINUX)];
        for _ in 0..3 {
            invoke(&mut s, at(0), &args).unwrap();
        }
        assert_eq!(
            invoke(&mut s, at(0), &args).unwrap_err(),
            ApiError::InvocationExceedQuota
        );
        assert!(
            invoke(&mut s, at(24 * 3600), &args).is_ok(),
            "a new UTC day resets the quota"
        );
    }

    #[test]
    fn dispatch_fault_creates_nothing() {
        let mut s = state();
        s.faults.replace(FaultPlan {
            dispatch_error: Trigger::parse_count("1").unwrap(),
            ..FaultPlan::default()
        });
        let args = [("CommandId", UPTIME), ("InstanceId.1", LINUX)];
        assert_eq!(invoke(&mut s, at(0), &args).unwrap_err(), ApiError::Dispatch);
        assert_eq!(s.store.invocations("cn-hangzhou", 0, i64::MAX).count(), 0);
        assert!(invoke(&mut s, at(0), &args).is_ok());
    }

    #[test]
    fn timed_and_repeat_modes() {
        let mut s = state();
        let base = [("CommandId", UPTIME), ("InstanceId.1", LINUX)];
        let mut timed = base.to_vec();
        timed.extend([("Timed", "true"), ("Frequency", "0 */20 * * * *")]);
        invoke(&mut s, at(0), &timed).unwrap();
        let mut reboot = base.to_vec();
        reboot.push(("RepeatMode", "EveryReboot"));
        invoke(&mut s, at(0), &reboot).unwrap();
        let modes: Vec<_> = s
            .store
            .invocations("cn-hangzhou", 0, i64::MAX)
            .map(|i| i.repeat_mode.as_str())
            .collect();
        assert_eq!(modes, ["EveryReboot", "Period"]);
    }

    #[test]
    fn windows_commands_run_on_windows_with_builtins() {
        let mut s = state();
        invoke(
            &mut s,
            at(0),
            &[("CommandId", POWERSHELL), ("InstanceId.1", WINDOWS)],
        )
        .unwrap();
        invoke(&mut s, at(0), &[("CommandId", BAT), ("InstanceId.1", WINDOWS)]).unwrap();
        let mut fixtures = crate::fixtures::Fixtures::default_set();
        fixtures.commands[0].command_content = "on {{ACS::InstanceId}} in {{ACS::RegionId}}".into();
        s.store = crate::store::Store::new(fixtures, None);
        invoke(&mut s, at(0), &[("CommandId", DEPLOY), ("InstanceId.1", LINUX)]).unwrap();
        let inv = s.store.invocations("cn-hangzhou", 0, i64::MAX).next().unwrap();
        assert_eq!(inv.runs[0].output, format!("on {LINUX} in cn-hangzhou"));
    }
}
