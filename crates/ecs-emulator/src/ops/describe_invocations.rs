//! DescribeInvocations: the invocations still on record, newest first, with their overall
//! status, their parameters and each instance's run.

use serde_json::{json, Map, Value};

use super::encoding::ContentEncoding;
use super::filter::matches;
use super::invocation_view::{parameters_text, run_fields, tags, username, working_dir};
use super::paging::PageSpec;
use super::{object, region, OpContext};
use crate::errors::ApiError;
use crate::model::Invocation;
use crate::params::Params;
use crate::progress::Progress;
use crate::status::Legacy;
use crate::time::{format_ms, format_opt, millis};

pub fn handle(ctx: &mut OpContext, params: &Params) -> Result<Map<String, Value>, ApiError> {
    let region = region(ctx, params)?;
    let encoding = ContentEncoding::from_params(params);
    let include_output = params.bool("IncludeOutput")?.unwrap_or(false);
    let timed = params.bool("Timed")?;
    let page = PageSpec::read(params, 50, 10)?;
    let now_ms = millis(ctx.now);
    let selected: Vec<&Invocation> = ctx
        .listed(region)
        .filter(|i| {
            let status = Progress::new(i, now_ms).overall();
            matches(params, "InvokeId", &i.invoke_id)
                && matches(params, "CommandId", &i.command_id)
                && matches(params, "CommandName", &i.command_name)
                && matches(params, "CommandType", i.command_type.as_str())
                && matches(params, "RepeatMode", i.repeat_mode.as_str())
                && timed.is_none_or(|t| t == i.repeat_mode.is_timed())
                && params
                    .non_empty("InstanceId")
                    .is_none_or(|id| i.runs.iter().any(|r| r.instance_id == id))
                && params
                    .non_empty("InvokeStatus")
                    .is_none_or(|s| s == status.as_str() || s == status.legacy().as_str())
        })
        .collect();
    let page = page.apply(selected);
    let items: Vec<Value> = page
        .items
        .iter()
        .map(|i| Value::Object(describe(i, now_ms, encoding, include_output)))
        .collect();
    let mut body = page.fields();
    body.insert("Invocations".into(), json!({ "Invocation": items }));
    Ok(body)
}

fn describe(
    invocation: &Invocation,
    now_ms: i64,
    encoding: ContentEncoding,
    include_output: bool,
) -> Map<String, Value> {
    let timed = invocation.repeat_mode.is_timed();
    let progress = Progress::new(invocation, now_ms);
    let status = progress.overall();
    let instances: Vec<Value> = invocation
        .runs
        .iter()
        .map(|run| {
            let view = progress.run(run);
            let mut fields = run_fields(run, &view, encoding, include_output);
            fields.insert("InstanceInvokeStatus".into(), json!(view.status.legacy()));
            fields.insert("Timed".into(), json!(timed));
            fields.insert("CreationTime".into(), json!(format_ms(invocation.created_ms)));
            fields.insert("FinishTime".into(), json!(format_opt(view.finish_ms)));
            fields.insert("UpdateTime".into(), json!(format_ms(view.update_ms)));
            Value::Object(fields)
        })
        .collect();
    object(json!({
        "InvokeId": invocation.invoke_id,
        "CommandId": invocation.command_id,
        "CommandName": invocation.command_name,
        "CommandType": invocation.command_type.as_str(),
        "CommandDescription": invocation.command_description,
        "CommandContent": encoding.encode(&invocation.command_content),
        "Parameters": parameters_text(invocation),
        "Username": username(invocation),
        "WorkingDir": working_dir(invocation),
        "Timeout": invocation.timeout,
        "Timed": timed,
        "Frequency": invocation.frequency,
        "RepeatMode": invocation.repeat_mode.as_str(),
        "InvocationStatus": status.as_str(),
        "InvokeStatus": status.legacy(),
        "CreationTime": format_ms(invocation.created_ms),
        "ContainerId": invocation.container_id,
        "ContainerName": invocation.container_name,
        "Launcher": "",
        "TerminationMode": invocation.termination_mode,
        "OssOutputDelivery": "",
        "Tags": tags(invocation),
        "InvokeInstances": { "InvokeInstance": instances },
    }))
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use serde_json::Value;

    fn describe(s: &mut crate::state::State, secs: i64, extra: &[(&str, &str)]) -> Value {
        call(s, at(secs), "DescribeInvocations", extra).unwrap()
    }

    #[test]
    fn one_shot_progresses_with_time() {
        let mut s = state();
        let args = [
            ("CommandId", DEPLOY),
            ("InstanceId.1", LINUX),
            ("Parameters", r#"{"version":"2","env":"qa"}"#),
        ];
        let id = invoke(&mut s, at(0), &args).unwrap();
        let early = describe(&mut s, 0, &[("InvokeId", &id), ("IncludeOutput", "true")]);
        let inv = &early["Invocations"]["Invocation"][0];
        assert_eq!(inv["InvocationStatus"], "Running");
        assert_eq!(inv["InvokeInstances"]["InvokeInstance"][0]["Output"], "");
        assert_eq!(inv["Parameters"], r#"{"version":"2","env":"qa"}"#);
        assert_eq!(
            inv["CommandContent"],
            "ZWNobyBkZXBsb3lpbmcge3t2ZXJzaW9ufX0gdG8ge3tlbnZ9fQ=="
        );
        let done = describe(
            &mut s,
            2,
            &[
                ("InvokeId", &id),
                ("IncludeOutput", "true"),
                ("ContentEncoding", "PlainText"),
            ],
        );
        let inv = &done["Invocations"]["Invocation"][0];
        assert_eq!(
            (inv["InvocationStatus"].as_str(), inv["InvokeStatus"].as_str()),
            (Some("Success"), Some("Finished"))
        );
        let run = &inv["InvokeInstances"]["InvokeInstance"][0];
        assert_eq!(run["Output"], "echo deploying 2 to qa");
        assert_eq!(
            (run["ExitCode"].as_i64(), run["InvocationStatus"].as_str()),
            (Some(0), Some("Success"))
        );
        assert_eq!(run["FinishTime"], "2024-05-01T12:00:01Z");
        let without_output = describe(&mut s, 2, &[("InvokeId", &id)]);
        assert_eq!(
            without_output["Invocations"]["Invocation"][0]["InvokeInstances"]["InvokeInstance"][0]["Output"],
            ""
        );
    }

    #[test]
    fn failing_instances_make_partial_failure() {
        let mut s = state();
        s.faults.replace(crate::faults::FaultPlan {
            fail_instances: vec![LINUX2.into()],
            ..Default::default()
        });
        let id = invoke(
            &mut s,
            at(0),
            &[
                ("CommandId", UPTIME),
                ("InstanceId.1", LINUX),
                ("InstanceId.2", LINUX2),
            ],
        )
        .unwrap();
        let body = describe(&mut s, 5, &[("InvokeId", &id)]);
        assert_eq!(
            body["Invocations"]["Invocation"][0]["InvocationStatus"],
            "PartialFailed"
        );
        let filtered = describe(&mut s, 5, &[("InvokeStatus", "PartialFailed")]);
        assert_eq!(filtered["TotalCount"], 1);
    }

    #[test]
    fn filters_paging_and_expiry() {
        let mut s = state();
        let mut ids = Vec::new();
        for _ in 0..3 {
            ids.push(invoke(&mut s, at(0), &[("CommandId", UPTIME), ("InstanceId.1", LINUX)]).unwrap());
        }
        let page = describe(&mut s, 1, &[("PageSize", "2")]);
        assert_eq!(
            (
                page["TotalCount"].as_u64(),
                page["Invocations"]["Invocation"].as_array().map(Vec::len)
            ),
            (Some(3), Some(2))
        );
        assert_eq!(
            page["Invocations"]["Invocation"][0]["InvokeId"],
            ids[2].as_str(),
            "newest first"
        );
        let next = page["NextToken"].as_str().unwrap().to_string();
        let rest = describe(&mut s, 1, &[("MaxResults", "2"), ("NextToken", &next)]);
        assert_eq!(rest["Invocations"]["Invocation"][0]["InvokeId"], ids[0].as_str());
        assert_eq!(describe(&mut s, 1, &[("InstanceId", LINUX2)])["TotalCount"], 0);
        assert_eq!(
            describe(&mut s, 1, &[("CommandId", UPTIME), ("Timed", "false")])["TotalCount"],
            3
        );
        assert!(s.store.expire(&ids[0]));
        assert_eq!(describe(&mut s, 1, &[])["TotalCount"], 2);
        assert_eq!(
            describe(&mut s, 3_600, &[])["TotalCount"],
            0,
            "records older than the TTL are gone"
        );
    }

    #[test]
    fn a_new_invocation_is_hidden_for_hide_new_ms() {
        let mut s = state();
        s.faults.replace(crate::faults::FaultPlan {
            hide_new_ms: 2_000,
            ..Default::default()
        });
        let id = invoke(&mut s, at(0), &[("CommandId", UPTIME), ("InstanceId.1", LINUX)]).unwrap();
        assert_eq!(describe(&mut s, 1, &[("InvokeId", &id)])["TotalCount"], 0);
        let results = call(&mut s, at(1), "DescribeInvocationResults", &[("InvokeId", &id)]).unwrap();
        assert_eq!(results["Invocation"]["TotalCount"], 0);
        let stop = call(&mut s, at(1), "StopInvocation", &[("InvokeId", &id)]);
        assert!(stop.is_err(), "{stop:?}");
        assert_eq!(describe(&mut s, 2, &[("InvokeId", &id)])["TotalCount"], 1);
    }
}
