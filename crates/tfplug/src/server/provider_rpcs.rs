//! Provider-wide RPCs: metadata, schema (resources and actions), provider configuration and stop.

use super::catalog::Catalog;
use super::convert_diagnostics::diagnostics;
use super::convert_schema::schema;
use super::dynamic_value::decode_or_report;
use super::proto::tfplugin6 as pb;
use crate::diagnostics::Diagnostics;
use crate::engine;
use crate::provider::Provider;

/// Destroys are planned (a null proposed state plans null, with no resource code run), and
/// Terraform may reuse a cached schema: the schema is fixed per build and nothing waits for
/// `GetProviderSchema`. Not claimed: state moves and config generation.
fn capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: true,
        get_provider_schema_optional: true,
        move_resource_state: false,
        generate_resource_config: false,
    }
}

pub fn get_metadata(catalog: &Catalog) -> pb::get_metadata::Response {
    pb::get_metadata::Response {
        server_capabilities: Some(capabilities()),
        resources: catalog
            .resources
            .keys()
            .map(|name| pb::get_metadata::ResourceMetadata {
                type_name: name.clone(),
            })
            .collect(),
        data_sources: catalog
            .data_sources
            .keys()
            .map(|name| pb::get_metadata::DataSourceMetadata {
                type_name: name.clone(),
            })
            .collect(),
        actions: catalog
            .actions
            .keys()
            .map(|name| pb::get_metadata::ActionMetadata {
                type_name: name.clone(),
            })
            .collect(),
        ..Default::default()
    }
}

pub fn get_provider_schema(catalog: &Catalog) -> pb::get_provider_schema::Response {
    pb::get_provider_schema::Response {
        provider: Some(schema(&catalog.provider_schema)),
        resource_schemas: catalog
            .resources
            .iter()
            .map(|(name, entry)| (name.clone(), schema(&entry.schema)))
            .collect(),
        data_source_schemas: catalog
            .data_sources
            .iter()
            .map(|(name, entry)| (name.clone(), schema(&entry.schema)))
            .collect(),
        action_schemas: catalog
            .actions
            .iter()
            .map(|(name, entry)| {
                let schema = Some(schema(&entry.schema));
                (name.clone(), pb::ActionSchema { schema })
            })
            .collect(),
        server_capabilities: Some(capabilities()),
        diagnostics: diagnostics(model_errors(catalog)),
        ..Default::default()
    }
}

/// A model that does not fit its schema would fail on every object: refused up front.
fn model_errors(catalog: &Catalog) -> Diagnostics {
    let mut diags = Diagnostics::new();
    for (type_name, problems) in &catalog.model_errors {
        diags.error(
            "Provider model does not match its schema",
            format!("{type_name}: {problems}. This is a bug in the provider; please report it."),
        );
    }
    diags
}

pub fn validate_provider_config(
    catalog: &Catalog,
    request: pb::validate_provider_config::Request,
) -> pb::validate_provider_config::Response {
    let mut diags = Diagnostics::new();
    if let Some(config) = decode_or_report(
        request.config.as_ref(),
        &catalog.provider_type,
        "provider configuration",
        &mut diags,
    ) {
        diags.extend(engine::validate_object(&catalog.provider_schema.block, &config));
    }
    pb::validate_provider_config::Response {
        diagnostics: diagnostics(diags),
    }
}

pub async fn configure_provider(
    provider: &dyn Provider,
    catalog: &Catalog,
    request: pb::configure_provider::Request,
) -> pb::configure_provider::Response {
    let mut diags = Diagnostics::new();
    if let Some(config) = decode_or_report(
        request.config.as_ref(),
        &catalog.provider_type,
        "provider configuration",
        &mut diags,
    ) {
        provider
            .configure(&request.terraform_version, &config, &mut diags)
            .await;
    }
    pb::configure_provider::Response {
        diagnostics: diagnostics(diags),
    }
}

/// Advisory and concurrent with other calls: tell the provider, answer at once.
pub fn stop_provider(provider: &dyn Provider) -> pb::stop_provider::Response {
    provider.stop();
    pb::stop_provider::Response { error: String::new() }
}
