//! Compiles the plugin protocol's .proto files with the pure-Rust `protox` (no system
//! `protoc`) and generates the tonic servers and clients (tests drive the server as a client).

use std::error::Error;

const PROTOS: [&str; 3] = [
    "../../proto/tfplugin6.proto",
    "../../proto/grpc_controller.proto",
    "../../proto/grpc_stdio.proto",
];

fn main() -> Result<(), Box<dyn Error>> {
    for proto in PROTOS {
        println!("cargo:rerun-if-changed={proto}");
    }
    let descriptors = protox::compile(PROTOS, ["../../proto"])?;
    tonic_build::configure()
        .build_server(true)
        .build_client(true)
        .compile_fds(descriptors)?;
    Ok(())
}
