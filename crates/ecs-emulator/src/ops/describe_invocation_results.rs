//! DescribeInvocationResults: one record per instance and invocation still on record (with
//! `IncludeHistory`, one per run the instance has begun, newest first), newest invocation
//! first, filtered by invocation, instance, command or record status.

use serde_json::{json, Map, Value};

use super::encoding::ContentEncoding;
use super::filter::matches;
use super::invocation_view::{run_fields, tags, username};
use super::paging::PageSpec;
use super::{object, region, OpContext};
use crate::errors::ApiError;
use crate::model::{InstanceRun, Invocation};
use crate::params::Params;
use crate::progress::{Progress, RunView};
use crate::status::Legacy;
use crate::time::{format_opt, millis};

pub fn handle(ctx: &mut OpContext, params: &Params) -> Result<Map<String, Value>, ApiError> {
    let region = region(ctx, params)?;
    let encoding = ContentEncoding::from_params(params);
    let include_history = params.bool("IncludeHistory")?.unwrap_or(false);
    let page = PageSpec::read(params, 50, 10)?;
    let now_ms = millis(ctx.now);
    let records: Vec<(&Invocation, &InstanceRun, RunView)> = ctx
        .listed(region)
        .filter(|i| matches(params, "InvokeId", &i.invoke_id) && matches(params, "CommandId", &i.command_id))
        .flat_map(|i| {
            let progress = Progress::new(i, now_ms);
            let runs = i
                .runs
                .iter()
                .filter(|run| matches(params, "InstanceId", &run.instance_id));
            runs.flat_map(move |run| {
                let views = if include_history {
                    progress.history(run)
                } else {
                    vec![progress.run(run)]
                };
                views.into_iter().map(move |view| (i, run, view))
            })
            .collect::<Vec<_>>()
        })
        .filter(|(_, _, view)| {
            params
                .non_empty("InvokeRecordStatus")
                .is_none_or(|s| s == view.status.as_str() || s == view.status.legacy().as_str())
        })
        .collect();
    let page = page.apply(records);
    let results: Vec<Value> = page
        .items
        .iter()
        .map(|(invocation, run, view)| {
            let mut fields = run_fields(run, view, encoding, true);
            fields.extend(object(json!({
                "InvokeId": invocation.invoke_id,
                "CommandId": invocation.command_id,
                "InvokeRecordStatus": view.status.legacy(),
                "FinishedTime": format_opt(view.finish_ms),
                "Username": username(invocation),
                "ContainerId": invocation.container_id,
                "ContainerName": invocation.container_name,
                "Launcher": "",
                "TerminationMode": invocation.termination_mode,
                "OssOutputDelivery": "",
                "Tags": tags(invocation),
            })));
            Value::Object(fields)
        })
        .collect();
    let mut invocation = page.fields();
    invocation.insert("InvocationResults".into(), json!({ "InvocationResult": results }));
    Ok(object(json!({ "Invocation": invocation })))
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn one_record_per_instance() {
        let mut s = state();
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
        let body = call(&mut s, at(2), "DescribeInvocationResults", &[("InvokeId", &id)]).unwrap();
        let results = &body["Invocation"]["InvocationResults"]["InvocationResult"];
        assert_eq!(body["Invocation"]["TotalCount"], 2);
        assert_eq!(results[0]["Output"], "dXB0aW1l");
        assert_eq!(
            (
                results[0]["InvokeRecordStatus"].as_str(),
                results[0]["Username"].as_str()
            ),
            (Some("Finished"), Some("root"))
        );
        assert_eq!(results[0]["FinishedTime"], "2024-05-01T12:00:01Z");
        let one = call(
            &mut s,
            at(2),
            "DescribeInvocationResults",
            &[("InstanceId", LINUX2), ("InvokeRecordStatus", "Success")],
        )
        .unwrap();
        assert_eq!(
            one["Invocation"]["InvocationResults"]["InvocationResult"][0]["InstanceId"],
            LINUX2
        );
        let none = call(
            &mut s,
            at(0),
            "DescribeInvocationResults",
            &[("InvokeRecordStatus", "Success")],
        )
        .unwrap();
        assert_eq!(none["Invocation"]["TotalCount"], 0);
    }
}
