//! The resource's object in typed form, and its translation to and from the API: the planned
//! object becomes an `InvokeCommand` request; a `DescribeInvocations` record becomes state.

use std::collections::BTreeMap;

use alicloud_client::{Invocation, InvokeCommandRequest};
use tfplug::Value;

/// The arguments of an invocation, read from a wholly known object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvocationArgs {
    pub command_id: String,
    pub instance_ids: Vec<String>,
    pub region_id: String,
    pub timed: bool,
    pub frequency: Option<String>,
    pub parameters: Option<BTreeMap<String, String>>,
    pub username: Option<String>,
    pub windows_password_name: Option<String>,
}

impl InvocationArgs {
    /// Reads the arguments; `None` when any of them is still unknown.
    pub fn from_object(object: &Value, default_region: &str) -> Option<InvocationArgs> {
        let text = |name: &str| -> Option<Option<String>> {
            match object.attr(name) {
                Some(v) if v.is_unknown() => None,
                Some(v) => Some(v.as_str().map(str::to_string)),
                None => Some(None),
            }
        };
        let instance_ids = object.attr("instance_ids")?;
        if !instance_ids.is_wholly_known() {
            return None;
        }
        let parameters = match object.attr("parameters") {
            Some(v) if !v.is_wholly_known() => return None,
            Some(v) => v.as_entries().map(string_map),
            None => None,
        };
        let timed = match object.attr("timed") {
            Some(v) if v.is_unknown() => return None,
            Some(v) => v.as_bool().unwrap_or(false),
            None => false,
        };
        Some(InvocationArgs {
            command_id: text("command_id")??,
            instance_ids: instance_ids
                .as_elements()
                .unwrap_or_default()
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            region_id: text("region_id")?.unwrap_or_else(|| default_region.to_string()),
            timed,
            frequency: text("frequency")?,
            parameters,
            username: text("username")?,
            windows_password_name: text("windows_password_name")?,
        })
    }

    /// The `InvokeCommand` request for these arguments. The client adds the `ClientToken`.
    pub fn invoke_request(&self) -> InvokeCommandRequest {
        InvokeCommandRequest {
            region_id: Some(self.region_id.clone()),
            command_id: self.command_id.clone(),
            instance_ids: self.instance_ids.clone(),
            timed: Some(self.timed),
            frequency: self.frequency.clone(),
            parameters: self.parameters.clone(),
            username: self.username.clone(),
            windows_password_name: self.windows_password_name.clone(),
            ..Default::default()
        }
    }
}

impl InvocationArgs {
    /// Whether `record` is an invocation of exactly these arguments (the API does not echo
    /// `WindowsPasswordName`, so that one is not compared).
    pub fn describes(&self, record: &Invocation) -> bool {
        let local_ids: Vec<&str> = self.instance_ids.iter().map(String::as_str).collect();
        let user_matches = match &self.username {
            Some(user) => *user == record.username,
            None => names_default_user(record),
        };
        let local_parameters = self.parameters.clone().filter(|map| !map.is_empty());
        record.command_id == self.command_id
            && same_members(&local_ids, &record_instance_ids(record))
            && record.timed == self.timed
            && record.frequency == self.frequency.clone().unwrap_or_default()
            && user_matches
            && parse_parameters(record.parameters.expose()) == local_parameters
    }
}

/// Who runs a command when `Username` is not given: root on Linux, System on Windows.
const DEFAULT_USERS: [&str; 2] = ["root", "System"];

/// Brings `state` up to date with the API's record. Arguments keep the state's spelling when
/// the record says the same thing (instance order, an empty parameter map), so a refresh
/// right after apply plans no change; what the record says differently wins.
pub fn apply_record(state: &mut Value, record: &Invocation) {
    state.set_attr("command_id", Value::string(&record.command_id));
    state.set_attr("invocation_status", Value::string(&record.invocation_status));
    state.set_attr("timed", Value::Bool(record.timed));
    let frequency = (!record.frequency.is_empty()).then(|| Value::string(&record.frequency));
    state.set_attr("frequency", Value::from(frequency));
    // The record names the default user (root, System) when none was given: that is what a
    // null `username` means, so it stays null.
    let configured_user = state.attr("username").is_some_and(|v| !v.is_null());
    if configured_user || !names_default_user(record) {
        let username = (!record.username.is_empty()).then(|| Value::string(&record.username));
        state.set_attr("username", Value::from(username));
    }

    let remote_ids = record_instance_ids(record);
    let local_ids: Vec<&str> = state
        .attr("instance_ids")
        .and_then(Value::as_elements)
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if !same_members(&local_ids, &remote_ids) && !remote_ids.is_empty() {
        state.set_attr(
            "instance_ids",
            Value::List(remote_ids.iter().map(|id| Value::string(*id)).collect()),
        );
    }

    // An empty configured map and "no parameters" are the same thing to the API.
    let remote_parameters = parse_parameters(record.parameters.expose());
    let local_parameters: Option<BTreeMap<String, String>> = state
        .attr("parameters")
        .and_then(Value::as_entries)
        .filter(|entries| !entries.is_empty())
        .map(string_map);
    if local_parameters != remote_parameters {
        let value = remote_parameters.map_or(Value::Null, |map| {
            Value::Map(map.into_iter().map(|(k, v)| (k, Value::String(v))).collect())
        });
        state.set_attr("parameters", value);
    }
}

/// The API spells "no parameters" as `{}` or an empty string.
fn parse_parameters(json: &str) -> Option<BTreeMap<String, String>> {
    let map: BTreeMap<String, serde_json::Value> = serde_json::from_str(json).ok()?;
    if map.is_empty() {
        return None;
    }
    Some(
        map.into_iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => (k, s),
                other => (k, other.to_string()),
            })
            .collect(),
    )
}

fn same_members(a: &[&str], b: &[&str]) -> bool {
    let (mut a, mut b) = (a.to_vec(), b.to_vec());
    a.sort_unstable();
    b.sort_unstable();
    a == b
}

/// Whether the record's user is the one Cloud Assistant picks when `Username` is not given.
fn names_default_user(record: &Invocation) -> bool {
    record.username.is_empty() || DEFAULT_USERS.contains(&record.username.as_str())
}

fn record_instance_ids(record: &Invocation) -> Vec<&str> {
    record
        .invoke_instances
        .iter()
        .map(|i| i.instance_id.as_str())
        .collect()
}

/// A map value of strings as the API takes it (a null value counts as empty).
fn string_map(entries: &BTreeMap<String, Value>) -> BTreeMap<String, String> {
    entries
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alicloud_client::{InvokeInstance, SecretString};

    fn args() -> InvocationArgs {
        InvocationArgs {
            command_id: "c-1".into(),
            instance_ids: vec!["i-a".into(), "i-b".into()],
            region_id: "cn-hangzhou".into(),
            timed: false,
            frequency: None,
            parameters: Some(BTreeMap::from([("v".to_string(), "7".to_string())])),
            username: None,
            windows_password_name: None,
        }
    }

    fn record() -> Invocation {
        Invocation {
            invoke_id: "t-1".into(),
            command_id: "c-1".into(),
            parameters: SecretString::new(r#"{"v":"7"}"#.to_string()),
            username: "root".into(),
            invoke_instances: ["i-b", "i-a"]
                .iter()
                .map(|id| InvokeInstance {
                    instance_id: id.to_string(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn a_record_of_the_same_arguments_is_recognised() {
        assert!(args().describes(&record()));
        let no_parameters = InvocationArgs {
            parameters: Some(BTreeMap::new()),
            ..args()
        };
        let empty = Invocation {
            parameters: SecretString::new("{}".to_string()),
            ..record()
        };
        assert!(no_parameters.describes(&empty));
    }

    #[test]
    fn any_difference_is_another_invocation() {
        let other_value = Invocation {
            parameters: SecretString::new(r#"{"v":"8"}"#.to_string()),
            ..record()
        };
        assert!(!args().describes(&other_value));
        let other_command = Invocation {
            command_id: "c-2".into(),
            ..record()
        };
        assert!(!args().describes(&other_command));
        let fewer = Invocation {
            invoke_instances: record().invoke_instances.into_iter().take(1).collect(),
            ..record()
        };
        assert!(!args().describes(&fewer));
        let timed = Invocation {
            timed: true,
            frequency: "rate(5m)".into(),
            ..record()
        };
        assert!(!args().describes(&timed));
        let named_user = InvocationArgs {
            username: Some("deploy".into()),
            ..args()
        };
        assert!(!named_user.describes(&record()));
    }
}
