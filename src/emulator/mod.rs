//! The Cloud Assistant emulator: a local stand-in for the ECS RPC endpoint, faithful to the
//! API reference, used by the tests and the demo.
