//! Generated protobuf types, servers and clients for the plugin protocol (see `proto/`).

/// Terraform's plugin protocol 6 (`tfplugin6.Provider`).
pub mod tfplugin6 {
    #![allow(clippy::all, clippy::pedantic, missing_docs)]
    tonic::include_proto!("tfplugin6");
}

/// go-plugin's side services (`plugin.GRPCController`, `plugin.GRPCStdio`).
pub mod plugin {
    #![allow(clippy::all, clippy::pedantic, missing_docs)]
    tonic::include_proto!("plugin");
}
