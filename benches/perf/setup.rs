//! What every measurement needs: the two provider binaries, Terraform, the emulator, a
//! filesystem mirror with a CLI config that installs only from it, and the machine's facts.

use std::path::{Path, PathBuf};
use std::process::Command;

pub const OURS_SOURCE: &str = "registry.terraform.io/local/alicloud";
pub const OURS_VERSION: &str = "0.1.0";
pub const NULL_SOURCE: &str = "registry.terraform.io/hashicorp/null";
pub const NULL_VERSION: &str = "2.1.2";

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("{what}: {source}")]
    Io { what: String, source: std::io::Error },
    #[error("{0}")]
    Failed(String),
}

pub type Result<T> = std::result::Result<T, BenchError>;

/// Adds what was being done to an I/O error.
pub trait Context<T> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T>;
}

impl<T> Context<T> for std::io::Result<T> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|source| BenchError::Io { what: what(), source })
    }
}

/// The binaries and the scratch space of one benchmark run.
pub struct Setup {
    pub root: PathBuf,
    /// Our provider, built with the release profile's settings.
    pub ours: PathBuf,
    pub emulator: PathBuf,
    /// The Go null provider 2.1.2.
    pub null: PathBuf,
    pub terraform: PathBuf,
    pub cli_config: PathBuf,
    /// Scratch space: mirror, working directories, and the plugins' TMPDIR (so their socket
    /// files go with it).
    pub scratch: tempfile::TempDir,
}

impl Setup {
    pub fn new() -> Result<Setup> {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        // Built by `cargo bench` with the bench profile, which is [profile.release] unchanged.
        let ours = PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-alicloud"));
        let emulator = ours.with_file_name("alicloud-ecs-emulator");
        let terraform = PathBuf::from(script_output(&root, "terraform.sh")?);
        let null = PathBuf::from(script_output(&root, "null-provider.sh")?);
        let scratch = tempfile::Builder::new()
            .prefix("perf-")
            .tempdir_in(scratch_base())
            .context(|| "creating the scratch dir".into())?;
        let cli_config = write_mirror(scratch.path(), &ours, &null)?;
        Ok(Setup {
            root,
            ours,
            emulator,
            null,
            terraform,
            cli_config,
            scratch,
        })
    }

    pub fn terraform_version(&self) -> Result<String> {
        let out = Command::new(&self.terraform)
            .arg("version")
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .output()
            .context(|| "running terraform version".into())?;
        let text = String::from_utf8_lossy(&out.stdout);
        Ok(text.lines().next().unwrap_or("unknown").trim().to_string())
    }
}

/// `$PERF_SCRATCH_DIR`, else tmpfs (`/dev/shm`) when there is one, else the temp dir.
/// Terraform fsyncs the state file after every resource; on tmpfs that costs nothing, so
/// the disk and other processes' writes to it stay out of the comparison.
fn scratch_base() -> PathBuf {
    if let Some(dir) = std::env::var_os("PERF_SCRATCH_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

/// The file system type of the mount holding `path` (from `/proc/mounts`).
pub fn file_system_of(path: &Path) -> String {
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
    mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let (_, mount_point, kind) = (fields.next()?, fields.next()?, fields.next()?);
            path.starts_with(mount_point)
                .then(|| (mount_point.len(), kind.to_string()))
        })
        .max()
        .map_or_else(|| "unknown".into(), |(_, kind)| kind)
}

fn script_output(root: &Path, script: &str) -> Result<String> {
    let out = Command::new(root.join("scripts").join(script))
        .output()
        .context(|| format!("running scripts/{script}"))?;
    if !out.status.success() {
        return Err(BenchError::Failed(format!(
            "scripts/{script} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Installs both providers in a mirror under `dir`; returns the CLI config that uses it.
fn write_mirror(dir: &Path, ours: &Path, null: &Path) -> Result<PathBuf> {
    let mirror = dir.join("mirror");
    let placements = [
        (
            ours,
            format!("{OURS_SOURCE}/{OURS_VERSION}/linux_amd64/terraform-provider-alicloud_v{OURS_VERSION}"),
        ),
        (
            null,
            format!("{NULL_SOURCE}/{NULL_VERSION}/linux_amd64/terraform-provider-null_v{NULL_VERSION}_x4"),
        ),
    ];
    for (binary, place) in placements {
        let target = mirror.join(place);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::copy(binary, &target).context(|| format!("copying {}", binary.display()))?;
    }
    let cli_config = dir.join("terraformrc");
    std::fs::write(
        &cli_config,
        format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path = \"{}\"\n  }}\n}}\n",
            mirror.display()
        ),
    )
    .context(|| "writing the CLI config".into())?;
    Ok(cli_config)
}

/// The facts a reader needs to compare numbers across machines.
pub struct Machine {
    pub cpus: usize,
    pub cpu_model: String,
    pub kernel: String,
    pub load_before: String,
}

impl Machine {
    pub fn read() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find_map(|line| line.strip_prefix("model name"))
            .and_then(|rest| rest.split_once(':'))
            .map_or_else(|| "unknown".to_string(), |(_, model)| model.trim().to_string());
        let first_line = |path: &str| {
            std::fs::read_to_string(path)
                .ok()
                .and_then(|s| s.lines().next().map(str::to_string))
                .unwrap_or_else(|| "unknown".into())
        };
        Machine {
            cpus: std::thread::available_parallelism().map_or(1, usize::from),
            cpu_model,
            kernel: first_line("/proc/sys/kernel/osrelease"),
            load_before: first_line("/proc/loadavg"),
        }
    }
}
