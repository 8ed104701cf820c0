//! The command line of `alicloud-ecs-emulator`, declared with clap (derive) so that `--help`
//! is generated from the same declarations that parse it. Values accept `--flag VALUE` and
//! `--flag=VALUE`; flags marked repeatable may be given more than once.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};

use crate::auth::keys::{AccessKey, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET};
use crate::config::Config;
use crate::faults::{Faults, Trigger};
use crate::fixtures::Fixtures;
use crate::identity::{IdentityConfig, OidcProvider, Role};
use crate::ops::Settings;
use crate::outcome::RunOutcome;

fn access_key_help() -> String {
    format!(
        "Accepted credential, repeatable; with TOKEN requests must carry that SecurityToken. \
         Default: the demo pair ID `{DEMO_ACCESS_KEY_ID}` with secret `{DEMO_ACCESS_KEY_SECRET}`, \
         accepted only while no --access-key is given"
    )
}

fn latency(spec: &str) -> Result<(u64, Option<String>), String> {
    Faults::parse_latency(spec).map_err(|e| e.to_string())
}

/// A local stand-in for the Alibaba Cloud ECS RPC API (2014-05-26, JSON), with STS
/// (2015-04-01) and the ECS metadata service on the same port.
#[derive(Debug, Parser)]
#[command(name = "alicloud-ecs-emulator", version, max_term_width = 100)]
struct Args {
    /// Address to bind (port 0 = any free port); prints `listening on http://HOST:PORT` as
    /// its first stdout line
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:0")]
    listen: SocketAddr,

    #[arg(long = "access-key", value_name = "ID:SECRET[:TOKEN]", help = access_key_help(),
          value_parser = |s: &str| AccessKey::parse(s).map_err(|e| e.to_string()))]
    access_keys: Vec<AccessKey>,

    /// JSON fixtures replacing the default set (see the docs)
    #[arg(long, value_name = "FILE")]
    fixtures: Option<PathBuf>,

    /// Extra instance, repeatable (OS linux|windows, e.g. Running)
    #[arg(long = "instance", value_name = "ID:OS:STATUS[:REGION]")]
    instances: Vec<String>,

    /// Extra served region, repeatable (default: cn-hangzhou + the fixtures')
    #[arg(long = "region", value_name = "REGION")]
    regions: Vec<String>,

    /// Keep commands, invocations, ClientTokens and quotas in FILE
    #[arg(long = "state", value_name = "FILE")]
    state_file: Option<PathBuf>,

    /// How long a one-shot run stays Running
    #[arg(long, value_name = "MS", default_value_t = Settings::default().run_delay_ms)]
    run_delay_ms: i64,

    /// InvokeCommand calls per region and UTC day
    #[arg(long, value_name = "N", default_value_t = Settings::default().invoke_quota)]
    invoke_quota: u64,

    /// How long invocation records stay visible (default 30 days)
    #[arg(long, value_name = "SECONDS")]
    record_ttl: Option<i64>,

    #[command(flatten)]
    runs: RunArgs,

    #[command(flatten)]
    faults: FaultArgs,

    #[command(flatten)]
    identity: IdentityArgs,
}

/// Serving and runs.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Serving and runs")]
struct RunArgs {
    /// Needed to listen on an address other than loopback (warns: the admin endpoints under
    /// /_emulator/ have no authentication)
    #[arg(long)]
    allow_non_loopback: bool,
    /// Disconnect a client that has not sent its request headers by then
    #[arg(long, value_name = "MS", default_value_t = 10_000)]
    header_read_timeout_ms: u64,
    /// How long a run stays Pending before it starts
    #[arg(long, value_name = "MS", default_value_t = Settings::default().pending_ms)]
    pending_ms: i64,
    /// What runs on instance ID do, repeatable. Keys: exit=CODE, run-ms=MS (longer than the
    /// invocation's Timeout: it times out), output-bytes=N (output repeated or cut to N bytes;
    /// the API keeps 24 KB, Dropped counts the rest), output=TEXT (last: the rest of the flag,
    /// commas included). In a fixtures file: an instance's `Run` object
    #[arg(long = "instance-outcome", value_name = "ID:KEY=VALUE[,KEY=VALUE...]")]
    instance_outcomes: Vec<String>,
}

/// Faults: COUNT = the next N matching requests, FRACTION = a probability; @ACTION limits a
/// fault to one action. Each is repeatable; counts add up.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Faults")]
struct FaultArgs {
    /// Answer Throttling (400)
    #[arg(long, value_name = "COUNT[@ACTION]", value_parser = Trigger::parse_count)]
    throttle: Vec<Trigger>,
    /// InvokeCommand answers InternalError.Dispatch (500)
    #[arg(long, value_name = "COUNT", value_parser = Trigger::parse_count)]
    dispatch_error: Vec<Trigger>,
    /// Carry the request out, then answer InternalError (500)
    #[arg(long, value_name = "COUNT[@ACTION]", value_parser = Trigger::parse_count)]
    lost_response: Vec<Trigger>,
    /// Carry the request out, then close without answering
    #[arg(long, value_name = "COUNT[@ACTION]", value_parser = Trigger::parse_count)]
    drop_connection: Vec<Trigger>,
    /// --throttle at random
    #[arg(long, value_name = "FRACTION[@ACTION]", value_parser = Trigger::parse_fraction)]
    throttle_fraction: Vec<Trigger>,
    /// --dispatch-error at random
    #[arg(long, value_name = "FRACTION[@ACTION]", value_parser = Trigger::parse_fraction)]
    dispatch_error_fraction: Vec<Trigger>,
    /// --lost-response at random
    #[arg(long, value_name = "FRACTION[@ACTION]", value_parser = Trigger::parse_fraction)]
    lost_response_fraction: Vec<Trigger>,
    /// --drop-connection at random
    #[arg(long, value_name = "FRACTION[@ACTION]", value_parser = Trigger::parse_fraction)]
    drop_connection_fraction: Vec<Trigger>,
    /// Delay every RPC answer (after the request is carried out)
    #[arg(long, value_name = "MS[@ACTION]", value_parser = latency)]
    latency_ms: Option<(u64, Option<String>)>,
    /// Leave each new invocation out of DescribeInvocations, DescribeInvocationResults and
    /// StopInvocation for MS after it is created (the real listing lags behind InvokeCommand)
    #[arg(long, value_name = "MS", default_value_t = 0)]
    hide_new_ms: u64,
    /// Runs on this instance exit with code 1, repeatable
    #[arg(long = "fail-instance", value_name = "ID")]
    fail_instances: Vec<String>,
    /// Seed of the random faults
    #[arg(long, value_name = "N", default_value_t = 1)]
    fault_seed: u64,
}

/// STS and the ECS metadata service.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Identity (STS and metadata service)")]
struct IdentityArgs {
    /// A role AssumeRole and AssumeRoleWithOIDC may assume, repeatable; with =KEY_IDS only
    /// callers with those access key ids may assume it (others get NoPermission)
    #[arg(long = "role", value_name = "ARN[=KEY_ID,...]", value_parser = |s: &str| Role::parse(s).map_err(|e| e.to_string()))]
    roles: Vec<Role>,
    /// An OIDC provider AssumeRoleWithOIDC accepts tokens of (their iss and aud must match),
    /// repeatable
    #[arg(long = "oidc-provider", value_name = "ARN,ISSUER,AUDIENCE",
          value_parser = |s: &str| OidcProvider::parse(s).map_err(|e| e.to_string()))]
    oidc_providers: Vec<OidcProvider>,
    /// The instance's RAM role, served by the metadata service under /latest/
    #[arg(long, value_name = "NAME")]
    ecs_role: Option<String>,
    /// Lifetime of every issued temporary key, whatever was asked (short sessions for tests)
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u32).range(1..))]
    sts_session_seconds: Option<u32>,
}

fn merged(triggers: Vec<Trigger>, into: &mut Trigger) {
    for trigger in triggers {
        into.merge(trigger);
    }
}

/// Parses the whole command line (program name first). `--help`, `--version` and usage
/// errors come back as clap errors: `exit()` prints them and exits 0 or 2.
pub fn parse<I, T>(args: I) -> Result<Config, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args = Args::try_parse_from(args)?;
    let invalid =
        |flag: &str, why: String| Args::command().error(ErrorKind::ValueValidation, format!("{flag}: {why}"));
    let mut config = Config {
        listen: args.listen,
        access_keys: args.access_keys,
        state_file: args.state_file,
        fault_seed: args.faults.fault_seed,
        identity: IdentityConfig {
            roles: args.identity.roles,
            oidc_providers: args.identity.oidc_providers,
            ecs_role: args.identity.ecs_role,
            session_seconds: args.identity.sts_session_seconds,
        },
        ..Config::default()
    };
    config.settings.run_delay_ms = args.run_delay_ms;
    config.settings.pending_ms = args.runs.pending_ms;
    config.allow_non_loopback = args.runs.allow_non_loopback;
    config.header_read_timeout = Duration::from_millis(args.runs.header_read_timeout_ms);
    config.settings.invoke_quota = args.invoke_quota;
    if let Some(seconds) = args.record_ttl {
        config.settings.record_ttl_ms = seconds.saturating_mul(1000);
    }
    let f = args.faults;
    let plan = &mut config.faults;
    merged(f.throttle, &mut plan.throttle);
    merged(f.throttle_fraction, &mut plan.throttle);
    merged(f.dispatch_error, &mut plan.dispatch_error);
    merged(f.dispatch_error_fraction, &mut plan.dispatch_error);
    merged(f.lost_response, &mut plan.lost_response);
    merged(f.lost_response_fraction, &mut plan.lost_response);
    merged(f.drop_connection, &mut plan.drop_connection);
    merged(f.drop_connection_fraction, &mut plan.drop_connection);
    if let Some((ms, action)) = f.latency_ms {
        (plan.latency_ms, plan.latency_action) = (ms, action);
    }
    plan.hide_new_ms = f.hide_new_ms;
    plan.fail_instances = f.fail_instances;
    if let Some(path) = args.fixtures {
        config.fixtures = Fixtures::load(&path).map_err(|e| invalid("--fixtures", e.to_string()))?;
    }
    for spec in args.instances {
        config
            .fixtures
            .add_instance(&spec)
            .map_err(|e| invalid("--instance", e.to_string()))?;
    }
    config.fixtures.regions.extend(args.regions);
    for spec in args.runs.instance_outcomes {
        let (id, outcome) =
            RunOutcome::parse_flag(&spec).map_err(|e| invalid("--instance-outcome", e.to_string()))?;
        config
            .fixtures
            .set_outcome(&id, outcome)
            .map_err(|e| invalid("--instance-outcome", e.to_string()))?;
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Config, clap::Error> {
        parse(std::iter::once("alicloud-ecs-emulator").chain(args.iter().copied()))
    }

    #[test]
    fn help_is_generated_and_names_the_demo_pair() {
        let help = Args::command().render_long_help().to_string();
        for text in [
            DEMO_ACCESS_KEY_ID,
            DEMO_ACCESS_KEY_SECRET,
            "--drop-connection-fraction",
            "--hide-new-ms",
            "--role",
            "--ecs-role",
        ] {
            assert!(help.contains(text), "{text} missing from\n{help}");
        }
        Args::command().debug_assert();
    }

    #[test]
    fn defaults() {
        let c = run(&[]).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:0");
        assert!(c.access_keys.is_empty() && c.state_file.is_none());
        assert_eq!((c.settings.run_delay_ms, c.settings.invoke_quota), (1000, 5000));
        assert_eq!(c.identity, IdentityConfig::default());
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
            "--hide-new-ms",
            "1500",
            "--fail-instance",
            "i-bp1emulinux000001",
            "--role",
            "acs:ram::1:role/open",
            "--role=acs:ram::1:role/closed=AK",
            "--oidc-provider",
            "acs:ram::1:oidc-provider/ci,https://issuer.test,sts.aliyuncs.com",
            "--ecs-role",
            "instance-role",
            "--sts-session-seconds",
            "3",
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
                c.faults.latency_ms,
                c.faults.hide_new_ms
            ),
            (1, 1, 20, 1500)
        );
        assert_eq!(c.faults.fail_instances, ["i-bp1emulinux000001"]);
        assert_eq!(c.identity.roles.len(), 2);
        assert_eq!(
            c.identity.roles[1].trusted.as_deref(),
            Some(&["AK".to_string()][..])
        );
        assert_eq!(c.identity.oidc_providers[0].audience, "sts.aliyuncs.com");
        assert_eq!(
            (c.identity.ecs_role.as_deref(), c.identity.session_seconds),
            (Some("instance-role"), Some(3))
        );
    }

    #[test]
    fn errors() {
        let kind = |args: &[&str]| run(args).unwrap_err().kind();
        assert_eq!(kind(&["--bogus", "1"]), ErrorKind::UnknownArgument);
        assert_eq!(kind(&["--listen"]), ErrorKind::InvalidValue);
        for bad in [
            &["--listen", "nope"][..],
            &["--access-key", "no-secret"],
            &["--throttle-fraction", "2"],
            &["--fixtures", "/nonexistent/f.json"],
            &["--role", "not-an-arn"],
            &["--sts-session-seconds", "0"],
        ] {
            assert_eq!(kind(bad), ErrorKind::ValueValidation, "{bad:?}");
        }
        assert_eq!(kind(&["--help"]), ErrorKind::DisplayHelp);
        assert_eq!(kind(&["--version"]), ErrorKind::DisplayVersion);
    }
}
