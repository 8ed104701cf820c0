//! `cargo bench --bench perf` (what `make bench` runs): our provider, built with the release
//! settings, against the Go null provider 2.1.2, side by side in one run. Prints the tables
//! and writes docs/performance.md. `-- --quick` runs each measurement a few times only (a smoke run).
//!
//! Every comparison alternates the two providers run by run (ours, Go, Go, ours, ...) so drift
//! in the machine's load hits both alike, and reports medians. About 3 minutes on 2 cores.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

mod applies;
mod completion;
mod configs;
mod growth;
mod interleave;
mod plugin;
mod procwatch;
mod report;
mod setup;
mod stats;
mod terraform;

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Instant;

// Terraform's side of the plugin connection, shared with the test suites.
use test_support::grpc;

use interleave::alternate;
use plugin::Plugin;
use report::{Facts, Results};
use setup::{Context, Machine, Result, Setup};
use stats::Pair;
use terraform::{Side, Workspaces};

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
    apply: [5, 15, 3],
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
    alternate(1, |side| Ok(Plugin::launch(side.binary(&setup), tmp)?.startup))?;
    let startup = alternate(reps.startup, |side| {
        Ok(Plugin::launch(side.binary(&setup), tmp)?.startup)
    })?;

    progress("exec → schema answer");
    let schema_cold = alternate(reps.schema_cold, |side| {
        let plugin = Plugin::launch(side.binary(&setup), tmp)?;
        // The channel needs the runtime's reactor, so it is made inside.
        runtime.block_on(async { plugin.get_schema(plugin.channel()).await })?;
        Ok(plugin.spawned_at.elapsed())
    })?;

    progress("GetProviderSchema on an open connection");
    let (schema_warm, schema_bytes) = runtime.block_on(schema_round_trips(&setup, reps.schema_warm))?;

    progress("terraform init");
    let validate_dirs = Workspaces::init(&setup, "validate", &[Side::Ours, Side::Go], |side| {
        configs::validate_config(&setup, side)
    })?;
    let apply_sides = [Side::Ours, Side::Go, Side::GoTwin];
    let apply_dirs = Workspaces::init(&setup, "apply", &apply_sides, |side| {
        Ok(configs::apply_config(side))
    })?;

    progress("terraform providers schema -json");
    let tf_schema = alternate(reps.terraform, |side| {
        apply_dirs.get(side)?.run(&["providers", "schema", "-json"], None)
    })?;

    progress("terraform validate");
    let validate = alternate(reps.terraform, |side| {
        validate_dirs.get(side)?.run(&["validate", "-no-color"], None)
    })?;

    let applies = applies::measure(&setup, &apply_dirs, &apply_sides, &reps.apply)?;

    progress("terraform apply, 200 waited invocations");
    let waited_dir = terraform::Workspace::init(&setup, "waited", &completion::config())?;
    let waited_count = std::env::var("PERF_WAITED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(completion::WAITED);
    let waited = completion::measure(&setup, &waited_dir, waited_count)?;

    let results = Results {
        startup,
        schema_cold,
        schema_warm,
        schema_bytes,
        tf_schema,
        validate,
        apply: applies.apply,
        apply_twin: applies.twin,
        apply_cpu: applies.cpu,
        peak_rss_kib: applies.peak_rss_kib,
        binary_bytes: (file_size(&setup.ours)?, file_size(&setup.null)?),
    };
    let facts = Facts {
        machine,
        terraform: setup.terraform_version()?,
        rustc: rustc_version(),
        date: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
        mode,
        total_secs: started.elapsed().as_secs_f64(),
        scratch: format!(
            "{} ({})",
            setup.scratch.path().parent().unwrap_or(tmp).display(),
            setup::file_system_of(tmp)
        ),
    };
    println!("\n{}", report::tables(&results));
    let docs = setup.root.join("docs");
    std::fs::create_dir_all(&docs).context(|| "creating docs/".into())?;
    let path = docs.join("performance.md");
    let waited_rows = completion::rows(&waited);
    println!("{waited_rows}");
    std::fs::write(&path, report::document(&results, &facts) + &waited_rows)
        .context(|| format!("writing {}", path.display()))?;
    println!("written to {}", path.display());
    Ok(())
}

fn progress(what: &str) {
    eprintln!("perf: {what}");
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
