//! The client suite: `alicloud-client` against a scriptable fake endpoint (`calls`,
//! `endpoint`, `retry`) and against the emulator binary (`credentials`, `emulator`).

mod calls;
mod credentials;
mod emulator;
mod endpoint;
mod retry;
