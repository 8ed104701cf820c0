//! Everything mutable behind the server's one lock: the store, the fault plan and the stats.
//! Handlers hold the lock only while computing an answer, never across I/O.

use super::faults::Faults;
use super::stats::Stats;
use super::store::Store;

#[derive(Debug)]
pub struct State {
    pub store: Store,
    pub faults: Faults,
    pub stats: Stats,
}
