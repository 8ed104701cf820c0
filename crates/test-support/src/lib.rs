//! What every test suite of the workspace shares, one module per harness:
//!
//! | module | used by | what it owns |
//! |---|---|---|
//! | [`emulator_process`] | every suite | the built binaries, and the one launcher of the emulator |
//! | [`e2e`] | `tests/e2e` | the provider mirror, Terraform runners and workspaces |
//! | [`emulator`] | `tests/emulator`, `tests/client` | signed requests to a running emulator |
//! | [`fake_ecs`] | `tests/client` | a scriptable fake ECS endpoint for the client |
//! | [`grpc`] | `tests/plugin`, `tests/docs` | driving a plugin server as Terraform does |
//! | [`wait`] | every suite | waiting for a condition with a deadline |
//!
//! The fixture ids (instances, commands, demo keys) come from `ecs_emulator::fixtures::ids`.
//! Test code only, so failures panic with the reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod e2e;
pub mod emulator;
pub mod emulator_process;
pub mod fake_ecs;
pub mod grpc;
pub mod wait;

pub use emulator_process::{emulator_binary, provider_binary, EmulatorProcess};
