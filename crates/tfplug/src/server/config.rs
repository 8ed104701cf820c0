//! The serving settings Terraform (and we) pass through the environment: transport, port
//! range, socket directory and Terraform's client certificate.

use std::path::PathBuf;

use super::listener::Transport;

/// Our own switch: `tcp` serves on loopback TCP instead of a unix socket.
pub const NETWORK_VAR: &str = "TF_PLUGIN_NETWORK";
const DEFAULT_MIN_PORT: u16 = 10000;
const DEFAULT_MAX_PORT: u16 = 25000;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{NETWORK_VAR} must be `unix` or `tcp`, not `{0}`")]
    Network(String),
    #[error("{name} must be a port number, not `{value}`")]
    Port { name: &'static str, value: String },
    #[error("PLUGIN_MIN_PORT ({min}) is above PLUGIN_MAX_PORT ({max})")]
    PortRange { min: u16, max: u16 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeConfig {
    pub transport: Transport,
    /// PEM of Terraform's client certificate; `None` serves plaintext.
    pub client_cert_pem: Option<String>,
}

impl ServeConfig {
    pub fn from_env() -> Result<ServeConfig, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Same as `from_env`, reading variables through `lookup` (empty counts as unset).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<ServeConfig, ConfigError> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let transport = match var(NETWORK_VAR).as_deref().map(str::trim) {
            None | Some("unix") => Transport::Unix {
                dir: var("PLUGIN_UNIX_SOCKET_DIR").map_or_else(std::env::temp_dir, PathBuf::from),
            },
            Some("tcp") => {
                let min_port = port(var("PLUGIN_MIN_PORT"), "PLUGIN_MIN_PORT", DEFAULT_MIN_PORT)?;
                let max_port = port(var("PLUGIN_MAX_PORT"), "PLUGIN_MAX_PORT", DEFAULT_MAX_PORT)?;
                if min_port > max_port {
                    return Err(ConfigError::PortRange {
                        min: min_port,
                        max: max_port,
                    });
                }
                Transport::Tcp { min_port, max_port }
            }
            Some(other) => return Err(ConfigError::Network(other.to_string())),
        };
        Ok(ServeConfig {
            transport,
            client_cert_pem: var("PLUGIN_CLIENT_CERT"),
        })
    }
}

fn port(value: Option<String>, name: &'static str, default: u16) -> Result<u16, ConfigError> {
    match value {
        None => Ok(default),
        Some(value) => value
            .trim()
            .parse()
            .map_err(|_| ConfigError::Port { name, value }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<ServeConfig, ConfigError> {
        let vars: HashMap<String, String> =
            vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        ServeConfig::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_to_a_unix_socket_in_the_temp_dir_without_tls() {
        let config = config(&[]).unwrap();
        assert_eq!(
            config.transport,
            Transport::Unix {
                dir: std::env::temp_dir()
            }
        );
        assert_eq!(config.client_cert_pem, None);
    }

    #[test]
    fn honours_socket_dir_and_client_cert() {
        let config = config(&[
            ("PLUGIN_UNIX_SOCKET_DIR", "/run/x"),
            ("PLUGIN_CLIENT_CERT", "PEM"),
        ])
        .unwrap();
        assert_eq!(config.transport, Transport::Unix { dir: "/run/x".into() });
        assert_eq!(config.client_cert_pem.as_deref(), Some("PEM"));
    }

    #[test]
    fn tcp_uses_terraforms_port_range() {
        assert_eq!(
            config(&[(NETWORK_VAR, "tcp")]).unwrap().transport,
            Transport::Tcp {
                min_port: 10000,
                max_port: 25000
            }
        );
        assert_eq!(
            config(&[
                (NETWORK_VAR, "tcp"),
                ("PLUGIN_MIN_PORT", "2000"),
                ("PLUGIN_MAX_PORT", "2001")
            ])
            .unwrap()
            .transport,
            Transport::Tcp {
                min_port: 2000,
                max_port: 2001
            }
        );
    }

    #[test]
    fn rejects_bad_settings() {
        assert_eq!(
            config(&[(NETWORK_VAR, "udp")]),
            Err(ConfigError::Network("udp".into()))
        );
        assert!(matches!(
            config(&[(NETWORK_VAR, "tcp"), ("PLUGIN_MIN_PORT", "x")]),
            Err(ConfigError::Port { .. })
        ));
        assert_eq!(
            config(&[
                (NETWORK_VAR, "tcp"),
                ("PLUGIN_MIN_PORT", "3"),
                ("PLUGIN_MAX_PORT", "2")
            ]),
            Err(ConfigError::PortRange { min: 3, max: 2 })
        );
    }
}
