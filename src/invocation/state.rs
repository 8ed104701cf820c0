//! The resource's object in typed form, and its translation to and from the API: the planned
//! object becomes an `InvokeCommand` request; a `DescribeInvocations` record becomes state.

use std::collections::BTreeMap;

use alicloud_client::{Invocation, InvokeCommandRequest, RepeatMode, Reported};
use tfplug::Attr;

use crate::invocation::resource::InvocationModel;
use crate::invocation::results::results;
use crate::shared::api_text;

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
    pub repeat_mode: Option<String>,
    pub timeout: Option<u64>,
    pub working_dir: Option<String>,
    pub termination_mode: Option<String>,
    pub container_id: Option<String>,
    pub container_name: Option<String>,
    pub tags: BTreeMap<String, String>,
}

impl InvocationArgs {
    /// Reads the arguments; `None` while any of them is unknown.
    pub fn from_model(model: &InvocationModel, default_region: &str) -> Option<InvocationArgs> {
        let text = |attr: &Attr<String>| attr.resolved().map(|v| v.cloned());
        let mut instance_ids = Vec::new();
        for id in model.instance_ids.resolved()?.into_iter().flatten() {
            instance_ids.extend(id.resolved()?.cloned());
        }
        // `parameters_wo` (in the object only at plan and apply) is sent the same way.
        let parameters = match known_map(&model.parameters)? {
            Some(parameters) => Some(parameters),
            None => known_map(&model.parameters_wo)?,
        };
        Some(InvocationArgs {
            command_id: text(&model.command_id)??,
            instance_ids,
            region_id: text(&model.region_id)?.unwrap_or_else(|| default_region.to_string()),
            timed: model.timed.resolved()?.copied().unwrap_or(false),
            frequency: text(&model.frequency)?,
            parameters,
            username: text(&model.username)?,
            windows_password_name: text(&model.windows_password_name)?,
            repeat_mode: text(&model.repeat_mode)?,
            // Computed: unknown when left out, which is the command's own.
            timeout: model.timeout.get().and_then(|t| u64::try_from(*t).ok()),
            working_dir: model.working_dir.get().cloned(),
            termination_mode: text(&model.termination_mode)?,
            container_id: text(&model.container_id)?,
            container_name: text(&model.container_name)?,
            tags: model.tags.resolved()?.cloned().unwrap_or_default(),
        })
    }

    /// Whether the invocation runs more than once (on a schedule or on reboots): waiting ends
    /// once it is scheduled.
    pub fn is_periodic(&self) -> bool {
        self.timed
            || self
                .repeat_mode
                .as_deref()
                .is_some_and(|mode| mode.parse() != Ok(RepeatMode::Once))
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
            repeat_mode: self.repeat_mode.clone(),
            timeout: self.timeout,
            working_dir: self.working_dir.clone(),
            termination_mode: self.termination_mode.clone(),
            container_id: self.container_id.clone(),
            container_name: self.container_name.clone(),
            tags: self.tags.clone(),
            client_token: None,
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
            && runs_on_frequency(record) == self.timed
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
pub fn apply_record(state: &mut InvocationModel, record: &Invocation) {
    let imported = state.command_id.is_null();
    state.command_id = Attr::known(record.command_id.as_str());
    state.invocation_status = Attr::known(record.invocation_status.as_str());
    state.timed = Attr::Known(runs_on_frequency(record));
    state.frequency = api_text::attr(&record.frequency);
    // What the record leaves empty was not given (or is not echoed): state keeps its own.
    for (attr, echoed) in [
        (&mut state.repeat_mode, record.repeat_mode.as_str()),
        (&mut state.termination_mode, record.termination_mode.as_str()),
        (&mut state.container_id, record.container_id.as_str()),
        (&mut state.container_name, record.container_name.as_str()),
    ] {
        if !echoed.is_empty() {
            *attr = Attr::known(echoed);
        }
    }
    let tags: BTreeMap<String, String> = record
        .tags
        .iter()
        .map(|tag| (tag.tag_key.clone(), tag.tag_value.clone()))
        .collect();
    if !tags.is_empty() {
        state.tags = Attr::Known(tags);
    }
    read_run_settings(state, Some(record));
    // Parameters state does not hold were sent write-only: a command echoing them must not
    // bring them into state through its output.
    let hidden = if state.parameters.is_null() && !imported {
        parse_parameters(record.parameters.expose()).unwrap_or_default()
    } else {
        BTreeMap::new()
    };
    state.results = Attr::Known(results(record, &hidden));
    // The record names the default user (root, System) when none was given: that is what a
    // null `username` means, so it stays null.
    if !state.username.is_null() || !names_default_user(record) {
        state.username = api_text::attr(&record.username);
    }

    let remote_ids = record_instance_ids(record);
    let local_ids: Vec<&str> = state
        .instance_ids
        .get()
        .map(|ids| ids.iter().filter_map(Attr::as_deref).collect())
        .unwrap_or_default();
    if !same_members(&local_ids, &remote_ids) && !remote_ids.is_empty() {
        state.instance_ids = Attr::Known(remote_ids.iter().map(|id| Attr::known(*id)).collect());
    }

    // Values sent as `parameters_wo` come back in the record: state never learns them. A
    // state without `parameters` keeps none, except when importing, where nothing else says
    // what the invocation ran with.
    if state.parameters.is_null() && !imported {
        return;
    }
    // An empty configured map and "no parameters" are the same thing to the API.
    let remote_parameters = parse_parameters(record.parameters.expose());
    let local_parameters = state
        .parameters
        .get()
        .filter(|entries| !entries.is_empty())
        .map(string_map);
    if local_parameters != remote_parameters {
        state.parameters = Attr::from_option(
            remote_parameters.map(|map| map.into_iter().map(|(k, v)| (k, Attr::Known(v))).collect()),
        );
    }
}

/// `timeout` and `working_dir` left out are the command's own, which the record holds; with
/// no record to read they stay unset (the next refresh reads them). A run in a container
/// takes no `WorkingDir` (the API refuses one), so the directory echoed for it is not read.
pub fn read_run_settings(state: &mut InvocationModel, record: Option<&Invocation>) {
    if let Some(timeout) = record.and_then(|r| r.timeout) {
        state.timeout = Attr::Known(timeout);
    }
    let on_host = |r: &&Invocation| r.container_id.is_empty() && r.container_name.is_empty();
    if let Some(dir) = record
        .filter(on_host)
        .map(|r| r.working_dir.as_str())
        .filter(|dir| !dir.is_empty())
    {
        state.working_dir = Attr::known(dir);
    }
    if state.timeout.is_unknown() {
        state.timeout = Attr::Null;
    }
    if state.working_dir.is_unknown() {
        state.working_dir = Attr::Null;
    }
}

/// Whether the record runs on a schedule (`timed`, the `Period` mode). The API's `Timed` is
/// true for the reboot modes too (they stay scheduled until stopped), which `timed = false`
/// configures; a record without `RepeatMode` has only `Timed` to say.
fn runs_on_frequency(record: &Invocation) -> bool {
    match &record.repeat_mode {
        Reported::Unknown(mode) if mode.is_empty() => record.timed,
        mode => *mode == RepeatMode::Period,
    }
}

/// A map of strings once wholly known: `Some(None)` for null, `None` while anything is unknown.
fn known_map(attr: &Attr<BTreeMap<String, Attr<String>>>) -> Option<Option<BTreeMap<String, String>>> {
    match attr.resolved()? {
        None => Some(None),
        Some(entries) => entries
            .iter()
            .map(|(k, v)| Some((k.clone(), v.resolved()?.cloned().unwrap_or_default())))
            .collect::<Option<BTreeMap<_, _>>>()
            .map(Some),
    }
}

/// The API spells "no parameters" as `{}` or an empty string.
pub fn parse_parameters(json: &str) -> Option<BTreeMap<String, String>> {
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

/// A map of strings as the API takes it (a null value counts as empty).
fn string_map(entries: &BTreeMap<String, Attr<String>>) -> BTreeMap<String, String> {
    entries
        .iter()
        .map(|(k, v)| (k.clone(), v.as_deref().unwrap_or_default().to_string()))
        .collect()
}

#[cfg(test)]
impl InvocationArgs {
    /// A one-shot run of `c-1` on `i-a` with no options, for tests to vary.
    pub fn example() -> Self {
        InvocationArgs {
            command_id: "c-1".into(),
            instance_ids: vec!["i-a".into()],
            region_id: "cn-hangzhou".into(),
            timed: false,
            frequency: None,
            parameters: None,
            username: None,
            windows_password_name: None,
            repeat_mode: None,
            timeout: None,
            working_dir: None,
            termination_mode: None,
            container_id: None,
            container_name: None,
            tags: BTreeMap::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alicloud_client::{InvokeInstance, SecretString};

    fn args() -> InvocationArgs {
        InvocationArgs {
            instance_ids: vec!["i-a".into(), "i-b".into()],
            parameters: Some(BTreeMap::from([("v".to_string(), "7".to_string())])),
            ..InvocationArgs::example()
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

    fn written_with_parameters_wo() -> InvocationModel {
        let secret = BTreeMap::from([("v".to_string(), Attr::known("7"))]);
        InvocationModel {
            command_id: Attr::known("c-1"),
            instance_ids: Attr::Known(vec![Attr::known("i-a"), Attr::known("i-b")]),
            parameters_wo: Attr::Known(secret),
            ..Default::default()
        }
    }

    #[test]
    fn write_only_parameters_are_sent_and_matched_but_never_read_back() {
        let model = written_with_parameters_wo();
        let sent = InvocationArgs::from_model(&model, "cn-hangzhou").unwrap();
        assert_eq!(sent.parameters, args().parameters);
        assert_eq!(sent.invoke_request().parameters, args().parameters);
        // The unknown-outcome search has the values at apply: it matches on them too.
        assert!(sent.describes(&record()));

        let mut state = InvocationModel {
            parameters_wo: Attr::Null,
            ..model
        };
        apply_record(&mut state, &record());
        assert!(state.parameters.is_null() && state.parameters_wo.is_null());

        let mut imported = InvocationModel::default();
        apply_record(&mut imported, &record());
        assert!(imported.parameters.get().is_some_and(|p| p.contains_key("v")));
    }

    #[test]
    fn a_reboot_mode_is_not_timed_and_every_echoed_argument_is_read_back() {
        let every_reboot = Invocation {
            timed: true,
            repeat_mode: "EveryReboot".into(),
            timeout: Some(120),
            working_dir: "/srv".into(),
            termination_mode: "ProcessTree".into(),
            tags: vec![alicloud_client::Tag {
                tag_key: "team".into(),
                tag_value: "ops".into(),
            }],
            ..record()
        };
        let reboots = InvocationArgs {
            repeat_mode: Some("EveryReboot".into()),
            ..args()
        };
        assert!(reboots.describes(&every_reboot));

        let mut imported = InvocationModel::default();
        apply_record(&mut imported, &every_reboot);
        assert_eq!(imported.timed, Attr::Known(false));
        assert_eq!(imported.repeat_mode, Attr::known("EveryReboot"));
        assert_eq!(imported.timeout, Attr::Known(120));
        assert_eq!(imported.working_dir, Attr::known("/srv"));
        assert_eq!(imported.termination_mode, Attr::known("ProcessTree"));
        assert_eq!(
            imported.tags,
            Attr::Known(BTreeMap::from([("team".to_string(), "ops".to_string())]))
        );
        // A record without RepeatMode has only Timed to say.
        let period = Invocation {
            timed: true,
            ..record()
        };
        apply_record(&mut imported, &period);
        assert_eq!(imported.timed, Attr::Known(true));
    }

    #[test]
    fn a_container_run_records_no_working_dir_and_no_record_leaves_none_unknown() {
        let in_container = Invocation {
            container_name: "web".into(),
            working_dir: "/root".into(),
            ..record()
        };
        let mut state = InvocationModel {
            timeout: Attr::Unknown,
            working_dir: Attr::Unknown,
            ..Default::default()
        };
        read_run_settings(&mut state, Some(&in_container));
        assert_eq!(state.working_dir, Attr::Null);
        let mut unread = InvocationModel {
            timeout: Attr::Unknown,
            working_dir: Attr::Unknown,
            ..Default::default()
        };
        read_run_settings(&mut unread, None);
        assert_eq!((unread.timeout, unread.working_dir), (Attr::Null, Attr::Null));
    }
}
