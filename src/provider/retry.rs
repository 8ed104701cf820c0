//! The provider's retry arguments (named as in the official provider) and how they become
//! the client's `RetryPolicy`.

use std::time::Duration;

use alicloud_client::RetryPolicy;
use tfplug::validators::int_between;
use tfplug::{Attr, Attribute, Type};

use crate::provider::config::ProviderModel;

/// Throttling comes in bursts: enough attempts to ride one out, the deadline still bounds them.
const MAX_ATTEMPTS: u32 = 10;

const READ: &str = "client_read_timeout";
const CONNECT: &str = "client_connect_timeout";
const RETRY: &str = "max_retry_timeout";

/// The three attributes, for the provider block.
pub fn attributes() -> [Attribute; 3] {
    let defaults = RetryPolicy::default();
    [
        Attribute::optional(READ, Type::Number)
            .describe(&format!(
                "Time one API request may take, from sending it to the last byte of the answer, in \
                 milliseconds. A request that takes longer is abandoned and retried (an \
                 `InvokeCommand` with the same `ClientToken`). Default: {}.",
                defaults.request_timeout.as_millis()
            ))
            .validate(int_between(100, 600_000)),
        Attribute::optional(CONNECT, Type::Number)
            .describe(&format!(
                "Time to open a connection to the endpoint, in milliseconds. Default: {}.",
                defaults.connect_timeout.as_millis()
            ))
            .validate(int_between(100, 600_000)),
        Attribute::optional(RETRY, Type::Number)
            .describe(&format!(
                "Total time one API call may take, its retries (throttling, 5xx answers, dropped \
                 connections, timeouts; at most {MAX_ATTEMPTS} attempts) and their backoff \
                 included, in seconds. Default: {}.",
                defaults.deadline.as_secs()
            ))
            .validate(int_between(1, 3600)),
    ]
}

/// The retry policy the provider block asks for; arguments left out keep the defaults.
/// Values were validated already; anything else falls back to the default too.
pub fn retry_policy(model: &ProviderModel) -> RetryPolicy {
    let whole = |field: &Attr<i64>| field.get().and_then(|n| u64::try_from(*n).ok());
    let defaults = RetryPolicy::default();
    RetryPolicy {
        max_attempts: MAX_ATTEMPTS,
        request_timeout: whole(&model.client_read_timeout)
            .map_or(defaults.request_timeout, Duration::from_millis),
        connect_timeout: whole(&model.client_connect_timeout)
            .map_or(defaults.connect_timeout, Duration::from_millis),
        deadline: whole(&model.max_retry_timeout).map_or(defaults.deadline, Duration::from_secs),
        ..defaults
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_map_onto_the_policy() {
        let policy = retry_policy(&ProviderModel {
            client_read_timeout: Attr::Known(1500),
            client_connect_timeout: Attr::Known(250),
            max_retry_timeout: Attr::Known(7),
            ..Default::default()
        });
        assert_eq!(policy.request_timeout, Duration::from_millis(1500));
        assert_eq!(policy.connect_timeout, Duration::from_millis(250));
        assert_eq!(policy.deadline, Duration::from_secs(7));
        assert_eq!(policy.max_attempts, MAX_ATTEMPTS);
    }

    #[test]
    fn left_out_arguments_keep_the_defaults() {
        let defaults = RetryPolicy::default();
        let policy = retry_policy(&ProviderModel::default());
        assert_eq!(
            RetryPolicy {
                max_attempts: defaults.max_attempts,
                ..policy
            },
            defaults
        );
    }
}
