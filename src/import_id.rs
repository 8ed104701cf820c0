//! The import ID of an invocation: `t-xxxx` (in the provider's region) or `REGION:t-xxxx`.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportId {
    pub region: Option<String>,
    pub invoke_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportIdError {
    #[error("import ID {0:?} is not an InvokeId (t-...) or REGION:InvokeId (cn-hangzhou:t-...)")]
    Malformed(String),
}

pub fn parse(id: &str) -> Result<ImportId, ImportIdError> {
    let malformed = || ImportIdError::Malformed(id.to_string());
    let (region, invoke_id) = match id.split_once(':') {
        Some((region, invoke_id)) => (Some(region), invoke_id),
        None => (None, id),
    };
    let valid_invoke_id = invoke_id.len() > 2
        && invoke_id.starts_with("t-")
        && invoke_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let valid_region = region.is_none_or(|r| {
        !r.is_empty()
            && r.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    });
    if !valid_invoke_id || !valid_region {
        return Err(malformed());
    }
    Ok(ImportId {
        region: region.map(str::to_string),
        invoke_id: invoke_id.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_and_regional_forms() {
        assert_eq!(
            parse("t-abc123").unwrap(),
            ImportId {
                region: None,
                invoke_id: "t-abc123".into()
            }
        );
        assert_eq!(
            parse("cn-shanghai:t-abc123").unwrap(),
            ImportId {
                region: Some("cn-shanghai".into()),
                invoke_id: "t-abc123".into()
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
            assert!(parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
