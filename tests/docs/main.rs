//! Docs cannot drift from the schema: every attribute and block of every schema the provider
//! serves (provider, resources, data sources, ephemeral and list resources, actions, state
//! stores) appears, in backticks, in its page under docs/, and every function's parameters
//! in its page. The schemas are read over the plugin protocol from the real provider, so
//! anything added to the provider is covered without touching this test.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use std::path::{Path, PathBuf};

use alicloud_provider::AlicloudProvider;
use chrono::Duration;
use grpc::client_cert::ClientCert;
use test_support::grpc;
use tfplug::server::proto::tfplugin6 as pb;

/// Every name in `block`, nested blocks and their contents included.
fn names(block: &pb::schema::Block, out: &mut Vec<String>) {
    for attribute in &block.attributes {
        out.push(attribute.name.clone());
        if let Some(object) = &attribute.nested_type {
            out.extend(object.attributes.iter().map(|a| a.name.clone()));
        }
    }
    for nested in &block.block_types {
        out.push(nested.type_name.clone());
        if let Some(inner) = &nested.block {
            names(inner, out);
        }
    }
}

/// The page of a type: `docs/FOLDER/NAME.md`, the provider's prefix dropped.
fn page(folder: &str, type_name: &str) -> PathBuf {
    let short = type_name.strip_prefix("alicloud_").unwrap_or(type_name);
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs")
        .join(folder)
        .join(format!("{short}.md"))
}

fn undocumented(page: &Path, names: &[String]) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(page) else {
        return vec![format!("{} (no such page)", page.display())];
    };
    names
        .iter()
        .filter(|name| !text.contains(&format!("`{name}`")) && !text.contains(&format!("`{name} ")))
        .map(|name| format!("{}: `{name}`", page.display()))
        .collect()
}

#[tokio::test]
async fn every_schema_attribute_appears_in_its_docs_page() {
    let cert = ClientCert::generate(Duration::hours(1));
    let server = grpc::start(AlicloudProvider::new(), |dir| grpc::unix_config(dir, Some(&cert)));
    let mut client = grpc::provider_client(grpc::mtls_channel(&server.handshake, &cert));
    let schema = client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema")
        .into_inner();

    let mut pages: Vec<(PathBuf, Option<pb::Schema>)> = vec![(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/index.md"),
        schema.provider.clone(),
    )];
    for (folder, schemas) in [
        ("resources", &schema.resource_schemas),
        ("data-sources", &schema.data_source_schemas),
        ("ephemeral-resources", &schema.ephemeral_resource_schemas),
        ("list-resources", &schema.list_resource_schemas),
        ("state-stores", &schema.state_store_schemas),
    ] {
        for (name, schema) in schemas {
            pages.push((page(folder, name), Some(schema.clone())));
        }
    }
    for (name, action) in &schema.action_schemas {
        pages.push((page("actions", name), action.schema.clone()));
    }
    assert!(
        pages.len() >= 2,
        "the provider and at least its invocation resource"
    );

    let mut missing = Vec::new();
    for (path, schema) in &pages {
        let mut all = Vec::new();
        if let Some(block) = schema.as_ref().and_then(|s| s.block.as_ref()) {
            names(block, &mut all);
        }
        assert!(
            !all.is_empty(),
            "{} documents a schema without attributes",
            path.display()
        );
        missing.extend(undocumented(path, &all));
    }
    for (name, function) in &schema.functions {
        let parameters: Vec<String> = function
            .parameters
            .iter()
            .chain(function.variadic_parameter.as_ref())
            .map(|p| p.name.clone())
            .collect();
        missing.extend(undocumented(&page("functions", name), &parameters));
    }
    assert!(missing.is_empty(), "undocumented:\n{}", missing.join("\n"));
    server.shutdown.cancel();
}
