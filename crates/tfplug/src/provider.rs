//! The traits a provider implements (actions: see `action`). The framework decodes, validates and plans from the
//! schema; these traits are left with only what needs the outside world.

use std::sync::Arc;

use async_trait::async_trait;

use super::action::AnyAction;
use super::diagnostics::{AttributePath, Diagnostics};
use super::identity::IdentitySchema;
use super::private::Private;
use super::schema::Schema;
use super::value::Value;

#[async_trait]
pub trait Provider: Send + Sync + 'static {
    fn schema(&self) -> Schema;

    fn resources(&self) -> Vec<Arc<dyn Resource>>;

    /// The data sources it offers; none unless it says so.
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        Vec::new()
    }

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
    /// Where the plan modifiers recorded the attributes whose change forces replacement; the
    /// hook adds any whose planned value it derives itself (ignored on create).
    pub requires_replace: &'a mut Vec<AttributePath>,
    /// The object's private state as refreshed (empty on create); what the hook leaves here is
    /// what apply gets.
    pub private: &'a mut Private,
}

#[async_trait]
pub trait Resource: Send + Sync + 'static {
    fn type_name(&self) -> &'static str;

    fn schema(&self) -> Schema;

    /// Rules that need remote data, run at plan time on the planned object (values unknown at
    /// plan time are checked again when the plan is re-made at apply).
    async fn plan(&self, _request: PlanRequest<'_>, _planned: &mut Value, _diags: &mut Diagnostics) {}

    /// Creates the object. On error a returned state is still saved (tainted), so an object
    /// that exists remotely is never lost. `private` holds what the plan left there (a
    /// replaced object's keys among it): the object's private state is what create leaves.
    async fn create(&self, planned: &Value, private: &mut Private, diags: &mut Diagnostics) -> Option<Value>;

    /// Refreshes the object and its private state; `None` means it is gone remotely.
    async fn read(&self, state: &Value, private: &mut Private, diags: &mut Diagnostics) -> Option<Value>;

    /// In-place update; `private` as planned. Resources whose every argument forces
    /// replacement never get here.
    async fn update(
        &self,
        _prior: &Value,
        _planned: &Value,
        _private: &mut Private,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
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

    /// The resource's identity (Terraform 1.12+). With `Some`, the framework reports the
    /// identity of every state it returns (read, plan, apply, import) and accepts
    /// `import { identity = {...} }`; older Terraform ignores it and imports by ID as before.
    fn identity(&self) -> Option<IdentitySchema> {
        None
    }

    /// Turns an import identity into a state object for `read` to complete. `seeded` holds the
    /// identity's values in an otherwise null object, which is all most resources need.
    async fn import_identity(
        &self,
        _identity: &Value,
        seeded: Value,
        _diags: &mut Diagnostics,
    ) -> Option<Value> {
        Some(seeded)
    }
}

/// A data source: reads one object from the outside world. Its schema's validators run in
/// `ValidateDataResourceConfig`; Terraform calls `read` once the configuration is known.
#[async_trait]
pub trait DataSource: Send + Sync + 'static {
    fn type_name(&self) -> &'static str;

    fn schema(&self) -> Schema;

    /// The object the configuration designates: the configuration with its computed
    /// attributes filled in. `None` with an error diagnostic when it cannot be read.
    async fn read(&self, config: &Value, diags: &mut Diagnostics) -> Option<Value>;
}
