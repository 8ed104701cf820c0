//! Import IDs: an object's ID (`t-xxxx` for an invocation, `c-xxxx` for a command) in the
//! provider's region, or `REGION:ID`; and import identities, which hold the same two parts
//! apart and follow the same rules.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportId {
    pub region: Option<String>,
    pub id: String,
}

/// The kind of object an import ID names: its API name and the prefix its IDs start with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdKind {
    pub name: &'static str,
    pub prefix: &'static str,
}

pub const INVOKE_ID: IdKind = IdKind {
    name: "InvokeId",
    prefix: "t-",
};
pub const COMMAND_ID: IdKind = IdKind {
    name: "CommandId",
    prefix: "c-",
};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportIdError {
    #[error(
        "import ID {id:?} is not a {name} ({prefix}...) or REGION:{name} (cn-hangzhou:{prefix}...)",
        name = .kind.name,
        prefix = .kind.prefix
    )]
    Malformed { id: String, kind: IdKind },
}

pub fn parse(id: &str, kind: IdKind) -> Result<ImportId, ImportIdError> {
    let malformed = || ImportIdError::Malformed {
        id: id.to_string(),
        kind,
    };
    let (region, object_id) = match id.split_once(':') {
        Some((region, object_id)) => (Some(region), object_id),
        None => (None, id),
    };
    let valid_id = object_id.len() > kind.prefix.len()
        && object_id.starts_with(kind.prefix)
        && object_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let valid_region = region.is_none_or(|r| {
        !r.is_empty()
            && r.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    });
    if !valid_id || !valid_region {
        return Err(malformed());
    }
    Ok(ImportId {
        region: region.map(str::to_string),
        id: object_id.to_string(),
    })
}

/// An import identity's region (optional) and ID, held to the rules of the ID forms.
pub fn from_identity(region: Option<&str>, id: &str, kind: IdKind) -> Result<ImportId, ImportIdError> {
    match region {
        Some(region) => parse(&format!("{region}:{id}"), kind),
        // A bare ID with a colon would read as REGION:ID.
        None if id.contains(':') => Err(ImportIdError::Malformed {
            id: id.to_string(),
            kind,
        }),
        None => parse(id, kind),
    }
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

    #[test]
    fn identities_follow_the_id_rules() {
        assert_eq!(
            from_identity(Some("cn-shanghai"), "c-abc", COMMAND_ID).unwrap(),
            parse("cn-shanghai:c-abc", COMMAND_ID).unwrap()
        );
        assert_eq!(from_identity(None, "t-abc", INVOKE_ID).unwrap().region, None);
        // The ID alone never smuggles in a region, and each part is checked.
        assert!(from_identity(None, "cn-shanghai:t-abc", INVOKE_ID).is_err());
        assert!(from_identity(Some("cn-shanghai"), "cn-beijing:t-abc", INVOKE_ID).is_err());
        assert!(from_identity(Some("CN"), "t-abc", INVOKE_ID).is_err());
        assert!(from_identity(None, "c-abc", INVOKE_ID).is_err());
    }
}
