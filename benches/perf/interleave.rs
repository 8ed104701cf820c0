//! The order of runs: every side once per round, the first side rotating from round to
//! round, so drift in the machine's load hits all sides alike.

use std::time::Duration;

use crate::setup::Result;
use crate::stats::{Pair, Samples};
use crate::terraform::Side;

/// Runs `measure` `runs` times per side, rotating which side goes first; samples in the
/// order of `sides`.
pub fn interleave(
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
pub fn alternate(runs: usize, measure: impl FnMut(Side) -> Result<Duration>) -> Result<Pair> {
    let mut samples = interleave(runs, &[Side::Ours, Side::Go], measure)?.into_iter();
    Ok(Pair {
        ours: samples.next().unwrap_or_default(),
        go: samples.next().unwrap_or_default(),
    })
}
