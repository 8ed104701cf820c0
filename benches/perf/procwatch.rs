//! What provider processes cost while Terraform runs: a thread polls `/proc` for processes
//! whose executable lies under the benchmark's scratch dir with a given name prefix (so
//! providers of other Terraform runs on the machine are not counted), and keeps each one's
//! CPU time (`/proc/PID/stat`) and the largest `VmHWM` (the kernel's own high-water mark).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

/// Often enough to see a short-lived provider process, rarely enough not to load the CPU
/// (a scan of this machine's `/proc` takes well under a millisecond).
const POLL_EVERY: Duration = Duration::from_millis(20);
/// `/proc/PID/stat` counts CPU time in USER_HZ ticks, 100 per second on Linux.
const TICKS_PER_SECOND: f64 = 100.0;

#[derive(Debug, Default)]
struct Seen {
    peak_hwm_kib: u64,
    /// Last CPU ticks read, per process.
    cpu_ticks: HashMap<u32, u64>,
}

/// What the watched processes cost.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cost {
    pub peak_hwm_kib: u64,
    /// User and system CPU time of all of them, up to their last poll.
    pub cpu: Duration,
}

pub struct ProcWatch {
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Seen>>,
    thread: Option<JoinHandle<()>>,
}

impl ProcWatch {
    /// Starts watching processes whose executable is under `dir`, named `exe_prefix...`.
    pub fn start(dir: PathBuf, exe_prefix: &'static str) -> ProcWatch {
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(Seen::default()));
        let thread = {
            let (stop, seen) = (Arc::clone(&stop), Arc::clone(&seen));
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    poll(&dir, exe_prefix, &seen);
                    std::thread::sleep(POLL_EVERY);
                }
            })
        };
        ProcWatch {
            stop,
            seen,
            thread: Some(thread),
        }
    }

    pub fn finish(mut self) -> Cost {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        let seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        Cost {
            peak_hwm_kib: seen.peak_hwm_kib,
            cpu: ticks_to_duration(seen.cpu_ticks.values().sum()),
        }
    }
}

fn poll(dir: &Path, exe_prefix: &str, seen: &Mutex<Seen>) {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let matches = std::fs::read_link(entry.path().join("exe")).is_ok_and(|exe| {
            exe.starts_with(dir)
                && exe
                    .file_name()
                    .is_some_and(|name| name.to_string_lossy().starts_with(exe_prefix))
        });
        if !matches {
            continue;
        }
        let hwm = std::fs::read_to_string(entry.path().join("status"))
            .ok()
            .and_then(|status| vm_hwm_kib(&status));
        let ticks = cpu_ticks(pid);
        let mut seen = seen.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(kib) = hwm {
            seen.peak_hwm_kib = seen.peak_hwm_kib.max(kib);
        }
        if let Some(ticks) = ticks {
            seen.cpu_ticks.insert(pid, ticks);
        }
    }
}

/// User plus system CPU ticks of a process (all its threads, dead ones included).
pub fn cpu_ticks(pid: u32) -> Option<u64> {
    stat_sum(&format!("/proc/{pid}/stat"), 14)
}

/// CPU time of this process's reaped descendants: a Terraform run waited for, with the
/// provider processes it waited for (`cutime` + `cstime`).
pub fn reaped_children_cpu() -> Duration {
    ticks_to_duration(stat_sum("/proc/self/stat", 16).unwrap_or(0))
}

/// Field `first` plus field `first + 1` of a `/proc/.../stat` file (numbered from 1 as in
/// proc(5)).
fn stat_sum(path: &str, first: usize) -> Option<u64> {
    let stat = std::fs::read_to_string(path).ok()?;
    // The command name (field 2) may hold spaces and parentheses; field 3 follows its last ')'.
    let (_, fields) = stat.rsplit_once(')')?;
    let mut fields = fields.split_whitespace().skip(first - 3);
    let a: u64 = fields.next()?.parse().ok()?;
    let b: u64 = fields.next()?.parse().ok()?;
    Some(a + b)
}

pub fn ticks_to_duration(ticks: u64) -> Duration {
    Duration::from_secs_f64(ticks as f64 / TICKS_PER_SECOND)
}

/// The `VmHWM:` line of `/proc/PID/status`, in kB.
fn vm_hwm_kib(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}
