//! Resource identity on the wire (Terraform 1.12+): the identity schemas, upgrading a stored
//! identity, and the identity each state-returning RPC reports beside its state.

use super::catalog::{Catalog, ResourceEntry};
use super::convert_diagnostics::diagnostics;
use super::dynamic_value::{decode_or_report, encode_or_report};
use super::proto::tfplugin6 as pb;
use crate::diagnostics::{Diagnostics, Severity};
use crate::engine;
use crate::identity::IdentitySchema;
use crate::json;
use crate::value::Value;

pub fn get_resource_identity_schemas(catalog: &Catalog) -> pb::get_resource_identity_schemas::Response {
    pb::get_resource_identity_schemas::Response {
        identity_schemas: catalog
            .resources
            .iter()
            .filter_map(|(name, entry)| Some((name.clone(), schema(&entry.identity.as_ref()?.0))))
            .collect(),
        diagnostics: Vec::new(),
    }
}

fn schema(identity: &IdentitySchema) -> pb::ResourceIdentitySchema {
    pb::ResourceIdentitySchema {
        version: identity.version,
        identity_attributes: identity
            .attributes
            .iter()
            .map(|a| pb::resource_identity_schema::IdentityAttribute {
                name: a.name.clone(),
                r#type: json::type_json(&a.ty).into_bytes(),
                required_for_import: a.required_for_import,
                optional_for_import: !a.required_for_import,
                description: a.description.clone(),
            })
            .collect(),
    }
}

/// Stored identities are decoded against today's identity schema; a newer one is refused.
pub fn upgrade_resource_identity(
    catalog: &Catalog,
    request: pb::upgrade_resource_identity::Request,
) -> pb::upgrade_resource_identity::Response {
    let mut diags = Diagnostics::new();
    let mut upgraded_identity = None;
    if let Some(entry) = catalog.resource(&request.type_name, &mut diags) {
        match &entry.identity {
            None => diags.error(
                "Resource identity not supported",
                format!("{} has no identity.", request.type_name),
            ),
            Some((identity, _)) if request.version > identity.version => diags.error(
                "Identity written by a newer provider",
                format!(
                    "The stored identity has version {}, but this provider knows only up to {}. Upgrade \
                     the provider.",
                    request.version, identity.version
                ),
            ),
            Some((identity, ty)) => {
                let raw = request.raw_identity.unwrap_or_default();
                match engine::upgrade_state(&identity.block(), &raw.json) {
                    Ok(value) => {
                        upgraded_identity =
                            encode_or_report(&value, ty, "upgraded identity", &mut diags).map(|data| {
                                pb::ResourceIdentityData {
                                    identity_data: Some(data),
                                }
                            })
                    }
                    Err(e) => diags.push(
                        Severity::Error,
                        "Invalid stored identity",
                        format!("The stored identity cannot be read with the current identity schema: {e}."),
                        None,
                    ),
                }
            }
        }
    }
    pb::upgrade_resource_identity::Response {
        upgraded_identity,
        diagnostics: diagnostics(diags),
    }
}

/// The identity to report beside `state`: `None` for resources without one, and while an
/// identity attribute is not known yet (a create's plan) or the object is gone.
pub fn identity_of(
    entry: &ResourceEntry,
    state: &Value,
    diags: &mut Diagnostics,
) -> Option<pb::ResourceIdentityData> {
    let (identity, ty) = entry.identity.as_ref()?;
    let value = identity.of_state(state)?;
    let data = encode_or_report(&value, ty, "identity", diags)?;
    Some(pb::ResourceIdentityData {
        identity_data: Some(data),
    })
}

/// The identity Terraform sent, decoded; `None` (with an error) when the resource has none.
pub fn decode_identity(
    entry: &ResourceEntry,
    type_name: &str,
    data: &pb::ResourceIdentityData,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let Some((_, ty)) = &entry.identity else {
        diags.error(
            "Resource identity not supported",
            format!("{type_name} cannot be imported by identity; import it by ID."),
        );
        return None;
    };
    decode_or_report(data.identity_data.as_ref(), ty, "identity", diags)
}
