//! The provider block: its schema and how it becomes a configured client. Every argument is
//! optional and falls back to the environment, then to an aliyun CLI profile, as Alibaba
//! Cloud's own tools do.

use std::path::PathBuf;

use tokio_util::sync::CancellationToken;

use crate::provider::catalog::Catalog;
use crate::provider::config_errors;
use crate::provider::context::ProviderContext;
use crate::provider::credential_args::{self, AssumeRoleModel, OidcModel};
use crate::provider::retry;
use crate::shared::logs;
use crate::shared::watcher::Watcher;
use alicloud_client::{ClientConfig, EcsClient, ProcessEnv, ProviderSettings, SecretString};
use tfplug::validators::{length_between, not_empty};
use tfplug::{Attribute, Block, Diagnostics, Model, NestedBlock, Schema, Type, Value};

tfplug::model! {
    /// The provider block: one field per schema attribute and nested block (a block of
    /// `List` nesting is a list of its objects, with at most one here).
    pub struct ProviderModel {
        region: String,
        access_key: String,
        secret_key: String,
        security_token: String,
        profile: String,
        shared_credentials_file: String,
        allow_insecure_http: bool,
        endpoints: Vec<EndpointsModel>,
        ecs_role_name: String,
        credentials_uri: String,
        ecs_metadata_endpoint: String,
        assume_role: Vec<AssumeRoleModel>,
        assume_role_with_oidc: Vec<OidcModel>,
        client_read_timeout: i64,
        client_connect_timeout: i64,
        max_retry_timeout: i64,
    }
}

tfplug::model! {
    /// The `endpoints` block.
    pub struct EndpointsModel {
        ecs: String,
        sts: String,
    }
}

/// The single element of a block of `List` nesting with at most one item.
pub fn first<T>(blocks: &tfplug::Attr<Vec<T>>) -> Option<&T> {
    blocks.get()?.first()
}

pub fn schema() -> Schema {
    let endpoints = Block::new("Endpoint overrides, per product.")
        .attribute(
            Attribute::optional("ecs", Type::String)
                .describe(
                    "ECS API endpoint: a full base URL (`http://127.0.0.1:8080`, \
                 `https://ecs-vpc.cn-hangzhou.aliyuncs.com`) or a bare host name (meaning \
                 `https://HOST`). Environment: `ALICLOUD_ECS_ENDPOINT`.",
                )
                .validate(not_empty()),
        )
        .attribute(
            Attribute::optional("sts", Type::String)
                .describe(
                    "STS endpoint, for the `assume_role` and `assume_role_with_oidc` sources, in the \
                 same forms as `ecs`. Environment: `ALICLOUD_STS_ENDPOINT`. Default: \
                 `https://sts.aliyuncs.com`.",
                )
                .validate(not_empty()),
        );
    let block = Block::new("Runs commands on Alibaba Cloud ECS instances through Cloud Assistant.")
        .attribute(
            Attribute::optional("region", Type::String)
                .describe(
                    "Region of the API calls, e.g. `cn-hangzhou`. Environment: `ALICLOUD_REGION`, \
                         `ALIBABA_CLOUD_REGION`, `ALIBABA_CLOUD_REGION_ID`.",
                )
                .validate(length_between(1, 64)),
        )
        .attribute(
            Attribute::optional("access_key", Type::String)
                .describe("AccessKey ID. Environment: `ALICLOUD_ACCESS_KEY`, `ALIBABA_CLOUD_ACCESS_KEY_ID`.")
                .sensitive()
                .validate(not_empty()),
        )
        .attribute(
            Attribute::optional("secret_key", Type::String)
                .describe(
                    "AccessKey secret. Environment: `ALICLOUD_SECRET_KEY`, \
                         `ALIBABA_CLOUD_ACCESS_KEY_SECRET`.",
                )
                .sensitive()
                .validate(not_empty()),
        )
        .attribute(
            Attribute::optional("security_token", Type::String)
                .describe(
                    "STS security token, sent as `SecurityToken`. Environment: \
                         `ALICLOUD_SECURITY_TOKEN`, `ALIBABA_CLOUD_SECURITY_TOKEN`.",
                )
                .sensitive()
                .validate(not_empty()),
        )
        .attribute(
            Attribute::optional("profile", Type::String)
                .describe(
                    "Profile of the aliyun CLI configuration file (`AK`, `StsToken`, `RamRoleArn`, \
                         `EcsRamRole` and `ChainableRamRoleArn` modes) used when no other credentials \
                         are given. Environment: `ALICLOUD_PROFILE`, \
                         `ALIBABA_CLOUD_PROFILE`; default: the file's current profile.",
                )
                .validate(not_empty()),
        )
        .attribute(
            Attribute::optional("shared_credentials_file", Type::String)
                .describe("Path of the aliyun CLI configuration file. Default: `~/.aliyun/config.json`.")
                .validate(not_empty()),
        )
        .attribute(Attribute::optional("allow_insecure_http", Type::Bool).describe(
            "Allow a plain `http://` ECS or STS endpoint or `credentials_uri` on a host that is not \
                 loopback. Off by default: signed traffic or credentials then travel unencrypted, and a \
                 warning is shown.",
        ))
        .block(NestedBlock::optional_one("endpoints", endpoints));
    let block = credential_args::add_to(block);
    Schema::new(retry::attributes().into_iter().fold(block, Block::attribute))
}

/// Builds the provider context from the evaluated provider block; `None` (with or without
/// diagnostics) when it cannot be built now.
pub fn configure(
    config: &Value,
    cancel: CancellationToken,
    diags: &mut Diagnostics,
) -> Option<ProviderContext> {
    if !config.is_wholly_known() {
        // Known only after other resources apply; remote plan-time rules are skipped.
        return None;
    }
    let model = ProviderModel::read(config, diags)?;
    let endpoints = first(&model.endpoints);
    let mut settings = ProviderSettings {
        access_key: model.access_key.get().cloned(),
        secret_key: model.secret_key.get().cloned().map(SecretString::new),
        security_token: model.security_token.get().cloned().map(SecretString::new),
        region: model.region.get().cloned(),
        profile: model.profile.get().cloned(),
        config_path: model.shared_credentials_file.get().cloned().map(PathBuf::from),
        ecs_endpoint: endpoints.and_then(|e| e.ecs.get().cloned()),
        sts_endpoint: endpoints.and_then(|e| e.sts.get().cloned()),
        allow_insecure_http: model.allow_insecure_http.get().copied().unwrap_or(false),
        ..Default::default()
    };
    credential_args::read_into(&model, &mut settings);
    let retry = retry::retry_policy(&model);
    let built =
        ClientConfig::from_settings_with(&settings, &ProcessEnv, retry.clone(), Some(logs::client_sink()))
            .and_then(|mut client_config| {
                for warning in std::mem::take(&mut client_config.warnings) {
                    let (summary, detail) = config_errors::render_warning(&warning);
                    diags.warning(summary, detail);
                }
                let settle_client = EcsClient::new(client_config.clone())?;
                client_config.cancel = cancel;
                Ok((EcsClient::new(client_config)?, settle_client))
            });
    match built {
        Ok((client, settle_client)) => {
            if let Some(warning) = client.warning() {
                diags.warning("Insecure ECS endpoint", warning.to_string());
            }
            let region = client.region().to_string();
            Some(ProviderContext {
                watcher: Watcher::new(client.clone()),
                client,
                settle_client,
                retry,
                region,
                catalog: Catalog::default(),
                ledger: Default::default(),
            })
        }
        Err(error) => {
            diags.error("Invalid provider configuration", config_errors::render(&error));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_matches_the_schema() {
        assert_eq!(tfplug::check_model::<ProviderModel>(&schema().block), Ok(()));
    }
}
