use proptest::prelude::*;

use super::*;
use crate::test_strategies::{arb_type, arb_typed_value, shapes_differ};

fn num(text: &str) -> Value {
    Value::Number(Number::parse(text).unwrap())
}

fn object(entries: &[(&str, Value)]) -> Value {
    Value::Object(entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

#[test]
fn type_json_matches_terraform() {
    assert_eq!(type_json(&Type::String), "\"string\"");
    assert_eq!(type_json(&Type::Dynamic), "\"dynamic\"");
    assert_eq!(type_json(&Type::list(Type::String)), "[\"list\",\"string\"]");
    assert_eq!(type_json(&Type::set(Type::Number)), "[\"set\",\"number\"]");
    assert_eq!(type_json(&Type::map(Type::Bool)), "[\"map\",\"bool\"]");
    assert_eq!(
        type_json(&Type::object([
            ("b", Type::String),
            ("a", Type::list(Type::Bool))
        ])),
        "[\"object\",{\"a\":[\"list\",\"bool\"],\"b\":\"string\"}]"
    );
    assert_eq!(
        type_json(&Type::Tuple(vec![Type::String, Type::Number])),
        "[\"tuple\",[\"string\",\"number\"]]"
    );
    assert_eq!(type_json(&Type::Tuple(vec![])), "[\"tuple\",[]]");
    assert_eq!(
        type_json(&Type::object([("q\"", Type::Bool)])),
        "[\"object\",{\"q\\\"\":\"bool\"}]"
    );
}

#[test]
fn parses_type_json() {
    let ty = Type::object([
        ("a", Type::map(Type::set(Type::Dynamic))),
        ("b", Type::Tuple(vec![Type::Bool])),
    ]);
    assert_eq!(parse_type_json(type_json(&ty).as_bytes()).unwrap(), ty);
    assert_eq!(
        parse_type_json(b" [ \"list\" , \"string\" ] ").unwrap(),
        Type::list(Type::String)
    );
    // Optional-attribute lists of type constraints are accepted and ignored.
    assert_eq!(
        parse_type_json(br#"["object",{"a":"string"},["a"]]"#).unwrap(),
        Type::object([("a", Type::String)])
    );
    for bad in [
        &b"\"str\""[..],
        b"[\"list\"]",
        b"[\"tuple\",\"string\"]",
        b"[\"object\",[]]",
        b"42",
        b"[\"list\",\"string\"",
        b"[1,2]",
    ] {
        assert!(parse_type_json(bad).is_err(), "{}", String::from_utf8_lossy(bad));
    }
}

#[test]
fn decodes_raw_state() {
    let ty = Type::object([
        ("id", Type::String),
        ("count", Type::Number),
        ("added_later", Type::list(Type::String)),
        ("tags", Type::map(Type::String)),
        ("ports", Type::set(Type::Number)),
        ("enabled", Type::Bool),
    ]);
    let json = br#"{"id":"t-1","count":12345678901234567890.5,"removed":true,
        "tags":{"a":"b"},"ports":[22,443],"enabled":false}"#;
    let value = decode_value(json, &ty).unwrap();
    assert_eq!(
        value,
        object(&[
            ("id", "t-1".into()),
            ("count", num("12345678901234567890.5")),
            ("added_later", Value::Null),
            ("tags", Value::Map([("a".to_string(), "b".into())].into())),
            ("ports", Value::Set(vec![num("22"), num("443")])),
            ("enabled", Value::Bool(false)),
        ])
    );
}

#[test]
fn primitives_convert_like_go_cty() {
    assert_eq!(decode_value(b"12", &Type::String).unwrap(), "12".into());
    assert_eq!(decode_value(b"true", &Type::String).unwrap(), "true".into());
    assert_eq!(decode_value(b"\"0.1\"", &Type::Number).unwrap(), num("0.1"));
    assert_eq!(decode_value(b"\"true\"", &Type::Bool).unwrap(), Value::Bool(true));
    assert!(decode_value(b"\"yes\"", &Type::Bool).is_err());
    assert!(decode_value(b"\"abc\"", &Type::Number).is_err());
    assert!(decode_value(b"[1]", &Type::String).is_err());
}

#[test]
fn dynamic_json_wrapper() {
    let json = br#"{"type":["list","string"],"value":["a",null]}"#;
    let value = Value::Dynamic(
        Type::list(Type::String),
        Box::new(Value::List(vec!["a".into(), Value::Null])),
    );
    assert_eq!(decode_value(json, &Type::Dynamic).unwrap(), value);
    assert_eq!(
        encode_value(&value, &Type::Dynamic).unwrap(),
        String::from_utf8_lossy(json)
    );
    let typed_null = Value::Dynamic(Type::String, Box::new(Value::Null));
    assert_eq!(
        encode_value(&typed_null, &Type::Dynamic).unwrap(),
        r#"{"type":"string","value":null}"#
    );
    assert_eq!(decode_value(b"null", &Type::Dynamic).unwrap(), Value::Null);
    assert!(decode_value(b"\"x\"", &Type::Dynamic).is_err());
}

#[test]
fn encodes_value_json() {
    let ty = Type::object([
        ("a", Type::list(Type::Number)),
        ("b", Type::String),
        ("c", Type::map(Type::Bool)),
        ("d", Type::Tuple(vec![])),
    ]);
    let value = object(&[
        ("a", Value::List(vec![num("+5"), num(".5"), num("1e400")])),
        ("c", Value::Map([("k".to_string(), Value::Bool(true))].into())),
        ("d", Value::Tuple(vec![])),
    ]);
    let expected = format!(
        r#"{{"a":[5,0.5,1{}],"b":null,"c":{{"k":true}},"d":[]}}"#,
        "0".repeat(400)
    );
    assert_eq!(encode_value(&value, &ty).unwrap(), expected);
}

#[test]
fn json_rejects_unknowns_and_reports_paths() {
    let ty = Type::object([("ids", Type::list(Type::String))]);
    let value = object(&[("ids", Value::List(vec![Value::Unknown]))]);
    assert_eq!(
        encode_value(&value, &ty).unwrap_err(),
        CodecError::UnknownNotAllowed {
            path: AttributePath::attr("ids").index(0)
        }
    );
    let err = decode_value(br#"{"ids":["a",{}]}"#, &ty).unwrap_err();
    assert_eq!(err.to_string(), ".ids[1]: expected string, got object");
}

#[test]
fn json_errors_do_not_quote_the_input() {
    let err = decode_value(b"{\"secret\": hunter2}", &Type::map(Type::String)).unwrap_err();
    assert!(matches!(err, CodecError::InvalidJson { .. }));
    assert!(!err.to_string().contains("hunter2"), "{err}");
    assert!(matches!(
        decode_value(b"\xff", &Type::String),
        Err(CodecError::InvalidUtf8 { .. })
    ));
}

#[test]
fn caps_nesting_depth() {
    let mut ty = Type::String;
    for _ in 0..150 {
        ty = Type::list(ty);
    }
    let json = format!("{}{}", "[".repeat(150), "]".repeat(150));
    assert!(matches!(
        decode_value(json.as_bytes(), &ty),
        Err(CodecError::TooDeep { .. })
    ));
}

proptest! {
    #[test]
    fn arbitrary_input_never_panics(text in "[\\[\\]{}\",:0-9a-z. -]{0,48}", ty in arb_type()) {
        // Whatever parses comes back from its own encoding.
        if let Ok(value) = decode_value(text.as_bytes(), &ty) {
            if let Ok(json) = encode_value(&value, &ty) {
                prop_assert_eq!(decode_value(json.as_bytes(), &ty).ok(), Some(value));
            }
        }
        if let Ok(parsed) = parse_type_json(text.as_bytes()) {
            prop_assert_eq!(parse_type_json(type_json(&parsed).as_bytes()).ok(), Some(parsed));
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..48)) {
        let _ = decode_value(&bytes, &Type::Dynamic);
        let _ = parse_type_json(&bytes);
    }

    #[test]
    fn types_round_trip(ty in arb_type()) {
        prop_assert_eq!(parse_type_json(type_json(&ty).as_bytes()).unwrap(), ty);
    }

    #[test]
    fn known_values_round_trip((ty, value) in arb_typed_value(false)) {
        let json = encode_value(&value, &ty).unwrap();
        prop_assert_eq!(decode_value(json.as_bytes(), &ty).unwrap(), value);
    }

    /// Well-formed JSON of the wrong type: an error naming the path, or a value that is
    /// valid under the type it was read as.
    #[test]
    fn values_read_as_another_type_fail_cleanly((ty, value) in arb_typed_value(false), other in arb_type()) {
        let json = encode_value(&value, &ty).unwrap();
        match decode_value(json.as_bytes(), &other) {
            Ok(decoded) => {
                prop_assert!(!shapes_differ(&ty, &other) || value.is_null());
                prop_assert!(encode_value(&decoded, &other).is_ok());
            }
            Err(error) => prop_assert!(!error.to_string().is_empty()),
        }
    }
}
