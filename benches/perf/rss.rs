//! Peak resident memory of provider processes while Terraform runs: a thread polls
//! `/proc/*/status` `VmHWM` (the kernel's own high-water mark) of every process whose
//! executable lies under the benchmark's scratch dir with a given name prefix (so providers
//! of other Terraform runs on the machine are not counted), and keeps the largest value seen.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// Often enough to see a provider process of a validate, rarely enough not to load the CPU.
const POLL_EVERY: Duration = Duration::from_millis(20);

pub struct PeakRss {
    stop: Arc<AtomicBool>,
    peak_kib: Arc<AtomicU64>,
    thread: Option<JoinHandle<()>>,
}

impl PeakRss {
    /// Starts watching processes whose executable is under `dir`, named `exe_prefix...`.
    pub fn watch(dir: PathBuf, exe_prefix: &'static str) -> PeakRss {
        let stop = Arc::new(AtomicBool::new(false));
        let peak_kib = Arc::new(AtomicU64::new(0));
        let thread = {
            let (stop, peak_kib) = (Arc::clone(&stop), Arc::clone(&peak_kib));
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if let Some(kib) = largest_hwm(&dir, exe_prefix) {
                        peak_kib.fetch_max(kib, Ordering::Relaxed);
                    }
                    std::thread::sleep(POLL_EVERY);
                }
            })
        };
        PeakRss {
            stop,
            peak_kib,
            thread: Some(thread),
        }
    }

    /// Stops watching; returns the peak in KiB (0 if no such process was seen).
    pub fn finish(mut self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        self.peak_kib.load(Ordering::Relaxed)
    }
}

fn largest_hwm(dir: &Path, exe_prefix: &str) -> Option<u64> {
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .filter(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter(|entry| {
            std::fs::read_link(entry.path().join("exe")).is_ok_and(|exe| {
                exe.starts_with(dir)
                    && exe
                        .file_name()
                        .is_some_and(|name| name.to_string_lossy().starts_with(exe_prefix))
            })
        })
        .filter_map(|entry| std::fs::read_to_string(entry.path().join("status")).ok())
        .filter_map(|status| vm_hwm_kib(&status))
        .max()
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
