//! `terraform-provider-alicloud`: the provider binary Terraform launches.

use std::process::ExitCode;

use alicloud_provider::AlicloudProvider;
use tfplug::server;

fn main() -> ExitCode {
    server::serve(AlicloudProvider::new())
}
