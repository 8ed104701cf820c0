//! tfplug: a small, general Terraform plugin framework (protocol 6). It owns the go-plugin
//! handshake, the gRPC services, cty values and their encodings, schemas, diagnostics and the
//! provider/resource traits. It knows nothing of any cloud.

pub mod codec_error;
mod decimal;
pub mod diagnostics;
mod encoder;
pub mod json;
pub mod logging;
pub mod msgpack;
mod msgpack_reader;
pub mod provider;
pub mod schema;
pub mod server;
#[cfg(test)]
mod test_strategies;
pub mod types;
pub mod value;
