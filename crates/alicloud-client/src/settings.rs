//! The configuration chain: explicit values first (for Terraform, the provider block), then
//! the environment, then a profile of `~/.aliyun/config.json`. The environment is read
//! through [`Env`], so tests inject a map instead of mutating the process environment.
//!
//! Credential precedence, first found wins:
//! 1. explicit: the access key pair, then `AssumeRoleWithOIDC` settings, then an ECS RAM
//!    role name, then a credentials URI;
//! 2. the same four from the environment, in the same order;
//! 3. a profile of the CLI configuration file (any of its supported modes).
//!
//! Two explicit sources are an error: which one is meant cannot be guessed.
//!
//! An assume-role setting then wraps whichever was found: its credentials sign
//! `AssumeRole`, and the role's temporary ones sign every call. The environment's role ARN
//! (`ALIBABA_CLOUD_ROLE_ARN`) belongs to `AssumeRoleWithOIDC` when that is the source, and
//! is ignored, with a warning, when explicit settings name the credentials: an environment
//! variable (as ACK's RRSA and CI systems set it) never switches the identity they imply.
//!
//! Keys and tokens hold no white space: blank ones are refused, white space around them (a
//! newline from a file) is removed with a warning.

use std::collections::HashMap;
use std::path::PathBuf;

use super::credentials::{CredentialSource, CredentialSpec, Credentials, OidcSpec, OidcToken, RoleSpec};
use super::error::ConfigError;
use super::profile::{self, LoadError, Profile};
use super::secret::SecretString;
use super::setting::{Origin, Place, Setting};
use super::warning::ConfigWarning;

pub const ACCESS_KEY_VARS: [&str; 2] = ["ALICLOUD_ACCESS_KEY", "ALIBABA_CLOUD_ACCESS_KEY_ID"];
pub const SECRET_KEY_VARS: [&str; 2] = ["ALICLOUD_SECRET_KEY", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"];
pub const SECURITY_TOKEN_VARS: [&str; 2] = ["ALICLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_SECURITY_TOKEN"];
pub const REGION_VARS: [&str; 3] = [
    "ALICLOUD_REGION",
    "ALIBABA_CLOUD_REGION",
    "ALIBABA_CLOUD_REGION_ID",
];
pub const PROFILE_VARS: [&str; 2] = ["ALICLOUD_PROFILE", "ALIBABA_CLOUD_PROFILE"];
pub const ECS_ENDPOINT_VAR: &str = "ALICLOUD_ECS_ENDPOINT";
pub const STS_ENDPOINT_VAR: &str = "ALICLOUD_STS_ENDPOINT";
/// The metadata service address override (tests, unusual networks).
pub const METADATA_ENDPOINT_VAR: &str = "ALIBABA_CLOUD_IMDS_ENDPOINT";
pub const ASSUME_ROLE_ARN_VARS: [&str; 2] = ["ALICLOUD_ASSUME_ROLE_ARN", "ALIBABA_CLOUD_ROLE_ARN"];
pub const ASSUME_ROLE_SESSION_NAME_VARS: [&str; 2] = [
    "ALICLOUD_ASSUME_ROLE_SESSION_NAME",
    "ALIBABA_CLOUD_ROLE_SESSION_NAME",
];
pub const ASSUME_ROLE_SESSION_EXPIRATION_VARS: [&str; 1] = ["ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION"];
pub const OIDC_PROVIDER_ARN_VARS: [&str; 1] = ["ALIBABA_CLOUD_OIDC_PROVIDER_ARN"];
pub const OIDC_TOKEN_FILE_VARS: [&str; 1] = ["ALIBABA_CLOUD_OIDC_TOKEN_FILE"];
pub const OIDC_ROLE_ARN_VARS: [&str; 1] = ["ALIBABA_CLOUD_ROLE_ARN"];
pub const OIDC_SESSION_NAME_VARS: [&str; 1] = ["ALIBABA_CLOUD_ROLE_SESSION_NAME"];
pub const ECS_ROLE_NAME_VARS: [&str; 2] = ["ALICLOUD_ECS_ROLE_NAME", "ALIBABA_CLOUD_ECS_METADATA"];
pub const CREDENTIALS_URI_VARS: [&str; 2] = ["ALIBABA_CLOUD_CREDENTIALS_URI", "ALICLOUD_CREDENTIALS_URI"];

/// `DurationSeconds` bounds of `AssumeRole` and `AssumeRoleWithOIDC`.
pub const SESSION_SECONDS: std::ops::RangeInclusive<i64> = 900..=43_200;

/// A source of environment variables.
pub trait Env {
    fn var(&self, name: &str) -> Option<String>;
}

/// The real process environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

impl Env for HashMap<String, String> {
    fn var(&self, name: &str) -> Option<String> {
        self.get(name).cloned()
    }
}

impl<F: Fn(&str) -> Option<String>> Env for F {
    fn var(&self, name: &str) -> Option<String> {
        self(name)
    }
}

/// Explicit `AssumeRole` settings; unset fields fall back to the environment.
#[derive(Debug, Clone, Default)]
pub struct AssumeRoleSettings {
    pub role_arn: Option<String>,
    pub session_name: Option<String>,
    pub policy: Option<String>,
    pub session_expiration: Option<i64>,
    pub external_id: Option<String>,
}

/// Explicit `AssumeRoleWithOIDC` settings; unset fields fall back to the environment.
#[derive(Debug, Clone, Default)]
pub struct OidcSettings {
    pub provider_arn: Option<String>,
    pub token_file: Option<PathBuf>,
    pub token: Option<SecretString>,
    pub role_arn: Option<String>,
    pub session_name: Option<String>,
    pub policy: Option<String>,
    pub session_expiration: Option<i64>,
}

/// What the caller states explicitly (the provider block). Empty strings count as unset, as
/// they do for the environment.
#[derive(Debug, Clone, Default)]
pub struct ProviderSettings {
    pub access_key: Option<String>,
    pub secret_key: Option<SecretString>,
    pub security_token: Option<SecretString>,
    pub region: Option<String>,
    /// Profile name in the CLI configuration file.
    pub profile: Option<String>,
    /// The CLI configuration file; `$HOME/.aliyun/config.json` when unset.
    pub config_path: Option<PathBuf>,
    /// The ECS endpoint: a full base URL or a bare host.
    pub ecs_endpoint: Option<String>,
    /// The STS endpoint, in the same forms.
    pub sts_endpoint: Option<String>,
    /// The metadata service, a base URL (`http://100.100.100.200` when unset).
    pub metadata_endpoint: Option<String>,
    pub assume_role: Option<AssumeRoleSettings>,
    pub assume_role_with_oidc: Option<OidcSettings>,
    pub ecs_role_name: Option<String>,
    pub credentials_uri: Option<String>,
    /// Plain `http://` to non-loopback ECS and STS endpoints.
    pub allow_insecure_http: bool,
}

/// The outcome of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedSettings {
    pub credentials: CredentialSpec,
    pub credential_source: CredentialSource,
    pub region: String,
    pub ecs_endpoint: Option<String>,
    pub sts_endpoint: Option<String>,
    pub metadata_endpoint: Option<String>,
    /// What the caller should show: settings ignored or adjusted.
    pub warnings: Vec<ConfigWarning>,
}

/// A base credential source before any assumed role.
struct Found {
    spec: CredentialSpec,
    source: CredentialSource,
    /// OIDC consumed the environment's role ARN.
    oidc: bool,
}

/// The explicit setting that names the credentials, if any: an explicit source, or a
/// profile named explicitly that supplied them.
fn chosen_by_settings(explicit: &[Setting], settings: &ProviderSettings, base: &Found) -> Option<Setting> {
    let named_profile = settings.profile.as_deref().is_some_and(|p| !p.is_empty())
        && matches!(base.source, CredentialSource::Profile { .. });
    explicit
        .first()
        .copied()
        .or(named_profile.then_some(Setting::Profile))
}

/// Resolves credentials, region and endpoint overrides. The profile file is consulted only
/// when nothing else holds credentials, or when a profile is named and the region is
/// still unknown.
pub fn resolve(settings: &ProviderSettings, env: &dyn Env) -> Result<ResolvedSettings, ConfigError> {
    let mut warnings = Vec::new();
    let keys = static_keys(settings, env, &mut warnings)?;
    let explicit_keys = keys
        .as_ref()
        .is_some_and(|f| f.source == CredentialSource::Arguments);
    let oidc_block = settings.assume_role_with_oidc.as_ref();
    let ecs_role = pick(
        settings.ecs_role_name.clone(),
        Setting::EcsRoleName,
        env,
        &ECS_ROLE_NAME_VARS,
    );
    let uri = pick(
        settings.credentials_uri.clone(),
        Setting::CredentialsUri,
        env,
        &CREDENTIALS_URI_VARS,
    );
    let is_explicit = |found: &Option<(Origin, String)>| matches!(found, Some((Origin::Explicit(_), _)));
    let explicit: Vec<Setting> = [
        explicit_keys.then_some(Setting::AccessKeyId),
        oidc_block.is_some().then_some(Setting::OidcProviderArn),
        is_explicit(&ecs_role).then_some(Setting::EcsRoleName),
        is_explicit(&uri).then_some(Setting::CredentialsUri),
    ]
    .into_iter()
    .flatten()
    .collect();
    if explicit.len() > 1 {
        return Err(ConfigError::ConflictingCredentials { settings: explicit });
    }
    let mut base = if explicit_keys {
        keys
    } else if let Some(block) = oidc_block {
        Some(oidc(block, env, &mut warnings)?)
    } else if is_explicit(&ecs_role) {
        ecs_role.map(ecs_role_source)
    } else if is_explicit(&uri) {
        uri.map(uri_source)
    } else if keys.is_some() {
        keys
    } else if let Some(found) = oidc_from_env(env, &mut warnings)? {
        Some(found)
    } else if ecs_role.is_some() {
        ecs_role.map(ecs_role_source)
    } else {
        uri.map(uri_source)
    };

    let region = pick(settings.region.clone(), Setting::Region, env, &REGION_VARS).map(|(_, r)| r);
    let profile_name = pick(settings.profile.clone(), Setting::Profile, env, &PROFILE_VARS).map(|(_, p)| p);
    let path = settings.config_path.clone().or_else(|| default_config_path(env));
    let wants_profile = base.is_none() || (region.is_none() && profile_name.is_some());
    let profile = if wants_profile {
        load_profile(path.as_ref(), profile_name.as_deref())?
    } else {
        None
    };
    let profile_place = Place::ProfileFile {
        path: path.as_ref().map(|p| p.display().to_string()),
        note: match (&path, &profile) {
            (_, Some(_)) => "read",
            (Some(_), None) => "not found",
            (None, None) => "HOME is not set",
        },
    };
    if base.is_none() {
        base = profile.as_ref().map(|p| Found {
            spec: p.credentials.clone(),
            source: CredentialSource::Profile {
                name: p.name.clone(),
                path: path.clone().unwrap_or_default(),
            },
            oidc: false,
        });
    }
    let Some(base) = base else {
        return Err(ConfigError::MissingCredentials {
            looked: vec![
                Place::Explicit(vec![Setting::AccessKeyId, Setting::AccessKeySecret]),
                Place::Explicit(vec![
                    Setting::OidcProviderArn,
                    Setting::OidcRoleArn,
                    Setting::OidcTokenFile,
                ]),
                Place::Explicit(vec![Setting::EcsRoleName]),
                Place::Explicit(vec![Setting::CredentialsUri]),
                Place::Environment(vec![ACCESS_KEY_VARS.to_vec(), SECRET_KEY_VARS.to_vec()]),
                Place::Environment(vec![
                    OIDC_PROVIDER_ARN_VARS.to_vec(),
                    OIDC_ROLE_ARN_VARS.to_vec(),
                    OIDC_TOKEN_FILE_VARS.to_vec(),
                ]),
                Place::Environment(vec![ECS_ROLE_NAME_VARS.to_vec()]),
                Place::Environment(vec![CREDENTIALS_URI_VARS.to_vec()]),
                profile_place,
            ],
        });
    };
    let chosen = chosen_by_settings(&explicit, settings, &base);
    let role = assume_role(
        settings.assume_role.as_ref(),
        env,
        base.oidc,
        chosen,
        &mut warnings,
    )?;
    let (credentials, credential_source) = match role {
        Some(role) => (
            CredentialSpec::AssumeRole {
                base: Box::new(base.spec),
                role: role.clone(),
            },
            CredentialSource::AssumeRole {
                role_arn: role.role_arn,
                base: Box::new(base.source),
            },
        ),
        None => (base.spec, base.source),
    };

    let region = match region.or_else(|| profile.as_ref().and_then(|p| p.region.clone())) {
        Some(region) => region,
        None => {
            return Err(ConfigError::MissingRegion {
                looked: vec![
                    Place::Explicit(vec![Setting::Region]),
                    Place::Environment(vec![REGION_VARS.to_vec()]),
                    profile_place,
                ],
            })
        }
    };
    let endpoint = |explicit: &Option<String>, setting, var| {
        pick(explicit.clone(), setting, env, &[var]).map(|(_, e)| e)
    };
    Ok(ResolvedSettings {
        credentials,
        credential_source,
        region,
        ecs_endpoint: endpoint(&settings.ecs_endpoint, Setting::EcsEndpoint, ECS_ENDPOINT_VAR),
        sts_endpoint: endpoint(&settings.sts_endpoint, Setting::StsEndpoint, STS_ENDPOINT_VAR)
            .or_else(|| profile.as_ref().and_then(|p| p.sts_endpoint.clone())),
        metadata_endpoint: endpoint(
            &settings.metadata_endpoint,
            Setting::MetadataEndpoint,
            METADATA_ENDPOINT_VAR,
        ),
        warnings,
    })
}

/// The access key pair (with its token), explicit or from the environment; half a pair is
/// an error, not a reason to look further.
fn static_keys(
    settings: &ProviderSettings,
    env: &dyn Env,
    warnings: &mut Vec<ConfigWarning>,
) -> Result<Option<Found>, ConfigError> {
    let mut key = |explicit: Option<String>, setting, vars: &[&'static str]| {
        pick(explicit, setting, env, vars)
            .map(|found| key_value(setting, found, warnings))
            .transpose()
    };
    let access_key = key(
        settings.access_key.clone(),
        Setting::AccessKeyId,
        &ACCESS_KEY_VARS,
    )?;
    let secret_key = key(
        settings.secret_key.as_ref().map(|s| s.expose().to_owned()),
        Setting::AccessKeySecret,
        &SECRET_KEY_VARS,
    )?;
    let token = key(
        settings.security_token.as_ref().map(|s| s.expose().to_owned()),
        Setting::SecurityToken,
        &SECURITY_TOKEN_VARS,
    )?;
    let incomplete = |present, missing: &[Setting], origin| ConfigError::IncompleteCredentials {
        present,
        missing: missing.to_vec(),
        origin,
    };
    match (access_key, secret_key) {
        (Some((origin, id)), Some((_, secret))) => {
            let mut credentials = Credentials::new(id, secret);
            match (origin, token) {
                // A pipeline's STS token would break a permanent pair written in the block.
                (Origin::Explicit(_), Some((Origin::Environment(var), _))) => {
                    warnings.push(ConfigWarning::EnvironmentTokenIgnored { var });
                }
                (_, Some((_, token))) => credentials = credentials.with_security_token(token),
                (_, None) => {}
            }
            let source = match origin {
                Origin::Explicit(_) => CredentialSource::Arguments,
                Origin::Environment(var) => CredentialSource::Environment(var),
            };
            Ok(Some(Found {
                spec: CredentialSpec::Static(credentials),
                source,
                oidc: false,
            }))
        }
        (Some((origin, _)), None) => Err(incomplete(
            Setting::AccessKeyId,
            &[Setting::AccessKeySecret],
            origin,
        )),
        (None, Some((origin, _))) => Err(incomplete(
            Setting::AccessKeySecret,
            &[Setting::AccessKeyId],
            origin,
        )),
        (None, None) => match token {
            Some((origin, _)) => Err(incomplete(
                Setting::SecurityToken,
                &[Setting::AccessKeyId, Setting::AccessKeySecret],
                origin,
            )),
            None => Ok(None),
        },
    }
}

/// A key, secret or token as it will be sent. No Alibaba Cloud key or token holds white
/// space, so a blank value or one with white space inside is refused, and white space around
/// it (the newline `file()` keeps) is removed with a warning. The value is never shown.
fn key_value(
    setting: Setting,
    (origin, value): (Origin, String),
    warnings: &mut Vec<ConfigWarning>,
) -> Result<(Origin, String), ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidSetting {
        setting,
        origin,
        reason: reason.to_owned(),
    };
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(invalid("it is blank (only white space)"));
    }
    if trimmed.contains(char::is_whitespace) {
        return Err(invalid(
            "it contains white space, which no Alibaba Cloud key or token holds",
        ));
    }
    if trimmed.len() != value.len() {
        warnings.push(ConfigWarning::Trimmed {
            setting,
            origin,
            what: white_space_around(&value),
        });
    }
    Ok((origin, trimmed.to_owned()))
}

/// Where the white space around a value is, by name ("ends with a newline").
fn white_space_around(value: &str) -> String {
    let name = |c: char| match c {
        '\n' => "a newline",
        '\r' => "a carriage return",
        '\t' => "a tab",
        ' ' => "a space",
        _ => "white space",
    };
    let first = value.chars().next().filter(|c| c.is_whitespace());
    let last = value.chars().next_back().filter(|c| c.is_whitespace());
    let ends = [("starts", first), ("ends", last)];
    ends.iter()
        .filter_map(|(side, c)| c.map(|c| format!("{side} with {}", name(c))))
        .collect::<Vec<_>>()
        .join(" and ")
}

fn ecs_role_source((origin, role_name): (Origin, String)) -> Found {
    Found {
        spec: CredentialSpec::EcsRole { role_name },
        source: CredentialSource::EcsRole { origin },
        oidc: false,
    }
}

fn uri_source((origin, uri): (Origin, String)) -> Found {
    Found {
        spec: CredentialSpec::Uri { uri },
        source: CredentialSource::Uri { origin },
        oidc: false,
    }
}

/// `AssumeRoleWithOIDC` from the environment alone: only when its provider ARN is set.
fn oidc_from_env(env: &dyn Env, warnings: &mut Vec<ConfigWarning>) -> Result<Option<Found>, ConfigError> {
    match pick(None, Setting::OidcProviderArn, env, &OIDC_PROVIDER_ARN_VARS) {
        Some(_) => oidc(&OidcSettings::default(), env, warnings).map(Some),
        None => Ok(None),
    }
}

/// `AssumeRoleWithOIDC` settings, each field falling back to the environment.
fn oidc(
    block: &OidcSettings,
    env: &dyn Env,
    warnings: &mut Vec<ConfigWarning>,
) -> Result<Found, ConfigError> {
    let provider = pick(
        block.provider_arn.clone(),
        Setting::OidcProviderArn,
        env,
        &OIDC_PROVIDER_ARN_VARS,
    );
    let role_arn = pick(
        block.role_arn.clone(),
        Setting::OidcRoleArn,
        env,
        &OIDC_ROLE_ARN_VARS,
    );
    let token_file = pick(
        block.token_file.as_ref().map(|p| p.display().to_string()),
        Setting::OidcTokenFile,
        env,
        &OIDC_TOKEN_FILE_VARS,
    );
    // An inline token goes through the key rules: a blank one is refused, not sent to STS.
    let inline = block
        .token
        .as_ref()
        .filter(|t| !t.is_empty())
        .map(|t| {
            let origin = Origin::Explicit(Setting::OidcToken);
            key_value(Setting::OidcToken, (origin, t.expose().to_owned()), warnings)
        })
        .transpose()?;
    let token = inline
        .map(|(_, t)| OidcToken::Value(SecretString::new(t)))
        .or_else(|| token_file.map(|(_, path)| OidcToken::File(PathBuf::from(path))));
    let origin = provider
        .as_ref()
        .or(role_arn.as_ref())
        .map_or(Origin::Explicit(Setting::OidcProviderArn), |(origin, _)| *origin);
    let mut missing = Vec::new();
    if provider.is_none() {
        missing.push(Setting::OidcProviderArn);
    }
    if role_arn.is_none() {
        missing.push(Setting::OidcRoleArn);
    }
    if token.is_none() {
        missing.push(Setting::OidcTokenFile);
    }
    let (Some((_, provider_arn)), Some((_, role_arn)), Some(token)) = (provider, role_arn, token) else {
        let present = match origin {
            Origin::Explicit(setting) => setting,
            Origin::Environment(_) => Setting::OidcProviderArn,
        };
        return Err(ConfigError::IncompleteCredentials {
            present,
            missing,
            origin,
        });
    };
    let mut role = RoleSpec::new(role_arn);
    if let Some((_, name)) = pick(
        block.session_name.clone(),
        Setting::OidcSessionName,
        env,
        &OIDC_SESSION_NAME_VARS,
    ) {
        role.session_name = name;
    }
    role.policy = block.policy.clone().filter(|p| !p.is_empty());
    role.duration_seconds = session_seconds(
        block
            .session_expiration
            .map(|s| (Origin::Explicit(Setting::OidcSessionExpiration), s)),
        Setting::OidcSessionExpiration,
    )?;
    Ok(Found {
        spec: CredentialSpec::Oidc(OidcSpec {
            provider_arn,
            token,
            role,
        }),
        source: CredentialSource::Oidc { origin },
        oidc: true,
    })
}

/// The role to assume on top of the base source, if any is set. The environment's role
/// variables are skipped when the base is OIDC (they named the OIDC role); the
/// environment's role ARN is ignored, with a warning, when the explicit setting `chosen`
/// names the credentials, since it would switch the identity they imply.
fn assume_role(
    block: Option<&AssumeRoleSettings>,
    env: &dyn Env,
    base_is_oidc: bool,
    chosen: Option<Setting>,
    warnings: &mut Vec<ConfigWarning>,
) -> Result<Option<RoleSpec>, ConfigError> {
    let no_env = |_: &str| None::<String>;
    let env: &dyn Env = if base_is_oidc { &no_env } else { env };
    let block = block.cloned().unwrap_or_default();
    let explicit_arn = block.role_arn.clone().filter(|arn| !arn.is_empty());
    let role_env: &dyn Env = match chosen {
        Some(chosen) => {
            let from_env = pick(None, Setting::AssumeRoleArn, env, &ASSUME_ROLE_ARN_VARS);
            if let (None, Some((Origin::Environment(var), role_arn))) = (&explicit_arn, from_env) {
                warnings.push(ConfigWarning::EnvironmentRoleIgnored {
                    var,
                    role_arn,
                    chosen,
                });
            }
            &no_env
        }
        None => env,
    };
    let Some((_, role_arn)) = pick(
        explicit_arn,
        Setting::AssumeRoleArn,
        role_env,
        &ASSUME_ROLE_ARN_VARS,
    ) else {
        return Ok(None);
    };
    let mut role = RoleSpec::new(role_arn);
    if let Some((_, name)) = pick(
        block.session_name.clone(),
        Setting::AssumeRoleSessionName,
        env,
        &ASSUME_ROLE_SESSION_NAME_VARS,
    ) {
        role.session_name = name;
    }
    role.policy = block.policy.clone().filter(|p| !p.is_empty());
    role.external_id = block.external_id.clone().filter(|e| !e.is_empty());
    let expiration = match block.session_expiration {
        Some(seconds) => Some((Origin::Explicit(Setting::AssumeRoleSessionExpiration), seconds)),
        None => pick(
            None,
            Setting::AssumeRoleSessionExpiration,
            env,
            &ASSUME_ROLE_SESSION_EXPIRATION_VARS,
        )
        .map(|(origin, text)| {
            text.trim()
                .parse::<i64>()
                .map(|s| (origin, s))
                .map_err(|_| ConfigError::InvalidSetting {
                    setting: Setting::AssumeRoleSessionExpiration,
                    origin,
                    reason: format!("{text:?} is not a number of seconds"),
                })
        })
        .transpose()?,
    };
    role.duration_seconds = session_seconds(expiration, Setting::AssumeRoleSessionExpiration)?;
    Ok(Some(role))
}

/// A session duration within [`SESSION_SECONDS`].
fn session_seconds(given: Option<(Origin, i64)>, setting: Setting) -> Result<Option<u32>, ConfigError> {
    let Some((origin, seconds)) = given else {
        return Ok(None);
    };
    match u32::try_from(seconds) {
        Ok(valid) if SESSION_SECONDS.contains(&seconds) => Ok(Some(valid)),
        _ => Err(ConfigError::InvalidSetting {
            setting,
            origin,
            reason: format!(
                "{seconds} is outside {} to {} seconds",
                SESSION_SECONDS.start(),
                SESSION_SECONDS.end()
            ),
        }),
    }
}

/// The explicit value, else the first environment variable set; empty means unset.
fn pick(
    explicit: Option<String>,
    setting: Setting,
    env: &dyn Env,
    vars: &[&'static str],
) -> Option<(Origin, String)> {
    if let Some(value) = explicit.filter(|v| !v.is_empty()) {
        return Some((Origin::Explicit(setting), value));
    }
    vars.iter().find_map(|&var| {
        env.var(var)
            .filter(|v| !v.is_empty())
            .map(|v| (Origin::Environment(var), v))
    })
}

fn default_config_path(env: &dyn Env) -> Option<PathBuf> {
    let home = env
        .var("HOME")
        .or_else(|| env.var("USERPROFILE"))
        .filter(|h| !h.is_empty())?;
    Some(PathBuf::from(home).join(".aliyun").join("config.json"))
}

/// An absent file is "nothing configured" unless a profile was asked for by name.
fn load_profile(path: Option<&PathBuf>, name: Option<&str>) -> Result<Option<Profile>, ConfigError> {
    let Some(path) = path else {
        return match name {
            Some(name) => Err(ConfigError::ProfileFile {
                path: "~/.aliyun/config.json".to_owned(),
                reason: format!("profile {name:?} requested but HOME is not set"),
            }),
            None => Ok(None),
        };
    };
    match profile::load(path, name) {
        Ok(found) => Ok(Some(found)),
        Err(LoadError::NotFound) if name.is_none() => Ok(None),
        Err(LoadError::NotFound) => Err(ConfigError::ProfileFile {
            path: path.display().to_string(),
            reason: "file not found".to_owned(),
        }),
        Err(LoadError::Invalid(e)) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn keys(got: &ResolvedSettings) -> &Credentials {
        match &got.credentials {
            CredentialSpec::Static(credentials) => credentials,
            other => panic!("not static: {other:?}"),
        }
    }

    const CONFIG: &str = r#"{"current":"main","profiles":[
        {"name":"main","mode":"AK","access_key_id":"AK-profile","access_key_secret":"sk-profile","region_id":"cn-shanghai"},
        {"name":"sts","mode":"StsToken","access_key_id":"STS.p","access_key_secret":"sk-sts","sts_token":"tok-sts","region_id":"cn-beijing"}
    ]}"#;

    struct Fixture {
        home: tempfile::TempDir,
    }

    impl Fixture {
        fn with_config() -> Self {
            let home = tempfile::tempdir().unwrap();
            std::fs::create_dir(home.path().join(".aliyun")).unwrap();
            std::fs::write(home.path().join(".aliyun/config.json"), CONFIG).unwrap();
            Self { home }
        }

        fn empty() -> Self {
            Self {
                home: tempfile::tempdir().unwrap(),
            }
        }

        fn env(&self, pairs: &[(&str, &str)]) -> HashMap<String, String> {
            let mut env: HashMap<String, String> = pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            env.insert("HOME".into(), self.home.path().display().to_string());
            env
        }

        fn path(&self) -> &Path {
            self.home.path()
        }
    }

    fn explicit() -> ProviderSettings {
        ProviderSettings {
            access_key: Some("AK-arg".into()),
            secret_key: Some("sk-arg".into()),
            region: Some("cn-hangzhou".into()),
            ..Default::default()
        }
    }

    const FULL_ENV: [(&str, &str); 4] = [
        ("ALICLOUD_ACCESS_KEY", "AK-env"),
        ("ALICLOUD_SECRET_KEY", "sk-env"),
        ("ALICLOUD_SECURITY_TOKEN", "tok-env"),
        ("ALICLOUD_REGION", "cn-qingdao"),
    ];

    #[test]
    fn explicit_beats_env_and_profile() {
        let fx = Fixture::with_config();
        let env = fx.env(&FULL_ENV);
        let mut settings = explicit();
        settings.security_token = Some("tok-arg".into());
        let got = resolve(&settings, &env).unwrap();
        assert_eq!(keys(&got).access_key_id, "AK-arg");
        assert_eq!(keys(&got).access_key_secret.expose(), "sk-arg");
        assert_eq!(keys(&got).security_token, Some("tok-arg".into()));
        assert_eq!(got.region, "cn-hangzhou");
        assert_eq!(got.credential_source, CredentialSource::Arguments);
    }

    #[test]
    fn env_beats_profile_and_first_variable_wins() {
        let fx = Fixture::with_config();
        let env = fx.env(&[
            ("ALICLOUD_ACCESS_KEY", "AK-env"),
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "AK-second"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "sk-env"),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", "tok-env"),
            ("ALIBABA_CLOUD_REGION_ID", "cn-qingdao"),
        ]);
        let got = resolve(&ProviderSettings::default(), &env).unwrap();
        assert_eq!(keys(&got).access_key_id, "AK-env");
        assert_eq!(keys(&got).access_key_secret.expose(), "sk-env");
        assert_eq!(keys(&got).security_token, Some("tok-env".into()));
        assert_eq!(got.region, "cn-qingdao");
        assert_eq!(
            got.credential_source,
            CredentialSource::Environment("ALICLOUD_ACCESS_KEY")
        );
    }

    #[test]
    fn empty_values_count_as_unset() {
        let fx = Fixture::with_config();
        let env = fx.env(&[("ALICLOUD_ACCESS_KEY", ""), ("ALICLOUD_REGION", "")]);
        let settings = ProviderSettings {
            access_key: Some(String::new()),
            ..Default::default()
        };
        let got = resolve(&settings, &env).unwrap();
        assert_eq!(keys(&got).access_key_id, "AK-profile");
        assert_eq!(got.region, "cn-shanghai");
    }

    #[test]
    fn current_ak_profile_is_the_last_resort() {
        let fx = Fixture::with_config();
        let got = resolve(&ProviderSettings::default(), &fx.env(&[])).unwrap();
        assert_eq!(keys(&got).access_key_id, "AK-profile");
        assert_eq!(keys(&got).security_token, None);
        assert_eq!(got.region, "cn-shanghai");
        assert_eq!(
            got.credential_source,
            CredentialSource::Profile {
                name: "main".into(),
                path: fx.path().join(".aliyun/config.json"),
            }
        );
    }

    #[test]
    fn sts_profile_by_argument_or_env() {
        let fx = Fixture::with_config();
        let by_arg = ProviderSettings {
            profile: Some("sts".into()),
            ..Default::default()
        };
        let got = resolve(&by_arg, &fx.env(&[("ALICLOUD_PROFILE", "main")])).unwrap();
        assert_eq!(keys(&got).access_key_id, "STS.p");
        assert_eq!(keys(&got).security_token, Some("tok-sts".into()));
        assert_eq!(got.region, "cn-beijing");
        let by_env = resolve(
            &ProviderSettings::default(),
            &fx.env(&[("ALIBABA_CLOUD_PROFILE", "sts")]),
        )
        .unwrap();
        assert_eq!(keys(&by_env).access_key_id, "STS.p");
    }

    #[test]
    fn region_from_env_overrides_the_profile() {
        let fx = Fixture::with_config();
        let got = resolve(
            &ProviderSettings::default(),
            &fx.env(&[("ALIBABA_CLOUD_REGION", "ap-southeast-1")]),
        )
        .unwrap();
        assert_eq!(keys(&got).access_key_id, "AK-profile");
        assert_eq!(got.region, "ap-southeast-1");
    }

    #[test]
    fn config_path_override() {
        let fx = Fixture::empty();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("custom.json");
        std::fs::write(&path, CONFIG).unwrap();
        let settings = ProviderSettings {
            config_path: Some(path),
            ..Default::default()
        };
        assert_eq!(
            keys(&resolve(&settings, &fx.env(&[])).unwrap()).access_key_id,
            "AK-profile"
        );
    }

    #[test]
    fn missing_credentials_lists_every_place() {
        let fx = Fixture::empty();
        let err = resolve(&ProviderSettings::default(), &fx.env(&[])).unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, ConfigError::MissingCredentials { .. }));
        assert!(!text.contains("access_key"), "neutral names only: {text}");
        for place in [
            "explicit access key id and access key secret",
            "explicit OIDC provider ARN",
            "explicit RAM role name of the ECS instance",
            "explicit credentials URI",
            "ALICLOUD_ACCESS_KEY/ALIBABA_CLOUD_ACCESS_KEY_ID",
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_ROLE_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE",
            "ALICLOUD_SECRET_KEY/ALIBABA_CLOUD_ACCESS_KEY_SECRET",
            ".aliyun/config.json (not found)",
        ] {
            assert!(text.contains(place), "{text} lacks {place}");
        }
        let no_home = |_: &str| None::<String>;
        let text = resolve(&ProviderSettings::default(), &no_home)
            .unwrap_err()
            .to_string();
        assert!(text.contains("HOME is not set"), "{text}");
    }

    #[test]
    fn half_a_key_pair_is_an_error_not_a_fallback() {
        let fx = Fixture::with_config();
        let err = resolve(
            &ProviderSettings::default(),
            &fx.env(&[("ALICLOUD_ACCESS_KEY", "AK")]),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the access key id is set (from environment variable ALICLOUD_ACCESS_KEY) but the access key secret is not; set both"
        );
        let settings = ProviderSettings {
            security_token: Some("tok".into()),
            ..Default::default()
        };
        assert!(matches!(
            resolve(&settings, &fx.env(&[])),
            Err(ConfigError::IncompleteCredentials {
                present: Setting::SecurityToken,
                ..
            })
        ));
    }

    #[test]
    fn missing_region_is_an_error() {
        let fx = Fixture::empty();
        let mut settings = explicit();
        settings.region = None;
        let err = resolve(&settings, &fx.env(&[])).unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, ConfigError::MissingRegion { .. }));
        assert!(
            text.contains("ALICLOUD_REGION/ALIBABA_CLOUD_REGION/ALIBABA_CLOUD_REGION_ID"),
            "{text}"
        );
    }

    #[test]
    fn named_profile_problems_surface() {
        let fx = Fixture::empty();
        let settings = ProviderSettings {
            profile: Some("work".into()),
            ..Default::default()
        };
        let err = resolve(&settings, &fx.env(&[])).unwrap_err();
        assert!(matches!(err, ConfigError::ProfileFile { ref reason, .. } if reason == "file not found"));
        let fx = Fixture::with_config();
        let err = resolve(&settings, &fx.env(&[])).unwrap_err();
        assert!(matches!(err, ConfigError::ProfileNotFound { .. }));
    }

    #[test]
    fn explicit_credentials_do_not_read_a_profile_they_do_not_need() {
        // ALICLOUD_PROFILE names a profile that does not exist, but nothing is needed from it.
        let fx = Fixture::empty();
        let got = resolve(&explicit(), &fx.env(&[("ALICLOUD_PROFILE", "ghost")])).unwrap();
        assert_eq!(keys(&got).access_key_id, "AK-arg");
    }

    #[test]
    fn endpoint_from_argument_or_env() {
        let fx = Fixture::empty();
        let env = fx.env(&[("ALICLOUD_ECS_ENDPOINT", "http://127.0.0.1:9999")]);
        assert_eq!(
            resolve(&explicit(), &env).unwrap().ecs_endpoint.as_deref(),
            Some("http://127.0.0.1:9999")
        );
        let mut settings = explicit();
        settings.ecs_endpoint = Some("ecs-vpc.cn-hangzhou.aliyuncs.com".into());
        assert_eq!(
            resolve(&settings, &env).unwrap().ecs_endpoint.as_deref(),
            Some("ecs-vpc.cn-hangzhou.aliyuncs.com")
        );
        assert_eq!(resolve(&explicit(), &fx.env(&[])).unwrap().ecs_endpoint, None);
    }

    #[test]
    fn closures_work_as_env() {
        let env = |name: &str| match name {
            "ALIBABA_CLOUD_ACCESS_KEY_ID" => Some("AK-c".to_owned()),
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET" => Some("sk-c".to_owned()),
            "ALICLOUD_REGION" => Some("cn-hangzhou".to_owned()),
            _ => None,
        };
        let got = resolve(&ProviderSettings::default(), &env).unwrap();
        assert_eq!(keys(&got).access_key_id, "AK-c");
    }
    fn oidc_env(fx: &Fixture, extra: &[(&str, &str)]) -> HashMap<String, String> {
        let mut pairs = vec![
            ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1:oidc-provider/ci"),
            ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/run/token"),
            ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/ci"),
            ("ALICLOUD_REGION", "cn-hangzhou"),
        ];
        pairs.extend_from_slice(extra);
        fx.env(&pairs)
    }

    #[test]
    fn precedence_explicit_sources_then_environment_then_profile() {
        let fx = Fixture::with_config();
        // Environment keys lose to an explicit ECS role name...
        let settings = ProviderSettings {
            ecs_role_name: Some("instance-role".into()),
            ..Default::default()
        };
        let env = fx.env(&FULL_ENV);
        let got = resolve(&settings, &env).unwrap();
        assert_eq!(
            got.credentials,
            CredentialSpec::EcsRole {
                role_name: "instance-role".into()
            }
        );
        // ...but win over an ECS role name and a URI from the environment.
        let env = fx.env(&[
            FULL_ENV[0],
            FULL_ENV[1],
            FULL_ENV[3],
            ("ALICLOUD_ECS_ROLE_NAME", "r"),
            ("ALIBABA_CLOUD_CREDENTIALS_URI", "http://127.0.0.1:1/creds"),
        ]);
        assert_eq!(
            keys(&resolve(&ProviderSettings::default(), &env).unwrap()).access_key_id,
            "AK-env"
        );
        // The environment's OIDC settings beat its ECS role and URI, and the profile.
        let got = resolve(
            &ProviderSettings::default(),
            &oidc_env(&fx, &[("ALICLOUD_ECS_ROLE_NAME", "r")]),
        )
        .unwrap();
        let CredentialSpec::Oidc(oidc) = &got.credentials else {
            panic!("{got:?}");
        };
        assert_eq!(oidc.token, OidcToken::File("/run/token".into()));
        assert_eq!(oidc.role.role_arn, "acs:ram::1:role/ci");
        // ALIBABA_CLOUD_ROLE_ARN named the OIDC role: no AssumeRole on top of it.
        assert!(matches!(got.credential_source, CredentialSource::Oidc { .. }));
        // A URI from the environment, last before the profile.
        let env = fx.env(&[
            ("ALICLOUD_CREDENTIALS_URI", "http://127.0.0.1:1/c"),
            ("ALICLOUD_REGION", "x"),
        ]);
        let got = resolve(&ProviderSettings::default(), &env).unwrap();
        assert_eq!(
            got.credentials,
            CredentialSpec::Uri {
                uri: "http://127.0.0.1:1/c".into()
            }
        );
    }

    #[test]
    fn assume_role_wraps_the_base_source() {
        let fx = Fixture::with_config();
        let mut settings = explicit();
        settings.assume_role = Some(AssumeRoleSettings {
            role_arn: Some("acs:ram::1:role/deploy".into()),
            session_expiration: Some(900),
            ..Default::default()
        });
        let got = resolve(
            &settings,
            &fx.env(&[("ALICLOUD_ASSUME_ROLE_SESSION_NAME", "pipeline")]),
        )
        .unwrap();
        let CredentialSpec::AssumeRole { base, role } = &got.credentials else {
            panic!("{got:?}");
        };
        assert!(matches!(&**base, CredentialSpec::Static(c) if c.access_key_id == "AK-arg"));
        assert_eq!(
            (role.session_name.as_str(), role.duration_seconds),
            ("pipeline", Some(900))
        );
        // From the environment alone, on top of the profile's keys.
        let got = resolve(
            &ProviderSettings::default(),
            &fx.env(&[("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/env")]),
        )
        .unwrap();
        assert!(
            matches!(&got.credential_source, CredentialSource::AssumeRole { role_arn, base }
            if role_arn == "acs:ram::1:role/env" && matches!(**base, CredentialSource::Profile { .. }))
        );
        // Out-of-range durations are refused, wherever they come from.
        settings.assume_role.as_mut().unwrap().session_expiration = Some(60);
        assert!(matches!(
            resolve(&settings, &fx.env(&[])),
            Err(ConfigError::InvalidSetting {
                setting: Setting::AssumeRoleSessionExpiration,
                ..
            })
        ));
        let env = fx.env(&[
            FULL_ENV[0],
            FULL_ENV[1],
            ("ALICLOUD_ASSUME_ROLE_ARN", "acs:ram::1:role/env"),
            ("ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION", "soon"),
        ]);
        assert!(resolve(&ProviderSettings::default(), &env)
            .unwrap_err()
            .to_string()
            .contains("\"soon\" is not a number"));
    }

    #[test]
    fn an_environment_role_never_switches_explicit_credentials() {
        let fx = Fixture::with_config();
        let env = fx.env(&[("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/rrsa")]);
        let got = resolve(&explicit(), &env).unwrap();
        assert_eq!(keys(&got).access_key_id, "AK-arg");
        assert_eq!(
            got.warnings,
            [ConfigWarning::EnvironmentRoleIgnored {
                var: "ALIBABA_CLOUD_ROLE_ARN",
                role_arn: "acs:ram::1:role/rrsa".into(),
                chosen: Setting::AccessKeyId,
            }]
        );
        // An explicitly named profile names the credentials too.
        let by_profile = ProviderSettings {
            profile: Some("main".into()),
            ..Default::default()
        };
        let got = resolve(&by_profile, &env).unwrap();
        assert_eq!(keys(&got).access_key_id, "AK-profile");
        assert_eq!(got.warnings.len(), 1);
        // An explicit role still applies, silently.
        let mut settings = explicit();
        settings.assume_role = Some(AssumeRoleSettings {
            role_arn: Some("acs:ram::1:role/deploy".into()),
            ..Default::default()
        });
        let got = resolve(&settings, &env).unwrap();
        assert!(
            matches!(&got.credential_source, CredentialSource::AssumeRole { role_arn, .. } if role_arn == "acs:ram::1:role/deploy")
        );
        assert!(got.warnings.is_empty());
        // Nor does an environment token join keys written explicitly.
        let env = fx.env(&[("ALIBABA_CLOUD_SECURITY_TOKEN", "tok-env")]);
        let got = resolve(&explicit(), &env).unwrap();
        assert_eq!(keys(&got).security_token, None);
        assert_eq!(
            got.warnings,
            [ConfigWarning::EnvironmentTokenIgnored {
                var: "ALIBABA_CLOUD_SECURITY_TOKEN"
            }]
        );
    }

    #[test]
    fn two_explicit_sources_are_refused() {
        let fx = Fixture::empty();
        let mut settings = explicit();
        settings.assume_role_with_oidc = Some(OidcSettings::default());
        settings.ecs_role_name = Some("instance-role".into());
        assert_eq!(
            resolve(&settings, &fx.env(&[])),
            Err(ConfigError::ConflictingCredentials {
                settings: vec![
                    Setting::AccessKeyId,
                    Setting::OidcProviderArn,
                    Setting::EcsRoleName
                ]
            })
        );
    }

    #[test]
    fn blank_keys_are_refused_and_white_space_around_them_removed() {
        let fx = Fixture::empty();
        let mut settings = explicit();
        settings.secret_key = Some("sk-arg\n".into());
        let got = resolve(&settings, &fx.env(&[])).unwrap();
        assert_eq!(keys(&got).access_key_secret.expose(), "sk-arg");
        let [ConfigWarning::Trimmed { setting, what, .. }] = got.warnings.as_slice() else {
            panic!("{:?}", got.warnings);
        };
        assert_eq!(
            (*setting, what.as_str()),
            (Setting::AccessKeySecret, "ends with a newline")
        );
        assert!(!got.warnings[0].to_string().contains("sk-arg"));
        for (given, why) in [("  ", "blank"), ("sk arg", "contains white space")] {
            settings.secret_key = Some(given.into());
            let err = resolve(&settings, &fx.env(&[])).unwrap_err().to_string();
            assert!(err.contains(why) && err.contains("access key secret"), "{err}");
        }
        let env = fx.env(&[("ALICLOUD_ACCESS_KEY", " "), ("ALICLOUD_SECRET_KEY", "s")]);
        assert!(matches!(
            resolve(&ProviderSettings::default(), &env),
            Err(ConfigError::InvalidSetting {
                setting: Setting::AccessKeyId,
                origin: Origin::Environment("ALICLOUD_ACCESS_KEY"),
                ..
            })
        ));
    }

    #[test]
    fn incomplete_oidc_settings_name_what_is_missing() {
        let fx = Fixture::empty();
        let settings = ProviderSettings {
            region: Some("cn-hangzhou".into()),
            assume_role_with_oidc: Some(OidcSettings {
                provider_arn: Some("acs:ram::1:oidc-provider/ci".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        match resolve(&settings, &fx.env(&[])) {
            Err(ConfigError::IncompleteCredentials { present, missing, .. }) => {
                assert_eq!(present, Setting::OidcProviderArn);
                assert_eq!(missing, [Setting::OidcRoleArn, Setting::OidcTokenFile]);
            }
            other => panic!("{other:?}"),
        }
        // The block's missing fields come from the environment.
        let got = resolve(&settings, &oidc_env(&fx, &[])).unwrap();
        assert!(matches!(got.credentials, CredentialSpec::Oidc(_)));
    }

    #[test]
    fn a_blank_inline_oidc_token_is_refused_not_sent() {
        let fx = Fixture::empty();
        let mut settings = ProviderSettings {
            region: Some("cn-hangzhou".into()),
            assume_role_with_oidc: Some(OidcSettings {
                provider_arn: Some("acs:ram::1:oidc-provider/ci".into()),
                role_arn: Some("acs:ram::1:role/ci".into()),
                token: Some("   ".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert!(matches!(
            resolve(&settings, &fx.env(&[])),
            Err(ConfigError::InvalidSetting {
                setting: Setting::OidcToken,
                ..
            })
        ));
        if let Some(block) = settings.assume_role_with_oidc.as_mut() {
            block.token = Some("header.claims.\n".into());
        }
        let got = resolve(&settings, &fx.env(&[])).unwrap();
        let CredentialSpec::Oidc(spec) = &got.credentials else {
            panic!("{:?}", got.credentials);
        };
        assert!(matches!(&spec.token, OidcToken::Value(t) if t.expose() == "header.claims."));
        assert!(matches!(
            got.warnings.as_slice(),
            [ConfigWarning::Trimmed {
                setting: Setting::OidcToken,
                ..
            }]
        ));
    }

    #[test]
    fn sts_and_metadata_endpoints() {
        let fx = Fixture::empty();
        let env = fx.env(&[
            ("ALICLOUD_STS_ENDPOINT", "http://127.0.0.1:1"),
            ("ALIBABA_CLOUD_IMDS_ENDPOINT", "http://127.0.0.1:2"),
        ]);
        let got = resolve(&explicit(), &env).unwrap();
        assert_eq!(got.sts_endpoint.as_deref(), Some("http://127.0.0.1:1"));
        assert_eq!(got.metadata_endpoint.as_deref(), Some("http://127.0.0.1:2"));
        assert_eq!(resolve(&explicit(), &fx.env(&[])).unwrap().sts_endpoint, None);
    }
}
