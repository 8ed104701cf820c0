//! Per-run caches of what plan-time rules read from the API: command definitions
//! (`DescribeCommands`, one call per distinct command however many resources use it) and
//! instances (`DescribeInstances`, batched by the ids a resource targets).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::OnceCell;

use crate::alicloud::{
    ClientError, Command, DescribeCommandsRequest, DescribeInstancesRequest, EcsClient, Instance,
};

/// `DescribeInstances` takes at most 100 ids per call.
const INSTANCES_PER_CALL: usize = 100;

type CommandSlot = Arc<OnceCell<Option<Command>>>;

#[derive(Default)]
pub struct Catalog {
    commands: Mutex<HashMap<(String, String), CommandSlot>>,
    /// `None` records an instance the API does not know.
    instances: Mutex<HashMap<(String, String), Option<Instance>>>,
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
        slot.get_or_try_init(|| async {
            let request = DescribeCommandsRequest {
                region_id: Some(region.to_string()),
                command_id: Some(command_id.to_string()),
                ..Default::default()
            };
            let found = client.describe_commands(&request).await?;
            Ok(found.commands.into_iter().find(|c| c.command_id == command_id))
        })
        .await
        .cloned()
    }

    /// The instances with these ids, in the same order; `None` for an id the API does not know.
    pub async fn instances(
        &self,
        client: &EcsClient,
        region: &str,
        ids: &[String],
    ) -> Result<Vec<Option<Instance>>, ClientError> {
        let missing: Vec<String> = {
            let known = self.instances.lock().unwrap_or_else(PoisonError::into_inner);
            let mut missing: Vec<String> = ids
                .iter()
                .filter(|id| !known.contains_key(&(region.to_string(), (*id).clone())))
                .cloned()
                .collect();
            missing.dedup();
            missing
        };
        for batch in missing.chunks(INSTANCES_PER_CALL) {
            let request = DescribeInstancesRequest {
                region_id: Some(region.to_string()),
                instance_ids: Some(batch.to_vec()),
                page_size: Some(100),
                ..Default::default()
            };
            let found = client.describe_instances(&request).await?;
            let mut known = self.instances.lock().unwrap_or_else(PoisonError::into_inner);
            for id in batch {
                let instance = found.instances.iter().find(|i| &i.instance_id == id).cloned();
                known.insert((region.to_string(), id.clone()), instance);
            }
        }
        let known = self.instances.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(ids
            .iter()
            .map(|id| known.get(&(region.to_string(), id.clone())).cloned().flatten())
            .collect())
    }
}
