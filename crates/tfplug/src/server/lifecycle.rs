//! PlanResourceChange and ApplyResourceChange: the framework plans from the schema, lets the
//! resource refine the plan, and dispatches apply to create, update or delete
//! (`docs/plugin-protocol-notes.md#create-update-delete-and-replace`).
//! Write-only values reach the resource from the configuration and are nulled in what goes
//! back; the identity (if the resource has one) and the private state ride beside each state.

use super::catalog::{Catalog, ResourceEntry};
use super::convert_diagnostics::{attribute_path, diagnostics};
use super::dynamic_value::{decode_or_report, encode_or_report};
use super::identity_rpcs::identity_of;
use super::proto::tfplugin6 as pb;
use crate::diagnostics::{AttributePath, Diagnostics};
use crate::engine::{self, PlannedChange};
use crate::private::Private;
use crate::provider::PlanRequest;
use crate::value::Value;

pub async fn plan_resource_change(
    catalog: &Catalog,
    request: pb::plan_resource_change::Request,
) -> pb::plan_resource_change::Response {
    let mut diags = Diagnostics::new();
    let mut planned_state = None;
    let mut planned_identity = None;
    let mut requires_replace = Vec::new();
    let mut private = Private::from_bytes(request.prior_private);
    if let Some(entry) = catalog.resource(&request.type_name, &mut diags) {
        let ty = &entry.ty;
        let prior = decode_or_report(request.prior_state.as_ref(), ty, "prior state", &mut diags);
        let proposed = decode_or_report(
            request.proposed_new_state.as_ref(),
            ty,
            "proposed new state",
            &mut diags,
        );
        let config = decode_or_report(request.config.as_ref(), ty, "configuration", &mut diags);
        if let (Some(prior), Some(proposed), Some(config)) = (prior, proposed, config) {
            let prior = (!prior.is_null()).then_some(&prior);
            let (mut planned, replace) =
                plan(entry, prior, &proposed, &config, &mut private, &mut diags).await;
            engine::null_write_only(&entry.schema.block, &mut planned);
            planned_identity = identity_of(entry, &planned, &mut diags);
            planned_state = encode_or_report(&planned, ty, "planned state", &mut diags);
            // Replacement only means something for an existing object.
            if prior.is_some() {
                requires_replace = replace.iter().map(attribute_path).collect();
            }
        }
    }
    pb::plan_resource_change::Response {
        planned_state,
        requires_replace,
        planned_private: private.into_bytes(),
        diagnostics: diagnostics(diags),
        legacy_type_system: false,
        deferred: None,
        planned_identity,
    }
}

async fn plan(
    entry: &ResourceEntry,
    prior: Option<&Value>,
    proposed: &Value,
    config: &Value,
    private: &mut Private,
    diags: &mut Diagnostics,
) -> (Value, Vec<AttributePath>) {
    // A destroy plan (sent because the provider claims plan_destroy) stays null: no plan
    // modifiers, no resource hook, so no remote rules and no API call.
    if proposed.is_null() {
        return (Value::Null, Vec::new());
    }
    let PlannedChange {
        mut planned,
        mut requires_replace,
    } = engine::plan_object(&entry.schema.block, prior, proposed, config);
    // Whatever Terraform proposed for them, the hook sees the configured write-only values.
    engine::fill_write_only(&entry.schema.block, &mut planned, config);
    let request = PlanRequest {
        config,
        prior_state: prior,
        requires_replace: &mut requires_replace,
        private,
    };
    entry.resource.plan(request, &mut planned, diags).await;
    (planned, requires_replace)
}

pub async fn apply_resource_change(
    catalog: &Catalog,
    request: pb::apply_resource_change::Request,
) -> pb::apply_resource_change::Response {
    let mut diags = Diagnostics::new();
    let mut new_state = None;
    let mut new_identity = None;
    let mut private = Private::from_bytes(request.planned_private);
    if let Some(entry) = catalog.resource(&request.type_name, &mut diags) {
        let ty = &entry.ty;
        let prior = decode_or_report(request.prior_state.as_ref(), ty, "prior state", &mut diags);
        let planned = decode_or_report(request.planned_state.as_ref(), ty, "planned state", &mut diags);
        let config = decode_or_report(request.config.as_ref(), ty, "configuration", &mut diags);
        if let (Some(prior), Some(mut planned), Some(config)) = (prior, planned, config) {
            // The plan holds write-only attributes as null; the resource acts on their values.
            engine::fill_write_only(&entry.schema.block, &mut planned, &config);
            let mut result = apply(entry, prior, planned, &mut private, &mut diags).await;
            engine::null_write_only(&entry.schema.block, &mut result);
            new_identity = identity_of(entry, &result, &mut diags);
            new_state = encode_or_report(&result, ty, "new state", &mut diags);
        }
    }
    pb::apply_resource_change::Response {
        new_state,
        private: private.into_bytes(),
        diagnostics: diagnostics(diags),
        legacy_type_system: false,
        new_identity,
    }
}

/// Returns the state Terraform should record. Failures keep what exists: the prior object
/// when a delete or update fails, the partial object a failed create returned.
async fn apply(
    entry: &ResourceEntry,
    prior: Value,
    planned: Value,
    private: &mut Private,
    diags: &mut Diagnostics,
) -> Value {
    let resource = &entry.resource;
    if planned.is_null() {
        if prior.is_null() {
            return Value::Null;
        }
        resource.delete(&prior, diags).await;
        return if diags.has_errors() { prior } else { Value::Null };
    }
    // Values unknown at plan time are known now: run the static rules again before acting.
    diags.extend(engine::validate_object(&entry.schema.block, &planned));
    if prior.is_null() {
        if diags.has_errors() {
            return Value::Null;
        }
        return match resource.create(&planned, private, diags).await {
            Some(created) => created,
            None => {
                if !diags.has_errors() {
                    diags.error(
                        "Provider returned no object after create",
                        "The resource reported success but returned no state. This is a bug in the provider.",
                    );
                }
                Value::Null
            }
        };
    }
    if diags.has_errors() {
        return prior;
    }
    match resource.update(&prior, &planned, private, diags).await {
        Some(updated) => updated,
        None => {
            if !diags.has_errors() {
                diags.error(
                    "Provider returned no object after update",
                    "The resource reported success but returned no state. This is a bug in the provider.",
                );
            }
            prior
        }
    }
}
