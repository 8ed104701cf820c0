//! The RPC operations: version and action routing, the region check they share, and one
//! module per operation. Handlers are synchronous functions of the state, the parameters
//! and the clock, which keeps them deterministic under test.

mod command_fields;
mod create_command;
mod delete_command;
mod describe_commands;
mod describe_instances;
mod describe_invocation_results;
mod describe_invocations;
mod encoding;
mod filter;
mod idempotence;
mod invocation_view;
mod invoke_command;
mod modify_command;
mod paging;
mod parameters;
mod run_command;
mod stop_invocation;
mod template;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::errors::ApiError;
use super::model::Invocation;
use super::params::Params;
use super::state::State;
use super::time::millis;

pub const API_VERSION: &str = "2014-05-26";

/// How invocations behave; fixed for a run of the emulator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// How long a run stays `Pending` before it starts.
    pub pending_ms: i64,
    /// How long a run stays `Running`, unless the instance's outcome says otherwise.
    pub run_delay_ms: i64,
    /// InvokeCommand calls allowed per region and UTC day.
    pub invoke_quota: u64,
    /// How long invocation records stay visible.
    pub record_ttl_ms: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            pending_ms: 100,
            run_delay_ms: 1_000,
            invoke_quota: 5_000,
            record_ttl_ms: 30 * 24 * 3_600 * 1_000,
        }
    }
}

pub struct OpContext<'a> {
    pub state: &'a mut State,
    pub settings: &'a Settings,
    pub now: DateTime<Utc>,
}

impl OpContext<'_> {
    /// The invocations of `region` a read sees, newest first: those still on record, less the
    /// ones created within the `hide_new_ms` fault's window.
    fn listed<'s>(&'s self, region: &'s str) -> impl Iterator<Item = &'s Invocation> + 's {
        let now_ms = millis(self.now);
        let hidden_ms = self.state.faults.hide_new_ms();
        self.state
            .store
            .invocations(region, now_ms, self.settings.record_ttl_ms)
            .filter(move |i| now_ms.saturating_sub(i.created_ms) >= hidden_ms)
    }
}

type Handler = fn(&mut OpContext, &Params) -> Result<Map<String, Value>, ApiError>;

const OPERATIONS: [(&str, Handler); 10] = [
    ("InvokeCommand", invoke_command::handle),
    ("RunCommand", run_command::handle),
    ("DescribeInvocations", describe_invocations::handle),
    ("DescribeInvocationResults", describe_invocation_results::handle),
    ("StopInvocation", stop_invocation::handle),
    ("DescribeCommands", describe_commands::handle),
    ("CreateCommand", create_command::handle),
    ("ModifyCommand", modify_command::handle),
    ("DeleteCommand", delete_command::handle),
    ("DescribeInstances", describe_instances::handle),
];

/// `InvalidVersion` for another API version, `InvalidAction.NotFound` for an unknown action.
pub fn route(action: &str, version: &str) -> Result<Handler, ApiError> {
    if version != API_VERSION {
        return Err(ApiError::InvalidVersion);
    }
    OPERATIONS
        .iter()
        .find(|(name, _)| *name == action)
        .map(|(_, handler)| *handler)
        .ok_or(ApiError::InvalidAction)
}

/// The required `RegionId`, which must be one the emulator serves.
fn served_region<'p>(ctx: &OpContext, params: &'p Params, unserved: ApiError) -> Result<&'p str, ApiError> {
    let region = params
        .non_empty("RegionId")
        .ok_or(ApiError::MissingCommon("RegionId"))?;
    if ctx.state.store.serves(region) {
        Ok(region)
    } else {
        Err(unserved)
    }
}

/// The region check of the Cloud Assistant operations.
fn region<'p>(ctx: &OpContext, params: &'p Params) -> Result<&'p str, ApiError> {
    served_region(ctx, params, ApiError::RegionApiNotSupported)
}

/// The members of a `json!({...})` object literal.
fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Calls operations directly on a default-fixture state, for the operations' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::faults::{FaultPlan, Faults};
    use crate::fixtures::Fixtures;
    use crate::stats::Stats;
    use crate::store::Store;

    pub const LINUX: &str = "i-bp1emulinux000001";
    pub const LINUX2: &str = "i-bp1emulinux000002";
    pub const WINDOWS: &str = "i-bp1emuwindows0001";
    pub const STOPPED: &str = "i-bp1emustopped0001";
    pub const DEPLOY: &str = "c-hz01emudeploy0001";
    pub const UPTIME: &str = "c-hz01emuuptime0001";
    pub const POWERSHELL: &str = "c-hz01emupwsh000001";
    pub const BAT: &str = "c-hz01emubat0000001";

    pub fn state() -> State {
        State {
            store: Store::new(Fixtures::default_set(), None),
            faults: Faults::new(FaultPlan::default(), 1),
            stats: Stats::default(),
            clock_offset_ms: 0,
        }
    }

    pub fn settings() -> Settings {
        Settings {
            pending_ms: 0,
            run_delay_ms: 1_000,
            invoke_quota: 3,
            record_ttl_ms: 3_600_000,
        }
    }

    /// A time `secs` seconds after a fixed origin.
    pub fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_714_564_800 + secs, 0).unwrap_or_default()
    }

    /// Calls `action` with the given parameters, in region cn-hangzhou unless they name one.
    pub fn call(
        state: &mut State,
        now: DateTime<Utc>,
        action: &str,
        extra: &[(&str, &str)],
    ) -> Result<Value, ApiError> {
        let mut pairs = extra.to_vec();
        if !extra.iter().any(|(name, _)| *name == "RegionId") {
            pairs.push(("RegionId", "cn-hangzhou"));
        }
        let handler = route(action, API_VERSION)?;
        let settings = settings();
        let mut ctx = OpContext {
            state,
            settings: &settings,
            now,
        };
        handler(&mut ctx, &Params::from_pairs(pairs)).map(Value::Object)
    }

    pub fn invoke(state: &mut State, now: DateTime<Utc>, extra: &[(&str, &str)]) -> Result<String, ApiError> {
        let answer = call(state, now, "InvokeCommand", extra)?;
        Ok(answer["InvokeId"].as_str().unwrap_or_default().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routing() {
        assert!(route("InvokeCommand", API_VERSION).is_ok());
        assert_eq!(
            route("InvokeCommand", "2016-03-14").err(),
            Some(ApiError::InvalidVersion)
        );
        assert_eq!(
            route("RunInstances", API_VERSION).err(),
            Some(ApiError::InvalidAction)
        );
    }
}
