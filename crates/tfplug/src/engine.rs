//! The schema-driven steps the gRPC layer runs around a resource's own code: static validation
//! of a configuration, planning from Terraform's proposed new state, upgrading stored state, and
//! keeping write-only values out of plan and state.

mod plan;
mod upgrade;
mod validate;
mod write_only;

pub use plan::{plan_object, PlannedChange};
pub use upgrade::{run_upgraders, upgrade_state, StateUpgrader};
pub use validate::validate_object;
pub use write_only::{fill_write_only, null_write_only, refuse_write_only};
