//! The `alicloud` provider: its configuration schema, the resources
//! `alicloud_ecs_command_invocation` and `alicloud_ecs_command`, the data source
//! `alicloud_ecs_command` and the action `alicloud_ecs_run_command`, built on tfplug and the
//! Alibaba Cloud client.

mod api_errors;
mod catalog;
mod command_record;
mod command_rules;
mod completion;
mod config;
mod config_errors;
mod context;
mod credential_args;
mod data_ecs_command;
mod ecs_command;
mod ecs_command_invocation;
mod ecs_run_command;
mod frequency_rule;
mod import_id;
mod invocation_state;
mod invoke;
mod invoke_rules;
mod ledger;
mod logs;
mod periodic_drift;
mod remote_rules;
mod results;
mod run_progress;
mod schedule_rule;
mod timeouts;
mod verdict;
mod watcher;

use std::sync::Arc;

use async_trait::async_trait;

use tfplug::{AnyAction, DataSource, Diagnostics, Provider, Resource, Schema, Value};

pub use context::ProviderContext;
pub use ecs_command_invocation::EcsCommandInvocation;

/// The provider. Cheap to build: nothing happens until Terraform configures it.
pub struct AlicloudProvider {
    context: context::ContextCell,
}

impl AlicloudProvider {
    pub fn new() -> Self {
        AlicloudProvider {
            context: context::ContextCell::default(),
        }
    }
}

impl Default for AlicloudProvider {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait]
impl Provider for AlicloudProvider {
    fn schema(&self) -> Schema {
        config::schema()
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![
            Arc::new(EcsCommandInvocation::new(self.context.clone())),
            Arc::new(ecs_command::EcsCommand::new(self.context.clone())),
        ]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![Arc::new(data_ecs_command::EcsCommandData::new(
            self.context.clone(),
        ))]
    }

    fn actions(&self) -> Vec<Arc<dyn AnyAction>> {
        vec![Arc::new(ecs_run_command::EcsRunCommand::new(
            self.context.clone(),
        ))]
    }

    async fn configure(&self, _terraform_version: &str, config: &Value, diags: &mut Diagnostics) {
        if let Some(context) = config::configure(config, self.context.cancellation(), diags) {
            self.context.set(context);
        }
    }

    fn stop(&self) {
        self.context.cancel();
    }
}
