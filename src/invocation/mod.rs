//! Resource `alicloud_ecs_command_invocation`: the resource, its schema rules (static, plan
//! time, schedule and frequency), its state and the translation to and from the API, the one
//! `InvokeCommand` of a create, the wait for completion and the per-instance results, the
//! verdict owed after an interruption, periodic drift, and the ledger of this run's creates.

pub(crate) mod completion;
pub(crate) mod frequency_rule;
pub(crate) mod invoke;
pub(crate) mod invoke_rules;
pub(crate) mod ledger;
pub(crate) mod periodic_drift;
pub(crate) mod remote_rules;
pub(crate) mod resource;
pub(crate) mod results;
pub(crate) mod schedule_rule;
pub(crate) mod state;
pub(crate) mod verdict;
