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
    use tfplug::{ImportError, ImportedId, Value};

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

    fn identity(ids: ImportIds, region: Option<&str>, id: &str) -> Value {
        let mut identity = Value::null_object(&ids.identity().implied_type());
        identity.set_attr(ids.id.attribute, id.into());
        if let Some(region) = region {
            identity.set_attr("region_id", region.into());
        }
        identity
    }

    #[test]
    fn identities_follow_the_id_rules() {
        assert_eq!(
            COMMAND_IDS.parse_identity(&identity(COMMAND_IDS, Some("cn-shanghai"), "c-abc")),
            COMMAND_IDS.parse("cn-shanghai:c-abc")
        );
        assert_eq!(
            INVOKE_IDS
                .parse_identity(&identity(INVOKE_IDS, None, "cn-shanghai:t-abc"))
                .unwrap_err()
                .to_string(),
            "identity invoke_id = \"cn-shanghai:t-abc\" is not a InvokeId (t-...)"
        );
        assert_eq!(
            INVOKE_IDS
                .parse_identity(&identity(INVOKE_IDS, Some("CN"), "t-abc"))
                .unwrap_err(),
            ImportError::MalformedScope {
                attribute: "region_id",
                scope: "CN".into(),
                rule: REGION.rule,
            }
        );
        assert!(COMMAND_IDS
            .parse_identity(&identity(COMMAND_IDS, None, "t-abc"))
            .is_err());
    }
}
