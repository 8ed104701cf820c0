//! Per-run caches of what plan-time rules read from the API: command definitions
//! (`DescribeCommands`, one call per distinct command however many resources use it, dropped
//! when this process changes the command) and
//! instances (`DescribeInstances`, batched by the ids a resource targets).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::OnceCell;

use alicloud_client::{
    ClientError, Command, ContentEncoding, DescribeInstancesRequest, EcsClient, Instance, PageRequest,
};

use crate::command::record;

/// `DescribeInstances` takes at most 100 ids per call.
const INSTANCES_PER_CALL: usize = 100;

type CommandSlot = Arc<OnceCell<Option<Command>>>;

#[derive(Default)]
pub struct Catalog {
    commands: Mutex<HashMap<(String, String), CommandSlot>>,
    /// `None` records an instance the API does not know.
    instances: Mutex<HashMap<(String, String), Option<Instance>>>,
    instance_fetch: tokio::sync::Mutex<()>,
}

impl Catalog {
    /// The command's definition, `None` when the region has no such command. Concurrent
    /// callers asking for the same command share one call; errors are not cached.
    pub async fn command(
        &self,
        client: &EcsClient,
        region: &str,
        command_id: &str,
    ) -> Result<Option<Command>, ClientError> {
        let slot = {
            let mut commands = self.commands.lock().unwrap_or_else(PoisonError::into_inner);
            commands
                .entry((region.to_string(), command_id.to_string()))
                .or_default()
                .clone()
        };
        slot.get_or_try_init(|| record::by_id(client, region, command_id, ContentEncoding::Base64))
            .await
            .cloned()
    }

    /// Drops what is known of a command this process just created, changed or deleted, so
    /// the next rule that needs it (an invocation in the same apply) reads it fresh.
    pub fn forget_command(&self, region: &str, command_id: &str) {
        let mut commands = self.commands.lock().unwrap_or_else(PoisonError::into_inner);
        commands.remove(&(region.to_string(), command_id.to_string()));
    }

    /// The instances with these ids, in the same order; `None` for an id the API does not know.
    /// Fetches are serialized, so resources planned in parallel share one call for the ids
    /// they have in common.
    pub async fn instances(
        &self,
        client: &EcsClient,
        region: &str,
        ids: &[String],
    ) -> Result<Vec<Option<Instance>>, ClientError> {
        let key = |id: &String| (region.to_string(), id.clone());
        let _fetching = self.instance_fetch.lock().await;
        let mut missing: Vec<String> = {
            let known = self.instances.lock().unwrap_or_else(PoisonError::into_inner);
            ids.iter()
                .filter(|id| !known.contains_key(&key(id)))
                .cloned()
                .collect()
        };
        missing.sort();
        missing.dedup();
        for batch in missing.chunks(INSTANCES_PER_CALL) {
            let request = DescribeInstancesRequest {
                region_id: Some(region.to_string()),
                instance_ids: Some(batch.to_vec()),
                page: PageRequest {
                    page_size: Some(INSTANCES_PER_CALL as u32),
                    ..Default::default()
                },
                ..Default::default()
            };
            let found = client.describe_instances(&request).await?;
            let mut known = self.instances.lock().unwrap_or_else(PoisonError::into_inner);
            for id in batch {
                let instance = found.instances.iter().find(|i| &i.instance_id == id).cloned();
                known.insert(key(id), instance);
            }
        }
        let known = self.instances.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(ids
            .iter()
            .map(|id| known.get(&key(id)).cloned().flatten())
            .collect())
    }
}
