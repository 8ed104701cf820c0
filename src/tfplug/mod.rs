//! tfplug: a small, general Terraform plugin framework (protocol 6). It owns the go-plugin
//! handshake, the gRPC services, cty values and their encodings, schemas, diagnostics and the
//! provider/resource traits. It knows nothing of any cloud.

pub mod diagnostics;
pub mod logging;
pub mod provider;
pub mod schema;
pub mod server;
pub mod types;
pub mod value;
