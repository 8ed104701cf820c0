//! Section 5 of the report: how apply time and CPU time per resource grow with the number of
//! resources, for ours, the Go null provider and its state-size twin.

use std::fmt::Write;

use crate::report::{verdict, ApplyCpu, Results};
use crate::stats::{ms, Samples};

/// Section 5: apply time per resource as the count grows, with the state-size twin.
pub fn section(out: &mut String, results: &Results) {
    let sizes: Vec<usize> = results.apply.keys().copied().collect();
    let ours: Vec<&Samples> = results.apply.values().map(|pair| &pair.ours).collect();
    let go: Vec<&Samples> = results.apply.values().map(|pair| &pair.go).collect();
    let twin: Vec<&Samples> = sizes.iter().filter_map(|n| results.apply_twin.get(n)).collect();
    out.push_str(
        "\n**5. How cost grows.** `terraform apply` from an empty state: median total (per resource), \
         then the marginal cost of each extra resource between sizes. The twin is the Go null \
         provider with `triggers` holding our attributes' names and values, so its state is as \
         large as ours.\n\n",
    );
    let _ = write!(out, "| provider |");
    for n in &sizes {
        let _ = write!(out, " {n} resources |");
    }
    for pair in sizes.windows(2) {
        let _ = write!(out, " marginal {}→{} |", pair[0], pair[1]);
    }
    out.push_str(" marginal growth |\n|---|");
    out.push_str(&"---|".repeat(sizes.len() * 2));
    out.push('\n');
    let mut growth_of_ours = None;
    for (name, samples) in [
        ("ours", &ours),
        ("Go null", &go),
        ("Go null, state-size twin", &twin),
    ] {
        if samples.len() != sizes.len() {
            continue;
        }
        let medians: Vec<f64> = samples.iter().map(|s| s.median_ms()).collect();
        let _ = write!(out, "| {name} |");
        for ((n, median), s) in sizes.iter().zip(&medians).zip(samples.iter()) {
            let _ = write!(
                out,
                " {} ({}), n={} |",
                ms(*median),
                ms(median / *n as f64),
                s.len()
            );
        }
        let marginals: Vec<f64> = sizes
            .windows(2)
            .zip(medians.windows(2))
            .map(|(n, t)| (t[1] - t[0]) / (n[1] - n[0]) as f64)
            .collect();
        for marginal in &marginals {
            let _ = write!(out, " {} |", ms(*marginal));
        }
        let growth = match marginals[..] {
            [first, .., last] => last / first,
            _ => f64::NAN,
        };
        let _ = writeln!(out, " {growth:.2} |");
        if name == "ours" {
            growth_of_ours = Some(growth);
        }
    }
    let ratios: Vec<String> = results
        .apply
        .iter()
        .map(|(n, pair)| format!("{:.2} at {n}", pair.ratio()))
        .collect();
    let against_twin: Vec<String> = results
        .apply
        .iter()
        .filter_map(|(n, pair)| {
            let twin = results.apply_twin.get(n)?.median_ms();
            Some(format!("{:.2} at {n}", pair.ours.median_ms() / twin))
        })
        .collect();
    let _ = write!(
        out,
        "\nOurs/Go: {}. Ours/twin (the same state size): {}.",
        ratios.join(", "),
        against_twin.join(", ")
    );
    if let Some(growth) = growth_of_ours {
        let _ = writeln!(
            out,
            " Our marginal cost per resource at the largest size over the smallest: {growth:.2} \
             (flat means ≤ 1.25: {}).",
            verdict(growth <= 1.25)
        );
    }
    cpu_per_resource(out, results);
}

/// CPU time per resource of each process family, as the count grows.
fn cpu_per_resource(out: &mut String, results: &Results) {
    out.push_str(
        "\nCPU time per resource, median over the runs (`/proc/PID/stat` in 10 ms ticks; providers \
         polled every 20 ms, Terraform's is its reaped time less its providers'):\n\n| process |",
    );
    for n in results.apply_cpu.keys() {
        let _ = write!(out, " {n} resources |");
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(results.apply_cpu.len()));
    out.push('\n');
    type Pick = fn(&ApplyCpu) -> &Samples;
    let rows: [(&str, Pick); 5] = [
        ("our provider (all its processes of a run)", |cpu| &cpu.ours),
        ("Go null provider (all its processes of a run)", |cpu| &cpu.go),
        ("emulator (serving our runs)", |cpu| &cpu.emulator),
        ("Terraform itself, with our provider", |cpu| &cpu.terraform_ours),
        ("Terraform itself, with the Go null provider", |cpu| {
            &cpu.terraform_go
        }),
    ];
    for (name, pick) in rows {
        let _ = write!(out, "| {name} |");
        for (n, cpu) in &results.apply_cpu {
            let _ = write!(out, " {} |", ms(pick(cpu).median_ms() / *n as f64));
        }
        out.push('\n');
    }
    out.push_str("| all of it, ours over Go's |");
    for cpu in results.apply_cpu.values() {
        let ours = cpu.terraform_ours.median_ms() + cpu.ours.median_ms() + cpu.emulator.median_ms();
        let go = cpu.terraform_go.median_ms() + cpu.go.median_ms();
        let _ = write!(out, " {:.2} |", ours / go);
    }
    out.push('\n');
}
