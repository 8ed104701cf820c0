//! The emulator's configuration, as the command line builds it and tests may build it directly.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use super::auth::keys::AccessKey;
use super::faults::FaultPlan;
use super::fixtures::Fixtures;
use super::identity::IdentityConfig;
use super::ops::Settings;

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    /// Accepted credentials; empty means the demo pair.
    pub access_keys: Vec<AccessKey>,
    pub fixtures: Fixtures,
    pub state_file: Option<PathBuf>,
    pub settings: Settings,
    pub faults: FaultPlan,
    pub fault_seed: u64,
    /// Listening on anything but loopback must be asked for: the admin endpoints have no
    /// authentication.
    pub allow_non_loopback: bool,
    /// A client that has not sent its request headers within this time is disconnected.
    pub header_read_timeout: Duration,
    /// STS roles, OIDC providers and the metadata service's role.
    pub identity: IdentityConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            access_keys: Vec::new(),
            fixtures: Fixtures::default_set(),
            state_file: None,
            settings: Settings::default(),
            faults: FaultPlan::default(),
            fault_seed: 1,
            allow_non_loopback: false,
            header_read_timeout: Duration::from_secs(10),
            identity: IdentityConfig::default(),
        }
    }
}
