//! Neutral names for the client's settings and where their values came from, so that
//! configuration errors say *what* is wrong without knowing how a caller spells it. The
//! Terraform provider renders these with its argument names; the environment variable
//! names are the same for everyone and stay as they are.

use std::fmt;

/// One setting the configuration chain reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Setting {
    AccessKeyId,
    AccessKeySecret,
    SecurityToken,
    Region,
    Profile,
    EcsEndpoint,
    StsEndpoint,
    MetadataEndpoint,
    AssumeRoleArn,
    AssumeRoleSessionName,
    AssumeRoleSessionExpiration,
    OidcProviderArn,
    OidcTokenFile,
    OidcToken,
    OidcRoleArn,
    OidcSessionName,
    OidcSessionExpiration,
    EcsRoleName,
    CredentialsUri,
}

impl Setting {
    /// What the setting is, in plain words.
    pub fn describe(self) -> &'static str {
        match self {
            Self::AccessKeyId => "access key id",
            Self::AccessKeySecret => "access key secret",
            Self::SecurityToken => "security token",
            Self::Region => "region",
            Self::Profile => "profile name",
            Self::EcsEndpoint => "ECS endpoint",
            Self::StsEndpoint => "STS endpoint",
            Self::MetadataEndpoint => "metadata service endpoint",
            Self::AssumeRoleArn => "ARN of the role to assume",
            Self::AssumeRoleSessionName => "session name of the assumed role",
            Self::AssumeRoleSessionExpiration => "session duration of the assumed role",
            Self::OidcProviderArn => "OIDC provider ARN",
            Self::OidcTokenFile => "OIDC token file",
            Self::OidcToken => "OIDC token",
            Self::OidcRoleArn => "ARN of the role to assume with the OIDC token",
            Self::OidcSessionName => "session name of the OIDC role",
            Self::OidcSessionExpiration => "session duration of the OIDC role",
            Self::EcsRoleName => "RAM role name of the ECS instance",
            Self::CredentialsUri => "credentials URI",
        }
    }
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// Where a value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Given explicitly by the caller (for Terraform: the provider block).
    Explicit(Setting),
    Environment(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Explicit(setting) => write!(f, "the explicit {setting}"),
            Self::Environment(var) => write!(f, "environment variable {var}"),
        }
    }
}

/// One place the chain looked in, for the "nothing found" errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Explicit settings, all needed together.
    Explicit(Vec<Setting>),
    /// Environment variables: groups needed together, each group's names alternatives.
    Environment(Vec<Vec<&'static str>>),
    /// The CLI profile file; `None` when its default location is unknown (no HOME).
    ProfileFile {
        path: Option<String>,
        note: &'static str,
    },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Explicit(settings) => {
                let names: Vec<&str> = settings.iter().map(|s| s.describe()).collect();
                write!(f, "explicit {}", names.join(" and "))
            }
            Self::Environment(groups) => {
                let names: Vec<String> = groups.iter().map(|g| g.join("/")).collect();
                write!(f, "environment variables {}", names.join(" and "))
            }
            Self::ProfileFile {
                path: Some(path),
                note,
            } => write!(f, "profile file {path} ({note})"),
            Self::ProfileFile { path: None, note } => {
                write!(f, "profile file ~/.aliyun/config.json ({note})")
            }
        }
    }
}
