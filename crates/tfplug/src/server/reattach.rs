//! Debug mode (`--debug`): the provider runs on its own, plaintext, and prints the
//! `TF_REATTACH_PROVIDERS` value that makes Terraform use it instead of starting one.

use serde_json::json;

use super::handshake::{Address, APP_PROTOCOL_VERSION};

/// `registry.terraform.io/hashicorp/NAME` from a binary named `terraform-provider-NAME[_vX]`.
pub fn default_provider_address(binary_path: &str) -> String {
    let file = binary_path.rsplit('/').next().unwrap_or(binary_path);
    let name = file.strip_prefix("terraform-provider-").unwrap_or(file);
    let name = name.split(['_', '.']).next().unwrap_or(name);
    format!("registry.terraform.io/hashicorp/{name}")
}

/// The JSON Terraform reads: ProtocolVersion must be 6 (absent means 5), Pid must be ours
/// (Terraform watches it), Test keeps Terraform from killing us after each command.
pub fn reattach_json(provider_address: &str, pid: u32, address: &Address) -> String {
    json!({
        provider_address: {
            "Protocol": "grpc",
            "ProtocolVersion": APP_PROTOCOL_VERSION,
            "Pid": pid,
            "Test": true,
            "Addr": { "Network": address.network(), "String": address.address() },
        }
    })
    .to_string()
}

pub fn instructions(reattach_json: &str) -> String {
    format!(
        "Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable \
         with the following:\n\n\tTF_REATTACH_PROVIDERS='{reattach_json}'\n\nPress Ctrl-C to stop."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_comes_from_the_binary_name() {
        assert_eq!(
            default_provider_address("/x/terraform-provider-alicloud_v0.1.0"),
            "registry.terraform.io/hashicorp/alicloud"
        );
        assert_eq!(
            default_provider_address("terraform-provider-alicloud"),
            "registry.terraform.io/hashicorp/alicloud"
        );
    }

    #[test]
    fn json_has_what_terraform_requires() {
        let text = reattach_json("example.com/a/b", 4242, &Address::Unix("/tmp/plugin1".into()));
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let entry = &value["example.com/a/b"];
        assert_eq!(entry["Protocol"], "grpc");
        assert_eq!(entry["ProtocolVersion"], 6);
        assert_eq!(entry["Pid"], 4242);
        assert_eq!(entry["Test"], true);
        assert_eq!(entry["Addr"]["Network"], "unix");
        assert_eq!(entry["Addr"]["String"], "/tmp/plugin1");
        assert!(instructions(&text).contains(&format!("TF_REATTACH_PROVIDERS='{text}'")));
    }
}
