//! What the provider offers, gathered once on first use (not at startup): its schema, its
//! resources, data sources and actions by type name, each with its schema and the object type
//! values use, and a resource's identity schema if it has one.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::action::AnyAction;
use crate::diagnostics::Diagnostics;
use crate::identity::IdentitySchema;
use crate::provider::{DataSource, Provider, Resource};
use crate::schema::Schema;
use crate::types::Type;

pub struct ResourceEntry {
    pub resource: Arc<dyn Resource>,
    pub schema: Schema,
    pub ty: Type,
    /// The identity schema and its object type, for resources that have one.
    pub identity: Option<(IdentitySchema, Type)>,
}

pub struct DataSourceEntry {
    pub data_source: Arc<dyn DataSource>,
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
}

impl Catalog {
    pub fn new(provider: &dyn Provider) -> Catalog {
        let provider_schema = provider.schema();
        let provider_type = provider_schema.block.implied_type();
        let resources = provider
            .resources()
            .into_iter()
            .map(|resource| {
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
