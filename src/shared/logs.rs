//! The provider's log lines, in Terraform's log through `tfplug::logging`: the client's
//! (already redacted) request lines and the resource's own lines naming InvokeIds. Values of
//! `parameters` and credentials are never passed here.

use alicloud_client::{LogLevel, LogSink};
use tfplug::logging::{self, Field, Level};

const CLIENT: &str = "provider.alicloud.client";
const RESOURCE: &str = "provider.alicloud";

/// A sink for the client's lines. The client only calls it with text it has redacted.
pub fn client_sink() -> LogSink {
    std::sync::Arc::new(|level: LogLevel, message: &str| {
        let level = match level {
            LogLevel::Debug => Level::Debug,
            LogLevel::Warn => Level::Warn,
        };
        logging::log(level, CLIENT, message, &[]);
    })
}

/// A debug line about the resource (a create, a read), with identifying fields only.
pub fn debug(message: &str, fields: &[Field<'_>]) {
    logging::debug(RESOURCE, message, fields);
}

/// A warning about the resource (a poll that failed), with identifying fields only.
pub fn warn(message: &str, fields: &[Field<'_>]) {
    logging::warn(RESOURCE, message, fields);
}
