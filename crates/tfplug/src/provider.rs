//! The traits a provider implements (actions: see `action`): the provider, and resources and
//! data sources typed by their model, each with the one adapter to the object-safe face on wire
//! values the server uses. The framework decodes, validates and plans from the schema; these
//! traits are left with only what needs the outside world.

use std::sync::Arc;

use async_trait::async_trait;

use super::action::AnyAction;
use super::diagnostics::{AttributePath, Diagnostics};
use super::engine::StateUpgrader;
use super::identity::IdentitySchema;
use super::import::{ImportIds, ImportedId};
use super::model::{check_model, Model};
use super::private::Private;
use super::schema::Schema;
use super::value::Value;

#[async_trait]
pub trait Provider: Send + Sync + 'static {
    fn schema(&self) -> Schema;

    fn resources(&self) -> Vec<Arc<dyn AnyResource>>;

    /// The data sources it offers; none unless it says so.
    fn data_sources(&self) -> Vec<Arc<dyn AnyDataSource>> {
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

/// What a resource's plan hook gets: the configuration and prior state as the resource's model
/// (`M`), or as wire values on the dynamic side. Static validators and plan modifiers have
/// already run.
pub struct PlanRequest<'a, M> {
    pub config: &'a M,
    /// `None` when the resource is being created.
    pub prior_state: Option<&'a M>,
    /// Where the plan modifiers recorded the attributes whose change forces replacement; the
    /// hook adds any whose planned value it derives itself (ignored on create).
    pub requires_replace: &'a mut Vec<AttributePath>,
    /// The object's private state as refreshed (empty on create); what the hook leaves here is
    /// what apply gets.
    pub private: &'a mut Private,
}

/// A managed resource, typed by its model (a `tfplug::model!` struct matching `schema`, checked
/// when the provider registers it). The framework reads every object into the model and
/// writes the model back, so the hooks see only typed values.
#[async_trait]
pub trait Resource: Send + Sync + 'static {
    type Model: Model + Send + Sync;

    /// The name configurations use (`alicloud_ecs_command`).
    const TYPE_NAME: &'static str;

    /// The schema; it needs no instance, so a sibling (a data source) can derive its own.
    fn schema() -> Schema;

    /// Rules that need remote data, run at plan time on the planned object (values unknown at
    /// plan time are checked again when the plan is re-made at apply).
    async fn plan(
        &self,
        _request: PlanRequest<'_, Self::Model>,
        _planned: &mut Self::Model,
        _diags: &mut Diagnostics,
    ) {
    }

    /// Creates the object. On error a returned state is still saved (tainted), so an object
    /// that exists remotely is never lost. `private` holds what the plan left there (a
    /// replaced object's keys among it): the object's private state is what create leaves.
    async fn create(
        &self,
        planned: Self::Model,
        private: &mut Private,
        diags: &mut Diagnostics,
    ) -> Option<Self::Model>;

    /// Refreshes the object and its private state; `None` means it is gone remotely.
    async fn read(
        &self,
        state: Self::Model,
        private: &mut Private,
        diags: &mut Diagnostics,
    ) -> Option<Self::Model>;

    /// In-place update; `private` as planned. Resources whose every argument forces
    /// replacement never get here.
    async fn update(
        &self,
        _prior: Self::Model,
        _planned: Self::Model,
        _private: &mut Private,
        diags: &mut Diagnostics,
    ) -> Option<Self::Model> {
        update_unsupported(Self::TYPE_NAME, diags)
    }

    async fn delete(&self, state: Self::Model, diags: &mut Diagnostics);

    /// How an import names the resource's objects: `ID` or `SCOPE:ID`, and on Terraform 1.12+
    /// the identity holding the two apart (the framework reports the identity of every state
    /// the resource returns). `None`, the default: it cannot be imported.
    fn import_ids(&self) -> Option<ImportIds> {
        None
    }

    /// The state an import of `id` (which passed the rules of `import_ids`) starts from, for
    /// `read` to complete; an otherwise null object unless the resource says more.
    fn imported(&self, _id: ImportedId) -> Self::Model {
        Self::Model::default()
    }

    /// How state written under an older schema version becomes the current one, one
    /// upgrader per version that needs more than decoding as is.
    fn state_upgraders(&self) -> Vec<StateUpgrader> {
        Vec::new()
    }
}

/// The object-safe face of every resource, on wire values, used by the server. Every typed
/// [`Resource`] has it through the one adapter below; a provider may also implement it
/// directly to work on raw values.
#[async_trait]
pub trait AnyResource: Send + Sync + 'static {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    /// Whether the resource's model fits its schema; run when the provider registers it.
    fn check_model(&self) -> Result<(), String> {
        Ok(())
    }
    async fn plan(&self, _request: PlanRequest<'_, Value>, _planned: &mut Value, _diags: &mut Diagnostics) {}
    async fn create(&self, planned: &Value, private: &mut Private, diags: &mut Diagnostics) -> Option<Value>;
    async fn read(&self, state: &Value, private: &mut Private, diags: &mut Diagnostics) -> Option<Value>;
    async fn update(
        &self,
        _prior: &Value,
        _planned: &Value,
        _private: &mut Private,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        update_unsupported(self.type_name(), diags)
    }
    async fn delete(&self, state: &Value, diags: &mut Diagnostics);
    async fn import(&self, id: &str, diags: &mut Diagnostics) -> Option<Value>;
    fn identity(&self) -> Option<IdentitySchema> {
        None
    }
    fn state_upgraders(&self) -> Vec<StateUpgrader> {
        Vec::new()
    }
    /// Asked only of a resource with an `identity`.
    async fn import_identity(&self, _identity: &Value, diags: &mut Diagnostics) -> Option<Value> {
        diags.error(
            "Resource identity not supported",
            format!(
                "{} cannot be imported by identity; import it by ID.",
                self.type_name()
            ),
        );
        None
    }
}

/// What a resource that cannot change in place answers an update with.
fn update_unsupported<T>(type_name: &str, diags: &mut Diagnostics) -> Option<T> {
    diags.error(
        "Update is not supported",
        format!("{type_name} cannot be changed in place; every argument forces replacement."),
    );
    None
}

#[async_trait]
impl<R: Resource> AnyResource for R {
    fn type_name(&self) -> &'static str {
        R::TYPE_NAME
    }

    fn schema(&self) -> Schema {
        R::schema()
    }

    fn check_model(&self) -> Result<(), String> {
        check_model::<R::Model>(&R::schema().block)
    }

    /// The planned value is written back only when the hook changed the model, so a plan the
    /// hook leaves alone reaches Terraform exactly as the framework made it.
    async fn plan(&self, request: PlanRequest<'_, Value>, planned: &mut Value, diags: &mut Diagnostics) {
        let prior = match request.prior_state {
            Some(prior) => match R::Model::read(prior, diags) {
                Some(prior) => Some(prior),
                None => return,
            },
            None => None,
        };
        let (Some(config), Some(mut model)) = (
            R::Model::read(request.config, diags),
            R::Model::read(planned, diags),
        ) else {
            return;
        };
        let before = model.to_value();
        let typed = PlanRequest {
            config: &config,
            prior_state: prior.as_ref(),
            requires_replace: request.requires_replace,
            private: request.private,
        };
        Resource::plan(self, typed, &mut model, diags).await;
        let after = model.to_value();
        if after != before {
            *planned = after;
        }
    }

    async fn create(&self, planned: &Value, private: &mut Private, diags: &mut Diagnostics) -> Option<Value> {
        let planned = R::Model::read(planned, diags)?;
        Some(Resource::create(self, planned, private, diags).await?.to_value())
    }

    async fn read(&self, state: &Value, private: &mut Private, diags: &mut Diagnostics) -> Option<Value> {
        let state = R::Model::read(state, diags)?;
        Some(Resource::read(self, state, private, diags).await?.to_value())
    }

    async fn update(
        &self,
        prior: &Value,
        planned: &Value,
        private: &mut Private,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        let (prior, planned) = (R::Model::read(prior, diags)?, R::Model::read(planned, diags)?);
        Some(
            Resource::update(self, prior, planned, private, diags)
                .await?
                .to_value(),
        )
    }

    async fn delete(&self, state: &Value, diags: &mut Diagnostics) {
        if let Some(state) = R::Model::read(state, diags) {
            Resource::delete(self, state, diags).await;
        }
    }

    async fn import(&self, id: &str, diags: &mut Diagnostics) -> Option<Value> {
        let Some(ids) = Resource::import_ids(self) else {
            diags.error(
                "Import not supported",
                format!("{} cannot be imported.", R::TYPE_NAME),
            );
            return None;
        };
        let id = ids
            .parse(id)
            .map_err(|error| diags.error("Invalid import ID", error.to_string()))
            .ok()?;
        Some(Resource::imported(self, id).to_value())
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Resource::import_ids(self).map(|ids| ids.identity())
    }

    fn state_upgraders(&self) -> Vec<StateUpgrader> {
        Resource::state_upgraders(self)
    }

    /// Only asked when the resource has an identity, so `import_ids` is there.
    async fn import_identity(&self, identity: &Value, diags: &mut Diagnostics) -> Option<Value> {
        let id = Resource::import_ids(self)?
            .parse_identity(identity)
            .map_err(|error| diags.error("Invalid import identity", error.to_string()))
            .ok()?;
        Some(Resource::imported(self, id).to_value())
    }
}

/// A data source, typed by its model: reads one object from the outside world. Its schema's
/// validators run in `ValidateDataResourceConfig`; Terraform calls `read` once the
/// configuration is known.
#[async_trait]
pub trait DataSource: Send + Sync + 'static {
    type Model: Model + Send + Sync;

    /// The name configurations use (`alicloud_ecs_command`).
    const TYPE_NAME: &'static str;

    /// The schema; it needs no instance, so a sibling (a data source) can derive its own.
    fn schema() -> Schema;

    /// The object the configuration designates: the configuration with its computed
    /// attributes filled in. `None` with an error diagnostic when it cannot be read.
    async fn read(&self, config: Self::Model, diags: &mut Diagnostics) -> Option<Self::Model>;
}

/// The object-safe face of every data source, on wire values, used by the server.
#[async_trait]
pub trait AnyDataSource: Send + Sync + 'static {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    /// Whether the data source's model fits its schema; run when the provider registers it.
    fn check_model(&self) -> Result<(), String> {
        Ok(())
    }
    async fn read(&self, config: &Value, diags: &mut Diagnostics) -> Option<Value>;
}

#[async_trait]
impl<D: DataSource> AnyDataSource for D {
    fn type_name(&self) -> &'static str {
        D::TYPE_NAME
    }

    fn schema(&self) -> Schema {
        D::schema()
    }

    fn check_model(&self) -> Result<(), String> {
        check_model::<D::Model>(&D::schema().block)
    }

    async fn read(&self, config: &Value, diags: &mut Diagnostics) -> Option<Value> {
        let config = D::Model::read(config, diags)?;
        Some(DataSource::read(self, config, diags).await?.to_value())
    }
}
