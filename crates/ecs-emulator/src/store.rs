//! The emulator's state: instances and served regions (from fixtures, fixed for a run) and
//! the durable part (commands, invocations, ClientTokens, daily quota counters) that the
//! state file keeps across restarts. Every change bumps `version` so the server knows when
//! to write the file.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::fixtures::Fixtures;
use super::model::{Command, Instance, Invocation};
use super::progress::on_record;

/// Bumped when the state file's shape changes incompatibly (2: runs have start and run times).
pub const STATE_FORMAT: u32 = 2;

/// A ClientToken already answered: same action, region and token with the same parameters
/// gets the same result id; different parameters are a mismatch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClientToken {
    pub action: String,
    pub region_id: String,
    pub token: String,
    /// A digest of the request's API parameters (never the parameters themselves).
    pub fingerprint: String,
    pub result_id: String,
    pub created_ms: i64,
}

/// InvokeCommand calls counted against a region's quota on one UTC day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QuotaCount {
    pub region_id: String,
    pub day: String,
    pub count: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Durable {
    #[serde(default)]
    pub format: u32,
    pub commands: Vec<Command>,
    pub invocations: Vec<Invocation>,
    pub client_tokens: Vec<ClientToken>,
    pub quota: Vec<QuotaCount>,
}

#[derive(Debug)]
pub struct Store {
    regions: BTreeSet<String>,
    instances: Vec<Instance>,
    durable: Durable,
    version: u64,
}

impl Store {
    /// Fixtures give instances, regions and the initial commands; a loaded state file, when
    /// given, replaces those commands and brings back everything durable.
    pub fn new(fixtures: Fixtures, durable: Option<Durable>) -> Self {
        let Fixtures {
            regions,
            instances,
            commands,
        } = fixtures;
        let mut regions: BTreeSet<String> = regions.into_iter().collect();
        regions.extend(instances.iter().map(|i| i.region_id.clone()));
        regions.extend(commands.iter().map(|c| c.region_id.clone()));
        let durable = durable
            .unwrap_or(Durable {
                commands,
                ..Durable::default()
            })
            .with_format(STATE_FORMAT);
        Self {
            regions,
            instances,
            durable,
            version: 0,
        }
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn durable(&self) -> &Durable {
        &self.durable
    }

    pub fn regions(&self) -> impl Iterator<Item = &str> {
        self.regions.iter().map(String::as_str)
    }

    pub fn serves(&self, region: &str) -> bool {
        self.regions.contains(region)
    }

    pub fn instances<'a>(&'a self, region: &'a str) -> impl Iterator<Item = &'a Instance> + 'a {
        self.instances.iter().filter(move |i| i.region_id == region)
    }

    pub fn instance(&self, region: &str, id: &str) -> Option<&Instance> {
        self.instances
            .iter()
            .find(|i| i.region_id == region && i.instance_id == id)
    }

    /// Commands of a region, newest first.
    pub fn commands<'a>(&'a self, region: &'a str) -> impl Iterator<Item = &'a Command> + 'a {
        self.durable
            .commands
            .iter()
            .rev()
            .filter(move |c| c.region_id == region)
    }

    pub fn command(&self, region: &str, id: &str) -> Option<&Command> {
        self.durable
            .commands
            .iter()
            .find(|c| c.region_id == region && c.command_id == id)
    }

    /// The command to change in place (ModifyCommand); counts as a change of the store.
    pub fn command_mut(&mut self, region: &str, id: &str) -> Option<&mut Command> {
        let command = self
            .durable
            .commands
            .iter_mut()
            .find(|c| c.region_id == region && c.command_id == id);
        if command.is_some() {
            self.version += 1;
        }
        command
    }

    pub fn add_command(&mut self, command: Command) {
        self.version += 1;
        self.durable.commands.push(command);
    }

    pub fn remove_command(&mut self, region: &str, id: &str) -> bool {
        let before = self.durable.commands.len();
        self.durable
            .commands
            .retain(|c| !(c.region_id == region && c.command_id == id));
        let removed = self.durable.commands.len() != before;
        if removed {
            self.version += 1;
        }
        removed
    }

    /// How many invocations ever ran this command (DescribeCommands `InvokeTimes`).
    pub fn invoke_times(&self, region: &str, command_id: &str) -> usize {
        self.durable
            .invocations
            .iter()
            .filter(|i| i.region_id == region && i.command_id == command_id)
            .count()
    }

    /// Invocations of a region still on record (see `progress::on_record`), newest first.
    pub fn invocations<'a>(
        &'a self,
        region: &'a str,
        now_ms: i64,
        ttl_ms: i64,
    ) -> impl Iterator<Item = &'a Invocation> + 'a {
        self.durable
            .invocations
            .iter()
            .rev()
            .filter(move |i| i.region_id == region && on_record(i, now_ms, ttl_ms))
    }

    pub fn add_invocation(&mut self, invocation: Invocation) {
        self.version += 1;
        self.durable.invocations.push(invocation);
    }

    /// Any invocation by id, for changes; the caller checks visibility.
    pub fn invocation_mut(&mut self, region: &str, id: &str) -> Option<&mut Invocation> {
        let found = self
            .durable
            .invocations
            .iter_mut()
            .find(|i| i.region_id == region && i.invoke_id == id);
        if found.is_some() {
            self.version += 1;
        }
        found
    }

    /// Marks an invocation expired in whatever region it is; false if there is none.
    pub fn expire(&mut self, id: &str) -> bool {
        match self.durable.invocations.iter_mut().find(|i| i.invoke_id == id) {
            Some(invocation) => {
                invocation.expired = true;
                self.version += 1;
                true
            }
            None => false,
        }
    }

    pub fn client_token(&self, action: &str, region: &str, token: &str) -> Option<&ClientToken> {
        self.durable
            .client_tokens
            .iter()
            .find(|t| t.action == action && t.region_id == region && t.token == token)
    }

    pub fn remember_token(&mut self, token: ClientToken) {
        self.version += 1;
        self.durable.client_tokens.push(token);
    }

    pub fn quota_used(&self, region: &str, day: &str) -> u64 {
        self.durable
            .quota
            .iter()
            .find(|q| q.region_id == region && q.day == day)
            .map_or(0, |q| q.count)
    }

    /// Counts one call on `day`; counters of other days are dropped.
    pub fn count_quota(&mut self, region: &str, day: &str) {
        self.version += 1;
        self.durable.quota.retain(|q| q.day == day);
        match self.durable.quota.iter_mut().find(|q| q.region_id == region) {
            Some(counter) => counter.count += 1,
            None => self.durable.quota.push(QuotaCount {
                region_id: region.to_string(),
                day: day.to_string(),
                count: 1,
            }),
        }
    }
}

impl Durable {
    fn with_format(mut self, format: u32) -> Self {
        self.format = format;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::Fixtures;

    #[test]
    fn quota_counters_reset_per_day() {
        let mut store = Store::new(Fixtures::default_set(), None);
        store.count_quota("cn-hangzhou", "2024-05-01");
        store.count_quota("cn-hangzhou", "2024-05-01");
        assert_eq!(store.quota_used("cn-hangzhou", "2024-05-01"), 2);
        store.count_quota("cn-hangzhou", "2024-05-02");
        assert_eq!(store.quota_used("cn-hangzhou", "2024-05-01"), 0);
        assert_eq!(store.quota_used("cn-hangzhou", "2024-05-02"), 1);
        assert_eq!(store.version(), 3);
    }

    #[test]
    fn state_replaces_fixture_commands() {
        let fixtures = Fixtures::default_set();
        let store = Store::new(fixtures.clone(), None);
        assert!(store.commands("cn-hangzhou").count() >= 3);
        let store = Store::new(fixtures, Some(Durable::default()));
        assert_eq!(store.commands("cn-hangzhou").count(), 0);
        assert!(store.serves("cn-hangzhou") && !store.serves("us-west-1"));
    }
}
