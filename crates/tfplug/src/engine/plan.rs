//! Planning from Terraform's proposed new state (`docs/plugin-protocol-notes.md#proposed-new-state`
//! to `#final-plan`): computed attributes left unset become unknown on create, plan modifiers run
//! per attribute, and the result is held to Terraform's plan rules, so a configured value is never
//! changed and re-planning with the same inputs gives the same plan.

use crate::diagnostics::AttributePath;
use crate::equality::same_value;
use crate::schema::{Attribute, AttributePlan, Block, Nesting};
use crate::value::Value;

/// The planned state, and the attributes whose change forces replacement.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedChange {
    pub planned: Value,
    /// Only paths where prior and planned differ (unknown counts as different); empty on create.
    pub requires_replace: Vec<AttributePath>,
}

/// Plans the object `block` describes. `prior` is `None` (or null) on create; `proposed` and
/// `config` are Terraform's `proposed_new_state` and `config`.
pub fn plan_object(block: &Block, prior: Option<&Value>, proposed: &Value, config: &Value) -> PlannedChange {
    let prior = prior.filter(|p| !p.is_null());
    let mut requires_replace = Vec::new();
    let planned = plan_block(
        block,
        prior,
        proposed,
        config,
        &AttributePath::root(),
        &mut requires_replace,
    );
    PlannedChange {
        planned,
        requires_replace,
    }
}

fn plan_block(
    block: &Block,
    prior: Option<&Value>,
    proposed: &Value,
    config: &Value,
    path: &AttributePath,
    replace: &mut Vec<AttributePath>,
) -> Value {
    // A null or wholly unknown block is Terraform's to decide; the provider may not change it.
    let Value::Object(proposed_entries) = proposed else {
        return proposed.clone();
    };
    let mut planned = proposed_entries.clone();
    for attribute in &block.attributes {
        let name = attribute.name.as_str();
        let prior_value = prior.map(|p| p.attr(name).unwrap_or(&Value::Null));
        let value = plan_attribute(
            attribute,
            &path.child(name),
            prior_value,
            proposed.attr(name).unwrap_or(&Value::Null),
            config.attr(name).unwrap_or(&Value::Null),
            replace,
        );
        planned.insert(name.to_string(), value);
    }
    for nested in &block.blocks {
        let name = nested.type_name.as_str();
        let Some(proposed_value) = proposed.attr(name) else {
            continue;
        };
        let value = plan_nested(
            nested.nesting,
            &nested.block,
            prior.and_then(|p| p.attr(name)),
            proposed_value,
            config.attr(name).unwrap_or(&Value::Null),
            &path.child(name),
            replace,
        );
        planned.insert(name.to_string(), value);
    }
    Value::Object(planned)
}

fn plan_attribute(
    attribute: &Attribute,
    path: &AttributePath,
    prior: Option<&Value>,
    proposed: &Value,
    config: &Value,
    replace: &mut Vec<AttributePath>,
) -> Value {
    let mut planned = proposed.clone();
    // On create, a computed value nobody configured is filled at apply: say so in the plan.
    if attribute.computed && prior.is_none() && config.is_null() && planned.is_null() {
        planned = Value::Unknown;
    }
    let view = AttributePlan { path, config, prior };
    let mut requires_replace = false;
    for modifier in &attribute.plan_modifiers {
        modifier.modify(&view, &mut planned, &mut requires_replace);
    }
    if !obeys_plan_rules(attribute, &planned, config, prior) {
        planned = proposed.clone();
    }
    if let Some(nested) = &attribute.nested {
        planned = plan_nested(
            nested.nesting.into(),
            &nested.object,
            prior,
            &planned,
            config,
            path,
            replace,
        );
    }
    if requires_replace && prior.is_some_and(|p| !same_value(p, &planned)) {
        replace.push(path.clone());
    }
    planned
}

/// Terraform's per-attribute plan rules (objchange.AssertPlanValid,
/// `docs/plugin-protocol-notes.md#plan-rules`).
fn obeys_plan_rules(attribute: &Attribute, planned: &Value, config: &Value, prior: Option<&Value>) -> bool {
    if config.is_null() {
        return attribute.computed || planned.is_null();
    }
    planned == config || prior.is_some_and(|p| !p.is_null() && planned == p)
}

/// The objects of a nested block or nested attribute, held as `nesting` says: each planned
/// against its prior and configured object.
fn plan_nested(
    nesting: Nesting,
    block: &Block,
    prior: Option<&Value>,
    proposed: &Value,
    config: &Value,
    path: &AttributePath,
    replace: &mut Vec<AttributePath>,
) -> Value {
    let prior = prior.filter(|p| !p.is_null());
    match (nesting, proposed) {
        (Nesting::Single | Nesting::Group, _) => plan_block(block, prior, proposed, config, path, replace),
        (Nesting::List, Value::List(items) | Value::Tuple(items)) => {
            let prior_items = prior.and_then(Value::as_elements).unwrap_or_default();
            let config_items = config.as_elements().unwrap_or_default();
            let planned = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let prior_item = prior_items.get(i).filter(|p| !p.is_null());
                    let config_item = config_items.get(i).unwrap_or(&Value::Null);
                    plan_block(block, prior_item, item, config_item, &path.index(i), replace)
                })
                .collect();
            match proposed {
                Value::Tuple(_) => Value::Tuple(planned),
                _ => Value::List(planned),
            }
        }
        (Nesting::Map, Value::Map(entries) | Value::Object(entries)) => {
            let planned = entries
                .iter()
                .map(|(key, item)| {
                    let prior_item = prior
                        .and_then(|p| p.as_entries()?.get(key))
                        .filter(|p| !p.is_null());
                    let config_item = config
                        .as_entries()
                        .and_then(|e| e.get(key))
                        .unwrap_or(&Value::Null);
                    let at = path.key(key.as_str());
                    (
                        key.clone(),
                        plan_block(block, prior_item, item, config_item, &at, replace),
                    )
                })
                .collect();
            match proposed {
                Value::Object(_) => Value::Object(planned),
                _ => Value::Map(planned),
            }
        }
        (Nesting::Set, Value::Set(items)) => Value::Set(plan_set(block, prior, items, config, path, replace)),
        _ => proposed.clone(),
    }
}

/// Set elements have no index to correlate by. An element equal to a prior one is that element
/// unchanged (Terraform merged the prior computed values into it); its configuration is the
/// config element agreeing with it on every configured attribute.
fn plan_set(
    block: &Block,
    prior: Option<&Value>,
    items: &[Value],
    config: &Value,
    path: &AttributePath,
    replace: &mut Vec<AttributePath>,
) -> Vec<Value> {
    let prior_items = prior.and_then(Value::as_elements).unwrap_or_default();
    let config_items = config.as_elements().unwrap_or_default();
    let mut config_used = vec![false; config_items.len()];
    items
        .iter()
        .map(|item| {
            let prior_item = prior_items.iter().find(|p| same_value(p, item));
            let config_item = config_items
                .iter()
                .zip(config_used.iter_mut())
                .find(|(c, used)| !**used && configures(c, item))
                .map(|(c, used)| {
                    *used = true;
                    c
                })
                .unwrap_or(item);
            plan_block(block, prior_item, item, config_item, path, replace)
        })
        .collect()
}

/// Whether the config element `config` agrees with `item` on every attribute it sets.
fn configures(config: &Value, item: &Value) -> bool {
    config.as_entries().is_some_and(|entries| {
        entries
            .iter()
            .all(|(k, v)| v.is_null() || item.attr(k) == Some(v))
    })
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
