//! `UpgradeResourceState`: the raw JSON Terraform stored goes through the resource's upgraders
//! of each schema version it is behind, then is decoded against today's schema (attributes
//! added since are null, removed ones dropped), and nested blocks the JSON lacks get the empty
//! value Terraform itself gives an absent block.

use std::collections::BTreeMap;

use crate::codec_error::CodecError;
use crate::json::decode_value;
use crate::schema::{Block, Nesting};
use crate::value::Value;

/// One step of a resource's state history: reads the JSON that schema version `from` wrote
/// and returns what version `from + 1` writes. A version with no upgrader decodes as is.
pub struct StateUpgrader {
    pub from: i64,
    pub upgrade: fn(serde_json::Value) -> Result<serde_json::Value, String>,
}

/// Runs, in version order, the upgraders of `version` and later on `raw_json`.
pub fn run_upgraders(upgraders: &[StateUpgrader], version: i64, raw_json: &[u8]) -> Result<Vec<u8>, String> {
    let mut due: Vec<&StateUpgrader> = upgraders.iter().filter(|u| u.from >= version).collect();
    if due.is_empty() {
        return Ok(raw_json.to_vec());
    }
    due.sort_by_key(|u| u.from);
    let mut state: serde_json::Value = serde_json::from_slice(raw_json).map_err(|e| e.to_string())?;
    for upgrader in due {
        state = (upgrader.upgrade)(state)
            .map_err(|e| format!("upgrading from version {}: {e}", upgrader.from))?;
    }
    serde_json::to_vec(&state).map_err(|e| e.to_string())
}

/// Decodes `raw_json` (the `RawState.json` of the request) as an object of `block`.
pub fn upgrade_state(block: &Block, raw_json: &[u8]) -> Result<Value, CodecError> {
    let mut value = decode_value(raw_json, &block.implied_type())?;
    fill_absent_blocks(block, &mut value);
    Ok(value)
}

fn fill_absent_blocks(block: &Block, value: &mut Value) {
    let Value::Object(entries) = value else { return };
    for nested in &block.blocks {
        let entry = entries.entry(nested.type_name.clone()).or_insert(Value::Null);
        if entry.is_null() {
            *entry = match nested.nesting {
                Nesting::Single => continue,
                Nesting::Group => Value::null_object(&nested.block.implied_type()),
                Nesting::List => Value::List(Vec::new()),
                Nesting::Set => Value::Set(Vec::new()),
                Nesting::Map => Value::Map(BTreeMap::new()),
            };
        }
        match entry {
            Value::Object(_) => fill_absent_blocks(&nested.block, entry),
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => {
                items
                    .iter_mut()
                    .for_each(|item| fill_absent_blocks(&nested.block, item));
            }
            Value::Map(items) => items
                .values_mut()
                .for_each(|item| fill_absent_blocks(&nested.block, item)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Attribute, NestedBlock};

    fn rename_size(mut state: serde_json::Value) -> Result<serde_json::Value, String> {
        let size = state
            .as_object_mut()
            .and_then(|o| o.remove("size"))
            .ok_or("no size")?;
        state["bytes"] = size;
        Ok(state)
    }

    fn double_bytes(mut state: serde_json::Value) -> Result<serde_json::Value, String> {
        let bytes = state["bytes"].as_i64().ok_or("no bytes")?;
        state["bytes"] = (bytes * 2).into();
        Ok(state)
    }

    #[test]
    fn upgraders_run_in_order_from_the_stored_version() {
        let upgraders = [
            StateUpgrader {
                from: 1,
                upgrade: double_bytes,
            },
            StateUpgrader {
                from: 0,
                upgrade: rename_size,
            },
        ];
        let from_zero = run_upgraders(&upgraders, 0, br#"{"size":3}"#).unwrap();
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&from_zero).unwrap(),
            serde_json::json!({"bytes": 6})
        );
        let from_one = run_upgraders(&upgraders, 1, br#"{"bytes":3}"#).unwrap();
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&from_one).unwrap(),
            serde_json::json!({"bytes": 6})
        );
        assert_eq!(run_upgraders(&upgraders, 2, b"{}").unwrap(), b"{}");
        let failed = run_upgraders(&upgraders, 0, br#"{"other":1}"#).unwrap_err();
        assert_eq!(failed, "upgrading from version 0: no size");
    }
    use crate::types::Type;

    fn object(entries: &[(&str, Value)]) -> Value {
        Value::Object(entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    #[test]
    fn decodes_against_the_current_schema() {
        let inner = Block::new("").attribute(Attribute::optional("x", Type::String));
        let block = Block::new("")
            .attribute(Attribute::required("id", Type::String))
            .attribute(Attribute::optional("added_later", Type::Number))
            .block(NestedBlock::list("steps", inner.clone()))
            .block(NestedBlock::new("group", Nesting::Group, inner.clone()))
            .block(NestedBlock::single("single", inner.clone()).max_items(1))
            .block(NestedBlock::new("labels", Nesting::Map, inner));
        let raw = br#"{"id":"t-1","removed_since":"x","labels":{"a":{"x":"1"}}}"#;
        assert_eq!(
            upgrade_state(&block, raw).unwrap(),
            object(&[
                ("id", "t-1".into()),
                ("added_later", Value::Null),
                ("steps", Value::List(vec![])),
                ("group", object(&[("x", Value::Null)])),
                ("single", Value::Null),
                (
                    "labels",
                    Value::Map([("a".to_string(), object(&[("x", "1".into())]))].into())
                ),
            ])
        );
    }

    #[test]
    fn reports_malformed_state() {
        let block = Block::new("").attribute(Attribute::required("id", Type::String));
        let err = upgrade_state(&block, br#"{"id":[1]}"#).unwrap_err();
        assert_eq!(err.to_string(), ".id: expected string, got array");
        assert!(upgrade_state(&block, b"{").is_err());
    }
}
