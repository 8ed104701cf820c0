//! The `alicloud` provider: its configuration schema and its resources, built on tfplug and
//! the Alibaba Cloud client.
