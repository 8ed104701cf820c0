use super::*;
use crate::diagnostics::{AttributePath, Diagnostic};
use crate::schema::{Attribute, Block};
use crate::types::Type;
use crate::value::Number;

fn run(validator: &dyn Validator, value: &Value, sensitive: bool) -> Vec<Diagnostic> {
    let mut diags = Diagnostics::new();
    let ctx = ValueContext::attribute(AttributePath::attr("arg"), sensitive);
    validator.validate(value, &ctx, &mut diags);
    diags.into_vec()
}

fn run_block(validator: &dyn Validator, block: &Block, value: &Value) -> Vec<Diagnostic> {
    let mut diags = Diagnostics::new();
    validator.validate(
        value,
        &ValueContext::block(AttributePath::root(), block),
        &mut diags,
    );
    diags.into_vec()
}

fn list(items: &[&str]) -> Value {
    Value::List(items.iter().map(|&s| s.into()).collect())
}

fn object(entries: &[(&str, Value)]) -> Value {
    Value::Object(entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

#[test]
fn not_empty_reports_path_rule_and_value() {
    assert!(run(&not_empty(), &"x".into(), false).is_empty());
    let diags = run(&not_empty(), &"".into(), false);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].path, Some(AttributePath::attr("arg")));
    assert_eq!(diags[0].detail, "`arg` must not be empty; got \"\".");
    assert_eq!(not_empty().description(), "must not be empty");
}

#[test]
fn length_counts_characters() {
    let v = length_between(1, 3);
    assert!(run(&v, &"äöü".into(), false).is_empty());
    let diags = run(&v, &"abcd".into(), false);
    assert_eq!(
        diags[0].detail,
        "`arg` must be 1 to 3 characters long; got \"abcd\" (4 characters)."
    );
    assert_eq!(run(&v, &"".into(), false).len(), 1);
    assert_eq!(
        length_at_most(255).description(),
        "must be at most 255 characters long"
    );
}

#[test]
fn size_counts_elements_of_lists_sets_and_maps() {
    let v = size_between(1, 2);
    assert!(run(&v, &list(&["a"]), false).is_empty());
    assert_eq!(
        run(&v, &list(&[]), false)[0].detail,
        "`arg` must have 1 to 2 elements; it has 0."
    );
    assert_eq!(run(&v, &Value::Set(vec![Value::Unknown; 3]), false).len(), 1);
    let map = Value::Map((0..11).map(|i| (i.to_string(), Value::from("v"))).collect());
    assert_eq!(run(&size_at_most(10), &map, false).len(), 1);
}

#[test]
fn unique_items_reports_repeats_and_skips_unknowns() {
    let diags = run(&unique_items(), &list(&["a", "b", "a"]), false);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].path, Some(AttributePath::attr("arg").index(2)));
    assert_eq!(
        diags[0].detail,
        "`arg` must not contain duplicates; \"a\" repeats `arg[0]`."
    );
    let unknowns = Value::List(vec![Value::Unknown, Value::Unknown]);
    assert!(run(&unique_items(), &unknowns, false).is_empty());
}

#[test]
fn each_checks_known_items_with_their_index() {
    let value = Value::List(vec!["a".into(), Value::Unknown, Value::Null, "".into()]);
    let diags = run(&each(not_empty()), &value, false);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].path, Some(AttributePath::attr("arg").index(3)));
    assert_eq!(each(not_empty()).description(), "each item must not be empty");
    // Set elements cannot be addressed: the diagnostic points at the set.
    let diags = run(&each(not_empty()), &Value::Set(vec!["".into()]), false);
    assert_eq!(diags[0].path, Some(AttributePath::attr("arg")));
}

#[test]
fn map_keys_and_values_use_the_key_in_the_path() {
    let map = Value::Map(
        [
            ("".to_string(), Value::from("v")),
            ("k".to_string(), Value::from("")),
        ]
        .into(),
    );
    let keys = run(&map_keys(length_between(1, 64)), &map, false);
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].path, Some(AttributePath::attr("arg").key("")));
    let values = run(&map_values(not_empty()), &map, false);
    assert_eq!(values.len(), 1);
    assert_eq!(values[0].path, Some(AttributePath::attr("arg").key("k")));
    assert_eq!(
        map_keys(length_between(1, 64)).description(),
        "each key must be 1 to 64 characters long"
    );
}

#[test]
fn one_of_lists_the_choices() {
    let v = one_of(&["RunCommand", "Invoke"]);
    assert!(run(&v, &"Invoke".into(), false).is_empty());
    let diags = run(&v, &"invoke".into(), false);
    assert_eq!(
        diags[0].detail,
        "`arg` must be one of `RunCommand`, `Invoke`; got \"invoke\"."
    );
}

#[test]
fn sensitive_values_never_appear() {
    let secret = "hunter2-secret-value";
    let cases: Vec<(Box<dyn Validator>, Value)> = vec![
        (Box::new(length_between(1, 3)), secret.into()),
        (Box::new(one_of(&["a"])), secret.into()),
        (Box::new(unique_items()), list(&[secret, secret])),
        (Box::new(each(length_at_most(3))), list(&[secret])),
        (
            Box::new(map_values(length_at_most(3))),
            Value::Map([("k".to_string(), Value::from(secret))].into()),
        ),
        (Box::new(size_at_most(0)), list(&[secret])),
    ];
    for (validator, value) in cases {
        let diags = run(validator.as_ref(), &value, true);
        assert_eq!(diags.len(), 1, "{}", validator.description());
        assert!(!diags[0].detail.contains("hunter2"), "{}", diags[0].detail);
        assert!(!diags[0].summary.contains("hunter2"));
    }
}

fn invocation_block() -> Block {
    Block::new("")
        .attribute(Attribute::optional("timed", Type::Bool))
        .attribute(Attribute::optional("frequency", Type::String))
        .attribute(Attribute::optional("username", Type::String))
        .attribute(Attribute::optional("windows_password_name", Type::String))
        .attribute(Attribute::optional("mode", Type::String).sensitive())
        .attribute(Attribute::optional("token", Type::String))
}

#[test]
fn requires_with_needs_the_other_attribute() {
    let block = invocation_block();
    let v = requires_with("windows_password_name", "username");
    let both = object(&[("windows_password_name", "pw".into()), ("username", "u".into())]);
    assert!(run_block(&v, &block, &both).is_empty());
    assert!(run_block(&v, &block, &object(&[])).is_empty());
    let alone = object(&[("windows_password_name", "pw".into()), ("username", Value::Null)]);
    let diags = run_block(&v, &block, &alone);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].path, Some(AttributePath::attr("windows_password_name")));
    assert_eq!(
        diags[0].detail,
        "`windows_password_name` can only be set together with `username`; `username` is not set."
    );
    // Unknown on either side: decided later, when it is known.
    let unknown = object(&[("windows_password_name", Value::Unknown)]);
    assert!(run_block(&v, &block, &unknown).is_empty());
    let other_unknown = object(&[
        ("windows_password_name", "pw".into()),
        ("username", Value::Unknown),
    ]);
    assert!(run_block(&v, &block, &other_unknown).is_empty());
}

#[test]
fn required_when_checks_the_condition() {
    let block = invocation_block();
    let v = required_when("frequency", "timed", true);
    assert_eq!(v.description(), "`frequency` is required when `timed` is true");
    let missing = object(&[("timed", Value::Bool(true))]);
    let diags = run_block(&v, &block, &missing);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].path, Some(AttributePath::attr("frequency")));
    assert_eq!(diags[0].detail, "`frequency` is required when `timed` is true.");
    let set = object(&[("timed", Value::Bool(true)), ("frequency", "rate(5m)".into())]);
    assert!(run_block(&v, &block, &set).is_empty());
    assert!(run_block(&v, &block, &object(&[("timed", Value::Bool(false))])).is_empty());
    assert!(run_block(&v, &block, &object(&[("timed", Value::Unknown)])).is_empty());
    let frequency_unknown = object(&[("timed", Value::Bool(true)), ("frequency", Value::Unknown)]);
    assert!(run_block(&v, &block, &frequency_unknown).is_empty());
}

#[test]
fn required_when_hides_a_sensitive_condition() {
    let v = required_when("token", "mode", "secret-mode");
    let diags = run_block(
        &v,
        &invocation_block(),
        &object(&[("mode", "secret-mode".into())]),
    );
    assert_eq!(diags.len(), 1);
    assert!(!diags[0].detail.contains("secret-mode"), "{}", diags[0].detail);
}

#[test]
fn int_between_wants_a_whole_number_in_range() {
    let v = int_between(100, 600_000);
    let number = |text: &str| Value::Number(Number::parse(text).unwrap());
    assert!(run(&v, &number("100"), false).is_empty());
    assert!(run(&v, &number("600000"), false).is_empty());
    assert!(run(&v, &Value::Unknown, false).is_empty());
    assert!(run(&v, &Value::Null, false).is_empty());
    for bad in ["99", "600001", "1.5", "-3", "1e30"] {
        let diags = run(&v, &number(bad), false);
        assert_eq!(diags.len(), 1, "{bad}");
        assert_eq!(
            diags[0].detail,
            format!("`arg` must be a whole number from 100 to 600000; got {bad}.")
        );
    }
}

#[test]
fn conflicts_with_refuses_both() {
    let block = invocation_block();
    let v = conflicts_with("windows_password_name", "username");
    let both = object(&[("windows_password_name", "pw".into()), ("username", "u".into())]);
    let diags = run_block(&v, &block, &both);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].path, Some(AttributePath::attr("windows_password_name")));
    assert_eq!(
        diags[0].detail,
        "`windows_password_name` cannot be set together with `username`; set only one of them."
    );
    assert!(run_block(&v, &block, &object(&[("username", "u".into())])).is_empty());
    let unknown = object(&[
        ("windows_password_name", Value::Unknown),
        ("username", "u".into()),
    ]);
    assert!(run_block(&v, &block, &unknown).is_empty());
}

#[test]
fn exactly_one_of_wants_one_set() {
    let block = invocation_block();
    let v = exactly_one_of(&["username", "token"]);
    assert!(run_block(&v, &block, &object(&[("username", "u".into())])).is_empty());
    assert!(run_block(&v, &block, &object(&[("token", Value::Unknown)])).is_empty());
    let none = run_block(&v, &block, &object(&[]));
    assert_eq!(none.len(), 1);
    assert_eq!(
        none[0].detail,
        "Exactly one of `username`, `token` must be set; none is."
    );
    let both = run_block(
        &v,
        &block,
        &object(&[("username", "u".into()), ("token", "t".into())]),
    );
    assert_eq!(both.len(), 1);
    assert_eq!(both[0].path, Some(AttributePath::attr("token")));
    assert!(
        both[0].detail.ends_with("; `username` and `token` are."),
        "{}",
        both[0].detail
    );
}
