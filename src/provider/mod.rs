//! The provider itself: the provider block's schema and arguments (credentials, retry
//! settings), how they become configured clients, and the context every resource, data source
//! and action shares once Terraform has configured it.

pub(crate) mod catalog;
pub(crate) mod config;
pub(crate) mod config_errors;
pub(crate) mod context;
pub(crate) mod credential_args;
pub(crate) mod retry;
