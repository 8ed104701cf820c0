//! The client's configuration errors, warnings and credential sources in Terraform's words:
//! each neutral setting becomes the provider argument that sets it, so the message says what
//! to change in the provider block.

use alicloud_client::{ClientError, ConfigError, ConfigWarning, CredentialSource, Origin, Place, Setting};

/// The provider argument (or `block.argument`) behind a setting.
pub fn argument(setting: Setting) -> &'static str {
    match setting {
        Setting::AccessKeyId => "access_key",
        Setting::AccessKeySecret => "secret_key",
        Setting::SecurityToken => "security_token",
        Setting::Region => "region",
        Setting::Profile => "profile",
        Setting::EcsEndpoint => "endpoints.ecs",
        Setting::StsEndpoint => "endpoints.sts",
        Setting::MetadataEndpoint => "ecs_metadata_endpoint",
        Setting::AssumeRoleArn => "assume_role.role_arn",
        Setting::AssumeRoleSessionName => "assume_role.session_name",
        Setting::AssumeRoleSessionExpiration => "assume_role.session_expiration",
        Setting::OidcProviderArn => "assume_role_with_oidc.oidc_provider_arn",
        Setting::OidcTokenFile => "assume_role_with_oidc.oidc_token_file",
        Setting::OidcToken => "assume_role_with_oidc.oidc_token",
        Setting::OidcRoleArn => "assume_role_with_oidc.role_arn",
        Setting::OidcSessionName => "assume_role_with_oidc.role_session_name",
        Setting::OidcSessionExpiration => "assume_role_with_oidc.session_expiration",
        Setting::EcsRoleName => "ecs_role_name",
        Setting::CredentialsUri => "credentials_uri",
    }
}

/// A credential source by the argument or block that sets it.
fn source_argument(setting: Setting) -> &'static str {
    match setting {
        Setting::AccessKeyId | Setting::AccessKeySecret => "access_key and secret_key",
        Setting::OidcProviderArn
        | Setting::OidcTokenFile
        | Setting::OidcToken
        | Setting::OidcRoleArn
        | Setting::OidcSessionName
        | Setting::OidcSessionExpiration => "the assume_role_with_oidc block",
        other => argument(other),
    }
}

/// Where credentials came from, in the provider block's terms.
pub fn source(source: &CredentialSource) -> String {
    match source {
        CredentialSource::Arguments => "the provider arguments access_key and secret_key".to_owned(),
        CredentialSource::Environment(var) => {
            format!("environment variable {var} and the secret's variable beside it")
        }
        CredentialSource::Profile { name, path } => format!("profile {name:?} in {}", path.display()),
        CredentialSource::Oidc { origin } => format!("assume_role_with_oidc (from {})", origin_of(*origin)),
        CredentialSource::EcsRole { origin } => {
            format!("the ECS metadata service (role from {})", origin_of(*origin))
        }
        CredentialSource::Uri { origin } => format!("credentials_uri (from {})", origin_of(*origin)),
        CredentialSource::AssumeRole { role_arn, base } => {
            format!("role {role_arn}, assumed with {}", self::source(base))
        }
    }
}

/// A configuration warning as a diagnostic's summary and detail.
pub fn render_warning(warning: &ConfigWarning) -> (&'static str, String) {
    match warning {
        ConfigWarning::EnvironmentRoleIgnored {
            var,
            role_arn,
            chosen,
        } => (
            "Environment role not assumed",
            format!(
                "Environment variable {var} asks to assume role {role_arn}, but the provider block \
                 names the credentials with {}: calls are made as those credentials and the role is \
                 not assumed. An environment variable (as ACK RRSA or a CI system sets it) never \
                 switches the identity the configuration names. To assume the role, add \
                 `assume_role {{ role_arn = \"{role_arn}\" }}` to the provider block; otherwise unset \
                 {var} to silence this warning.",
                source_argument(*chosen)
            ),
        ),
        ConfigWarning::EnvironmentTokenIgnored { var } => (
            "Environment security token not used",
            format!(
                "Environment variable {var} holds a security token, but access_key and secret_key are \
                 set in the provider block, so they are used without it: the token belongs to other, \
                 temporary keys. Set security_token in the provider block if it is theirs; otherwise \
                 unset {var} to silence this warning."
            ),
        ),
        ConfigWarning::Trimmed {
            setting,
            origin,
            what,
        } => (
            "White space removed from a credential",
            format!(
                "{} (from {}) {what}; it was removed, since no Alibaba Cloud key or token holds white \
                 space. {}",
                argument(*setting),
                origin_of(*origin),
                match origin {
                    Origin::Explicit(_) => "Wrap the value in trimspace() to silence this warning.",
                    Origin::Environment(_) => "Remove it from the variable to silence this warning.",
                }
            ),
        ),
        ConfigWarning::InsecureHttp { setting, endpoint } => (
            "Insecure credentials URI",
            format!(
                "{} {endpoint} uses plain http to a host that is not loopback (allowed by \
                 allow_insecure_http): the credentials it answers travel unencrypted.",
                argument(*setting)
            ),
        ),
    }
}

/// The detail of an "Invalid provider configuration" diagnostic.
pub fn render(error: &ClientError) -> String {
    match error {
        ClientError::Config(config) => render_config(config),
        other => other.to_string(),
    }
}

fn render_config(error: &ConfigError) -> String {
    match error {
        ConfigError::MissingCredentials { looked } => {
            format!(
                "no Alibaba Cloud credentials found; looked in: {}",
                places(looked)
            )
        }
        ConfigError::ConflictingCredentials { settings } => format!(
            "{} are each set in the provider block, and each names other credentials: which identity \
             is meant cannot be guessed, so nothing was sent. Keep only one of them (to assume a role \
             with an access key, use the assume_role block).",
            settings
                .iter()
                .map(|s| source_argument(*s))
                .collect::<Vec<_>>()
                .join(" and ")
        ),
        ConfigError::MissingRegion { looked } => format!("no region set; looked in: {}", places(looked)),
        ConfigError::IncompleteCredentials {
            present,
            missing,
            origin,
        } => format!(
            "{} is set (from {}) but {} is not; set both",
            argument(*present),
            origin_of(*origin),
            arguments(missing)
        ),
        ConfigError::InvalidSetting {
            setting,
            origin,
            reason,
        } => format!(
            "invalid {} (from {}): {reason}",
            argument(*setting),
            origin_of(*origin)
        ),
        ConfigError::InvalidEndpoint {
            setting,
            endpoint,
            reason,
        } => format!("invalid {} {endpoint:?}: {reason}", argument(*setting)),
        ConfigError::InsecureEndpoint { setting, endpoint } => format!(
            "{} {endpoint} uses plain http to a non-loopback host; use https, or opt in to insecure \
             http explicitly. Nothing was sent. To accept it, set `allow_insecure_http = true` in the \
             provider block (a warning is then shown on every run).",
            argument(*setting)
        ),
        other => other.to_string(),
    }
}

fn arguments(settings: &[Setting]) -> String {
    settings
        .iter()
        .map(|s| argument(*s))
        .collect::<Vec<_>>()
        .join(" and ")
}

fn origin_of(origin: Origin) -> String {
    match origin {
        Origin::Explicit(setting) => format!("provider argument {}", argument(setting)),
        Origin::Environment(var) => format!("environment variable {var}"),
    }
}

fn places(looked: &[Place]) -> String {
    looked
        .iter()
        .map(|place| match place {
            Place::Explicit(settings) => format!("provider arguments {}", arguments(settings)),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use alicloud_client::{resolve, ProviderSettings};

    #[test]
    fn neutral_errors_are_rendered_with_argument_names() {
        let env = |name: &str| (name == "ALICLOUD_ACCESS_KEY").then(|| "AK".to_owned());
        let error = ClientError::Config(resolve(&ProviderSettings::default(), &env).unwrap_err());
        assert!(
            !error.to_string().contains("secret_key"),
            "the client stays neutral: {error}"
        );
        assert_eq!(
            render(&error),
            "access_key is set (from environment variable ALICLOUD_ACCESS_KEY) but secret_key is not; set both"
        );
        let nothing = |_: &str| None::<String>;
        let error = ClientError::Config(resolve(&ProviderSettings::default(), &nothing).unwrap_err());
        let text = render(&error);
        for place in [
            "provider arguments access_key and secret_key",
            "provider arguments assume_role_with_oidc.oidc_provider_arn and assume_role_with_oidc.role_arn",
            "provider arguments ecs_role_name",
            "provider arguments credentials_uri",
            "environment variables ALICLOUD_ACCESS_KEY/ALIBABA_CLOUD_ACCESS_KEY_ID",
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            "ALICLOUD_ECS_ROLE_NAME/ALIBABA_CLOUD_ECS_METADATA",
            "ALIBABA_CLOUD_CREDENTIALS_URI/ALICLOUD_CREDENTIALS_URI",
            "profile file ~/.aliyun/config.json (HOME is not set)",
        ] {
            assert!(text.contains(place), "{text} lacks {place}");
        }
    }
}
