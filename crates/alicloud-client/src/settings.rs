//! The provider's configuration chain: explicit values first (the provider block), then the
//! environment, then a profile of `~/.aliyun/config.json`. The environment is read through
//! [`Env`], so tests inject a map instead of mutating the process environment.

use std::collections::HashMap;
use std::path::PathBuf;

use super::credentials::{CredentialSource, Credentials};
use super::error::ConfigError;
use super::profile::{self, LoadError, Profile};
use super::secret::SecretString;

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
    /// `endpoints { ecs }`: a full base URL or a bare host.
    pub ecs_endpoint: Option<String>,
}

/// The outcome of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedSettings {
    pub credentials: Credentials,
    pub credential_source: CredentialSource,
    pub region: String,
    pub ecs_endpoint: Option<String>,
}

#[derive(Clone, Copy)]
enum Origin {
    Argument(&'static str),
    Environment(&'static str),
}

impl Origin {
    fn describe(self) -> String {
        match self {
            Self::Argument(name) => format!("provider argument {name}"),
            Self::Environment(var) => format!("environment variable {var}"),
        }
    }
}

/// Resolves credentials, region and endpoint override. The profile file is consulted only
/// when the arguments and environment hold no access key pair, or when a profile is named
/// and the region is still unknown.
pub fn resolve(settings: &ProviderSettings, env: &dyn Env) -> Result<ResolvedSettings, ConfigError> {
    let access_key = pick(settings.access_key.clone(), "access_key", env, &ACCESS_KEY_VARS);
    let secret_key = pick(
        settings.secret_key.as_ref().map(|s| s.expose().to_owned()),
        "secret_key",
        env,
        &SECRET_KEY_VARS,
    );
    let token = pick(
        settings.security_token.as_ref().map(|s| s.expose().to_owned()),
        "security_token",
        env,
        &SECURITY_TOKEN_VARS,
    );
    let incomplete = |present, missing, origin: Origin| ConfigError::IncompleteCredentials {
        present,
        missing,
        origin: origin.describe(),
    };
    let direct = match (access_key, secret_key) {
        (Some((origin, id)), Some((_, secret))) => {
            let mut credentials = Credentials::new(id, secret);
            if let Some((_, token)) = token {
                credentials = credentials.with_security_token(token);
            }
            let source = match origin {
                Origin::Argument(_) => CredentialSource::Arguments,
                Origin::Environment(var) => CredentialSource::Environment(var),
            };
            Some((credentials, source))
        }
        (Some((origin, _)), None) => return Err(incomplete("access_key", "secret_key", origin)),
        (None, Some((origin, _))) => return Err(incomplete("secret_key", "access_key", origin)),
        (None, None) => match token {
            Some((origin, _)) => {
                return Err(incomplete("security_token", "access_key and secret_key", origin))
            }
            None => None,
        },
    };

    let region = pick(settings.region.clone(), "region", env, &REGION_VARS).map(|(_, r)| r);
    let profile_name = pick(settings.profile.clone(), "profile", env, &PROFILE_VARS).map(|(_, p)| p);
    let path = settings.config_path.clone().or_else(|| default_config_path(env));
    let wants_profile = direct.is_none() || (region.is_none() && profile_name.is_some());
    let profile = if wants_profile {
        load_profile(path.as_ref(), profile_name.as_deref())?
    } else {
        None
    };
    let profile_place = match (&path, &profile) {
        (_, Some(p)) => format!("profile {:?}", p.name),
        (Some(path), None) => format!("profile file {} (not found)", path.display()),
        (None, None) => "profile file ~/.aliyun/config.json (HOME is not set)".to_owned(),
    };

    let (credentials, credential_source) = match (direct, &profile) {
        (Some(found), _) => found,
        (None, Some(p)) => (
            p.credentials.clone(),
            CredentialSource::Profile {
                name: p.name.clone(),
                path: path.clone().unwrap_or_default(),
            },
        ),
        (None, None) => {
            return Err(ConfigError::MissingCredentials {
                looked: vec![
                    "provider arguments access_key and secret_key".to_owned(),
                    format!(
                        "environment variables {} and {}",
                        ACCESS_KEY_VARS.join("/"),
                        SECRET_KEY_VARS.join("/")
                    ),
                    profile_place,
                ],
            })
        }
    };
    let region = match region.or_else(|| profile.as_ref().and_then(|p| p.region.clone())) {
        Some(region) => region,
        None => {
            return Err(ConfigError::MissingRegion {
                looked: vec![
                    "provider argument region".to_owned(),
                    format!("environment variables {}", REGION_VARS.join("/")),
                    format!("{profile_place} (region_id, read when credentials come from a profile)"),
                ],
            })
        }
    };
    let ecs_endpoint = pick(
        settings.ecs_endpoint.clone(),
        "endpoints.ecs",
        env,
        &[ECS_ENDPOINT_VAR],
    )
    .map(|(_, e)| e);
    Ok(ResolvedSettings {
        credentials,
        credential_source,
        region,
        ecs_endpoint,
    })
}

/// The explicit value, else the first environment variable set; empty means unset.
fn pick(
    explicit: Option<String>,
    argument: &'static str,
    env: &dyn Env,
    vars: &[&'static str],
) -> Option<(Origin, String)> {
    if let Some(value) = explicit.filter(|v| !v.is_empty()) {
        return Some((Origin::Argument(argument), value));
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
        assert_eq!(got.credentials.access_key_id, "AK-arg");
        assert_eq!(got.credentials.access_key_secret.expose(), "sk-arg");
        assert_eq!(got.credentials.security_token, Some("tok-arg".into()));
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
        assert_eq!(got.credentials.access_key_id, "AK-env");
        assert_eq!(got.credentials.access_key_secret.expose(), "sk-env");
        assert_eq!(got.credentials.security_token, Some("tok-env".into()));
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
        assert_eq!(got.credentials.access_key_id, "AK-profile");
        assert_eq!(got.region, "cn-shanghai");
    }

    #[test]
    fn current_ak_profile_is_the_last_resort() {
        let fx = Fixture::with_config();
        let got = resolve(&ProviderSettings::default(), &fx.env(&[])).unwrap();
        assert_eq!(got.credentials.access_key_id, "AK-profile");
        assert_eq!(got.credentials.security_token, None);
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
        assert_eq!(got.credentials.access_key_id, "STS.p");
        assert_eq!(got.credentials.security_token, Some("tok-sts".into()));
        assert_eq!(got.region, "cn-beijing");
        let by_env = resolve(
            &ProviderSettings::default(),
            &fx.env(&[("ALIBABA_CLOUD_PROFILE", "sts")]),
        )
        .unwrap();
        assert_eq!(by_env.credentials.access_key_id, "STS.p");
    }

    #[test]
    fn region_from_env_overrides_the_profile() {
        let fx = Fixture::with_config();
        let got = resolve(
            &ProviderSettings::default(),
            &fx.env(&[("ALIBABA_CLOUD_REGION", "ap-southeast-1")]),
        )
        .unwrap();
        assert_eq!(got.credentials.access_key_id, "AK-profile");
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
            resolve(&settings, &fx.env(&[]))
                .unwrap()
                .credentials
                .access_key_id,
            "AK-profile"
        );
    }

    #[test]
    fn missing_credentials_lists_every_place() {
        let fx = Fixture::empty();
        let err = resolve(&ProviderSettings::default(), &fx.env(&[])).unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, ConfigError::MissingCredentials { .. }));
        for place in [
            "access_key and secret_key",
            "ALICLOUD_ACCESS_KEY/ALIBABA_CLOUD_ACCESS_KEY_ID",
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
            "access_key is set (from environment variable ALICLOUD_ACCESS_KEY) but secret_key is not; set both"
        );
        let settings = ProviderSettings {
            security_token: Some("tok".into()),
            ..Default::default()
        };
        assert!(matches!(
            resolve(&settings, &fx.env(&[])),
            Err(ConfigError::IncompleteCredentials {
                present: "security_token",
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
        assert_eq!(got.credentials.access_key_id, "AK-arg");
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
        assert_eq!(got.credentials.access_key_id, "AK-c");
    }
}
