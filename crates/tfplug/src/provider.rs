//! The traits a provider implements (actions: see `action`). The framework decodes, validates and plans from the
//! schema; these traits are left with only what needs the outside world.

use std::sync::Arc;

use async_trait::async_trait;

use super::action::AnyAction;
use super::diagnostics::Diagnostics;
use super::schema::Schema;
use super::value::Value;

#[async_trait]
pub trait Provider: Send + Sync + 'static {
    fn schema(&self) -> Schema;

    fn resources(&self) -> Vec<Arc<dyn Resource>>;

    /// Actions (Terraform 1.14+); older Terraform never asks for them.
    fn actions(&self) -> Vec<Arc<dyn AnyAction>> {
        Vec::new()
    }

    /// Called once per process with the evaluated provider block (it may hold unknowns during
    /// plan). Static rules live in the schema and have already run.
    async fn configure(&self, terraform_version: &str, config: &Value, diags: &mut Diagnostics);

    /// Terraform asked to stop (Ctrl-C): cancel waits and in-flight calls promptly.
    fn stop(&self) {}
}

/// What a resource's plan hook gets. Static validators and plan modifiers have already run.
pub struct PlanRequest<'a> {
    pub config: &'a Value,
    /// `None` when the resource is being created.
    pub prior_state: Option<&'a Value>,
}

#[async_trait]
pub trait Resource: Send + Sync + 'static {
    fn type_name(&self) -> &'static str;

    fn schema(&self) -> Schema;

    /// Rules that need remote data, run at plan time on the planned object (values unknown at
    /// plan time are checked again when the plan is re-made at apply).
    async fn plan(&self, _request: PlanRequest<'_>, _planned: &mut Value, _diags: &mut Diagnostics) {}

    /// Creates the object. On error a returned state is still saved (tainted), so an object
    /// that exists remotely is never lost.
    async fn create(&self, planned: &Value, diags: &mut Diagnostics) -> Option<Value>;

    /// Refreshes the object; `None` means it is gone remotely.
    async fn read(&self, state: &Value, diags: &mut Diagnostics) -> Option<Value>;

    /// In-place update. Resources whose every argument forces replacement never get here.
    async fn update(&self, _prior: &Value, _planned: &Value, diags: &mut Diagnostics) -> Option<Value> {
        diags.error(
            "Update is not supported",
            format!(
                "{} cannot be changed in place; every argument forces replacement.",
                self.type_name()
            ),
        );
        None
    }

    async fn delete(&self, state: &Value, diags: &mut Diagnostics);

    /// Turns an import ID into a state object for `read` to complete.
    async fn import(&self, id: &str, diags: &mut Diagnostics) -> Option<Value>;
}
