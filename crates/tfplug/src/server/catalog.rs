//! What the provider offers, gathered once on first use (not at startup): its schema, its
//! resources, data sources and actions by type name, each with its schema and the object type
//! values use, and a resource's identity schema if it has one.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::action::AnyAction;
use crate::diagnostics::Diagnostics;
use crate::identity::IdentitySchema;
use crate::provider::{AnyDataSource, AnyResource, Provider};
use crate::schema::Schema;
use crate::types::Type;

pub struct ResourceEntry {
    pub resource: Arc<dyn AnyResource>,
    pub schema: Schema,
    pub ty: Type,
    /// The identity schema and its object type, for resources that have one.
    pub identity: Option<(IdentitySchema, Type)>,
}

pub struct DataSourceEntry {
    pub data_source: Arc<dyn AnyDataSource>,
    pub schema: Schema,
    pub ty: Type,
}

pub struct ActionEntry {
    pub action: Arc<dyn AnyAction>,
    pub schema: Schema,
    pub ty: Type,
}

pub struct Catalog {
    pub provider_schema: Schema,
    pub provider_type: Type,
    pub resources: BTreeMap<String, ResourceEntry>,
    pub data_sources: BTreeMap<String, DataSourceEntry>,
    pub actions: BTreeMap<String, ActionEntry>,
    /// Each registered model that does not fit its schema, with why: a bug in the provider,
    /// reported by `GetProviderSchema` before anything runs.
    pub model_errors: Vec<(String, String)>,
}

impl Catalog {
    pub fn new(provider: &dyn Provider) -> Catalog {
        let provider_schema = provider.schema();
        let provider_type = provider_schema.block.implied_type();
        let mut model_errors = Vec::new();
        let mut check = |name: &str, checked: Result<(), String>| {
            if let Err(problems) = checked {
                model_errors.push((name.to_string(), problems));
            }
        };
        let resources = provider
            .resources()
            .into_iter()
            .map(|resource| {
                check(resource.type_name(), resource.check_model());
                let schema = resource.schema();
                let ty = schema.block.implied_type();
                let identity = resource.identity().map(|identity| {
                    let ty = identity.implied_type();
                    (identity, ty)
                });
                let entry = ResourceEntry {
                    resource,
                    schema,
                    ty,
                    identity,
                };
                (entry.resource.type_name().to_string(), entry)
            })
            .collect();
        let data_sources = provider
            .data_sources()
            .into_iter()
            .map(|data_source| {
                check(data_source.type_name(), data_source.check_model());
                let schema = data_source.schema();
                let ty = schema.block.implied_type();
                let entry = DataSourceEntry {
                    data_source,
                    schema,
                    ty,
                };
                (entry.data_source.type_name().to_string(), entry)
            })
            .collect();
        let actions = provider
            .actions()
            .into_iter()
            .map(|action| {
                check(action.type_name(), action.check_model());
                let schema = action.schema();
                let ty = schema.block.implied_type();
                let entry = ActionEntry { action, schema, ty };
                (entry.action.type_name().to_string(), entry)
            })
            .collect();
        Catalog {
            provider_schema,
            provider_type,
            resources,
            data_sources,
            actions,
            model_errors,
        }
    }

    /// The resource named `type_name`, or an error diagnostic saying it does not exist.
    pub fn resource(&self, type_name: &str, diags: &mut Diagnostics) -> Option<&ResourceEntry> {
        let entry = self.resources.get(type_name);
        if entry.is_none() {
            diags.error(
                "Unsupported resource type",
                format!("This provider has no resource type named \"{type_name}\"."),
            );
        }
        entry
    }

    /// The action named `type_name`, or an error diagnostic saying it does not exist.
    pub fn action(&self, type_name: &str, diags: &mut Diagnostics) -> Option<&ActionEntry> {
        let entry = self.actions.get(type_name);
        if entry.is_none() {
            diags.error(
                "Unsupported action",
                format!("This provider has no action named \"{type_name}\"."),
            );
        }
        entry
    }
}

impl Catalog {
    /// The data source named `type_name`, or an error diagnostic saying it does not exist.
    pub fn data_source(&self, type_name: &str, diags: &mut Diagnostics) -> Option<&DataSourceEntry> {
        let entry = self.data_sources.get(type_name);
        if entry.is_none() {
            diags.error(
                "Unsupported data source",
                format!("This provider has no data source named \"{type_name}\"."),
            );
        }
        entry
    }
}

#[cfg(test)]
mod tests {
    use async_trait::async_trait;

    use super::*;
    use crate::private::Private;
    use crate::provider::Resource;
    use crate::schema::{Attribute, Block};
    use crate::value::Value;

    crate::model! {
        /// Lacks the schema's `size`.
        pub struct NameOnly {
            name: String,
        }
    }

    struct Mismatched;

    #[async_trait]
    impl Resource for Mismatched {
        type Model = NameOnly;
        const TYPE_NAME: &'static str = "test_mismatched";
        fn schema() -> Schema {
            Schema::new(
                Block::new("A resource whose model forgot an attribute.")
                    .attribute(Attribute::required("name", Type::String))
                    .attribute(Attribute::optional("size", Type::Number)),
            )
        }
        async fn create(&self, planned: NameOnly, _: &mut Private, _: &mut Diagnostics) -> Option<NameOnly> {
            Some(planned)
        }
        async fn read(&self, state: NameOnly, _: &mut Private, _: &mut Diagnostics) -> Option<NameOnly> {
            Some(state)
        }
        async fn delete(&self, _: NameOnly, _: &mut Diagnostics) {}
    }

    struct Registers;

    #[async_trait]
    impl Provider for Registers {
        fn schema(&self) -> Schema {
            Schema::new(Block::new("A provider."))
        }
        fn resources(&self) -> Vec<Arc<dyn AnyResource>> {
            vec![Arc::new(Mismatched)]
        }
        async fn configure(&self, _: &str, _: &Value, _: &mut Diagnostics) {}
    }

    #[test]
    fn a_model_that_misses_an_attribute_is_caught_at_registration() {
        let catalog = Catalog::new(&Registers);
        assert_eq!(catalog.model_errors.len(), 1);
        let (name, problems) = &catalog.model_errors[0];
        assert_eq!(name, "test_mismatched");
        assert!(
            problems.contains("schema attribute `size` has no model field"),
            "{problems}"
        );
    }
}
