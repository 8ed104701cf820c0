//! Everything mutable behind the server's one lock: the store, the fault plan, the stats and
//! how far the operations' clock is ahead of the real one. Handlers hold the lock only while
//! computing an answer, never across I/O.

use super::faults::Faults;
use super::stats::Stats;
use super::store::Store;

#[derive(Debug)]
pub struct State {
    pub store: Store,
    pub faults: Faults,
    pub stats: Stats,
    /// Added to the real time the operations see (`POST /_emulator/clock`), so schedules and
    /// timeouts can be played out without waiting; signatures keep the real time.
    pub clock_offset_ms: i64,
}
