//! Samples of one measurement and the numbers the report shows: median, spread, ratio.

use std::time::Duration;

/// The durations measured for one side of one comparison.
#[derive(Debug, Clone, Default)]
pub struct Samples(Vec<f64>);

impl Samples {
    pub fn push(&mut self, elapsed: Duration) {
        self.0.push(elapsed.as_secs_f64() * 1e3);
    }

    /// The median in milliseconds (mean of the middle two for an even count); NaN when empty.
    pub fn median_ms(&self) -> f64 {
        let mut sorted = self.0.clone();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        match n {
            0 => f64::NAN,
            _ if n % 2 == 1 => sorted[n / 2],
            _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// Ours against theirs, on the same measurement.
#[derive(Debug, Clone, Default)]
pub struct Pair {
    pub ours: Samples,
    pub go: Samples,
}

impl Pair {
    /// median(ours) / median(Go).
    pub fn ratio(&self) -> f64 {
        self.ours.median_ms() / self.go.median_ms()
    }
}

/// Milliseconds with a precision that suits their size.
pub fn ms(value: f64) -> String {
    if value < 10.0 {
        format!("{value:.2} ms")
    } else if value < 1000.0 {
        format!("{value:.1} ms")
    } else {
        format!("{:.2} s", value / 1e3)
    }
}
