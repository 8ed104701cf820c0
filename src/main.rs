//! `terraform-provider-alicloud`: the provider binary Terraform launches.

use std::process::ExitCode;

use alicloud_provider::provider::AlicloudProvider;
use alicloud_provider::tfplug::server;

fn main() -> ExitCode {
    server::serve(AlicloudProvider::new())
}
