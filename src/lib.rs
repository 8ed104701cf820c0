//! The `alicloud` provider: its configuration schema, the resources
//! `alicloud_ecs_command_invocation` and `alicloud_ecs_command`, the data source
//! `alicloud_ecs_command` and the action `alicloud_ecs_run_command`, built on tfplug and the
//! Alibaba Cloud client.
//!
//! Module map, a folder per resource or concern:
//!
//! | module | what it owns |
//! |---|---|
//! | [`provider`] | the provider block (credentials, retry settings), configuring the clients, the shared context |
//! | [`invocation`] | resource `alicloud_ecs_command_invocation`: rules, state, invoke, wait, results, verdicts, drift |
//! | [`command`] | resource and data source `alicloud_ecs_command`, and finding a command |
//! | [`run_command`] | action `alicloud_ecs_run_command` and its live progress |
//! | [`shared`] | what they all use: shared run arguments, the watcher and the one wait, paging, import ids (the region rule and ID prefixes), API errors, logs |

mod command;
mod invocation;
mod provider;
mod run_command;
mod shared;

use std::sync::Arc;

use async_trait::async_trait;

use tfplug::{AnyAction, AnyDataSource, AnyResource, Diagnostics, Provider, Schema, Value};

pub use invocation::resource::EcsCommandInvocation;
pub use provider::context::ProviderContext;

/// The provider. Cheap to build: nothing happens until Terraform configures it.
pub struct AlicloudProvider {
    context: provider::context::ContextCell,
}

impl AlicloudProvider {
    pub fn new() -> Self {
        AlicloudProvider {
            context: provider::context::ContextCell::default(),
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
        provider::config::schema()
    }

    fn resources(&self) -> Vec<Arc<dyn AnyResource>> {
        vec![
            Arc::new(EcsCommandInvocation::new(self.context.clone())),
            Arc::new(command::resource::EcsCommand::new(self.context.clone())),
        ]
    }

    fn data_sources(&self) -> Vec<Arc<dyn AnyDataSource>> {
        vec![Arc::new(command::data_source::EcsCommandData::new(
            self.context.clone(),
        ))]
    }

    fn actions(&self) -> Vec<Arc<dyn AnyAction>> {
        vec![Arc::new(run_command::action::EcsRunCommand::new(
            self.context.clone(),
        ))]
    }

    async fn configure(&self, _terraform_version: &str, config: &Value, diags: &mut Diagnostics) {
        if let Some(context) = provider::config::configure(config, self.context.cancellation(), diags) {
            self.context.set(context);
        }
    }

    fn stop(&self) {
        self.context.cancel();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The server refuses a model that does not fit its schema; this provider has none.
    #[test]
    fn every_model_fits_its_schema() {
        let provider = AlicloudProvider::new();
        for resource in provider.resources() {
            assert_eq!(resource.check_model(), Ok(()), "{}", resource.type_name());
        }
        for data_source in provider.data_sources() {
            assert_eq!(data_source.check_model(), Ok(()), "{}", data_source.type_name());
        }
        for action in provider.actions() {
            assert_eq!(action.check_model(), Ok(()), "{}", action.type_name());
        }
    }
}
