//! The rules of the ECS Cloud Assistant API that need no network: signature 1.0, the limits
//! of `InvokeCommand` and of command definitions (with their placeholders), and the `Frequency`
//! grammar. The client checks requests with them before sending; the emulator refuses with
//! them exactly as the service does, so the two can never disagree.

pub mod command_limits;
pub mod frequency;
pub mod invoke_limits;
pub mod limits;
pub mod signature;
