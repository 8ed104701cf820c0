//! Import by ID and by identity for resources whose objects an ID names within a scope (a
//! region, a project): the import ID `ID` (the provider's default scope) or `SCOPE:ID`, and on
//! Terraform 1.12+ an identity holding the two apart under the same rules. The provider gives
//! the scope's rule and the ID's prefix; the framework parses, explains what it refuses and
//! derives the identity schema, so a resource declares only its [`ImportIds`].

use thiserror::Error;

use super::identity::{IdentityAttribute, IdentitySchema};
use super::types::Type;
use super::value::Value;

/// Where an object lives, as its provider names it (a region, say).
#[derive(Debug, Clone, Copy)]
pub struct IdScope {
    /// The identity attribute, and the state attribute, that hold it (`region_id`).
    pub attribute: &'static str,
    /// Its place in the `SCOPE:ID` form, in messages (`REGION`).
    pub placeholder: &'static str,
    /// One valid scope, in messages (`cn-hangzhou`).
    pub example: &'static str,
    /// What a valid scope is, after "is not" (`a region ID (lower-case letters, ...)`).
    pub rule: &'static str,
    pub valid: fn(&str) -> bool,
    /// The identity attribute's description.
    pub description: &'static str,
}

/// The kind of ID an import names: its prefix, then letters, digits or `-`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdKind {
    /// What the API calls it (`InvokeId`).
    pub name: &'static str,
    /// What every such ID starts with (`t-`).
    pub prefix: &'static str,
    /// The identity attribute that holds it.
    pub attribute: &'static str,
    /// The state attribute that holds it, when named otherwise than `attribute` (`id`).
    pub state_attribute: &'static str,
}

/// How a resource's objects are named for import.
#[derive(Debug, Clone, Copy)]
pub struct ImportIds {
    pub scope: IdScope,
    pub id: IdKind,
}

/// What an import named: the ID, and the scope when it gave one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedId {
    pub scope: Option<String>,
    pub id: String,
}

/// Why an import ID or identity is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportError {
    #[error(
        "import ID {id:?} is not a {name} ({prefix}...) or {placeholder}:{name} ({example}:{prefix}...)",
        name = .kind.name,
        prefix = .kind.prefix
    )]
    Malformed {
        id: String,
        kind: IdKind,
        placeholder: &'static str,
        example: &'static str,
    },
    #[error("identity {attribute} = {id:?} is not a {name} ({prefix}...)", attribute = .kind.attribute, name = .kind.name, prefix = .kind.prefix)]
    MalformedIdentityId { id: String, kind: IdKind },
    #[error("identity {attribute} = {scope:?} is not {rule}")]
    MalformedScope {
        attribute: &'static str,
        scope: String,
        rule: &'static str,
    },
}

impl ImportIds {
    /// An import ID: `ID` or `SCOPE:ID`.
    pub fn parse(&self, import_id: &str) -> Result<ImportedId, ImportError> {
        let (scope, id) = match import_id.split_once(':') {
            Some((scope, id)) => (Some(scope), id),
            None => (None, import_id),
        };
        if !self.valid_id(id) || !scope.is_none_or(self.scope.valid) {
            return Err(ImportError::Malformed {
                id: import_id.to_string(),
                kind: self.id,
                placeholder: self.scope.placeholder,
                example: self.scope.example,
            });
        }
        Ok(ImportedId {
            scope: scope.map(str::to_string),
            id: id.to_string(),
        })
    }

    /// An `import { identity = {...} }`: each part held to the rule of its half of `SCOPE:ID`.
    pub fn parse_identity(&self, identity: &Value) -> Result<ImportedId, ImportError> {
        let id = identity.attr_str(self.id.attribute).unwrap_or_default();
        if !self.valid_id(id) {
            return Err(ImportError::MalformedIdentityId {
                id: id.to_string(),
                kind: self.id,
            });
        }
        let scope = identity.attr_str(self.scope.attribute);
        if let Some(scope) = scope.filter(|s| !(self.scope.valid)(s)) {
            return Err(ImportError::MalformedScope {
                attribute: self.scope.attribute,
                scope: scope.to_string(),
                rule: self.scope.rule,
            });
        }
        Ok(ImportedId {
            scope: scope.map(str::to_string),
            id: id.to_string(),
        })
    }

    /// The identity: the scope (optional in an `import` block: the provider's default) and
    /// the ID.
    pub fn identity(&self) -> IdentitySchema {
        IdentitySchema::new([
            IdentityAttribute::optional(self.scope.attribute, Type::String, self.scope.description),
            IdentityAttribute::required(
                self.id.attribute,
                Type::String,
                &format!("The `{}` (`{}...`).", self.id.name, self.id.prefix),
            )
            .stored_as(self.id.state_attribute),
        ])
    }

    fn valid_id(&self, id: &str) -> bool {
        id.strip_prefix(self.id.prefix).is_some_and(|rest| {
            !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const THINGS: ImportIds = ImportIds {
        scope: IdScope {
            attribute: "zone",
            placeholder: "ZONE",
            example: "z1",
            rule: "a zone (z and digits)",
            valid: |zone| {
                zone.strip_prefix('z')
                    .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            },
            description: "Zone.",
        },
        id: IdKind {
            name: "ThingId",
            prefix: "t-",
            attribute: "thing_id",
            state_attribute: "id",
        },
    };

    fn imported(scope: Option<&str>, id: &str) -> ImportedId {
        ImportedId {
            scope: scope.map(str::to_string),
            id: id.to_string(),
        }
    }

    #[test]
    fn bare_and_scoped_forms() {
        assert_eq!(THINGS.parse("t-abc123").unwrap(), imported(None, "t-abc123"));
        assert_eq!(THINGS.parse("z2:t-abc").unwrap(), imported(Some("z2"), "t-abc"));
    }

    #[test]
    fn other_shapes_are_refused_with_the_forms() {
        for bad in ["", "t-", "c-abc", ":t-abc", "Z2:t-abc", "z2:", "t-a b", "a:b:t-c"] {
            assert!(THINGS.parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert_eq!(
            THINGS.parse("x").unwrap_err().to_string(),
            "import ID \"x\" is not a ThingId (t-...) or ZONE:ThingId (z1:t-...)"
        );
    }

    fn identity(scope: Option<&str>, id: &str) -> Value {
        let mut identity = Value::null_object(&THINGS.identity().implied_type());
        identity.set_attr("thing_id", id.into());
        if let Some(scope) = scope {
            identity.set_attr("zone", scope.into());
        }
        identity
    }

    #[test]
    fn identities_follow_the_id_rules() {
        assert_eq!(
            THINGS.parse_identity(&identity(Some("z2"), "t-abc")).unwrap(),
            imported(Some("z2"), "t-abc")
        );
        assert_eq!(
            THINGS.parse_identity(&identity(None, "t-abc")).unwrap(),
            imported(None, "t-abc")
        );
        // The ID alone never smuggles in a scope, and each part is checked.
        assert_eq!(
            THINGS
                .parse_identity(&identity(None, "z2:t-abc"))
                .unwrap_err()
                .to_string(),
            "identity thing_id = \"z2:t-abc\" is not a ThingId (t-...)"
        );
        assert_eq!(
            THINGS
                .parse_identity(&identity(Some("Z"), "t-abc"))
                .unwrap_err()
                .to_string(),
            "identity zone = \"Z\" is not a zone (z and digits)"
        );
    }

    #[test]
    fn the_identity_mirrors_the_state_attributes() {
        let schema = THINGS.identity();
        let block = schema.block();
        assert!(block.get_attribute("zone").unwrap().optional);
        assert!(block.get_attribute("thing_id").unwrap().required);
        assert_eq!(schema.attributes[1].state_attribute, "id");
    }
}
