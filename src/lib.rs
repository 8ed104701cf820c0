//! A Terraform provider for Alibaba Cloud ECS Cloud Assistant, and its local emulator.
//! Layers, each knowing only the one below: `tfplug` (plugin framework), `alicloud` (API
//! client), `provider` (the provider and its resources); `emulator` stands beside them.

pub mod alicloud;
pub mod emulator;
pub mod provider;
pub mod tfplug;
