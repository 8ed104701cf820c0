//! What the provider offers, gathered once on first use (not at startup): its schema and
//! its resources by type name, each with its schema, the object type values use, and its
//! identity schema if it has one.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::diagnostics::Diagnostics;
use crate::identity::IdentitySchema;
use crate::provider::{Provider, Resource};
use crate::schema::Schema;
use crate::types::Type;

pub struct ResourceEntry {
    pub resource: Arc<dyn Resource>,
    pub schema: Schema,
    pub ty: Type,
    /// The identity schema and its object type, for resources that have one.
    pub identity: Option<(IdentitySchema, Type)>,
}

pub struct Catalog {
    pub provider_schema: Schema,
    pub provider_type: Type,
    pub resources: BTreeMap<String, ResourceEntry>,
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
        Catalog {
            provider_schema,
            provider_type,
            resources,
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
}
