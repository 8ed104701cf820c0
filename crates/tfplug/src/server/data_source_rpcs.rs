//! Data-source RPCs: validate a configuration against the schema, and read the object it
//! designates.

use super::catalog::Catalog;
use super::convert_diagnostics::diagnostics;
use super::dynamic_value::{decode_or_report, encode_or_report};
use super::proto::tfplugin6 as pb;
use crate::diagnostics::Diagnostics;
use crate::engine;

pub fn validate_data_resource_config(
    catalog: &Catalog,
    request: pb::validate_data_resource_config::Request,
) -> pb::validate_data_resource_config::Response {
    let mut diags = Diagnostics::new();
    if let Some(entry) = catalog.data_source(&request.type_name, &mut diags) {
        if let Some(config) =
            decode_or_report(request.config.as_ref(), &entry.ty, "configuration", &mut diags)
        {
            diags.extend(engine::validate_object(&entry.schema.block, &config));
        }
    }
    pb::validate_data_resource_config::Response {
        diagnostics: diagnostics(diags),
    }
}

/// Terraform reads a data source only once its configuration is wholly known (otherwise it
/// plans the read for apply itself), so the data source always sees known values.
pub async fn read_data_source(
    catalog: &Catalog,
    request: pb::read_data_source::Request,
) -> pb::read_data_source::Response {
    let mut diags = Diagnostics::new();
    let mut state = None;
    if let Some(entry) = catalog.data_source(&request.type_name, &mut diags) {
        if let Some(config) =
            decode_or_report(request.config.as_ref(), &entry.ty, "configuration", &mut diags)
        {
            if !config.is_wholly_known() {
                diags.error(
                    "Data source configuration not known",
                    format!(
                        "{} was asked to read with values not known yet; it is read once they are.",
                        request.type_name
                    ),
                );
            } else if let Some(read) = entry.data_source.read(&config, &mut diags).await {
                state = encode_or_report(&read, &entry.ty, "state", &mut diags);
            }
        }
    }
    pb::read_data_source::Response {
        state,
        diagnostics: diagnostics(diags),
        deferred: None,
    }
}
