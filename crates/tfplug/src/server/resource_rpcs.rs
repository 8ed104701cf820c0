//! Managed-resource RPCs around the plan/apply cycle: validate (write-only attributes refused
//! on a Terraform that would store them), upgrade, read and import (by ID or identity).

use super::catalog::Catalog;
use super::convert_diagnostics::diagnostics;
use super::dynamic_value::{decode_or_report, encode_or_report};
use super::identity_rpcs::{decode_identity, identity_of};
use super::proto::tfplugin6 as pb;
use crate::diagnostics::{Diagnostics, Severity};
use crate::engine;
use crate::private::Private;
use crate::value::Value;

pub fn validate_resource_config(
    catalog: &Catalog,
    request: pb::validate_resource_config::Request,
) -> pb::validate_resource_config::Response {
    let mut diags = Diagnostics::new();
    if let Some(entry) = catalog.resource(&request.type_name, &mut diags) {
        if let Some(config) =
            decode_or_report(request.config.as_ref(), &entry.ty, "configuration", &mut diags)
        {
            diags.extend(engine::validate_object(&entry.schema.block, &config));
            let allowed = request
                .client_capabilities
                .is_some_and(|c| c.write_only_attributes_allowed);
            diags.extend(engine::refuse_write_only(&entry.schema.block, &config, allowed));
        }
    }
    pb::validate_resource_config::Response {
        diagnostics: diagnostics(diags),
    }
}

/// Called for every instance on every run; brings stored JSON to the current schema.
pub fn upgrade_resource_state(
    catalog: &Catalog,
    request: pb::upgrade_resource_state::Request,
) -> pb::upgrade_resource_state::Response {
    let mut diags = Diagnostics::new();
    let mut upgraded_state = None;
    if let Some(entry) = catalog.resource(&request.type_name, &mut diags) {
        let raw = request.raw_state.unwrap_or_default();
        if request.version > entry.schema.version {
            diags.error(
                "State written by a newer provider",
                format!(
                    "The stored state has schema version {}, but this provider knows only up to {}. \
                     Upgrade the provider.",
                    request.version, entry.schema.version
                ),
            );
        } else if raw.json.is_empty() && !raw.flatmap.is_empty() {
            diags.error(
                "Unsupported state format",
                "The stored state uses the flatmap format of Terraform before 0.12, which this provider \
                 cannot read.",
            );
        } else {
            let upgraders = entry.resource.state_upgraders();
            match engine::run_upgraders(&upgraders, request.version, &raw.json) {
                Err(e) => diags.error(
                    "Invalid stored state",
                    format!("The stored state cannot be upgraded to the current schema: {e}."),
                ),
                Ok(json) => match engine::upgrade_state(&entry.schema.block, &json) {
                    Ok(state) => {
                        upgraded_state = encode_or_report(&state, &entry.ty, "upgraded state", &mut diags)
                    }
                    Err(e) => diags.push(
                        Severity::Error,
                        "Invalid stored state",
                        format!("The stored state cannot be read with the current schema: {e}."),
                        e.path().cloned(),
                    ),
                },
            }
        }
    }
    pb::upgrade_resource_state::Response {
        upgraded_state,
        diagnostics: diagnostics(diags),
    }
}

/// Refresh. A vanished object comes back null (Terraform then plans a create); when the
/// read fails without an answer, the prior state is kept so nothing is forgotten. The
/// private state comes back as the read left it.
pub async fn read_resource(
    catalog: &Catalog,
    request: pb::read_resource::Request,
) -> pb::read_resource::Response {
    let mut diags = Diagnostics::new();
    let mut new_state = None;
    let mut new_identity = None;
    let mut private = Private::from_bytes(request.private);
    if let Some(entry) = catalog.resource(&request.type_name, &mut diags) {
        if let Some(state) = decode_or_report(
            request.current_state.as_ref(),
            &entry.ty,
            "current state",
            &mut diags,
        ) {
            let mut read = if state.is_null() {
                Value::Null
            } else {
                match entry.resource.read(&state, &mut private, &mut diags).await {
                    Some(fresh) => fresh,
                    None if diags.has_errors() => state,
                    None => Value::Null,
                }
            };
            engine::null_write_only(&entry.schema.block, &mut read);
            new_identity = identity_of(entry, &read, &mut diags);
            new_state = encode_or_report(&read, &entry.ty, "state", &mut diags);
        }
    }
    pb::read_resource::Response {
        new_state,
        diagnostics: diagnostics(diags),
        private: private.into_bytes(),
        deferred: None,
        new_identity,
    }
}

pub async fn import_resource_state(
    catalog: &Catalog,
    request: pb::import_resource_state::Request,
) -> pb::import_resource_state::Response {
    let mut diags = Diagnostics::new();
    let mut imported_resources = Vec::new();
    if let Some(entry) = catalog.resource(&request.type_name, &mut diags) {
        // Terraform 1.12+ sends an identity instead of an ID for `import { identity = ... }`.
        let imported = match &request.identity {
            Some(data) if request.id.is_empty() => {
                match decode_identity(entry, &request.type_name, data, &mut diags) {
                    Some(identity) => entry.resource.import_identity(&identity, &mut diags).await,
                    None => None,
                }
            }
            _ => entry.resource.import(&request.id, &mut diags).await,
        };
        match imported {
            Some(mut state) => {
                engine::null_write_only(&entry.schema.block, &mut state);
                let identity = identity_of(entry, &state, &mut diags);
                if let Some(state) = encode_or_report(&state, &entry.ty, "imported state", &mut diags) {
                    imported_resources.push(pb::import_resource_state::ImportedResource {
                        type_name: request.type_name.clone(),
                        state: Some(state),
                        private: Vec::new(),
                        identity,
                    });
                }
            }
            None if !diags.has_errors() => diags.error(
                "Cannot import non-existent remote object",
                format!(
                    "No {} was found for the import ID or identity.",
                    request.type_name
                ),
            ),
            None => {}
        }
    }
    pb::import_resource_state::Response {
        imported_resources,
        diagnostics: diagnostics(diags),
        deferred: None,
    }
}
