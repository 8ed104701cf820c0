//! What an import names: an object's ID (`t-xxxx` for an invocation, `c-xxxx` for a command)
//! in the provider's region, or `REGION:ID`; and on Terraform 1.12+ the resource identity,
//! which holds the same two parts apart (`region_id` and the ID) under the same rules. tfplug
//! parses the forms; the region's rule and each ID's prefix are the API's, written here.

use tfplug::{IdKind, IdScope, ImportIds};

/// The region part: optional, the provider's region when left out.
const REGION: IdScope = IdScope {
    attribute: "region_id",
    placeholder: "REGION",
    example: "cn-hangzhou",
    rule: "a region ID (lower-case letters, digits and -, such as cn-hangzhou)",
    valid: valid_region,
    description: "Region. Default: the provider's region.",
};

/// An invocation, kept in state as `invoke_id` (and `id`).
pub const INVOKE_IDS: ImportIds = ImportIds {
    scope: REGION,
    id: IdKind {
        name: "InvokeId",
        prefix: "t-",
        attribute: "invoke_id",
        state_attribute: "invoke_id",
    },
};

/// A command, kept in state as `id`.
pub const COMMAND_IDS: ImportIds = ImportIds {
    scope: REGION,
    id: IdKind {
        name: "CommandId",
        prefix: "c-",
        attribute: "command_id",
        state_attribute: "id",
    },
};

fn valid_region(region: &str) -> bool {
    !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use tfplug::{ImportedId, Value};

    #[test]
    fn bare_and_regional_forms() {
        assert_eq!(
            INVOKE_IDS.parse("t-abc123").unwrap(),
            ImportedId {
                scope: None,
                id: "t-abc123".into()
            }
        );
        assert_eq!(
            COMMAND_IDS.parse("cn-shanghai:c-abc123").unwrap(),
            ImportedId {
                scope: Some("cn-shanghai".into()),
                id: "c-abc123".into()
            }
        );
    }

    #[test]
    fn rejects_other_shapes() {
        for bad in [
            "",
            "t-",
            "c-abc",
            "i-abc",
            ":t-abc",
            "CN:t-abc",
            "cn-hangzhou:",
            "t-a b",
            "a:b:t-c",
        ] {
            assert!(INVOKE_IDS.parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(COMMAND_IDS.parse("t-abc").is_err());
        assert_eq!(
            COMMAND_IDS.parse("x").unwrap_err().to_string(),
            "import ID \"x\" is not a CommandId (c-...) or REGION:CommandId (cn-hangzhou:c-...)"
        );
    }

    #[test]
    fn an_identity_region_is_held_to_the_region_rule() {
        let identity = |region: &str| {
            Value::Object(
                [
                    ("region_id".to_string(), Value::from(region)),
                    ("invoke_id".to_string(), Value::from("t-abc")),
                ]
                .into(),
            )
        };
        assert!(INVOKE_IDS.parse_identity(&identity("cn-shanghai")).is_ok());
        assert_eq!(
            INVOKE_IDS
                .parse_identity(&identity("CN"))
                .unwrap_err()
                .to_string(),
            "identity region_id = \"CN\" is not a region ID (lower-case letters, digits and -, such as \
             cn-hangzhou)"
        );
    }
}
