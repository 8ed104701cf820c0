//! The results of one run and their rendering: the comparison table, the scaling table and
//! the run's facts, as Markdown (printed, and written to docs/performance.md with the notes).

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::growth;
use crate::setup::Machine;
use crate::stats::{ms, Pair, Samples};

/// Hand-written analysis appended to the generated tables.
const NOTES: &str = include_str!("notes.md");

/// Resource counts of the scaling runs; the middle one is the headline apply.
pub const SIZES: [usize; 3] = [50, 200, 800];
pub const HEADLINE_SIZE: usize = 200;

pub struct Results {
    pub startup: Pair,
    pub schema_cold: Pair,
    pub schema_warm: Pair,
    /// Encoded schema answer sizes in bytes: ours, Go's.
    pub schema_bytes: (usize, usize),
    pub tf_schema: Pair,
    pub validate: Pair,
    pub apply: BTreeMap<usize, Pair>,
    /// The same applies with the Go provider and resources whose state is as large as ours.
    pub apply_twin: BTreeMap<usize, Samples>,
    pub apply_cpu: BTreeMap<usize, ApplyCpu>,
    /// Peak VmHWM of the provider processes during the headline applies, KiB: ours, Go's.
    pub peak_rss_kib: (u64, u64),
    /// Binary sizes in bytes: ours, Go's.
    pub binary_bytes: (u64, u64),
}

/// CPU time of the processes around Terraform during the applies of one size.
#[derive(Debug, Default)]
pub struct ApplyCpu {
    /// All our provider processes of a run (validate, plan and apply walks).
    pub ours: Samples,
    pub go: Samples,
    pub emulator: Samples,
    /// Terraform itself (its reaped CPU time less its providers'), with ours and with Go's.
    pub terraform_ours: Samples,
    pub terraform_go: Samples,
}

pub struct Facts {
    pub machine: Machine,
    pub terraform: String,
    pub rustc: String,
    pub date: String,
    pub mode: &'static str,
    pub total_secs: f64,
    /// Where the working directories were, and on what file system.
    pub scratch: String,
}

pub fn verdict(met: bool) -> &'static str {
    if met {
        "yes"
    } else {
        "**no**"
    }
}

/// Decimal megabytes, the unit of the targets.
fn mb(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1e6)
}

fn row(out: &mut String, id: &str, what: &str, pair: &Pair, target: Option<f64>) {
    let ratio = pair.ratio();
    let (target, met) = match target {
        Some(limit) => (format!("≤ {limit:.2}"), verdict(ratio <= limit)),
        None => ("–".to_string(), ""),
    };
    let _ = writeln!(
        out,
        "| {id} | {what} (n={}) | {} | {} | {ratio:.2} | {target} | {met} |",
        pair.ours.len().min(pair.go.len()),
        ms(pair.ours.median_ms()),
        ms(pair.go.median_ms()),
    );
}

/// The comparison and scaling tables.
pub fn tables(results: &Results) -> String {
    let mut out = String::new();
    out.push_str("| # | measurement | ours (median) | Go null 2.1.2 (median) | ours/Go | target | met |\n");
    out.push_str("|---|---|---|---|---|---|---|\n");
    row(
        &mut out,
        "1",
        "exec → handshake line",
        &results.startup,
        Some(1.0 / 3.0),
    );
    row(
        &mut out,
        "2a",
        &format!(
            "GetProviderSchema round trip, open connection ({} B vs {} B)",
            results.schema_bytes.0, results.schema_bytes.1
        ),
        &results.schema_warm,
        None,
    );
    row(
        &mut out,
        "2b",
        "exec → handshake → mTLS → schema answer",
        &results.schema_cold,
        None,
    );
    row(
        &mut out,
        "2c",
        "`terraform providers schema -json`",
        &results.tf_schema,
        None,
    );
    row(
        &mut out,
        "2d",
        "`terraform validate` (quickstart / null twin)",
        &results.validate,
        None,
    );
    if let Some(pair) = results.apply.get(&HEADLINE_SIZE) {
        row(
            &mut out,
            "3",
            &format!("`terraform apply`, {HEADLINE_SIZE} resources, -parallelism=10"),
            pair,
            Some(1.2),
        );
    }
    let (ours_size, go_size) = results.binary_bytes;
    let _ = writeln!(
        out,
        "| 4a | binary size (stripped) | {} | {} | {:.2} | < 10 MB | {} |",
        mb(ours_size as f64),
        mb(go_size as f64),
        ours_size as f64 / go_size as f64,
        verdict(ours_size < 10_000_000)
    );
    let (ours_rss, go_rss) = results.peak_rss_kib;
    let _ = writeln!(
        out,
        "| 4b | peak RSS (VmHWM) of a provider process, {HEADLINE_SIZE}-resource apply | {} | {} | {:.2} | < 20 MB | {} |",
        mb(ours_rss as f64 * 1024.0),
        mb(go_rss as f64 * 1024.0),
        ours_rss as f64 / go_rss as f64,
        verdict(ours_rss > 0 && ours_rss * 1024 < 20_000_000)
    );
    growth::section(&mut out, results);
    out
}

/// The whole docs/performance.md.
pub fn document(results: &Results, facts: &Facts) -> String {
    let machine = &facts.machine;
    let mut out = String::new();
    out.push_str("# Performance\n\n");
    out.push_str(
        "Generated by `make bench` (`benches/perf/`; the analysis below the tables is \
         `benches/perf/notes.md`). Our release build and the Go null provider 2.1.2 run side by \
         side in one session: each measurement alternates them (ours, Go, Go, ours, ...), and \
         each figure is the median of its runs; the ratio is ours over Go's.\n\n",
    );
    out.push_str(&tables(results));
    let _ = write!(
        out,
        "\n**Run facts.** {date}; {mode} run of {total:.0} s. {cpus} CPUs ({model}), Linux \
         {kernel}, load average before the run: {load}. {terraform}; {rustc}. Working \
         directories in {scratch}.\n\n",
        date = facts.date,
        mode = facts.mode,
        total = facts.total_secs,
        cpus = machine.cpus,
        model = machine.cpu_model,
        kernel = machine.kernel,
        load = machine.load_before,
        terraform = facts.terraform,
        rustc = facts.rustc,
        scratch = facts.scratch,
    );
    out.push_str(NOTES);
    out
}
