//! DescribeCommands: the region's private commands, newest first, with their content in the
//! requested encoding and the custom parameters they define.

use serde_json::{json, Map, Value};

use super::encoding::ContentEncoding;
use super::filter::{matches, matches_wildcard};
use super::paging::PageSpec;
use super::{object, region, template, OpContext};
use crate::errors::ApiError;
use crate::model::Command;
use crate::params::Params;

pub fn handle(ctx: &mut OpContext, params: &Params) -> Result<Map<String, Value>, ApiError> {
    let region = region(ctx, params)?;
    let encoding = ContentEncoding::from_params(params);
    let page = PageSpec::read(params, 50, 10)?;
    let store = &ctx.state.store;
    // Only private commands exist here, so asking for a provider's public ones finds none.
    let public_only = params.non_empty("Provider").is_some();
    let selected: Vec<&Command> = store
        .commands(region)
        .filter(|c| {
            !public_only
                && matches(params, "CommandId", &c.command_id)
                && matches(params, "Type", c.command_type.as_str())
                && matches_wildcard(params, "Name", &c.name)
                && matches_wildcard(params, "Description", &c.description)
        })
        .collect();
    let page = page.apply(selected);
    let commands: Vec<Value> = page
        .items
        .iter()
        .map(|c| {
            let names = if c.enable_parameter {
                template::parameter_names(&c.command_content)
            } else {
                Vec::new()
            };
            let definitions: Vec<Value> = names
                .iter()
                .map(|name| {
                    json!({
                        "ParameterName": name,
                        "Description": "",
                        "DefaultValue": "",
                        "PatternRegex": "",
                        "Required": false,
                        "PossibleValues": { "PossibleValue": [] },
                    })
                })
                .collect();
            json!({
                "CommandId": c.command_id,
                "Name": c.name,
                "Type": c.command_type.as_str(),
                "Description": c.description,
                "CommandContent": encoding.encode(&c.command_content),
                "WorkingDir": c.working_dir,
                "Timeout": c.timeout,
                "EnableParameter": c.enable_parameter,
                "ParameterNames": { "ParameterName": names },
                "ParameterDefinitions": { "ParameterDefinition": definitions },
                "InvokeTimes": store.invoke_times(region, &c.command_id),
                "CreationTime": c.creation_time,
                "Category": "",
                "Provider": "",
                "Version": 1,
                "Latest": true,
                "Launcher": "",
                "ResourceGroupId": "",
                "Tags": { "Tag": [] },
            })
        })
        .collect();
    let mut body = page.fields();
    body.extend(object(json!({ "Commands": { "Command": commands } })));
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn lists_filters_and_encodes() {
        let mut s = state();
        let all = call(&mut s, at(0), "DescribeCommands", &[]).unwrap();
        assert_eq!(all["TotalCount"], 4);
        let deploy = call(
            &mut s,
            at(0),
            "DescribeCommands",
            &[("CommandId", DEPLOY), ("ContentEncoding", "PlainText")],
        )
        .unwrap();
        let c = &deploy["Commands"]["Command"][0];
        assert_eq!(c["CommandContent"], "echo deploying {{version}} to {{env}}");
        assert_eq!(
            c["ParameterNames"]["ParameterName"],
            serde_json::json!(["version", "env"])
        );
        assert_eq!(
            (c["EnableParameter"].as_bool(), c["Type"].as_str()),
            (Some(true), Some("RunShellScript"))
        );
        let by_name = call(&mut s, at(0), "DescribeCommands", &[("Name", "*-info")]).unwrap();
        assert_eq!(by_name["Commands"]["Command"][0]["CommandId"], POWERSHELL);
        let by_type = call(&mut s, at(0), "DescribeCommands", &[("Type", "RunShellScript")]).unwrap();
        assert_eq!(by_type["TotalCount"], 2);
        let public = call(&mut s, at(0), "DescribeCommands", &[("Provider", "AlibabaCloud")]).unwrap();
        assert_eq!(public["TotalCount"], 0);
        invoke(&mut s, at(0), &[("CommandId", UPTIME), ("InstanceId.1", LINUX)]).unwrap();
        let uptime = call(&mut s, at(0), "DescribeCommands", &[("CommandId", UPTIME)]).unwrap();
        assert_eq!(uptime["Commands"]["Command"][0]["InvokeTimes"], 1);
        assert_eq!(uptime["Commands"]["Command"][0]["CommandContent"], "dXB0aW1l");
    }
}
