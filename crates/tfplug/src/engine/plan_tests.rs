use super::*;
use crate::plan_modifiers::{DefaultValue, RequiresReplace, UseStateForUnknown};
use crate::schema::{NestedBlock, PlanModifier};
use crate::types::Type;

fn object(entries: &[(&str, Value)]) -> Value {
    Value::Object(entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

/// Shaped like the command invocation resource.
fn block() -> Block {
    Block::new("")
        .attribute(Attribute::required("command_id", Type::String).plan(RequiresReplace))
        .attribute(
            Attribute::optional_computed("timed", Type::Bool)
                .plan(DefaultValue(Value::Bool(false)))
                .plan(RequiresReplace),
        )
        .attribute(Attribute::optional_computed("region_id", Type::String).plan(RequiresReplace))
        .attribute(Attribute::optional("username", Type::String).plan(RequiresReplace))
        .attribute(Attribute::computed("id", Type::String).plan(UseStateForUnknown))
        .attribute(Attribute::computed("status", Type::String))
}

/// Terraform's proposed new state (`docs/plugin-protocol-notes.md#proposed-new-state`) for the
/// flat attributes of `block`.
fn proposed(block: &Block, prior: Option<&Value>, config: &Value) -> Value {
    let entries = block.attributes.iter().map(|a| {
        let c = config.attr(&a.name).cloned().unwrap_or(Value::Null);
        let r = prior
            .and_then(|p| p.attr(&a.name))
            .cloned()
            .unwrap_or(Value::Null);
        let value = match (a.optional, a.computed) {
            (true, true) if c.is_null() => r,
            (false, true) => r,
            _ => c,
        };
        (a.name.clone(), value)
    });
    Value::Object(entries.collect())
}

fn plan(block: &Block, prior: Option<&Value>, config: &Value) -> PlannedChange {
    plan_object(block, prior, &proposed(block, prior, config), config)
}

fn prior_state() -> Value {
    object(&[
        ("command_id", "c-1".into()),
        ("timed", Value::Bool(false)),
        ("region_id", "cn-hangzhou".into()),
        ("username", Value::Null),
        ("id", "t-1".into()),
        ("status", "Running".into()),
    ])
}

#[test]
fn create_marks_unset_computed_values_unknown_and_applies_defaults() {
    let config = object(&[("command_id", "c-1".into())]);
    let change = plan(&block(), None, &config);
    assert_eq!(
        change.planned,
        object(&[
            ("command_id", "c-1".into()),
            ("timed", Value::Bool(false)),
            ("region_id", Value::Unknown),
            ("username", Value::Null),
            ("id", Value::Unknown),
            ("status", Value::Unknown),
        ])
    );
    assert!(change.requires_replace.is_empty());
}

#[test]
fn create_keeps_configured_values() {
    let config = object(&[
        ("command_id", "c-1".into()),
        ("timed", Value::Bool(true)),
        ("region_id", "cn-beijing".into()),
    ]);
    let planned = plan(&block(), None, &config).planned;
    assert_eq!(planned.attr("timed"), Some(&Value::Bool(true)));
    assert_eq!(planned.attr("region_id"), Some(&"cn-beijing".into()));
}

#[test]
fn update_without_changes_keeps_the_prior_state() {
    let prior = prior_state();
    let config = object(&[("command_id", "c-1".into())]);
    let change = plan(&block(), Some(&prior), &config);
    assert_eq!(change.planned, prior);
    assert!(change.requires_replace.is_empty());
}

#[test]
fn update_collects_only_changed_replacement_paths() {
    let prior = prior_state();
    let config = object(&[("command_id", "c-2".into()), ("username", "root".into())]);
    let change = plan(&block(), Some(&prior), &config);
    assert_eq!(change.planned.attr("command_id"), Some(&"c-2".into()));
    // Computed-only attributes keep their prior values on update.
    assert_eq!(change.planned.attr("status"), Some(&"Running".into()));
    assert_eq!(change.planned.attr("id"), Some(&"t-1".into()));
    assert_eq!(
        change.requires_replace,
        [AttributePath::attr("command_id"), AttributePath::attr("username")]
    );
}

#[test]
fn removing_a_defaulted_argument_plans_the_default() {
    let mut prior = prior_state();
    prior.set_attr("timed", Value::Bool(true));
    let config = object(&[("command_id", "c-1".into())]);
    let change = plan(&block(), Some(&prior), &config);
    assert_eq!(change.planned.attr("timed"), Some(&Value::Bool(false)));
    assert_eq!(change.requires_replace, [AttributePath::attr("timed")]);
}

#[test]
fn unknown_config_stays_unknown_and_forces_replacement() {
    let prior = prior_state();
    let config = object(&[("command_id", Value::Unknown), ("timed", Value::Unknown)]);
    let change = plan(&block(), Some(&prior), &config);
    assert_eq!(change.planned.attr("command_id"), Some(&Value::Unknown));
    assert_eq!(change.planned.attr("timed"), Some(&Value::Unknown));
    assert_eq!(
        change.requires_replace,
        [AttributePath::attr("command_id"), AttributePath::attr("timed")]
    );
}

#[test]
fn replanning_with_known_config_keeps_every_known_value() {
    // The final plan may only make unknowns known (`docs/plugin-protocol-notes.md#final-plan`).
    let early = plan(&block(), None, &object(&[("command_id", Value::Unknown)]));
    let late = plan(&block(), None, &object(&[("command_id", "c-1".into())]));
    let (Value::Object(early), Value::Object(late)) = (&early.planned, &late.planned) else {
        panic!("plans are objects");
    };
    for (name, value) in early {
        if !value.is_unknown() {
            assert_eq!(late.get(name), Some(value), "{name}");
        }
    }
}

#[test]
fn null_and_unknown_objects_are_left_to_terraform() {
    assert_eq!(
        plan_object(&block(), None, &Value::Null, &Value::Null).planned,
        Value::Null
    );
    assert_eq!(
        plan_object(&block(), None, &Value::Unknown, &Value::Unknown).planned,
        Value::Unknown
    );
}

/// A modifier that breaks the rules: rewrites every value.
struct Rewrite;

impl PlanModifier for Rewrite {
    fn description(&self) -> String {
        "rewrites".into()
    }

    fn modify(&self, _attribute: &AttributePlan<'_>, planned: &mut Value, _requires_replace: &mut bool) {
        *planned = "rewritten".into();
    }
}

#[test]
fn a_configured_value_is_never_changed() {
    let block = Block::new("")
        .attribute(Attribute::optional("name", Type::String).plan(Rewrite))
        .attribute(Attribute::optional("unset", Type::String).plan(Rewrite))
        .attribute(Attribute::computed("out", Type::String).plan(Rewrite));
    let config = object(&[("name", "mine".into())]);
    let planned = plan(&block, None, &config).planned;
    assert_eq!(
        planned,
        object(&[
            ("name", "mine".into()),
            ("unset", Value::Null),
            ("out", "rewritten".into())
        ])
    );
}

fn block_with_steps(nesting: Nesting) -> Block {
    let step = Block::new("")
        .attribute(Attribute::required("name", Type::String).plan(RequiresReplace))
        .attribute(Attribute::computed("step_id", Type::String));
    Block::new("").block(NestedBlock::new("step", nesting, step))
}

fn step(name: &str, id: Value) -> Value {
    object(&[("name", name.into()), ("step_id", id)])
}

#[test]
fn list_blocks_plan_each_element_against_its_prior() {
    let block = block_with_steps(Nesting::List);
    let prior = object(&[("step", Value::List(vec![step("a", "s-1".into())]))]);
    let config = object(&[(
        "step",
        Value::List(vec![step("b", Value::Null), step("c", Value::Null)]),
    )]);
    // Proposed: the first element keeps its prior computed id, the new one has none.
    let proposed = object(&[(
        "step",
        Value::List(vec![step("b", "s-1".into()), step("c", Value::Null)]),
    )]);
    let change = plan_object(&block, Some(&prior), &proposed, &config);
    assert_eq!(
        change.planned,
        object(&[(
            "step",
            Value::List(vec![step("b", "s-1".into()), step("c", Value::Unknown)])
        )])
    );
    assert_eq!(
        change.requires_replace,
        [AttributePath::attr("step").index(0).child("name")]
    );
}

#[test]
fn set_blocks_match_unchanged_elements_by_value() {
    let block = block_with_steps(Nesting::Set);
    let prior = object(&[("step", Value::Set(vec![step("a", "s-1".into())]))]);
    let config = object(&[(
        "step",
        Value::Set(vec![step("z", Value::Null), step("a", Value::Null)]),
    )]);
    let proposed = object(&[(
        "step",
        Value::Set(vec![step("a", "s-1".into()), step("z", Value::Null)]),
    )]);
    let change = plan_object(&block, Some(&prior), &proposed, &config);
    assert_eq!(
        change.planned,
        object(&[(
            "step",
            Value::Set(vec![step("a", "s-1".into()), step("z", Value::Unknown)])
        )])
    );
    assert!(change.requires_replace.is_empty());
}

#[test]
fn map_and_single_blocks_recurse() {
    let block = block_with_steps(Nesting::Map);
    let config = object(&[(
        "step",
        Value::Map([("k".to_string(), step("a", Value::Null))].into()),
    )]);
    let planned = plan_object(&block, None, &config, &config).planned;
    let expected = object(&[(
        "step",
        Value::Map([("k".to_string(), step("a", Value::Unknown))].into()),
    )]);
    assert_eq!(planned, expected);

    let block = block_with_steps(Nesting::Single);
    let config = object(&[("step", step("a", Value::Null))]);
    assert_eq!(
        plan_object(&block, None, &config, &config).planned,
        object(&[("step", step("a", Value::Unknown))])
    );
    let absent = object(&[("step", Value::Null)]);
    assert_eq!(plan_object(&block, None, &absent, &absent).planned, absent);
}

/// A configured list of nested attributes whose objects each hold a computed attribute.
fn with_nested() -> Block {
    let object = crate::nested::NestedObject::list([
        Attribute::required("name", Type::String).plan(RequiresReplace),
        Attribute::optional_computed("mode", Type::String).plan(DefaultValue("fast".into())),
    ]);
    Block::new("")
        .attribute(Attribute::optional("steps", object))
        .attribute(Attribute::computed(
            "results",
            crate::nested::NestedObject::list([Attribute::computed("exit_code", Type::Number)]),
        ))
}

#[test]
fn nested_attributes_plan_each_object_and_a_computed_one_is_known_after_apply() {
    let block = with_nested();
    let step = |name: &str, mode: Value| object(&[("name", name.into()), ("mode", mode)]);
    let config = object(&[("steps", Value::List(vec![step("a", Value::Null)]))]);
    let created = plan(&block, None, &config);
    assert_eq!(
        created.planned.attr("steps"),
        Some(&Value::List(vec![step("a", "fast".into())])),
        "each object's plan modifiers ran"
    );
    assert_eq!(created.planned.attr("results"), Some(&Value::Unknown));

    let prior = object(&[
        ("steps", Value::List(vec![step("a", "fast".into())])),
        ("results", Value::List(vec![object(&[("exit_code", 0.into())])])),
    ]);
    let renamed = object(&[("steps", Value::List(vec![step("b", Value::Null)]))]);
    let mut proposed = proposed(&block, Some(&prior), &renamed);
    // Terraform merges the prior's computed `mode` into the configured object.
    proposed.set_attr("steps", Value::List(vec![step("b", "fast".into())]));
    let updated = plan_object(&block, Some(&prior), &proposed, &renamed);
    let paths: Vec<String> = updated.requires_replace.iter().map(ToString::to_string).collect();
    assert_eq!(paths, ["steps[0].name"]);
    assert_eq!(updated.planned.attr("results"), prior.attr("results"));
}
