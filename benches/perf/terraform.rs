//! Terraform working directories for each provider, timed Terraform commands, and the
//! emulator our provider talks to during applies.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::procwatch;
use crate::setup::{BenchError, Context, Result, Setup};

const ACCESS_KEY: &str = "perf-access-key";
const SECRET: &str = "perf-secret-not-for-production";
/// Fixtures of the emulator's default set: a Linux shell command and a Running Linux instance.
const COMMAND_ID: &str = "c-hz01emuuptime0001";
const INSTANCE_ID: &str = "i-bp1emulinux000001";

/// Which provider a directory uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Ours,
    Go,
    /// The Go null provider with resources whose state is as large as ours: the control
    /// that separates Terraform's per-byte state costs from the providers' own.
    GoTwin,
}

/// An initialised working directory.
pub struct Workspace<'a> {
    setup: &'a Setup,
    dir: PathBuf,
}

impl<'a> Workspace<'a> {
    /// Writes `main_tf` into a new directory and runs `terraform init` there.
    pub fn init(setup: &'a Setup, name: &str, main_tf: &str) -> Result<Workspace<'a>> {
        let dir = setup.scratch.path().join(name);
        std::fs::create_dir_all(&dir).context(|| format!("creating {}", dir.display()))?;
        std::fs::write(dir.join("main.tf"), main_tf).context(|| "writing main.tf".into())?;
        let workspace = Workspace { setup, dir };
        workspace.run(&["init", "-input=false", "-no-color"], None)?;
        Ok(workspace)
    }

    /// Runs terraform to completion; fails with its output unless it succeeds.
    pub fn run(&self, args: &[&str], emulator: Option<&Emulator>) -> Result<Duration> {
        let mut command = Command::new(&self.setup.terraform);
        command
            .args(args)
            .current_dir(&self.dir)
            .env("TF_CLI_CONFIG_FILE", &self.setup.cli_config)
            .env("TF_IN_AUTOMATION", "1")
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_INPUT", "0")
            .env("TMPDIR", self.setup.scratch.path())
            .env_remove("TF_LOG")
            .env_remove("TF_LOG_PROVIDER")
            .env_remove("TF_PLUGIN_CACHE_DIR")
            .stdin(Stdio::null());
        if let Some(emulator) = emulator {
            command
                .env("ALICLOUD_ACCESS_KEY", ACCESS_KEY)
                .env("ALICLOUD_SECRET_KEY", SECRET)
                .env("ALICLOUD_REGION", "cn-hangzhou")
                .env("ALICLOUD_ECS_ENDPOINT", &emulator.endpoint);
        }
        let started = Instant::now();
        let out = command
            .output()
            .context(|| format!("running terraform {args:?}"))?;
        let elapsed = started.elapsed();
        if !out.status.success() {
            return Err(BenchError::Failed(format!(
                "terraform {args:?} in {} failed:\n{}{}",
                self.dir.display(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )));
        }
        Ok(elapsed)
    }

    /// `terraform apply` of `count` resources from an empty state.
    pub fn apply(&self, count: usize, emulator: Option<&Emulator>) -> Result<Duration> {
        for file in ["terraform.tfstate", "terraform.tfstate.backup"] {
            let path = self.dir.join(file);
            if path.exists() {
                std::fs::remove_file(&path).context(|| format!("removing {}", path.display()))?;
            }
        }
        let count = format!("n={count}");
        self.run(
            &[
                "apply",
                "-auto-approve",
                "-input=false",
                "-no-color",
                "-parallelism=10",
                "-var",
                &count,
            ],
            emulator,
        )
    }
}

/// The quickstart example as shipped, and a null configuration of the same shape: a
/// provider block, one resource with two string values, two outputs.
pub fn validate_config(setup: &Setup, side: Side) -> Result<String> {
    match side {
        Side::Ours => {
            let path = setup.root.join("examples/quickstart/main.tf");
            std::fs::read_to_string(&path).context(|| format!("reading {}", path.display()))
        }
        Side::Go | Side::GoTwin => Ok(r#"terraform {
  required_providers {
    null = {
      source  = "hashicorp/null"
      version = "2.1.2"
    }
  }
}

provider "null" {}

resource "null_resource" "deploy" {
  triggers = {
    version = "1.4.2"
    env     = "staging"
  }
}

output "invoke_id" {
  value = null_resource.deploy.id
}

output "invocation_status" {
  value = null_resource.deploy.triggers
}
"#
        .to_string()),
    }
}

/// `var.n` resources: invocations of one command on one instance, or plain null resources.
pub fn apply_config(side: Side) -> String {
    match side {
        Side::Ours => format!(
            r#"terraform {{
  required_providers {{
    alicloud = {{
      source  = "local/alicloud"
      version = "0.1.0"
    }}
  }}
}}

variable "n" {{
  type = number
}}

provider "alicloud" {{}}

resource "alicloud_ecs_command_invocation" "r" {{
  count        = var.n
  command_id   = "{COMMAND_ID}"
  instance_ids = ["{INSTANCE_ID}"]
}}
"#
        ),
        Side::Go => format!("{NULL_HEADER}\nresource \"null_resource\" \"r\" {{\n  count = var.n\n}}\n"),
        // Our attributes' names and the values our state holds, as triggers.
        Side::GoTwin => format!(
            r#"{NULL_HEADER}
resource "null_resource" "r" {{
  count = var.n
  triggers = {{
    command_id            = "{COMMAND_ID}"
    instance_ids          = "{INSTANCE_ID}"
    region_id             = "cn-hangzhou"
    timed                 = "false"
    frequency             = "null"
    parameters            = "null"
    username              = "null"
    windows_password_name = "null"
    id                    = "t-09eca26387ba44b19bb81dc8165b4703"
    invoke_id             = "t-09eca26387ba44b19bb81dc8165b4703"
    invocation_status     = "Running"
  }}
}}
"#
        ),
    }
}

const NULL_HEADER: &str = r#"terraform {
  required_providers {
    null = {
      source  = "hashicorp/null"
      version = "2.1.2"
    }
  }
}

variable "n" {
  type = number
}
"#;

/// A fresh emulator on a free loopback port; killed when dropped.
pub struct Emulator {
    child: Child,
    pub endpoint: String,
}

impl Emulator {
    pub fn start(binary: &Path) -> Result<Emulator> {
        let mut child = Command::new(binary)
            .args(["--listen", "127.0.0.1:0", "--access-key"])
            .arg(format!("{ACCESS_KEY}:{SECRET}"))
            // Every run starts a new emulator, so the daily quota never gets in the way.
            .args(["--invoke-quota", "1000000"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context(|| "starting the emulator".into())?;
        let mut line = String::new();
        if let Some(stdout) = child.stdout.take() {
            BufReader::new(stdout)
                .read_line(&mut line)
                .context(|| "reading the emulator's first line".into())?;
        }
        match line.trim().strip_prefix("listening on ") {
            Some(endpoint) => Ok(Emulator {
                endpoint: endpoint.to_string(),
                child,
            }),
            None => {
                let _ = child.kill();
                let _ = child.wait();
                Err(BenchError::Failed(format!("emulator said {line:?}")))
            }
        }
    }
}

impl Emulator {
    /// CPU time the emulator used so far.
    pub fn cpu(&self) -> Duration {
        procwatch::ticks_to_duration(procwatch::cpu_ticks(self.child.id()).unwrap_or(0))
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
