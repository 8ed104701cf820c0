//! What an import names: an object's ID (`t-xxxx` for an invocation, `c-xxxx` for a command)
//! in the provider's region, or `REGION:ID`; and on Terraform 1.12+ the resource identity,
//! which holds the same two parts apart (`region_id` and the ID) under the same rules.

use tfplug::{Diagnostics, IdentityAttribute, IdentitySchema, Type, Value};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportId {
    pub region: Option<String>,
    pub id: String,
}

/// The kind of object an import names: its API name, the prefix its IDs start with, and the
/// identity attribute that holds its ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdKind {
    pub name: &'static str,
    pub prefix: &'static str,
    pub identity_attribute: &'static str,
}

pub const INVOKE_ID: IdKind = IdKind {
    name: "InvokeId",
    prefix: "t-",
    identity_attribute: "invoke_id",
};
pub const COMMAND_ID: IdKind = IdKind {
    name: "CommandId",
    prefix: "c-",
    identity_attribute: "command_id",
};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportIdError {
    #[error(
        "import ID {id:?} is not a {name} ({prefix}...) or REGION:{name} (cn-hangzhou:{prefix}...)",
        name = .kind.name,
        prefix = .kind.prefix
    )]
    Malformed { id: String, kind: IdKind },
    #[error("identity {attribute} = {id:?} is not a {name} ({prefix}...)", attribute = .kind.identity_attribute, name = .kind.name, prefix = .kind.prefix)]
    MalformedIdentityId { id: String, kind: IdKind },
    #[error("identity region_id = {region:?} is not a region ID (lower-case letters, digits and -, such as cn-hangzhou)")]
    MalformedRegion { region: String },
}

pub fn parse(id: &str, kind: IdKind) -> Result<ImportId, ImportIdError> {
    let (region, object_id) = match id.split_once(':') {
        Some((region, object_id)) => (Some(region), object_id),
        None => (None, id),
    };
    if !valid_id(object_id, kind) || !region.is_none_or(valid_region) {
        return Err(ImportIdError::Malformed {
            id: id.to_string(),
            kind,
        });
    }
    Ok(ImportId {
        region: region.map(str::to_string),
        id: object_id.to_string(),
    })
}

/// An identity's two parts, each held to the rule of its half of the `REGION:ID` form.
fn parse_identity(region: Option<&str>, id: &str, kind: IdKind) -> Result<ImportId, ImportIdError> {
    if !valid_id(id, kind) {
        return Err(ImportIdError::MalformedIdentityId {
            id: id.to_string(),
            kind,
        });
    }
    if let Some(region) = region.filter(|r| !valid_region(r)) {
        return Err(ImportIdError::MalformedRegion {
            region: region.to_string(),
        });
    }
    Ok(ImportId {
        region: region.map(str::to_string),
        id: id.to_string(),
    })
}

fn valid_id(id: &str, kind: IdKind) -> bool {
    id.len() > kind.prefix.len()
        && id.starts_with(kind.prefix)
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn valid_region(region: &str) -> bool {
    !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// An `import` block's (or `terraform import`'s) ID; an error diagnostic when malformed.
pub fn from_id(id: &str, kind: IdKind, diags: &mut Diagnostics) -> Option<ImportId> {
    parse(id, kind)
        .map_err(|error| diags.error("Invalid import ID", error.to_string()))
        .ok()
}

/// The identity of a resource whose objects `kind` names: `region_id` (optional in an
/// `import` block: the provider's region) and the ID, which the state keeps as
/// `state_attribute`.
pub fn identity_schema(kind: IdKind, state_attribute: &str) -> IdentitySchema {
    IdentitySchema::new([
        IdentityAttribute::optional(
            "region_id",
            Type::String,
            "Region. Default: the provider's region.",
        ),
        IdentityAttribute::required(
            kind.identity_attribute,
            Type::String,
            &format!("The `{}` (`{}...`).", kind.name, kind.prefix),
        )
        .stored_as(state_attribute),
    ])
}

/// An `import` block's identity (of [`identity_schema`]); an error diagnostic when malformed.
pub fn from_identity(identity: &Value, kind: IdKind, diags: &mut Diagnostics) -> Option<ImportId> {
    let id = identity.attr_str(kind.identity_attribute).unwrap_or_default();
    parse_identity(identity.attr_str("region_id"), id, kind)
        .map_err(|error| diags.error("Invalid import identity", error.to_string()))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_and_regional_forms() {
        assert_eq!(
            parse("t-abc123", INVOKE_ID).unwrap(),
            ImportId {
                region: None,
                id: "t-abc123".into()
            }
        );
        assert_eq!(
            parse("cn-shanghai:c-abc123", COMMAND_ID).unwrap(),
            ImportId {
                region: Some("cn-shanghai".into()),
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
            assert!(parse(bad, INVOKE_ID).is_err(), "{bad:?} should be rejected");
        }
        assert!(parse("t-abc", COMMAND_ID).is_err());
        let message = parse("x", COMMAND_ID).unwrap_err().to_string();
        assert_eq!(
            message,
            "import ID \"x\" is not a CommandId (c-...) or REGION:CommandId (cn-hangzhou:c-...)"
        );
    }

    fn identity(region: Option<&str>, id: &str) -> Value {
        let ty = identity_schema(COMMAND_ID, "id").implied_type();
        let mut identity = Value::null_object(&ty);
        identity.set_attr("command_id", id.into());
        if let Some(region) = region {
            identity.set_attr("region_id", region.into());
        }
        identity
    }

    #[test]
    fn identities_follow_the_id_rules() {
        let mut diags = Diagnostics::new();
        assert_eq!(
            from_identity(&identity(Some("cn-shanghai"), "c-abc"), COMMAND_ID, &mut diags),
            parse("cn-shanghai:c-abc", COMMAND_ID).ok()
        );
        assert_eq!(
            from_identity(&identity(None, "c-abc"), COMMAND_ID, &mut diags)
                .unwrap()
                .region,
            None
        );
        assert!(diags.is_empty());
        // The ID alone never smuggles in a region, and each part is checked.
        assert_eq!(
            parse_identity(None, "cn-shanghai:t-abc", INVOKE_ID)
                .unwrap_err()
                .to_string(),
            "identity invoke_id = \"cn-shanghai:t-abc\" is not a InvokeId (t-...)"
        );
        assert!(parse_identity(Some("cn-shanghai"), "cn-beijing:t-abc", INVOKE_ID).is_err());
        assert_eq!(
            parse_identity(Some("CN"), "t-abc", INVOKE_ID).unwrap_err(),
            ImportIdError::MalformedRegion { region: "CN".into() }
        );
        assert!(from_identity(&identity(None, "t-abc"), COMMAND_ID, &mut diags).is_none());
        assert!(diags.has_errors());
    }
}
