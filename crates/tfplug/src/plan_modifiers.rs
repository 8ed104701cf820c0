//! Reusable plan modifiers: `.plan(RequiresReplace)`, `.plan(UseStateForUnknown)`,
//! `.plan(DefaultValue(false.into()))`, `.plan(OrderInsensitive)`. The engine runs them in order on each attribute, starting
//! from Terraform's proposed new state.

use super::context::render;
use super::equality::same_value;
use super::schema::{AttributePlan, PlanModifier};
use super::value::Value;

/// Changing the attribute on update destroys and re-creates the resource. Nothing changes on
/// create, nor when the planned value equals the prior one; an unknown planned value counts as a
/// change, since it may differ.
pub struct RequiresReplace;

impl PlanModifier for RequiresReplace {
    fn description(&self) -> String {
        "Changing this value forces a new resource.".into()
    }

    fn modify(&self, attribute: &AttributePlan<'_>, planned: &mut Value, requires_replace: &mut bool) {
        if let Some(prior) = attribute.prior {
            if !same_value(prior, planned) {
                *requires_replace = true;
            }
        }
    }
}

/// On update, plans the prior value instead of unknown: for computed values that never change
/// once set (ids), so plans do not show them as "known after apply". A configured unknown stays
/// unknown, as Terraform requires.
pub struct UseStateForUnknown;

impl PlanModifier for UseStateForUnknown {
    fn description(&self) -> String {
        "Keeps its value across updates.".into()
    }

    fn modify(&self, attribute: &AttributePlan<'_>, planned: &mut Value, _requires_replace: &mut bool) {
        let Some(prior) = attribute.prior else { return };
        if planned.is_unknown() && !prior.is_null() && !attribute.config.is_unknown() {
            *planned = prior.clone();
        }
    }
}

/// Plans this value when the configuration leaves the attribute out. Only valid on optional and
/// computed attributes: Terraform accepts a planned value differing from a null config only
/// there.
pub struct DefaultValue(pub Value);

impl PlanModifier for DefaultValue {
    fn description(&self) -> String {
        format!("Defaults to `{}`.", render(&self.0))
    }

    fn modify(&self, attribute: &AttributePlan<'_>, planned: &mut Value, _requires_replace: &mut bool) {
        if attribute.config.is_null() {
            *planned = self.0.clone();
        }
    }
}

/// A list whose order means nothing (the API takes it as a set): when the planned list has
/// the same members as the prior one, the prior is planned, so a reorder is no change.
/// Terraform accepts a prior value in place of an equivalent configured one. Put it before
/// `RequiresReplace`.
pub struct OrderInsensitive;

impl PlanModifier for OrderInsensitive {
    fn description(&self) -> String {
        "Order does not matter: a reordered list is no change.".into()
    }

    fn modify(&self, attribute: &AttributePlan<'_>, planned: &mut Value, _requires_replace: &mut bool) {
        let Some(prior @ Value::List(members)) = attribute.prior else {
            return;
        };
        // `same_value` compares a set with a list by members, each paired once.
        if matches!(planned, Value::List(_)) && same_value(&Value::Set(members.clone()), planned) {
            *planned = prior.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::AttributePath;

    /// Runs `modifier` and returns the planned value and whether replacement was requested.
    fn run(
        modifier: &dyn PlanModifier,
        config: &Value,
        prior: Option<&Value>,
        planned: Value,
    ) -> (Value, bool) {
        let path = AttributePath::attr("arg");
        let attribute = AttributePlan {
            path: &path,
            config,
            prior,
        };
        let mut planned = planned;
        let mut replace = false;
        modifier.modify(&attribute, &mut planned, &mut replace);
        (planned, replace)
    }

    #[test]
    fn requires_replace_only_on_a_real_change() {
        let a = Value::from("a");
        let b = Value::from("b");
        assert_eq!(run(&RequiresReplace, &b, Some(&a), b.clone()), (b.clone(), true));
        assert_eq!(run(&RequiresReplace, &a, Some(&a), a.clone()), (a.clone(), false));
        assert_eq!(run(&RequiresReplace, &b, None, b.clone()), (b.clone(), false));
        assert_eq!(
            run(&RequiresReplace, &Value::Unknown, Some(&a), Value::Unknown),
            (Value::Unknown, true)
        );
        assert_eq!(
            run(&RequiresReplace, &Value::Null, Some(&a), Value::Null),
            (Value::Null, true)
        );
    }

    #[test]
    fn use_state_for_unknown_keeps_the_prior_value() {
        let id = Value::from("t-1");
        assert_eq!(
            run(&UseStateForUnknown, &Value::Null, Some(&id), Value::Unknown).0,
            id
        );
        // Create: nothing to keep.
        assert_eq!(
            run(&UseStateForUnknown, &Value::Null, None, Value::Unknown).0,
            Value::Unknown
        );
        // Prior null: nothing to keep either.
        let null = Value::Null;
        assert_eq!(
            run(&UseStateForUnknown, &Value::Null, Some(&null), Value::Unknown).0,
            Value::Unknown
        );
        // Unknown in config must stay unknown.
        assert_eq!(
            run(&UseStateForUnknown, &Value::Unknown, Some(&id), Value::Unknown).0,
            Value::Unknown
        );
        // A known plan is left alone.
        let planned = Value::from("t-2");
        assert_eq!(
            run(&UseStateForUnknown, &planned, Some(&id), planned.clone()).0,
            planned
        );
    }

    #[test]
    fn order_insensitive_keeps_the_prior_order_of_the_same_members() {
        let list = |items: &[&str]| Value::List(items.iter().map(|&s| s.into()).collect());
        let prior = list(&["b", "a"]);
        let reordered = list(&["a", "b"]);
        assert_eq!(
            run(&OrderInsensitive, &reordered, Some(&prior), reordered.clone()).0,
            prior
        );
        for other in [list(&["a", "c"]), list(&["a", "b", "b"]), list(&["a"])] {
            assert_eq!(
                run(&OrderInsensitive, &other, Some(&prior), other.clone()).0,
                other
            );
        }
        let unknown = Value::List(vec!["a".into(), Value::Unknown]);
        assert_eq!(
            run(&OrderInsensitive, &unknown, Some(&prior), unknown.clone()).0,
            unknown
        );
        assert_eq!(
            run(&OrderInsensitive, &reordered, None, reordered.clone()).0,
            reordered
        );
    }

    #[test]
    fn default_value_fills_a_null_config_only() {
        let default = DefaultValue(Value::Bool(false));
        assert_eq!(default.description(), "Defaults to `false`.");
        assert_eq!(
            run(&default, &Value::Null, None, Value::Unknown).0,
            Value::Bool(false)
        );
        let prior = Value::Bool(true);
        assert_eq!(
            run(&default, &Value::Null, Some(&prior), prior.clone()).0,
            Value::Bool(false)
        );
        let set = Value::Bool(true);
        assert_eq!(run(&default, &set, None, set.clone()).0, set);
        assert_eq!(
            run(&default, &Value::Unknown, None, Value::Unknown).0,
            Value::Unknown
        );
    }
}
