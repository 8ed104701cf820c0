//! Logging on stderr, one line per event. Callers pass only what is safe to show: action,
//! region, key id, status and code; never secrets, signatures, tokens or parameter values.

use std::fmt::Arguments;
use std::io::Write;

pub fn line(args: Arguments) {
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ");
    // A closed stderr must not take the server down.
    let _ = writeln!(std::io::stderr().lock(), "{now} alicloud-ecs-emulator: {args}");
}
