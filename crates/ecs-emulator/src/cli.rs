//! The command line of `alicloud-ecs-emulator`: flags to `Config`, `--flag VALUE` or
//! `--flag=VALUE`, repeatable where noted in `USAGE`.

use std::path::PathBuf;

use super::auth::keys::AccessKey;
use super::config::Config;
use super::faults::{FaultPlan, Faults, Trigger};
use super::fixtures::Fixtures;
use super::outcome::RunOutcome;

pub const USAGE: &str = "\
alicloud-ecs-emulator: a local stand-in for the Alibaba Cloud ECS RPC API (2014-05-26, JSON)

USAGE: alicloud-ecs-emulator [FLAGS]

  --listen ADDR                 address to bind (default 127.0.0.1:0, port 0 = any free port);
                                prints `listening on http://HOST:PORT` as its first stdout line
  --access-key ID:SECRET[:TOKEN]  accepted credential, repeatable; with TOKEN requests must carry
                                that SecurityToken. Default: the demo pair ID `LTAI5tDemoAccessKey`
                                with secret `demo-secret-not-for-production`
  --fixtures FILE               JSON fixtures replacing the default set (see the docs)
  --instance ID:OS:STATUS[:REGION]  extra instance, repeatable (OS linux|windows, e.g. Running)
  --region REGION               extra served region, repeatable (default: cn-hangzhou + fixtures')
  --state FILE                  keep commands, invocations, ClientTokens and quotas in FILE
  --run-delay-ms MS             how long a one-shot run stays Running (default 1000)
  --invoke-quota N              InvokeCommand calls per region and UTC day (default 5000)
  --record-ttl SECONDS          how long invocation records stay visible (default 30 days)

 serving and runs:
  --allow-non-loopback          needed to listen on an address other than loopback (warns: the
                                admin endpoints under /_emulator/ have no authentication)
  --header-read-timeout-ms MS   disconnect a client that has not sent its headers by then (10000)
  --pending-ms MS               how long a run stays Pending before it starts (default 100)
  --instance-outcome ID:KEY=VALUE[,KEY=VALUE...]  what runs on instance ID do, repeatable; keys:
                                exit=CODE, run-ms=MS (longer than the invocation's Timeout: it
                                times out), output-bytes=N (output repeated or cut to N bytes;
                                the API keeps 24 KB, Dropped counts the rest), output=TEXT (last:
                                the rest of the flag, commas included); fixtures: a `Run` object

 faults (COUNT = next N matching requests, FRACTION = probability; @ACTION limits to one action):
  --throttle COUNT[@ACTION]             answer Throttling (400)
  --dispatch-error COUNT                InvokeCommand answers InternalError.Dispatch (500)
  --lost-response COUNT[@ACTION]        carry the request out, then answer InternalError (500)
  --drop-connection COUNT[@ACTION]      carry the request out, then close without answering
  --throttle-fraction, --dispatch-error-fraction, --lost-response-fraction,
  --drop-connection-fraction FRACTION[@ACTION]   the same, at random
  --latency-ms MS[@ACTION]              delay every RPC answer (after the request is carried out)
  --fail-instance ID                    runs on this instance exit with code 1, repeatable
  --fault-seed N                        seed of the random faults (default 1)

  --help, --version
";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CliError {
    #[error("unknown flag {0} (see --help)")]
    UnknownFlag(String),
    #[error("{0} needs a value")]
    MissingValue(String),
    #[error("{flag}: {why}")]
    Invalid { flag: String, why: String },
}

#[derive(Debug)]
pub enum Cli {
    Run(Box<Config>),
    Help,
    Version,
}

/// Parses the arguments after the program name.
pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Cli, CliError> {
    let mut config = Config::default();
    let mut fixtures_file: Option<PathBuf> = None;
    let mut instances: Vec<String> = Vec::new();
    let mut regions: Vec<String> = Vec::new();
    let mut outcomes: Vec<String> = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_string(), Some(value.to_string())),
            _ => (arg.clone(), None),
        };
        match flag.as_str() {
            "--help" | "-h" => return Ok(Cli::Help),
            "--version" => return Ok(Cli::Version),
            // emulator-runs: the one flag without a value.
            "--allow-non-loopback" => {
                config.allow_non_loopback = true;
                continue;
            }
            _ => {}
        }
        let value = match inline.or_else(|| args.next()) {
            Some(value) => value,
            None if known(&flag) => return Err(CliError::MissingValue(flag)),
            None => return Err(CliError::UnknownFlag(flag)),
        };
        let invalid = |why: String| CliError::Invalid {
            flag: flag.clone(),
            why,
        };
        let faults = &mut config.faults;
        match flag.as_str() {
            "--listen" => config.listen = value.parse().map_err(|_| invalid("expected HOST:PORT".into()))?,
            "--access-key" => config
                .access_keys
                .push(AccessKey::parse(&value).map_err(|e| invalid(e.to_string()))?),
            "--fixtures" => fixtures_file = Some(PathBuf::from(value)),
            "--instance" => instances.push(value),
            "--region" => regions.push(value),
            "--state" => config.state_file = Some(PathBuf::from(value)),
            "--run-delay-ms" => config.settings.run_delay_ms = number(&value).map_err(invalid)?,
            "--invoke-quota" => config.settings.invoke_quota = number(&value).map_err(invalid)?,
            "--record-ttl" => {
                let seconds: i64 = number(&value).map_err(invalid)?;
                config.settings.record_ttl_ms = seconds.saturating_mul(1000);
            }
            "--latency-ms" => {
                (faults.latency_ms, faults.latency_action) =
                    Faults::parse_latency(&value).map_err(|e| invalid(e.to_string()))?;
            }
            "--fail-instance" => faults.fail_instances.push(value),
            "--fault-seed" => config.fault_seed = number(&value).map_err(invalid)?,
            // emulator-runs
            "--pending-ms" => config.settings.pending_ms = number(&value).map_err(invalid)?,
            "--instance-outcome" => outcomes.push(value),
            "--header-read-timeout-ms" => {
                config.header_read_timeout =
                    std::time::Duration::from_millis(number(&value).map_err(invalid)?);
            }
            _ => {
                let (trigger, is_fraction) =
                    trigger_for(faults, &flag).ok_or_else(|| CliError::UnknownFlag(flag.clone()))?;
                let parsed = if is_fraction {
                    Trigger::parse_fraction(&value)
                } else {
                    Trigger::parse_count(&value)
                };
                trigger.merge(parsed.map_err(|e| invalid(e.to_string()))?);
            }
        }
    }
    if let Some(path) = fixtures_file {
        config.fixtures = Fixtures::load(&path).map_err(|e| CliError::Invalid {
            flag: "--fixtures".into(),
            why: e.to_string(),
        })?;
    }
    for spec in instances {
        config
            .fixtures
            .add_instance(&spec)
            .map_err(|e| CliError::Invalid {
                flag: "--instance".into(),
                why: e.to_string(),
            })?;
    }
    config.fixtures.regions.extend(regions);
    for spec in outcomes {
        let invalid = |why: String| CliError::Invalid {
            flag: "--instance-outcome".into(),
            why,
        };
        let (id, outcome) = RunOutcome::parse_flag(&spec).map_err(|e| invalid(e.to_string()))?;
        config
            .fixtures
            .set_outcome(&id, outcome)
            .map_err(|e| invalid(e.to_string()))?;
    }
    Ok(Cli::Run(Box::new(config)))
}

fn known(flag: &str) -> bool {
    USAGE.contains(&format!("{flag} ")) || USAGE.contains(&format!("{flag},"))
}

fn number<T: std::str::FromStr>(value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{value:?} is not a valid number"))
}

fn trigger_for<'a>(faults: &'a mut FaultPlan, flag: &str) -> Option<(&'a mut Trigger, bool)> {
    let (kind, is_fraction) = match flag.strip_suffix("-fraction") {
        Some(kind) => (kind, true),
        None => (flag, false),
    };
    let trigger = match kind {
        "--throttle" => &mut faults.throttle,
        "--dispatch-error" => &mut faults.dispatch_error,
        "--lost-response" => &mut faults.lost_response,
        "--drop-connection" => &mut faults.drop_connection,
        _ => return None,
    };
    Some((trigger, is_fraction))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::keys::{DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET};

    fn run(args: &[&str]) -> Result<Config, CliError> {
        match parse(args.iter().map(|s| s.to_string()))? {
            Cli::Run(config) => Ok(*config),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn help_names_the_demo_pair() {
        assert!(USAGE.contains(DEMO_ACCESS_KEY_ID) && USAGE.contains(DEMO_ACCESS_KEY_SECRET));
    }

    #[test]
    fn defaults() {
        let c = run(&[]).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:0");
        assert!(c.access_keys.is_empty() && c.state_file.is_none());
        assert_eq!((c.settings.run_delay_ms, c.settings.invoke_quota), (1000, 5000));
    }

    #[test]
    fn flags() {
        let c = run(&[
            "--listen=127.0.0.1:8080",
            "--access-key",
            "AK:SK",
            "--access-key=STS.x:SK2:TOKEN",
            "--instance",
            "i-new:windows:Running",
            "--region",
            "cn-beijing",
            "--run-delay-ms",
            "50",
            "--invoke-quota",
            "3",
            "--record-ttl",
            "60",
            "--throttle",
            "2@InvokeCommand",
            "--throttle-fraction",
            "0.5",
            "--lost-response",
            "1",
            "--drop-connection=1@DescribeInvocations",
            "--dispatch-error",
            "1",
            "--latency-ms",
            "20",
            "--fail-instance",
            "i-bp1emulinux000001",
        ])
        .unwrap();
        assert_eq!(c.listen.port(), 8080);
        assert_eq!(c.access_keys.len(), 2);
        assert!(c.fixtures.instances.iter().any(|i| i.instance_id == "i-new"));
        assert!(c.fixtures.regions.contains(&"cn-beijing".to_string()));
        assert_eq!(
            (
                c.settings.run_delay_ms,
                c.settings.invoke_quota,
                c.settings.record_ttl_ms
            ),
            (50, 3, 60_000)
        );
        assert_eq!(
            c.faults.throttle,
            Trigger {
                count: 2,
                fraction: 0.5,
                action: Some("InvokeCommand".into())
            }
        );
        assert_eq!(
            c.faults.drop_connection.action.as_deref(),
            Some("DescribeInvocations")
        );
        assert_eq!(
            (
                c.faults.lost_response.count,
                c.faults.dispatch_error.count,
                c.faults.latency_ms
            ),
            (1, 1, 20)
        );
        assert_eq!(c.faults.fail_instances, ["i-bp1emulinux000001"]);
    }

    #[test]
    fn errors() {
        assert_eq!(
            run(&["--bogus", "1"]).unwrap_err(),
            CliError::UnknownFlag("--bogus".into())
        );
        assert_eq!(
            run(&["--listen"]).unwrap_err(),
            CliError::MissingValue("--listen".into())
        );
        assert!(matches!(
            run(&["--listen", "nope"]),
            Err(CliError::Invalid { .. })
        ));
        assert!(matches!(
            run(&["--access-key", "no-secret"]),
            Err(CliError::Invalid { .. })
        ));
        assert!(matches!(
            run(&["--throttle-fraction", "2"]),
            Err(CliError::Invalid { .. })
        ));
        assert!(matches!(
            run(&["--fixtures", "/nonexistent/f.json"]),
            Err(CliError::Invalid { .. })
        ));
        assert!(matches!(parse(["--help".to_string()]), Ok(Cli::Help)));
    }
}
