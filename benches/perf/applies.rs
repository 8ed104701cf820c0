//! Section 3 to 5: `terraform apply` of each size for each side, with the wall-clock time,
//! the CPU time of Terraform, its providers and the emulator, and the providers' peak memory.

use std::collections::BTreeMap;

use crate::interleave::interleave;
use crate::procwatch::{self, ProcWatch};
use crate::report::{ApplyCpu, HEADLINE_SIZE, SIZES};
use crate::setup::{Result, Setup};
use crate::stats::{Pair, Samples};
use crate::terraform::{Emulator, Side, Workspaces};

pub struct Applies {
    pub apply: BTreeMap<usize, Pair>,
    pub twin: BTreeMap<usize, Samples>,
    pub cpu: BTreeMap<usize, ApplyCpu>,
    /// Peak VmHWM at the headline size, KiB: ours, Go's.
    pub peak_rss_kib: (u64, u64),
}

/// Runs each size of `SIZES` `runs` times per side.
pub fn measure(setup: &Setup, dirs: &Workspaces, sides: &[Side], runs: &[usize; 3]) -> Result<Applies> {
    let tmp = setup.scratch.path();
    let mut applies = Applies {
        apply: BTreeMap::new(),
        twin: BTreeMap::new(),
        cpu: BTreeMap::new(),
        peak_rss_kib: (0, 0),
    };
    for (&size, &runs) in SIZES.iter().zip(runs) {
        eprintln!("perf: terraform apply, {size} resources");
        let mut cpu = ApplyCpu::default();
        let peak = &mut applies.peak_rss_kib;
        let samples = interleave(runs, sides, |side| {
            let emulator = match side {
                Side::Ours => Some(Emulator::start(&setup.emulator)?),
                Side::Go | Side::GoTwin => None,
            };
            let watch = ProcWatch::start(tmp.to_path_buf(), side.exe_name());
            let reaped_before = procwatch::reaped_children_cpu();
            let elapsed = dirs.get(side)?.apply(size, emulator.as_ref())?;
            // Terraform and the provider processes it waited for.
            let reaped = procwatch::reaped_children_cpu().saturating_sub(reaped_before);
            let cost = watch.finish();
            let terraform = reaped.saturating_sub(cost.cpu);
            let headline = size == HEADLINE_SIZE;
            match side {
                Side::Ours => {
                    cpu.ours.push(cost.cpu);
                    cpu.terraform_ours.push(terraform);
                    if let Some(emulator) = &emulator {
                        cpu.emulator.push(emulator.cpu());
                    }
                    if headline {
                        peak.0 = peak.0.max(cost.peak_hwm_kib);
                    }
                }
                Side::Go => {
                    cpu.go.push(cost.cpu);
                    cpu.terraform_go.push(terraform);
                    if headline {
                        peak.1 = peak.1.max(cost.peak_hwm_kib);
                    }
                }
                Side::GoTwin => {}
            }
            Ok(elapsed)
        })?;
        let mut samples = samples.into_iter();
        let (ours, go, twin) = (samples.next(), samples.next(), samples.next());
        applies.apply.insert(
            size,
            Pair {
                ours: ours.unwrap_or_default(),
                go: go.unwrap_or_default(),
            },
        );
        applies.twin.insert(size, twin.unwrap_or_default());
        applies.cpu.insert(size, cpu);
    }
    Ok(applies)
}
