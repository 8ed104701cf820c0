//! Errors of the value codecs (msgpack, JSON, type JSON). Each names the path where decoding or
//! encoding failed and what was expected; none carries the value itself, so a sensitive value
//! never leaks through an error message.

use super::diagnostics::{AttributePath, PathStep};
use super::types::Type;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodecError {
    #[error("{}: unexpected end of input", at(.path))]
    Truncated { path: AttributePath },
    #[error("{}: expected {expected}, got {found}", at(.path))]
    Mismatch {
        path: AttributePath,
        expected: String,
        found: String,
    },
    #[error("{}: string is not valid UTF-8", at(.path))]
    InvalidUtf8 { path: AttributePath },
    #[error("{}: invalid number ({reason})", at(.path))]
    InvalidNumber {
        path: AttributePath,
        reason: &'static str,
    },
    #[error("{}: an object with {expected} attributes is required, got {found}", at(.path))]
    ObjectSize {
        path: AttributePath,
        expected: usize,
        found: usize,
    },
    #[error("{}: unsupported attribute {name:?}", at(.path))]
    UnknownAttribute { path: AttributePath, name: String },
    #[error("{}: duplicate key {key:?}", at(.path))]
    DuplicateKey { path: AttributePath, key: String },
    #[error("{}: a tuple of {expected} elements is required, got {found}", at(.path))]
    TupleLength {
        path: AttributePath,
        expected: usize,
        found: usize,
    },
    #[error("{}: nested deeper than {limit} levels", at(.path))]
    TooDeep { path: AttributePath, limit: usize },
    #[error("{}: too long to encode", at(.path))]
    TooLong { path: AttributePath },
    #[error("{}: invalid type JSON: {reason}", at(.path))]
    InvalidType { path: AttributePath, reason: String },
    #[error("{}: invalid JSON: {reason}", at(.path))]
    InvalidJson { path: AttributePath, reason: String },
    #[error("{}: unknown values cannot be written as JSON", at(.path))]
    UnknownNotAllowed { path: AttributePath },
    #[error("{}: a value under a dynamic type needs a single type: {reason}", at(.path))]
    AmbiguousType { path: AttributePath, reason: String },
    #[error("{count} trailing bytes after the value")]
    TrailingBytes { count: usize },
}

impl CodecError {
    /// Where the error happened, for attaching a diagnostic to the attribute.
    pub fn path(&self) -> Option<&AttributePath> {
        match self {
            CodecError::Truncated { path }
            | CodecError::Mismatch { path, .. }
            | CodecError::InvalidUtf8 { path }
            | CodecError::InvalidNumber { path, .. }
            | CodecError::ObjectSize { path, .. }
            | CodecError::UnknownAttribute { path, .. }
            | CodecError::DuplicateKey { path, .. }
            | CodecError::TupleLength { path, .. }
            | CodecError::TooDeep { path, .. }
            | CodecError::TooLong { path }
            | CodecError::InvalidType { path, .. }
            | CodecError::InvalidJson { path, .. }
            | CodecError::UnknownNotAllowed { path }
            | CodecError::AmbiguousType { path, .. } => Some(path),
            CodecError::TrailingBytes { .. } => None,
        }
    }

    pub(crate) fn mismatch(path: &AttributePath, expected: &Type, found: impl Into<String>) -> Self {
        CodecError::Mismatch {
            path: path.clone(),
            expected: type_name(expected).to_string(),
            found: found.into(),
        }
    }
}

/// The short name of a type's kind, as error messages use it.
pub(crate) fn type_name(ty: &Type) -> &'static str {
    match ty {
        Type::String => "string",
        Type::Number => "number",
        Type::Bool => "bool",
        Type::Dynamic => "dynamic value",
        Type::List(_) => "list",
        Type::Set(_) => "set",
        Type::Map(_) => "map",
        Type::Object(_) => "object",
        Type::Tuple(_) => "tuple",
    }
}

/// Formats a path as go-cty does in its errors: `.instance_ids[2]`, or `(root)` for the top.
fn at(path: &AttributePath) -> String {
    match path.steps().first() {
        None => "(root)".to_string(),
        Some(PathStep::Attribute(_)) => format!(".{path}"),
        Some(_) => path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_path() {
        let err = CodecError::mismatch(
            &AttributePath::attr("instance_ids").index(2),
            &Type::String,
            "map",
        );
        assert_eq!(err.to_string(), ".instance_ids[2]: expected string, got map");
        let err = CodecError::Truncated {
            path: AttributePath::root(),
        };
        assert_eq!(err.to_string(), "(root): unexpected end of input");
        let err = CodecError::UnknownAttribute {
            path: AttributePath::attr("p").key("k"),
            name: "x".into(),
        };
        assert_eq!(err.to_string(), ".p[\"k\"]: unsupported attribute \"x\"");
    }
}
