//! Profiles of the Alibaba Cloud CLI configuration file, `~/.aliyun/config.json`
//! (fact sheet 6.2). Only the static modes are read: `AK` and `StsToken`.

use std::path::Path;

use serde::Deserialize;

use super::credentials::Credentials;
use super::error::ConfigError;
use super::secret::SecretString;

#[derive(Deserialize)]
struct ConfigFile {
    #[serde(default)]
    current: String,
    #[serde(default)]
    profiles: Vec<RawProfile>,
}

#[derive(Deserialize)]
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
}

/// A profile's credentials and region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Profile {
    pub name: String,
    pub credentials: Credentials,
    pub region: Option<String>,
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
    let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => LoadError::NotFound,
        _ => LoadError::Invalid(ConfigError::ProfileFile {
            path: shown.clone(),
            reason: e.to_string(),
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
    let raw = file
        .profiles
        .into_iter()
        .find(|p| p.name == wanted)
        .ok_or_else(|| {
            LoadError::Invalid(ConfigError::ProfileNotFound {
                name: wanted.to_owned(),
                path: shown.clone(),
            })
        })?;
    to_profile(raw, &shown).map_err(LoadError::Invalid)
}

fn to_profile(raw: RawProfile, path: &str) -> Result<Profile, ConfigError> {
    let incomplete = |field| ConfigError::IncompleteProfile {
        name: raw.name.clone(),
        path: path.to_owned(),
        field,
    };
    // Old CLI versions wrote no mode for plain access keys.
    let sts = match raw.mode.as_str() {
        "AK" | "" => false,
        "StsToken" => true,
        other => {
            return Err(ConfigError::UnsupportedProfileMode {
                name: raw.name.clone(),
                path: path.to_owned(),
                mode: other.to_owned(),
            })
        }
    };
    if raw.access_key_id.is_empty() {
        return Err(incomplete("access_key_id"));
    }
    if raw.access_key_secret.is_empty() {
        return Err(incomplete("access_key_secret"));
    }
    let mut credentials = Credentials::new(raw.access_key_id.clone(), raw.access_key_secret.clone());
    if sts {
        if raw.sts_token.is_empty() {
            return Err(incomplete("sts_token"));
        }
        credentials = credentials.with_security_token(raw.sts_token.clone());
    }
    Ok(Profile {
        name: raw.name.clone(),
        credentials,
        region: Some(raw.region_id.clone()).filter(|r| !r.is_empty()),
    })
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
        {"name":"role","mode":"RamRoleArn","access_key_id":"a","access_key_secret":"b","ram_role_arn":"x"},
        {"name":"broken","mode":"StsToken","access_key_id":"a","access_key_secret":"b"}
      ],
      "meta_path": ""
    }"#;

    fn write(text: &str) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), text).unwrap();
        file
    }

    #[test]
    fn current_profile_is_the_default_choice() {
        let file = write(FILE);
        let profile = load(file.path(), None).unwrap();
        assert_eq!(profile.name, "work");
        assert_eq!(profile.credentials.access_key_id, "STS.work");
        assert_eq!(profile.credentials.access_key_secret.expose(), "sk-work");
        assert_eq!(
            profile
                .credentials
                .security_token
                .as_ref()
                .map(SecretString::expose),
            Some("tok-work")
        );
        assert_eq!(profile.region.as_deref(), Some("cn-hangzhou"));
    }

    #[test]
    fn named_ak_profile() {
        let file = write(FILE);
        let profile = load(file.path(), Some("default")).unwrap();
        assert_eq!(profile.credentials.access_key_id, "AK-default");
        assert_eq!(profile.credentials.security_token, None);
        assert_eq!(profile.region.as_deref(), Some("cn-beijing"));
    }

    #[test]
    fn empty_current_falls_back_to_default() {
        let file = write(&FILE.replace(r#""current": "work""#, r#""current": """#));
        assert_eq!(load(file.path(), None).unwrap().name, "default");
    }

    #[test]
    fn unusable_profiles_are_clear_errors() {
        let file = write(FILE);
        let err = |name| match load(file.path(), Some(name)) {
            Err(LoadError::Invalid(e)) => e,
            other => panic!("expected an error for {name}, got {other:?}"),
        };
        assert!(
            matches!(err("role"), ConfigError::UnsupportedProfileMode { mode, .. } if mode == "RamRoleArn")
        );
        assert!(matches!(
            err("broken"),
            ConfigError::IncompleteProfile {
                field: "sts_token",
                ..
            }
        ));
        assert!(matches!(err("nope"), ConfigError::ProfileNotFound { .. }));
    }

    #[test]
    fn missing_and_malformed_files() {
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
    }
}
