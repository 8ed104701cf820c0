//! DescribeInstances: the region's instances with the fields clients look at (status, OS,
//! zone, VPC network), filtered by the usual parameters.

use serde_json::{json, Map, Value};

use super::filter::{matches, matches_wildcard};
use super::paging::PageSpec;
use super::{object, served_region, OpContext};
use crate::errors::ApiError;
use crate::model::Instance;
use crate::params::Params;

const MAX_IDS: usize = 100;

pub fn handle(ctx: &mut OpContext, params: &Params) -> Result<Map<String, Value>, ApiError> {
    let region = served_region(ctx, params, ApiError::RegionNotFound)?;
    let ids: Option<Vec<String>> = params
        .non_empty("InstanceIds")
        .map(|text| {
            serde_json::from_str::<Vec<String>>(text)
                .ok()
                .filter(|ids| ids.len() <= MAX_IDS)
                .ok_or(ApiError::InvalidParameter("InstanceIds"))
        })
        .transpose()?;
    let page = PageSpec::read(params, 100, 10)?;
    let selected: Vec<&Instance> = ctx
        .state
        .store
        .instances(region)
        .filter(|i| {
            ids.as_ref().is_none_or(|ids| ids.contains(&i.instance_id))
                && matches_wildcard(params, "InstanceName", &i.instance_name)
                && matches(params, "Status", &i.status)
                && matches(params, "ZoneId", &i.zone_id)
                && matches(params, "VpcId", &i.vpc_id)
                && matches(params, "VSwitchId", &i.v_switch_id)
                && matches(params, "InstanceType", &i.instance_type)
                && matches(params, "ImageId", &i.image_id)
                && matches(params, "InstanceNetworkType", "vpc")
        })
        .collect();
    let page = page.apply(selected);
    let instances: Vec<Value> = page.items.iter().map(|i| describe(i)).collect();
    let mut body = page.fields();
    body.extend(object(json!({ "Instances": { "Instance": instances } })));
    Ok(body)
}

fn describe(i: &Instance) -> Value {
    json!({
        "InstanceId": i.instance_id,
        "InstanceName": i.instance_name,
        "HostName": i.instance_name,
        "Description": "",
        "Status": i.status,
        "OSType": i.os_type.as_str(),
        "OSName": i.os_name,
        "OSNameEn": i.os_name,
        "ImageId": i.image_id,
        "RegionId": i.region_id,
        "ZoneId": i.zone_id,
        "InstanceType": i.instance_type,
        "InstanceTypeFamily": "ecs.g7",
        "Cpu": 2,
        "Memory": 8192,
        "InstanceNetworkType": "vpc",
        "VpcAttributes": {
            "VpcId": i.vpc_id,
            "VSwitchId": i.v_switch_id,
            "PrivateIpAddress": { "IpAddress": [i.private_ip_address] },
            "NatIpAddress": "",
        },
        "PublicIpAddress": { "IpAddress": [] },
        "InnerIpAddress": { "IpAddress": [] },
        "EipAddress": { "AllocationId": "", "IpAddress": "", "InternetChargeType": "" },
        "SecurityGroupIds": { "SecurityGroupId": ["sg-bp1emulator000001"] },
        "InstanceChargeType": "PostPaid",
        "InternetChargeType": "PayByTraffic",
        "InternetMaxBandwidthOut": 0,
        "CreationTime": i.creation_time,
        "StartTime": i.creation_time,
        "ExpiredTime": "2099-12-31T15:59Z",
        "StoppedMode": if i.status == "Stopped" { "KeepCharging" } else { "Not-applicable" },
        "IoOptimized": true,
        "DeletionProtection": false,
        "ResourceGroupId": "",
        "Tags": { "Tag": [] },
        "OperationLocks": { "LockReason": [] },
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::errors::ApiError;

    #[test]
    fn lists_and_filters() {
        let mut s = state();
        let all = call(&mut s, at(0), "DescribeInstances", &[("PageSize", "100")]).unwrap();
        assert_eq!(all["TotalCount"], 6);
        let first = &all["Instances"]["Instance"][0];
        assert_eq!(
            (first["InstanceId"].as_str(), first["OSType"].as_str()),
            (Some(LINUX), Some("linux"))
        );
        assert_eq!(
            (first["InstanceNetworkType"].as_str(), first["RegionId"].as_str()),
            (Some("vpc"), Some("cn-hangzhou"))
        );
        let ids = call(
            &mut s,
            at(0),
            "DescribeInstances",
            &[("InstanceIds", &format!(r#"["{WINDOWS}","{STOPPED}"]"#))],
        )
        .unwrap();
        assert_eq!(ids["TotalCount"], 2);
        let running = call(
            &mut s,
            at(0),
            "DescribeInstances",
            &[("Status", "Running"), ("InstanceName", "web-*")],
        )
        .unwrap();
        assert_eq!(running["TotalCount"], 2);
        let paged = call(&mut s, at(0), "DescribeInstances", &[("MaxResults", "4")]).unwrap();
        assert_eq!(paged["NextToken"], "emu-4");
    }

    #[test]
    fn errors() {
        let mut s = state();
        assert_eq!(
            call(&mut s, at(0), "DescribeInstances", &[("RegionId", "mars-1")]).unwrap_err(),
            ApiError::RegionNotFound
        );
        assert_eq!(
            call(&mut s, at(0), "DescribeInstances", &[("InstanceIds", "i-a,i-b")]).unwrap_err(),
            ApiError::InvalidParameter("InstanceIds")
        );
        assert_eq!(
            call(&mut s, at(0), "DescribeInstances", &[("PageSize", "101")]).unwrap_err(),
            ApiError::InvalidPaging("PageSize")
        );
    }
}
