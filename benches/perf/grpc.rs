//! Terraform's side of the plugin connection, shared with the integration tests: go-plugin's
//! P-521 client certificate, the handshake line, and the mutual-TLS gRPC channel.
#![allow(dead_code)] // the tests use parts the benchmark does not

#[path = "../../tests/support/grpc/client_cert.rs"]
pub mod client_cert;
#[path = "../../tests/support/grpc/connect.rs"]
pub mod connect;
#[path = "../../tests/support/grpc/tls_client.rs"]
pub mod tls_client;
