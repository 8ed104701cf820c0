//! The provider block's credential sources beyond an access key pair, named as in the
//! official provider: `assume_role`, `assume_role_with_oidc`, `ecs_role_name`,
//! `credentials_uri`, and the metadata service override. Reading them gives the client's
//! neutral settings; each field left out falls back to its environment variable.

use std::path::PathBuf;

use alicloud_client::{AssumeRoleSettings, OidcSettings, ProviderSettings, SecretString, SESSION_SECONDS};
use tfplug::validators::{int_between, length_at_most, length_between, not_empty};
use tfplug::{Attribute, Block, NestedBlock, Type};

use crate::provider::config::{first, ProviderModel};

tfplug::model! {
    /// The `assume_role` block.
    pub struct AssumeRoleModel {
        role_arn: String,
        session_name: String,
        policy: String,
        session_expiration: i64,
        external_id: String,
    }
}

tfplug::model! {
    /// The `assume_role_with_oidc` block.
    pub struct OidcModel {
        oidc_provider_arn: String,
        oidc_token_file: String,
        oidc_token: String,
        role_arn: String,
        role_session_name: String,
        policy: String,
        session_expiration: i64,
    }
}

fn session_expiration(env: &str) -> Attribute {
    Attribute::optional("session_expiration", Type::Number)
        .describe(&format!(
            "Lifetime of the role's temporary credentials in seconds ({} to {}; STS `DurationSeconds`). \
             They are refreshed before they expire, so an apply may outlive them. Default: 3600.{env}",
            SESSION_SECONDS.start(),
            SESSION_SECONDS.end()
        ))
        .validate(int_between(*SESSION_SECONDS.start(), *SESSION_SECONDS.end()))
}

fn policy() -> Attribute {
    Attribute::optional("policy", Type::String)
        .describe("A RAM policy (JSON) that further limits what the temporary credentials may do.")
        // STS accepts policies of up to 2048 characters.
        .validate(length_at_most(2048))
}

/// Adds the credential arguments and blocks to the provider block.
pub fn add_to(block: Block) -> Block {
    let assume_role = Block::new(
        "Assume a RAM role with STS `AssumeRole`, signed with the credentials found otherwise; the \
         role's temporary credentials sign every call.",
    )
    .attribute(
        Attribute::required("role_arn", Type::String)
            .describe(
                "ARN of the role, `acs:ram::ACCOUNT:role/NAME`. Environment: `ALICLOUD_ASSUME_ROLE_ARN`, \
                 `ALIBABA_CLOUD_ROLE_ARN`.",
            )
            .validate(not_empty()),
    )
    .attribute(
        Attribute::optional("session_name", Type::String)
            .describe(
                "`RoleSessionName`, shown in the role's audit trail. Environment: \
                 `ALICLOUD_ASSUME_ROLE_SESSION_NAME`, `ALIBABA_CLOUD_ROLE_SESSION_NAME`. Default: `terraform`.",
            )
            .validate(length_between(2, 64)),
    )
    .attribute(policy())
    .attribute(session_expiration(
        " Environment: `ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION`.",
    ))
    .attribute(
        Attribute::optional("external_id", Type::String)
            .describe("`ExternalId` the role's trust policy may require.")
            .validate(length_between(2, 1224)),
    );
    let oidc = Block::new(
        "Assume a RAM role with STS `AssumeRoleWithOIDC` and an OIDC token (a CI system's, or \
         ACK's RRSA token file); no access key is needed.",
    )
    .attribute(
        Attribute::optional("oidc_provider_arn", Type::String)
            .describe(
                "ARN of the OIDC identity provider in RAM. Environment: `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`.",
            )
            .validate(not_empty()),
    )
    .attribute(
        Attribute::optional("oidc_token_file", Type::String)
            .describe(
                "File holding the OIDC token (a JWT), read again at every refresh. Environment: \
                 `ALIBABA_CLOUD_OIDC_TOKEN_FILE`.",
            )
            .validate(not_empty()),
    )
    .attribute(
        Attribute::optional("oidc_token", Type::String)
            .describe("The OIDC token itself, instead of `oidc_token_file`.")
            .sensitive()
            .validate(not_empty()),
    )
    .attribute(
        Attribute::optional("role_arn", Type::String)
            .describe("ARN of the role to assume. Environment: `ALIBABA_CLOUD_ROLE_ARN`.")
            .validate(not_empty()),
    )
    .attribute(
        Attribute::optional("role_session_name", Type::String)
            .describe(
                "`RoleSessionName`. Environment: `ALIBABA_CLOUD_ROLE_SESSION_NAME`. Default: `terraform`.",
            )
            .validate(length_between(2, 64)),
    )
    .attribute(policy())
    .attribute(session_expiration(""));
    block
        .attribute(
            Attribute::optional("ecs_role_name", Type::String)
                .describe(
                    "RAM role of the ECS instance Terraform runs on: its credentials come from the \
                     instance metadata service (token-protected mode). Environment: \
                     `ALICLOUD_ECS_ROLE_NAME`, `ALIBABA_CLOUD_ECS_METADATA`.",
                )
                .validate(not_empty()),
        )
        .attribute(
            Attribute::optional("credentials_uri", Type::String)
                .describe(
                    "URL of a local credentials service answering JSON `AccessKeyId`, \
                     `AccessKeySecret`, `SecurityToken`, `Expiration`. Environment: \
                     `ALIBABA_CLOUD_CREDENTIALS_URI`, `ALICLOUD_CREDENTIALS_URI`.",
                )
                .validate(not_empty()),
        )
        .attribute(
            Attribute::optional("ecs_metadata_endpoint", Type::String)
                .describe(
                    "Base URL of the ECS metadata service, for tests and unusual networks. \
                     Environment: `ALIBABA_CLOUD_IMDS_ENDPOINT`. Default: `http://100.100.100.200`.",
                )
                .validate(not_empty()),
        )
        .block(NestedBlock::optional_one("assume_role", assume_role))
        .block(NestedBlock::optional_one("assume_role_with_oidc", oidc))
}

/// Fills `settings` with the credential arguments of the provider block.
pub fn read_into(model: &ProviderModel, settings: &mut ProviderSettings) {
    settings.ecs_role_name = model.ecs_role_name.get().cloned();
    settings.credentials_uri = model.credentials_uri.get().cloned();
    settings.metadata_endpoint = model.ecs_metadata_endpoint.get().cloned();
    settings.assume_role = first(&model.assume_role).map(|b| AssumeRoleSettings {
        role_arn: b.role_arn.get().cloned(),
        session_name: b.session_name.get().cloned(),
        policy: b.policy.get().cloned(),
        session_expiration: b.session_expiration.get().copied(),
        external_id: b.external_id.get().cloned(),
    });
    settings.assume_role_with_oidc = first(&model.assume_role_with_oidc).map(|b| OidcSettings {
        provider_arn: b.oidc_provider_arn.get().cloned(),
        token_file: b.oidc_token_file.get().cloned().map(PathBuf::from),
        token: b.oidc_token.get().cloned().map(SecretString::new),
        role_arn: b.role_arn.get().cloned(),
        session_name: b.role_session_name.get().cloned(),
        policy: b.policy.get().cloned(),
        session_expiration: b.session_expiration.get().copied(),
    });
}
