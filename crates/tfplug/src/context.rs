//! What a validator knows about the value it checks: where it sits (for the diagnostic's path)
//! and whether it is sensitive, plus the one way validators show values in diagnostics, which
//! hides sensitive ones.

use super::diagnostics::AttributePath;
use super::schema::Block;
use super::value::Value;

/// Shown instead of a sensitive value.
const HIDDEN: &str = "(sensitive value)";
/// Longest rendering of a value in a diagnostic, in characters.
const MAX_SHOWN: usize = 80;

#[derive(Clone)]
pub struct ValueContext<'a> {
    pub path: AttributePath,
    /// The value belongs to a sensitive attribute: diagnostics must not show it.
    pub sensitive: bool,
    /// For block validators: the block whose object is being checked, so rules across
    /// attributes can find each attribute's sensitivity.
    pub block: Option<&'a Block>,
}

impl<'a> ValueContext<'a> {
    /// The context of an attribute value.
    pub fn attribute(path: AttributePath, sensitive: bool) -> Self {
        ValueContext {
            path,
            sensitive,
            block: None,
        }
    }

    /// The context of a whole block object, for block validators.
    pub fn block(path: AttributePath, block: &'a Block) -> Self {
        ValueContext {
            path,
            sensitive: false,
            block: Some(block),
        }
    }

    /// Attribute `name` of the block object this context describes.
    pub fn child(&self, name: &str) -> ValueContext<'a> {
        let sensitive = self.sensitive
            || self
                .block
                .and_then(|b| b.get_attribute(name))
                .is_some_and(|a| a.sensitive);
        ValueContext::attribute(self.path.child(name), sensitive)
    }

    /// Element `index` of a list or tuple.
    pub fn index(&self, index: usize) -> ValueContext<'a> {
        ValueContext::attribute(self.path.index(index), self.sensitive)
    }

    /// Entry `key` of a map.
    pub fn key(&self, key: &str) -> ValueContext<'a> {
        ValueContext::attribute(self.path.key(key), self.sensitive)
    }

    /// The value as a diagnostic may show it: HCL-like and shortened, or hidden when sensitive.
    pub fn show(&self, value: &Value) -> String {
        if self.sensitive {
            HIDDEN.to_string()
        } else {
            shorten(render(value))
        }
    }
}

/// HCL-like text of a value (`"a"`, `["a", "b"]`, `{ "k" = 1 }`).
pub(crate) fn render(value: &Value) -> String {
    let join = |items: &mut dyn Iterator<Item = String>| items.collect::<Vec<_>>().join(", ");
    match value {
        Value::Null => "null".to_string(),
        Value::Unknown => "(known after apply)".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.as_str().to_string(),
        Value::String(s) => serde_json::Value::from(s.as_str()).to_string(),
        Value::List(items) | Value::Set(items) | Value::Tuple(items) => {
            format!("[{}]", join(&mut items.iter().map(render)))
        }
        Value::Map(entries) | Value::Object(entries) if entries.is_empty() => "{}".to_string(),
        Value::Map(entries) | Value::Object(entries) => {
            let mut pairs = entries
                .iter()
                .map(|(k, v)| format!("{} = {}", render(&k.as_str().into()), render(v)));
            format!("{{ {} }}", join(&mut pairs))
        }
        Value::Dynamic(_, inner) => render(inner),
    }
}

fn shorten(text: String) -> String {
    if text.chars().count() <= MAX_SHOWN {
        return text;
    }
    let mut short: String = text.chars().take(MAX_SHOWN - 1).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Attribute;
    use crate::types::Type;

    #[test]
    fn renders_values_like_hcl() {
        let value = Value::Object(
            [
                ("a".to_string(), Value::List(vec!["x\"y".into(), Value::from(2)])),
                ("b".to_string(), Value::Unknown),
                ("c".to_string(), Value::Map(Default::default())),
            ]
            .into(),
        );
        assert_eq!(
            render(&value),
            r#"{ "a" = ["x\"y", 2], "b" = (known after apply), "c" = {} }"#
        );
    }

    #[test]
    fn hides_sensitive_values_and_shortens_long_ones() {
        let ctx = ValueContext::attribute(AttributePath::attr("secret"), true);
        assert_eq!(ctx.show(&"hunter2".into()), "(sensitive value)");
        assert_eq!(ctx.index(0).show(&"hunter2".into()), "(sensitive value)");
        let shown = ValueContext::attribute(AttributePath::attr("a"), false).show(&"x".repeat(200).into());
        assert_eq!(shown.chars().count(), 80);
        assert!(shown.ends_with('…'));
    }

    #[test]
    fn block_context_knows_attribute_sensitivity() {
        let block = Block::new("")
            .attribute(Attribute::optional("token", Type::String).sensitive())
            .attribute(Attribute::optional("name", Type::String));
        let ctx = ValueContext::block(AttributePath::root(), &block);
        assert!(ctx.child("token").sensitive);
        assert!(!ctx.child("name").sensitive);
        assert_eq!(ctx.child("name").path, AttributePath::attr("name"));
    }
}
