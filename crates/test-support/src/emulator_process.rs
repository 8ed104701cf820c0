//! The binaries cargo built beside the running test (the provider's and the emulator's), and
//! the one launcher of the `alicloud-ecs-emulator` binary for every test suite: it refuses a
//! stale emulator, starts it on a free loopback port and reads the address from its first line.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::SystemTime;

/// A binary of this build: tests run from target/<profile>/deps/, the binaries sit one level up.
fn built_binary(name: &str, build_with: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("test executable under target/<profile>/deps");
    let binary = profile_dir.join(name);
    assert!(
        binary.is_file(),
        "{} is missing: build it first with `{build_with}` (make test does)",
        binary.display()
    );
    binary
}

/// The provider binary cargo built for the root crate's test suites (cargo builds a package's
/// binaries before its integration tests).
pub fn provider_binary() -> PathBuf {
    built_binary("terraform-provider-alicloud", "cargo build")
}

/// The emulator binary in the target directory of the running test (`target/<profile>/`).
pub fn emulator_binary() -> PathBuf {
    let binary = built_binary("alicloud-ecs-emulator", "cargo build -p ecs-emulator");
    let built = modified(&binary);
    let sources = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for crate_dir in ["ecs-emulator", "alicloud-api"] {
        let newest = newest_source(&sources.join(crate_dir).join("src"));
        assert!(
            newest <= built,
            "{} is older than the sources of {crate_dir}: rebuild it with `cargo build -p ecs-emulator`",
            binary.display()
        );
    }
    binary
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

fn newest_source(dir: &Path) -> SystemTime {
    let mut newest = SystemTime::UNIX_EPOCH;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let time = if path.is_dir() {
            newest_source(&path)
        } else {
            modified(&path)
        };
        newest = newest.max(time);
    }
    newest
}

/// A running emulator process; killed when dropped. Its stderr goes to `log`.
pub struct EmulatorProcess {
    child: Child,
    /// `http://127.0.0.1:PORT`, as the emulator printed it.
    pub endpoint: String,
    pub log: PathBuf,
    _dir: tempfile::TempDir,
}

impl EmulatorProcess {
    /// Starts the emulator with `--listen listen` and `args`, and waits for its address.
    pub fn start(listen: &str, args: &[&str]) -> EmulatorProcess {
        let dir = tempfile::tempdir().expect("temp dir");
        let log = dir.path().join("stderr.log");
        let mut child = Command::new(emulator_binary())
            .args(["--listen", listen])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("emulator log file"))
            .spawn()
            .expect("start emulator");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("emulator stdout"))
            .read_line(&mut line)
            .expect("emulator start-up line");
        let endpoint = line
            .trim_end()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| {
                panic!(
                    "unexpected first line {line:?}; log: {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                )
            })
            .to_string();
        EmulatorProcess {
            child,
            endpoint,
            log,
            _dir: dir,
        }
    }

    /// What the emulator wrote to stderr so far.
    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Kills the emulator at once (SIGKILL), as a crash would, and waits for it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        self.kill();
    }
}
