//! Reusable validators, named so a schema reads like its documentation:
//! `.validate(size_between(1, 50)).validate(each(not_empty()))`,
//! `Block::validate(required_when("frequency", "timed", true))`.
//! Unknown values are skipped (Terraform validates again once they are known); every
//! diagnostic names the path, the rule and the offending value, hidden when sensitive.

use super::context::ValueContext;
use super::diagnostics::Diagnostics;
use super::equality::same_value;
use super::schema::Validator;
use super::value::Value;

const INVALID: &str = "Invalid attribute value";

/// Reports `value` at the context's path as breaking `rule`.
fn reject(diags: &mut Diagnostics, ctx: &ValueContext<'_>, rule: &str, value: &Value) {
    diags.error_at(
        ctx.path.clone(),
        INVALID,
        format!("`{}` {rule}; got {}.", ctx.path, ctx.show(value)),
    );
}

/// The string must not be empty.
pub fn not_empty() -> NotEmpty {
    NotEmpty
}

pub struct NotEmpty;

impl Validator for NotEmpty {
    fn description(&self) -> String {
        "must not be empty".into()
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        if value.as_str().is_some_and(str::is_empty) {
            reject(diags, ctx, &self.description(), value);
        }
    }
}

/// The string's length in characters lies in `min..=max`.
pub fn length_between(min: usize, max: usize) -> LengthBetween {
    LengthBetween { min, max }
}

/// The string has at most `max` characters.
pub fn length_at_most(max: usize) -> LengthBetween {
    LengthBetween { min: 0, max }
}

pub struct LengthBetween {
    min: usize,
    max: usize,
}

impl Validator for LengthBetween {
    fn description(&self) -> String {
        match self.min {
            0 => format!("must be at most {} characters long", self.max),
            min => format!("must be {min} to {} characters long", self.max),
        }
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        let Some(s) = value.as_str() else { return };
        let len = s.chars().count();
        if !(self.min..=self.max).contains(&len) {
            diags.error_at(
                ctx.path.clone(),
                INVALID,
                format!(
                    "`{}` {}; got {} ({len} characters).",
                    ctx.path,
                    self.description(),
                    ctx.show(value)
                ),
            );
        }
    }
}

/// The list, set or map has `min..=max` elements.
pub fn size_between(min: usize, max: usize) -> SizeBetween {
    SizeBetween { min, max }
}

/// The list, set or map has at most `max` elements.
pub fn size_at_most(max: usize) -> SizeBetween {
    SizeBetween { min: 0, max }
}

pub struct SizeBetween {
    min: usize,
    max: usize,
}

impl Validator for SizeBetween {
    fn description(&self) -> String {
        match self.min {
            0 => format!("must have at most {} elements", self.max),
            min => format!("must have {min} to {} elements", self.max),
        }
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        let len = match value.as_elements() {
            Some(items) => items.len(),
            None => match value.as_entries() {
                Some(entries) => entries.len(),
                None => return,
            },
        };
        if !(self.min..=self.max).contains(&len) {
            // The count is shown even for sensitive values: it reveals none of their content.
            diags.error_at(
                ctx.path.clone(),
                INVALID,
                format!("`{}` {}; it has {len}.", ctx.path, self.description()),
            );
        }
    }
}

/// No two known items of the list are equal.
pub fn unique_items() -> UniqueItems {
    UniqueItems
}

pub struct UniqueItems;

impl Validator for UniqueItems {
    fn description(&self) -> String {
        "must not contain duplicates".into()
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        let Some(items) = value.as_elements() else { return };
        for (j, item) in items.iter().enumerate() {
            // `same_value` is false for unknowns, so they are never reported.
            if let Some(i) = items.iter().take(j).position(|earlier| same_value(earlier, item)) {
                let at = ctx.index(j);
                diags.error_at(
                    at.path.clone(),
                    INVALID,
                    format!(
                        "`{}` {}; {} repeats `{}`.",
                        ctx.path,
                        self.description(),
                        at.show(item),
                        ctx.index(i).path
                    ),
                );
            }
        }
    }
}

/// Applies `validator` to each known, non-null item of a list, tuple or set. Set items have no
/// address of their own, so their diagnostics point at the set.
pub fn each(validator: impl Validator + 'static) -> Each {
    Each(Box::new(validator))
}

pub struct Each(Box<dyn Validator>);

impl Validator for Each {
    fn description(&self) -> String {
        format!("each item {}", self.0.description())
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        let is_set = matches!(value, Value::Set(_));
        let Some(items) = value.as_elements() else { return };
        for (i, item) in items.iter().enumerate() {
            if item.is_unknown() || item.is_null() {
                continue;
            }
            let item_ctx = if is_set { ctx.clone() } else { ctx.index(i) };
            self.0.validate(item, &item_ctx, diags);
        }
    }
}

/// Applies `validator` to each key of a map, as a string value.
pub fn map_keys(validator: impl Validator + 'static) -> MapKeys {
    MapKeys(Box::new(validator))
}

pub struct MapKeys(Box<dyn Validator>);

impl Validator for MapKeys {
    fn description(&self) -> String {
        format!("each key {}", self.0.description())
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        let Some(entries) = value.as_entries() else { return };
        for key in entries.keys() {
            self.0.validate(&Value::String(key.clone()), &ctx.key(key), diags);
        }
    }
}

/// Applies `validator` to each known, non-null value of a map.
pub fn map_values(validator: impl Validator + 'static) -> MapValues {
    MapValues(Box::new(validator))
}

pub struct MapValues(Box<dyn Validator>);

impl Validator for MapValues {
    fn description(&self) -> String {
        format!("each value {}", self.0.description())
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        let Some(entries) = value.as_entries() else { return };
        for (key, item) in entries {
            if !item.is_unknown() && !item.is_null() {
                self.0.validate(item, &ctx.key(key), diags);
            }
        }
    }
}

/// The string is one of `allowed`.
pub fn one_of(allowed: &[&str]) -> OneOf {
    OneOf(allowed.iter().map(|s| s.to_string()).collect())
}

pub struct OneOf(Vec<String>);

impl Validator for OneOf {
    fn description(&self) -> String {
        let allowed: Vec<String> = self.0.iter().map(|s| format!("`{s}`")).collect();
        format!("must be one of {}", allowed.join(", "))
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        if let Some(s) = value.as_str() {
            if !self.0.iter().any(|allowed| allowed == s) {
                reject(diags, ctx, &self.description(), value);
            }
        }
    }
}

/// The number is a whole number in `min..=max`.
pub fn int_between(min: i64, max: i64) -> IntBetween {
    IntBetween { min, max }
}

pub struct IntBetween {
    min: i64,
    max: i64,
}

impl Validator for IntBetween {
    fn description(&self) -> String {
        format!("must be a whole number from {} to {}", self.min, self.max)
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        let Some(number) = value.as_number() else { return };
        if !number
            .as_i64()
            .is_some_and(|n| (self.min..=self.max).contains(&n))
        {
            reject(diags, ctx, &self.description(), value);
        }
    }
}

/// Block rule: when `attribute` is set, `other` must be set too.
pub fn requires_with(attribute: &str, other: &str) -> RequiresWith {
    RequiresWith {
        attribute: attribute.to_string(),
        other: other.to_string(),
    }
}

pub struct RequiresWith {
    attribute: String,
    other: String,
}

impl Validator for RequiresWith {
    fn description(&self) -> String {
        format!(
            "`{}` can only be set together with `{}`",
            self.attribute, self.other
        )
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        let get = |name: &str| value.attr(name).unwrap_or(&Value::Null);
        let (attribute, other) = (get(&self.attribute), get(&self.other));
        if attribute.is_unknown() || other.is_unknown() {
            return;
        }
        if !attribute.is_null() && other.is_null() {
            diags.error_at(
                ctx.child(&self.attribute).path,
                "Missing required attribute",
                format!("{}; `{}` is not set.", self.description(), self.other),
            );
        }
    }
}

/// Block rule: `attribute` and `other` cannot both be set.
pub fn conflicts_with(attribute: &str, other: &str) -> ConflictsWith {
    ConflictsWith {
        attribute: attribute.to_string(),
        other: other.to_string(),
    }
}

pub struct ConflictsWith {
    attribute: String,
    other: String,
}

impl Validator for ConflictsWith {
    fn description(&self) -> String {
        format!(
            "`{}` cannot be set together with `{}`",
            self.attribute, self.other
        )
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        let set = |name: &str| value.attr(name).is_some_and(|v| !v.is_null() && !v.is_unknown());
        if set(&self.attribute) && set(&self.other) {
            diags.error_at(
                ctx.child(&self.attribute).path,
                "Conflicting attributes",
                format!("{}; set only one of them.", self.description()),
            );
        }
    }
}

/// Block rule: `attribute` must be set when `other` equals `value`.
pub fn required_when(attribute: &str, other: &str, value: impl Into<Value>) -> RequiredWhen {
    RequiredWhen {
        attribute: attribute.to_string(),
        other: other.to_string(),
        value: value.into(),
    }
}

pub struct RequiredWhen {
    attribute: String,
    other: String,
    value: Value,
}

impl RequiredWhen {
    fn rule(&self, ctx: &ValueContext<'_>) -> String {
        format!(
            "`{}` is required when `{}` is {}",
            self.attribute,
            self.other,
            ctx.child(&self.other).show(&self.value)
        )
    }
}

impl Validator for RequiredWhen {
    fn description(&self) -> String {
        self.rule(&ValueContext::attribute(Default::default(), false))
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        let get = |name: &str| value.attr(name).unwrap_or(&Value::Null);
        let (attribute, other) = (get(&self.attribute), get(&self.other));
        if other.is_unknown() || !same_value(other, &self.value) {
            return;
        }
        if attribute.is_null() {
            diags.error_at(
                ctx.child(&self.attribute).path,
                "Missing required attribute",
                format!("{}.", self.rule(ctx)),
            );
        }
    }
}

/// Block rule: exactly one of `attributes` is set.
pub fn exactly_one_of(attributes: &[&str]) -> ExactlyOneOf {
    ExactlyOneOf(attributes.iter().map(|a| a.to_string()).collect())
}

pub struct ExactlyOneOf(Vec<String>);

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

impl Validator for ExactlyOneOf {
    fn description(&self) -> String {
        let names: Vec<String> = self.0.iter().map(|a| format!("`{a}`")).collect();
        format!("exactly one of {} must be set", names.join(", "))
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        let values: Vec<&Value> = self
            .0
            .iter()
            .map(|name| value.attr(name).unwrap_or(&Value::Null))
            .collect();
        if values.iter().any(|v| v.is_unknown()) {
            return;
        }
        let set: Vec<&String> = self
            .0
            .iter()
            .zip(&values)
            .filter(|(_, v)| !v.is_null())
            .map(|(name, _)| name)
            .collect();
        match set.as_slice() {
            [_] => {}
            [] => diags.error_at(
                ctx.path.clone(),
                "Missing required attribute",
                format!("{}; none is.", capitalized(&self.description())),
            ),
            [_, second, ..] => diags.error_at(
                ctx.child(second).path,
                "Conflicting attributes",
                format!(
                    "{}; {} are.",
                    capitalized(&self.description()),
                    set.iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
            ),
        }
    }
}

#[cfg(test)]
#[path = "validators_tests.rs"]
mod tests;
