//! The schema-driven steps the gRPC layer runs around a resource's own code: static validation
//! of a configuration, planning from Terraform's proposed new state, and upgrading stored state.

mod plan;
mod upgrade;
mod validate;

pub use plan::{plan_object, PlannedChange};
pub use upgrade::upgrade_state;
pub use validate::validate_object;
