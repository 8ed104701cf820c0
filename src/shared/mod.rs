//! What the invocation resource, the command resource and the action all use: the watcher of
//! invocations in flight, import ids, API errors as diagnostics, the provider's log lines and
//! the `timeouts` block's durations.

pub(crate) mod api_errors;
pub(crate) mod import_id;
pub(crate) mod logs;
pub(crate) mod timeouts;
pub(crate) mod watcher;
