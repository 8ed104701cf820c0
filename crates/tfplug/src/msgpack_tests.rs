use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::test_strategies::{arb_type, arb_typed_value, shapes_differ};

fn num(text: &str) -> Value {
    Value::Number(Number::parse(text).unwrap())
}

fn object(entries: &[(&str, Value)]) -> Value {
    Value::Object(entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

/// `[bin(type JSON), ...]` header of a dynamic value.
fn dynamic_header(type_json: &str) -> Vec<u8> {
    let mut bytes = vec![0x92, 0xc4, u8::try_from(type_json.len()).unwrap()];
    bytes.extend(type_json.as_bytes());
    bytes
}

#[test]
fn unknown_and_null_golden_bytes() {
    assert_eq!(
        encode(&Value::Unknown, &Type::String).unwrap(),
        [0xd4, 0x00, 0x00]
    );
    assert_eq!(
        encode(&Value::Unknown, &Type::list(Type::Number)).unwrap(),
        [0xd4, 0x00, 0x00]
    );
    assert_eq!(
        encode(&Value::Null, &Type::object([("a", Type::Bool)])).unwrap(),
        [0xc0]
    );
    assert_eq!(
        decode(&[0xd4, 0x00, 0x00], &Type::String).unwrap(),
        Value::Unknown
    );
    assert_eq!(decode(&[0xc7, 0x00, 0x00], &Type::Bool).unwrap(), Value::Unknown);
    assert_eq!(decode(&[0xc0], &Type::map(Type::String)).unwrap(), Value::Null);
}

#[test]
fn refined_unknowns_are_read_as_unknown() {
    // ext 12 with {1: false} (definitely not null).
    assert_eq!(
        decode(&[0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc2], &Type::String).unwrap(),
        Value::Unknown
    );
    // ext 12 as fixext 8: {1: false, 2: "ab"} (string prefix) padded with a nil.
    let bytes = [0xd7, 0x0c, 0x82, 0x01, 0xc2, 0x02, 0xa2, b'a', b'b', 0xc0];
    assert_eq!(decode(&bytes, &Type::String).unwrap(), Value::Unknown);
    // Inside an object, followed by the next attribute.
    let ty = Type::object([("a", Type::list(Type::String)), ("b", Type::Bool)]);
    let bytes = [
        0x82, 0xa1, b'a', 0xc7, 0x03, 0x0c, 0x81, 0x05, 0x02, 0xa1, b'b', 0xc3,
    ];
    assert_eq!(
        decode(&bytes, &ty).unwrap(),
        object(&[("a", Value::Unknown), ("b", Value::Bool(true))])
    );
}

#[test]
fn nested_object_golden_bytes() {
    let ty = Type::object([
        ("ids", Type::list(Type::String)),
        ("name", Type::String),
        ("ports", Type::set(Type::Number)),
        ("tags", Type::map(Type::String)),
    ]);
    let value = object(&[
        ("ids", Value::List(vec!["i-1".into(), Value::Unknown])),
        ("name", Value::Null),
        ("ports", Value::Set(vec![num("22"), num("443")])),
        (
            "tags",
            Value::Map(BTreeMap::from([("env".to_string(), "prod".into())])),
        ),
    ]);
    #[rustfmt::skip]
    let expected = [
        0x84,
        0xa3, b'i', b'd', b's', 0x92, 0xa3, b'i', b'-', b'1', 0xd4, 0x00, 0x00,
        0xa4, b'n', b'a', b'm', b'e', 0xc0,
        0xa5, b'p', b'o', b'r', b't', b's', 0x92, 0x16, 0xcd, 0x01, 0xbb,
        0xa4, b't', b'a', b'g', b's', 0x81, 0xa3, b'e', b'n', b'v', 0xa4, b'p', b'r', b'o', b'd',
    ];
    assert_eq!(encode(&value, &ty).unwrap(), expected);
    assert_eq!(decode(&expected, &ty).unwrap(), value);
}

#[test]
fn encode_writes_every_attribute_and_rejects_strangers() {
    let ty = Type::object([("a", Type::String), ("b", Type::Bool)]);
    let bytes = encode(&object(&[("b", Value::Bool(true))]), &ty).unwrap();
    assert_eq!(bytes, [0x82, 0xa1, b'a', 0xc0, 0xa1, b'b', 0xc3]);
    let err = encode(&object(&[("c", Value::Bool(true))]), &ty).unwrap_err();
    assert_eq!(err.to_string(), "(root): unsupported attribute \"c\"");
}

#[test]
fn dynamic_values() {
    let typed_null = Value::Dynamic(Type::String, Box::new(Value::Null));
    let mut expected = dynamic_header("\"string\"");
    expected.push(0xc0);
    assert_eq!(encode(&typed_null, &Type::Dynamic).unwrap(), expected);
    assert_eq!(decode(&expected, &Type::Dynamic).unwrap(), typed_null);

    // The type JSON may come as str instead of bin.
    let mut as_str = vec![0x92, 0xa8];
    as_str.extend(b"\"string\"");
    as_str.extend([0xa1, b'x']);
    let typed = Value::Dynamic(Type::String, Box::new("x".into()));
    assert_eq!(decode(&as_str, &Type::Dynamic).unwrap(), typed);

    // Unknown and null of no particular type travel without the wrapper.
    assert_eq!(
        encode(&Value::Unknown, &Type::Dynamic).unwrap(),
        [0xd4, 0x00, 0x00]
    );
    assert_eq!(encode(&Value::Null, &Type::Dynamic).unwrap(), [0xc0]);
    assert_eq!(
        decode(&[0xd4, 0x00, 0x00], &Type::Dynamic).unwrap(),
        Value::Unknown
    );
    assert_eq!(decode(&[0xc0], &Type::Dynamic).unwrap(), Value::Null);

    // A typed unknown keeps its wrapper.
    let mut typed_unknown = dynamic_header("[\"list\",\"bool\"]");
    typed_unknown.extend([0xd4, 0x00, 0x00]);
    let value = Value::Dynamic(Type::list(Type::Bool), Box::new(Value::Unknown));
    assert_eq!(decode(&typed_unknown, &Type::Dynamic).unwrap(), value);
    assert_eq!(encode(&value, &Type::Dynamic).unwrap(), typed_unknown);

    // A plain value under a dynamic type has its type inferred.
    let mut inferred = dynamic_header("[\"list\",\"string\"]");
    inferred.extend([0x91, 0xa1, b'x']);
    assert_eq!(
        encode(&Value::List(vec!["x".into()]), &Type::Dynamic).unwrap(),
        inferred
    );
}

#[test]
fn number_golden_bytes() {
    let cases: [(&str, &[u8]); 9] = [
        ("1", &[0x01]),
        ("-1", &[0xff]),
        ("-33", &[0xd0, 0xdf]),
        ("200", &[0xcc, 0xc8]),
        ("1099511627776", &[0xcf, 0, 0, 0x01, 0, 0, 0, 0, 0]),
        ("0.5", &[0xcb, 0x3f, 0xe0, 0, 0, 0, 0, 0, 0]),
        ("0.1", &[0xa3, b'0', b'.', b'1']),
        // Beyond i64, exact as float64 (go-cty writes float64 then).
        ("18446744073709551616", &[0xcb, 0x43, 0xf0, 0, 0, 0, 0, 0, 0]),
        (
            "123456789012345678901234567890",
            b"\xbe123456789012345678901234567890",
        ),
    ];
    for (text, bytes) in cases {
        assert_eq!(encode(&num(text), &Type::Number).unwrap(), bytes, "{text}");
        assert_eq!(decode(bytes, &Type::Number).unwrap(), num(text), "{text}");
    }
}

#[test]
fn numbers_decode_from_every_msgpack_form() {
    let cases: [(&[u8], &str); 6] = [
        (
            &[0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
            "18446744073709551615",
        ),
        (&[0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0], "-9223372036854775808"),
        (&[0xd2, 0xff, 0xff, 0xff, 0xfe], "-2"),
        (&[0xca, 0x3f, 0xc0, 0, 0], "1.5"),
        (&[0xcb, 0x40, 0x59, 0, 0, 0, 0, 0, 0], "100"),
        (&[0xa4, b'1', b'e', b'+', b'3'], "1e+3"),
    ];
    for (bytes, text) in cases {
        assert_eq!(decode(bytes, &Type::Number).unwrap(), num(text), "{text}");
    }
    // A float64 that is not a short decimal keeps its exact value and round-trips bit for bit.
    let point_one = [0xcb, 0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a];
    let value = decode(&point_one, &Type::Number).unwrap();
    assert_eq!(
        value,
        num("0.1000000000000000055511151231257827021181583404541015625")
    );
    assert_eq!(encode(&value, &Type::Number).unwrap(), point_one);
}

#[test]
fn rejects_invalid_numbers() {
    let nan = [0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0];
    assert!(matches!(
        decode(&nan, &Type::Number),
        Err(CodecError::InvalidNumber { .. })
    ));
    assert!(matches!(
        decode(b"\xa3abc", &Type::Number),
        Err(CodecError::InvalidNumber { .. })
    ));
    assert!(matches!(
        decode(&[0xc3], &Type::Number),
        Err(CodecError::Mismatch { .. })
    ));
}

#[test]
fn errors_name_the_path() {
    let ty = Type::object([("instance_ids", Type::list(Type::String))]);
    let bytes = [
        0x81, 0xac, b'i', b'n', b's', b't', b'a', b'n', b'c', b'e', b'_', b'i', b'd', b's', 0x93, 0xa1, b'a',
        0xa1, b'b', 0x80,
    ];
    let err = decode(&bytes, &ty).unwrap_err();
    assert_eq!(err.to_string(), ".instance_ids[2]: expected string, got map");
    assert_eq!(err.path(), Some(&AttributePath::attr("instance_ids").index(2)));
}

#[test]
fn objects_need_exactly_their_attributes() {
    let ty = Type::object([("a", Type::String), ("b", Type::String)]);
    let missing = decode(&[0x81, 0xa1, b'a', 0xc0], &ty).unwrap_err();
    assert_eq!(
        missing.to_string(),
        "(root): an object with 2 attributes is required, got 1"
    );
    let unknown_key = decode(&[0x82, 0xa1, b'a', 0xc0, 0xa1, b'c', 0xc0], &ty).unwrap_err();
    assert_eq!(unknown_key.to_string(), "(root): unsupported attribute \"c\"");
    let duplicate = decode(&[0x82, 0xa1, b'a', 0xc0, 0xa1, b'a', 0xc0], &ty).unwrap_err();
    assert!(matches!(duplicate, CodecError::DuplicateKey { .. }));
    let non_string_key = decode(&[0x82, 0x01, 0xc0, 0xa1, b'a', 0xc0], &ty).unwrap_err();
    assert!(matches!(non_string_key, CodecError::Mismatch { .. }));
}

#[test]
fn rejects_truncated_trailing_and_oversized_input() {
    assert!(matches!(
        decode(&[], &Type::String),
        Err(CodecError::Truncated { .. })
    ));
    assert!(matches!(
        decode(&[0x92, 0x01], &Type::list(Type::Number)),
        Err(CodecError::Truncated { .. })
    ));
    assert_eq!(
        decode(&[0x01, 0x02], &Type::Number).unwrap_err(),
        CodecError::TrailingBytes { count: 1 }
    );
    // A claimed 4-billion-element array must fail on the missing bytes, not allocate for them.
    let huge = [0xdd, 0xff, 0xff, 0xff, 0xff, 0x01];
    assert!(matches!(
        decode(&huge, &Type::list(Type::Number)),
        Err(CodecError::Truncated { .. })
    ));
    assert!(matches!(
        decode(&[0xc1], &Type::Bool),
        Err(CodecError::Mismatch { .. })
    ));
    assert!(matches!(
        decode(b"\xa2\xff\xfe", &Type::String),
        Err(CodecError::InvalidUtf8 { .. })
    ));
    assert!(matches!(
        decode(&[0x93, 0x01, 0x02, 0x03], &Type::Tuple(vec![Type::Number])),
        Err(CodecError::TupleLength { .. })
    ));
}

#[test]
fn caps_nesting_depth() {
    let mut ty = Type::Number;
    for _ in 0..200 {
        ty = Type::list(ty);
    }
    let bytes = vec![0x91; 200];
    assert!(matches!(decode(&bytes, &ty), Err(CodecError::TooDeep { .. })));
    let mut value = Value::from(1);
    for _ in 0..200 {
        value = Value::List(vec![value]);
    }
    assert!(matches!(encode(&value, &ty), Err(CodecError::TooDeep { .. })));
    // Nested dynamic wrappers deepen the value without deepening the schema type.
    let mut bytes = Vec::new();
    for _ in 0..200 {
        bytes.extend(dynamic_header("\"dynamic\""));
    }
    assert!(decode(&bytes, &Type::Dynamic).is_err());
}

#[test]
fn encode_reports_type_mismatches() {
    let ty = Type::object([("ids", Type::list(Type::String))]);
    let value = object(&[("ids", Value::List(vec!["a".into(), Value::from(3)]))]);
    assert_eq!(
        encode(&value, &ty).unwrap_err().to_string(),
        ".ids[1]: expected string, got number"
    );
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64), ty in arb_type()) {
        // Whatever decodes is a value of its type: encoding it gives it back.
        for ty in [&ty, &Type::Dynamic] {
            if let Ok(value) = decode(&bytes, ty) {
                let again = encode(&value, ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(decode(&again, ty).ok(), Some(value));
            }
        }
    }

    #[test]
    fn corrupted_encodings_never_panic((ty, value) in arb_typed_value(true), cut in any::<usize>(), flip in any::<(usize, u8)>()) {
        let bytes = encode(&value, &ty).unwrap();
        let _ = decode(&bytes[..cut % (bytes.len() + 1)], &ty);
        let mut flipped = bytes.clone();
        let at = flip.0 % flipped.len();
        flipped[at] ^= flip.1;
        let _ = decode(&flipped, &ty);
    }

    #[test]
    fn well_typed_values_round_trip((ty, value) in arb_typed_value(true)) {
        let bytes = encode(&value, &ty).unwrap();
        prop_assert_eq!(decode(&bytes, &ty).unwrap(), value);
    }

    /// Well-formed input of the wrong type: an error naming the path, or a value that is
    /// valid under the type it was read as.
    #[test]
    fn values_read_as_another_type_fail_cleanly((ty, value) in arb_typed_value(true), other in arb_type()) {
        let bytes = encode(&value, &ty).unwrap();
        match decode(&bytes, &other) {
            Ok(decoded) => {
                prop_assert!(!shapes_differ(&ty, &other) || value.is_null() || value.is_unknown());
                prop_assert!(encode(&decoded, &other).is_ok());
            }
            Err(error) => prop_assert!(!error.to_string().is_empty()),
        }
    }
}
