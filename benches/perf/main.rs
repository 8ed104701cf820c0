//! `cargo bench --bench perf` (what `make bench` runs): our provider, built with the release
//! settings, against the Go null provider 2.1.2, side by side in one run. Prints the tables and writes
//! docs/performance.md. `-- --quick` runs each measurement a few times only (a smoke run).
//!
//! Every comparison alternates the two providers run by run (ours, Go, Go, ours, ...) so drift
//! in the machine's load hits both alike, and reports medians. About 3 minutes on 2 cores.

mod growth;
mod grpc;
mod plugin;
mod procwatch;
mod report;
mod setup;
mod stats;
mod terraform;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use plugin::Plugin;
use procwatch::ProcWatch;
use report::{ApplyCpu, Facts, Results, HEADLINE_SIZE, SIZES};
use setup::{BenchError, Context, Machine, Result, Setup};
use stats::{Pair, Samples};
use terraform::{Emulator, Side, Workspace};

/// How many times each measurement runs, per provider.
struct Repetitions {
    startup: usize,
    schema_cold: usize,
    schema_warm: usize,
    terraform: usize,
    /// Apply runs per size in `SIZES`.
    apply: [usize; 3],
}

const FULL: Repetitions = Repetitions {
    startup: 40,
    schema_cold: 15,
    schema_warm: 200,
    terraform: 5,
    apply: [5, 9, 3],
};

const QUICK: Repetitions = Repetitions {
    startup: 5,
    schema_cold: 3,
    schema_warm: 20,
    terraform: 1,
    apply: [1, 1, 1],
};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    // `cargo test --all-targets` runs bench binaries too, without `--bench`: nothing to do then.
    if !args.iter().any(|a| a == "--bench") {
        println!("perf: skipped outside `cargo bench` (run `make bench`)");
        return ExitCode::SUCCESS;
    }
    let (reps, mode) = if args.iter().any(|a| a == "--quick") {
        (QUICK, "quick")
    } else {
        (FULL, "full")
    };
    match run(&reps, mode) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("perf: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(reps: &Repetitions, mode: &'static str) -> Result<()> {
    let started = Instant::now();
    let machine = Machine::read();
    let setup = Setup::new()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context(|| "building the runtime".into())?;
    let tmp = setup.scratch.path();

    progress("exec → handshake line");
    // One unmeasured launch each, so both binaries are in the page cache.
    alternate(1, |side| Ok(Plugin::launch(binary(&setup, side), tmp)?.startup))?;
    let startup = alternate(reps.startup, |side| {
        Ok(Plugin::launch(binary(&setup, side), tmp)?.startup)
    })?;

    progress("exec → schema answer");
    let schema_cold = alternate(reps.schema_cold, |side| {
        let plugin = Plugin::launch(binary(&setup, side), tmp)?;
        // The channel needs the runtime's reactor, so it is made inside.
        runtime.block_on(async { plugin.get_schema(plugin.channel()).await })?;
        Ok(plugin.spawned_at.elapsed())
    })?;

    progress("GetProviderSchema on an open connection");
    let (schema_warm, schema_bytes) = runtime.block_on(schema_round_trips(&setup, reps.schema_warm))?;

    progress("terraform init");
    let validate_dirs = Workspaces::init(&setup, "validate", &[Side::Ours, Side::Go], |side| {
        terraform::validate_config(&setup, side)
    })?;
    let apply_sides = [Side::Ours, Side::Go, Side::GoTwin];
    let apply_dirs = Workspaces::init(&setup, "apply", &apply_sides, |side| {
        Ok(terraform::apply_config(side))
    })?;

    progress("terraform providers schema -json");
    let tf_schema = alternate(reps.terraform, |side| {
        apply_dirs.get(side)?.run(&["providers", "schema", "-json"], None)
    })?;

    progress("terraform validate");
    let validate = alternate(reps.terraform, |side| {
        validate_dirs.get(side)?.run(&["validate", "-no-color"], None)
    })?;

    let mut apply = BTreeMap::new();
    let mut apply_twin = BTreeMap::new();
    let mut apply_cpu = BTreeMap::new();
    let mut peak_rss_kib = (0, 0);
    for (&size, &runs) in SIZES.iter().zip(&reps.apply) {
        progress(&format!("terraform apply, {size} resources"));
        let mut cpu = ApplyCpu::default();
        let samples = interleave(runs, &apply_sides, |side| {
            let emulator = match side {
                Side::Ours => Some(Emulator::start(&setup.emulator)?),
                Side::Go | Side::GoTwin => None,
            };
            let watch = ProcWatch::start(tmp.to_path_buf(), exe_name(side));
            let reaped_before = procwatch::reaped_children_cpu();
            let elapsed = apply_dirs.get(side)?.apply(size, emulator.as_ref())?;
            // Terraform and the provider processes it waited for.
            let reaped = procwatch::reaped_children_cpu().saturating_sub(reaped_before);
            let cost = watch.finish();
            let terraform = reaped.saturating_sub(cost.cpu);
            match side {
                Side::Ours => {
                    cpu.ours.push(cost.cpu);
                    cpu.terraform_ours.push(terraform);
                    if let Some(emulator) = &emulator {
                        cpu.emulator.push(emulator.cpu());
                    }
                }
                Side::Go => {
                    cpu.go.push(cost.cpu);
                    cpu.terraform_go.push(terraform);
                }
                Side::GoTwin => {}
            }
            if size == HEADLINE_SIZE {
                match side {
                    Side::Ours => peak_rss_kib.0 = peak_rss_kib.0.max(cost.peak_hwm_kib),
                    Side::Go => peak_rss_kib.1 = peak_rss_kib.1.max(cost.peak_hwm_kib),
                    Side::GoTwin => {}
                }
            }
            Ok(elapsed)
        })?;
        let mut samples = samples.into_iter();
        let (ours, go, twin) = (samples.next(), samples.next(), samples.next());
        apply.insert(
            size,
            Pair {
                ours: ours.unwrap_or_default(),
                go: go.unwrap_or_default(),
            },
        );
        apply_twin.insert(size, twin.unwrap_or_default());
        apply_cpu.insert(size, cpu);
    }

    let results = Results {
        startup,
        schema_cold,
        schema_warm,
        schema_bytes,
        tf_schema,
        validate,
        apply,
        apply_twin,
        apply_cpu,
        peak_rss_kib,
        binary_bytes: (file_size(&setup.ours)?, file_size(&setup.null)?),
    };
    let facts = Facts {
        machine,
        terraform: setup.terraform_version()?,
        rustc: rustc_version(),
        date: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
        mode,
        total_secs: started.elapsed().as_secs_f64(),
    };
    println!("\n{}", report::tables(&results));
    let docs = setup.root.join("docs");
    std::fs::create_dir_all(&docs).context(|| "creating docs/".into())?;
    let path = docs.join("performance.md");
    std::fs::write(&path, report::document(&results, &facts))
        .context(|| format!("writing {}", path.display()))?;
    println!("written to {}", path.display());
    Ok(())
}

fn progress(what: &str) {
    eprintln!("perf: {what}");
}

fn binary(setup: &Setup, side: Side) -> &Path {
    match side {
        Side::Ours => &setup.ours,
        Side::Go | Side::GoTwin => &setup.null,
    }
}

fn exe_name(side: Side) -> &'static str {
    match side {
        Side::Ours => "terraform-provider-alicloud",
        Side::Go | Side::GoTwin => "terraform-provider-null",
    }
}

fn file_size(path: &Path) -> Result<u64> {
    Ok(std::fs::metadata(path)
        .context(|| format!("reading {}", path.display()))?
        .len())
}

fn rustc_version() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    Command::new(rustc)
        .arg("-V")
        .output()
        .ok()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "rustc unknown".into())
}

/// Runs `measure` `runs` times per side, rotating which side goes first; samples in the
/// order of `sides`.
fn interleave(
    runs: usize,
    sides: &[Side],
    mut measure: impl FnMut(Side) -> Result<Duration>,
) -> Result<Vec<Samples>> {
    let mut samples = vec![Samples::default(); sides.len()];
    for run in 0..runs {
        for k in 0..sides.len() {
            let index = (run + k) % sides.len();
            samples[index].push(measure(sides[index])?);
        }
    }
    Ok(samples)
}

/// `interleave` of ours and Go's: ours, Go, then Go, ours, ...
fn alternate(runs: usize, measure: impl FnMut(Side) -> Result<Duration>) -> Result<Pair> {
    let mut samples = interleave(runs, &[Side::Ours, Side::Go], measure)?.into_iter();
    Ok(Pair {
        ours: samples.next().unwrap_or_default(),
        go: samples.next().unwrap_or_default(),
    })
}

/// One launched process per side, `calls` schema calls each on its open connection
/// (after a warm-up), alternating; also returns the answers' sizes.
async fn schema_round_trips(setup: &Setup, calls: usize) -> Result<(Pair, (usize, usize))> {
    let tmp = setup.scratch.path();
    let ours = Plugin::launch(&setup.ours, tmp)?;
    let go = Plugin::launch(&setup.null, tmp)?;
    let (ours_channel, go_channel) = (ours.channel(), go.channel());
    let mut sizes = (0, 0);
    for _ in 0..10 {
        sizes = (
            ours.get_schema(ours_channel.clone()).await?,
            go.get_schema(go_channel.clone()).await?,
        );
    }
    let mut pair = Pair::default();
    for call in 0..calls {
        let first_ours = call % 2 == 0;
        for is_ours in [first_ours, !first_ours] {
            let (plugin, channel, samples) = if is_ours {
                (&ours, &ours_channel, &mut pair.ours)
            } else {
                (&go, &go_channel, &mut pair.go)
            };
            let started = Instant::now();
            plugin.get_schema(channel.clone()).await?;
            samples.push(started.elapsed());
        }
    }
    Ok((pair, sizes))
}

/// An initialised working directory per side.
struct Workspaces<'a>(Vec<(Side, Workspace<'a>)>);

impl<'a> Workspaces<'a> {
    fn init(
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

    fn get(&self, side: Side) -> Result<&Workspace<'a>> {
        self.0
            .iter()
            .find(|(s, _)| *s == side)
            .map(|(_, workspace)| workspace)
            .ok_or_else(|| BenchError::Failed(format!("no working directory for {side:?}")))
    }
}
