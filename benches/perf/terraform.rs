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

/// Which provider a directory uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Ours,
    Go,
    /// The Go null provider with resources whose state is as large as ours: the control
    /// that separates Terraform's per-byte state costs from the providers' own.
    GoTwin,
}

impl Side {
    pub fn binary(self, setup: &Setup) -> &Path {
        match self {
            Side::Ours => &setup.ours,
            Side::Go | Side::GoTwin => &setup.null,
        }
    }

    /// How the provider's executable is named (Terraform runs a copy of it).
    pub fn exe_name(self) -> &'static str {
        match self {
            Side::Ours => "terraform-provider-alicloud",
            Side::Go | Side::GoTwin => "terraform-provider-null",
        }
    }
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
        self.run_with_env(args, emulator, &[])
    }

    /// `run` with extra environment variables (e.g. a log file).
    pub fn run_with_env(
        &self,
        args: &[&str],
        emulator: Option<&Emulator>,
        env: &[(&str, &str)],
    ) -> Result<Duration> {
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
            .envs(env.iter().copied())
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

    /// `terraform apply -parallelism=10` from an empty state, with `extra` arguments and
    /// environment.
    pub fn apply_with_env(
        &self,
        extra: &[&str],
        emulator: &Emulator,
        env: &[(&str, &str)],
    ) -> Result<Duration> {
        for file in ["terraform.tfstate", "terraform.tfstate.backup"] {
            let _ = std::fs::remove_file(self.dir.join(file));
        }
        let mut args = vec![
            "apply",
            "-auto-approve",
            "-input=false",
            "-no-color",
            "-parallelism=10",
        ];
        args.extend_from_slice(extra);
        self.run_with_env(&args, Some(emulator), env)
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

/// An initialised working directory per side.
pub struct Workspaces<'a>(Vec<(Side, Workspace<'a>)>);

impl<'a> Workspaces<'a> {
    pub fn init(
        setup: &'a Setup,
        name: &str,
        sides: &[Side],
        config: impl Fn(Side) -> Result<String>,
    ) -> Result<Workspaces<'a>> {
        let mut all = Vec::new();
        for &side in sides {
            let dir = format!("{name}-{side:?}").to_lowercase();
            all.push((side, Workspace::init(setup, &dir, &config(side)?)?));
        }
        Ok(Workspaces(all))
    }

    pub fn get(&self, side: Side) -> Result<&Workspace<'a>> {
        self.0
            .iter()
            .find(|(s, _)| *s == side)
            .map(|(_, workspace)| workspace)
            .ok_or_else(|| BenchError::Failed(format!("no working directory for {side:?}")))
    }
}

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
    /// How many `action` requests the emulator answered (`GET /_emulator/stats`).
    pub fn action_count(&self, action: &str) -> u64 {
        use std::io::{Read, Write};
        let host = self.endpoint.trim_start_matches("http://");
        let Ok(mut stream) = std::net::TcpStream::connect(host) else {
            return 0;
        };
        let request = format!("GET /_emulator/stats HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        let mut answer = String::new();
        if stream.write_all(request.as_bytes()).is_err() || stream.read_to_string(&mut answer).is_err() {
            return 0;
        }
        let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
        serde_json::from_str::<serde_json::Value>(body)
            .ok()
            .and_then(|stats| stats["actions"][action].as_u64())
            .unwrap_or(0)
    }

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
