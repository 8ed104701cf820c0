//! StopInvocation: a timed invocation stops being scheduled on the instances named (all of
//! them when none is named); runs of a one-shot invocation that already started carry on,
//! those still pending are cancelled.

use serde_json::{Map, Value};

use super::{region, OpContext};
use crate::errors::ApiError;
use crate::params::Params;
use crate::time::millis;
use alicloud_api::invoke_command::MAX_INSTANCES;

pub fn handle(ctx: &mut OpContext, params: &Params) -> Result<Map<String, Value>, ApiError> {
    let region = region(ctx, params)?;
    let invoke_id = params.required("InvokeId")?;
    let instance_ids = params.repeat_list("InstanceId");
    if instance_ids.len() > MAX_INSTANCES {
        return Err(ApiError::InstanceIdsExceedLimit);
    }
    let now_ms = millis(ctx.now);
    if !ctx.listed(region).any(|i| i.invoke_id == invoke_id) {
        return Err(ApiError::InvokeNotFound);
    }
    let invocation = ctx
        .state
        .store
        .invocation_mut(region, invoke_id)
        .ok_or(ApiError::InvokeNotFound)?;
    if instance_ids
        .iter()
        .any(|id| !invocation.runs.iter().any(|r| r.instance_id == *id))
    {
        return Err(ApiError::InvocationInstanceNotFound);
    }
    let timed = invocation.repeat_mode.is_timed();
    for run in &mut invocation.runs {
        // A one-shot run that has started carries on; one still pending is cancelled.
        let stoppable = timed || run.start_ms > now_ms;
        if stoppable
            && run.stop_ms.is_none()
            && (instance_ids.is_empty() || instance_ids.contains(&run.instance_id))
        {
            run.stop_ms = Some(now_ms);
        }
    }
    Ok(Map::new())
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::errors::ApiError;

    fn status(s: &mut crate::state::State, secs: i64, id: &str) -> String {
        let body = call(s, at(secs), "DescribeInvocations", &[("InvokeId", id)]).unwrap();
        body["Invocations"]["Invocation"][0]["InvocationStatus"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    #[test]
    fn timed_invocations_stop_per_instance_then_entirely() {
        let mut s = state();
        let args = [
            ("CommandId", UPTIME),
            ("InstanceId.1", LINUX),
            ("InstanceId.2", LINUX2),
            ("Timed", "true"),
            ("Frequency", "rate(5m)"),
        ];
        let id = invoke(&mut s, at(0), &args).unwrap();
        assert_eq!(status(&mut s, 100, &id), "Scheduled");
        call(
            &mut s,
            at(100),
            "StopInvocation",
            &[("InvokeId", &id), ("InstanceId.1", LINUX)],
        )
        .unwrap();
        assert_eq!(status(&mut s, 101, &id), "Scheduled");
        call(&mut s, at(200), "StopInvocation", &[("InvokeId", &id)]).unwrap();
        assert_eq!(status(&mut s, 201, &id), "Stopped");
        let body = call(&mut s, at(300), "DescribeInvocations", &[("InvokeId", &id)]).unwrap();
        let runs = &body["Invocations"]["Invocation"][0]["InvokeInstances"]["InvokeInstance"];
        assert_eq!(
            (runs[0]["StopTime"].as_str(), runs[1]["StopTime"].as_str()),
            (Some("2024-05-01T12:01:40Z"), Some("2024-05-01T12:03:20Z"))
        );
    }

    #[test]
    fn one_shot_runs_carry_on() {
        let mut s = state();
        let id = invoke(&mut s, at(0), &[("CommandId", UPTIME), ("InstanceId.1", LINUX)]).unwrap();
        call(&mut s, at(0), "StopInvocation", &[("InvokeId", &id)]).unwrap();
        assert_eq!(status(&mut s, 5, &id), "Success");
    }

    #[test]
    fn errors() {
        let mut s = state();
        let id = invoke(&mut s, at(0), &[("CommandId", UPTIME), ("InstanceId.1", LINUX)]).unwrap();
        let stop = |s: &mut crate::state::State, extra: &[(&str, &str)]| {
            call(s, at(1), "StopInvocation", extra).unwrap_err()
        };
        assert_eq!(stop(&mut s, &[]), ApiError::MissingParameter("InvokeId"));
        assert_eq!(stop(&mut s, &[("InvokeId", "t-nope")]), ApiError::InvokeNotFound);
        assert_eq!(
            stop(&mut s, &[("InvokeId", &id), ("InstanceId.1", LINUX2)]),
            ApiError::InvocationInstanceNotFound
        );
        assert_eq!(
            stop(&mut s, &[("InvokeId", &id), ("RegionId", "eu-central-1")]),
            ApiError::RegionApiNotSupported
        );
        s.store.expire(&id);
        assert_eq!(stop(&mut s, &[("InvokeId", &id)]), ApiError::InvokeNotFound);
    }
}
