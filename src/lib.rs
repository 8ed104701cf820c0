//! The `alicloud` provider: its configuration schema and its one resource,
//! `alicloud_ecs_command_invocation`, built on tfplug and the Alibaba Cloud client.

mod api_errors;
mod catalog;
mod completion;
mod config;
mod config_errors;
mod context;
mod credential_args;
mod ecs_command_invocation;
mod frequency_rule;
mod import_id;
mod invocation_state;
mod invoke;
mod invoke_rules;
mod ledger;
mod logs;
mod remote_rules;
mod results;
mod schedule_rule;
mod timeouts;
mod watcher;

use std::sync::Arc;

use async_trait::async_trait;

use tfplug::{Diagnostics, Provider, Resource, Schema, Value};

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
        vec![Arc::new(EcsCommandInvocation::new(self.context.clone()))]
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
