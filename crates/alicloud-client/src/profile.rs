//! Profiles of the Alibaba Cloud CLI configuration file, `~/.aliyun/config.json`
//! (`docs/api-notes.md#credentials-files-and-services`), in the modes `AK`, `StsToken`,
//! `RamRoleArn`, `EcsRamRole` and `ChainableRamRoleArn` (a role assumed with another profile's
//! credentials).

use std::path::Path;

use serde::Deserialize;

use super::credentials::{CredentialSpec, Credentials, RoleSpec};
use super::error::ConfigError;
use super::files::{read_text, FileError, MAX_CONFIG_FILE_BYTES};
use super::secret::SecretString;

#[derive(Deserialize)]
struct ConfigFile {
    #[serde(default)]
    current: String,
    #[serde(default)]
    profiles: Vec<RawProfile>,
}

#[derive(Deserialize, Clone)]
struct RawProfile {
    #[serde(default)]
    name: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    access_key_id: String,
    #[serde(default)]
    access_key_secret: SecretString,
    #[serde(default)]
    sts_token: SecretString,
    #[serde(default)]
    region_id: String,
    #[serde(default)]
    ram_role_arn: String,
    #[serde(default)]
    ram_session_name: String,
    #[serde(default)]
    expired_seconds: Option<u32>,
    #[serde(default)]
    policy: String,
    #[serde(default)]
    external_id: String,
    #[serde(default)]
    ram_role_name: String,
    #[serde(default)]
    source_profile: String,
    #[serde(default)]
    sts_endpoint: String,
}

/// A profile's credential source, region and STS endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Profile {
    pub name: String,
    pub credentials: CredentialSpec,
    pub region: Option<String>,
    pub sts_endpoint: Option<String>,
}

/// Why a profile file could not be used; `NotFound` lets the caller treat an absent file
/// as "nothing configured there".
#[derive(Debug)]
pub(crate) enum LoadError {
    NotFound,
    Invalid(ConfigError),
}

/// Loads the profile `name`, or the file's `current` one (`default` when that is empty).
pub(crate) fn load(path: &Path, name: Option<&str>) -> Result<Profile, LoadError> {
    let shown = path.display().to_string();
    let text = read_text(path, MAX_CONFIG_FILE_BYTES).map_err(|e| match e {
        FileError::NotFound(_) => LoadError::NotFound,
        other => LoadError::Invalid(ConfigError::ProfileFile {
            path: shown.clone(),
            reason: other.to_string(),
        }),
    })?;
    let file: ConfigFile = serde_json::from_str(&text).map_err(|e| {
        LoadError::Invalid(ConfigError::ProfileFile {
            path: shown.clone(),
            // Position only: serde's message may quote a value, and values here are secrets.
            reason: format!("not valid JSON (line {}, column {})", e.line(), e.column()),
        })
    })?;
    let wanted = match name {
        Some(explicit) => explicit,
        None if file.current.is_empty() => "default",
        None => file.current.as_str(),
    };
    let raw = find(&file, wanted, &shown).map_err(LoadError::Invalid)?;
    let credentials = spec_of(&file, raw, &shown, &mut Vec::new()).map_err(LoadError::Invalid)?;
    Ok(Profile {
        name: raw.name.clone(),
        credentials,
        region: Some(raw.region_id.clone()).filter(|r| !r.is_empty()),
        sts_endpoint: Some(raw.sts_endpoint.clone()).filter(|e| !e.is_empty()),
    })
}

fn find<'a>(file: &'a ConfigFile, name: &str, path: &str) -> Result<&'a RawProfile, ConfigError> {
    file.profiles
        .iter()
        .find(|p| p.name == name)
        .ok_or_else(|| ConfigError::ProfileNotFound {
            name: name.to_owned(),
            path: path.to_owned(),
        })
}

/// The credential source of `raw`; `seen` guards `source_profile` chains against loops.
fn spec_of(
    file: &ConfigFile,
    raw: &RawProfile,
    path: &str,
    seen: &mut Vec<String>,
) -> Result<CredentialSpec, ConfigError> {
    let incomplete = |field| ConfigError::IncompleteProfile {
        name: raw.name.clone(),
        path: path.to_owned(),
        field,
    };
    let required = |value: &str, field| match value.is_empty() {
        true => Err(incomplete(field)),
        false => Ok(value.to_owned()),
    };
    // A key, secret or token: blank counts as missing, and white space anywhere in it is
    // refused (the file is written by tools, so it is a damaged value, never sent as is).
    let key = |value: &str, field| match value.trim().is_empty() {
        true => Err(incomplete(field)),
        false if value.contains(char::is_whitespace) => Err(ConfigError::ProfileKeyWhiteSpace {
            name: raw.name.clone(),
            path: path.to_owned(),
            field,
        }),
        false => Ok(()),
    };
    let keys = |with_token: bool| -> Result<CredentialSpec, ConfigError> {
        key(&raw.access_key_id, "access_key_id")?;
        key(raw.access_key_secret.expose(), "access_key_secret")?;
        let mut credentials = Credentials::new(raw.access_key_id.clone(), raw.access_key_secret.clone());
        if with_token {
            key(raw.sts_token.expose(), "sts_token")?;
            credentials = credentials.with_security_token(raw.sts_token.clone());
        }
        Ok(CredentialSpec::Static(credentials))
    };
    let role = || -> Result<RoleSpec, ConfigError> {
        let mut role = RoleSpec::new(required(&raw.ram_role_arn, "ram_role_arn")?);
        if !raw.ram_session_name.is_empty() {
            role.session_name = raw.ram_session_name.clone();
        }
        role.duration_seconds = raw.expired_seconds.filter(|s| *s > 0);
        role.policy = Some(raw.policy.clone()).filter(|p| !p.is_empty());
        role.external_id = Some(raw.external_id.clone()).filter(|e| !e.is_empty());
        Ok(role)
    };
    seen.push(raw.name.clone());
    // Old CLI versions wrote no mode for plain access keys.
    match raw.mode.as_str() {
        "AK" | "" => keys(false),
        "StsToken" => keys(true),
        "RamRoleArn" => Ok(CredentialSpec::AssumeRole {
            base: Box::new(keys(false)?),
            role: role()?,
        }),
        "EcsRamRole" => Ok(CredentialSpec::EcsRole {
            role_name: required(&raw.ram_role_name, "ram_role_name")?,
        }),
        "ChainableRamRoleArn" => {
            let source = required(&raw.source_profile, "source_profile")?;
            if seen.contains(&source) {
                return Err(ConfigError::ProfileCycle {
                    name: raw.name.clone(),
                    path: path.to_owned(),
                });
            }
            let base = spec_of(file, find(file, &source, path)?, path, seen)?;
            Ok(CredentialSpec::AssumeRole {
                base: Box::new(base),
                role: role()?,
            })
        }
        other => Err(ConfigError::UnsupportedProfileMode {
            name: raw.name.clone(),
            path: path.to_owned(),
            mode: other.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"{
      "current": "work",
      "profiles": [
        {"name":"default","mode":"AK","access_key_id":"AK-default","access_key_secret":"sk-default",
         "region_id":"cn-beijing","output_format":"json","language":"en"},
        {"name":"work","mode":"StsToken","access_key_id":"STS.work","access_key_secret":"sk-work",
         "sts_token":"tok-work","region_id":"cn-hangzhou"},
        {"name":"role","mode":"RamRoleArn","access_key_id":"a","access_key_secret":"b",
         "ram_role_arn":"acs:ram::1:role/deploy","ram_session_name":"ci","expired_seconds":900,
         "sts_endpoint":"sts.cn-hangzhou.aliyuncs.com"},
        {"name":"ecs","mode":"EcsRamRole","ram_role_name":"instance-role"},
        {"name":"chain","mode":"ChainableRamRoleArn","source_profile":"role","ram_role_arn":"acs:ram::2:role/next"},
        {"name":"loop-a","mode":"ChainableRamRoleArn","source_profile":"loop-b","ram_role_arn":"x"},
        {"name":"loop-b","mode":"ChainableRamRoleArn","source_profile":"loop-a","ram_role_arn":"y"},
        {"name":"sso","mode":"CloudSSO"},
        {"name":"broken","mode":"StsToken","access_key_id":"a","access_key_secret":"b"},
        {"name":"blank","mode":"AK","access_key_id":"a","access_key_secret":"   "},
        {"name":"spaced","mode":"AK","access_key_id":"a","access_key_secret":"sk-1\n"}
      ],
      "meta_path": ""
    }"#;

    fn write(text: &str) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), text).unwrap();
        file
    }

    fn keys(profile: &Profile) -> &Credentials {
        match &profile.credentials {
            CredentialSpec::Static(credentials) => credentials,
            other => panic!("not static: {other:?}"),
        }
    }

    #[test]
    fn current_profile_is_the_default_choice() {
        let file = write(FILE);
        let profile = load(file.path(), None).unwrap();
        assert_eq!(profile.name, "work");
        let credentials = keys(&profile);
        assert_eq!(credentials.access_key_id, "STS.work");
        assert_eq!(credentials.access_key_secret.expose(), "sk-work");
        assert_eq!(
            credentials.security_token.as_ref().map(SecretString::expose),
            Some("tok-work")
        );
        assert_eq!(profile.region.as_deref(), Some("cn-hangzhou"));
    }

    #[test]
    fn named_ak_profile() {
        let file = write(FILE);
        let profile = load(file.path(), Some("default")).unwrap();
        assert_eq!(keys(&profile).access_key_id, "AK-default");
        assert_eq!(keys(&profile).security_token, None);
        assert_eq!(profile.region.as_deref(), Some("cn-beijing"));
    }

    #[test]
    fn empty_current_falls_back_to_default() {
        let file = write(&FILE.replace(r#""current": "work""#, r#""current": """#));
        assert_eq!(load(file.path(), None).unwrap().name, "default");
    }

    #[test]
    fn role_modes() {
        let file = write(FILE);
        let role = load(file.path(), Some("role")).unwrap();
        let CredentialSpec::AssumeRole { base, role: spec } = &role.credentials else {
            panic!("{role:?}");
        };
        assert!(matches!(&**base, CredentialSpec::Static(c) if c.access_key_id == "a"));
        assert_eq!(
            (
                spec.role_arn.as_str(),
                spec.session_name.as_str(),
                spec.duration_seconds
            ),
            ("acs:ram::1:role/deploy", "ci", Some(900))
        );
        assert_eq!(role.sts_endpoint.as_deref(), Some("sts.cn-hangzhou.aliyuncs.com"));
        assert_eq!(
            load(file.path(), Some("ecs")).unwrap().credentials,
            CredentialSpec::EcsRole {
                role_name: "instance-role".into()
            }
        );
        let chain = load(file.path(), Some("chain")).unwrap();
        let CredentialSpec::AssumeRole { base, role: spec } = &chain.credentials else {
            panic!("{chain:?}");
        };
        assert_eq!(spec.role_arn, "acs:ram::2:role/next");
        assert_eq!(spec.session_name, "terraform");
        assert!(
            matches!(&**base, CredentialSpec::AssumeRole { role, .. } if role.role_arn == "acs:ram::1:role/deploy")
        );
    }

    #[test]
    fn unusable_profiles_are_clear_errors() {
        let file = write(FILE);
        let err = |name| match load(file.path(), Some(name)) {
            Err(LoadError::Invalid(e)) => e,
            other => panic!("expected an error for {name}, got {other:?}"),
        };
        assert!(matches!(err("sso"), ConfigError::UnsupportedProfileMode { mode, .. } if mode == "CloudSSO"));
        assert!(matches!(
            err("broken"),
            ConfigError::IncompleteProfile {
                field: "sts_token",
                ..
            }
        ));
        assert!(matches!(err("loop-a"), ConfigError::ProfileCycle { .. }));
        assert!(matches!(
            err("blank"),
            ConfigError::IncompleteProfile {
                field: "access_key_secret",
                ..
            }
        ));
        let spaced = err("spaced");
        assert!(
            matches!(
                spaced,
                ConfigError::ProfileKeyWhiteSpace {
                    field: "access_key_secret",
                    ..
                }
            ),
            "{spaced:?}"
        );
        assert!(
            !spaced.to_string().contains("sk-1"),
            "the value is never shown: {spaced}"
        );
        assert!(matches!(err("nope"), ConfigError::ProfileNotFound { .. }));
    }

    #[test]
    fn missing_malformed_and_special_files() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            load(&dir.path().join("none.json"), None),
            Err(LoadError::NotFound)
        ));
        let file = write("{ not json");
        match load(file.path(), None) {
            Err(LoadError::Invalid(ConfigError::ProfileFile { reason, .. })) => {
                assert!(reason.contains("not valid JSON"))
            }
            other => panic!("unexpected {other:?}"),
        }
        match load(Path::new("/dev/zero"), None) {
            Err(LoadError::Invalid(ConfigError::ProfileFile { reason, .. })) => {
                assert!(reason.contains("not a regular file"), "{reason}")
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
