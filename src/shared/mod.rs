//! What the invocation resource, the command resource and the action all use: the run
//! arguments the invocation and the action share, the watcher of invocations in flight and
//! the one wait on it, `NextToken` paging, import ids, API errors as diagnostics, the API's
//! empty text as an unset attribute and the provider's log lines.

pub(crate) mod api_errors;
pub(crate) mod api_text;
pub(crate) mod import_id;
pub(crate) mod logs;
pub(crate) mod pages;
pub(crate) mod run_args;
pub(crate) mod wait;
pub(crate) mod watcher;
