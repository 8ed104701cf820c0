//! The rules of the ECS Cloud Assistant API that need no network, one module per API call
//! (`invoke_command`; `command` for `CreateCommand`, `ModifyCommand` and `RunCommand`'s
//! content; a later call such as `SendFile` gets its own beside them), the API's vocabulary
//! (statuses, repeat modes, command types), signature 1.0 and the `Frequency` grammar. The
//! client checks requests with them before sending; the emulator refuses with them exactly as
//! the service does, so the two can never disagree.

pub mod command;
pub mod frequency;
pub mod invoke_command;
pub mod signature;
pub mod vocabulary;
