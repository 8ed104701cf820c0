//! Command content templates: where the `{{name}}` placeholders are (whitespace inside the
//! braces is ignored) and which of them are custom parameters rather than `{{ACS::...}}`
//! built-ins. The provider checks `parameters` against them at plan time; the emulator
//! renders and validates with them.

/// A parameter name's longest length in bytes.
pub const MAX_NAME: usize = 64;
/// Built-ins the agent fills in: `{{ACS::InstanceId}}`, ...
pub const BUILTIN_PREFIX: &str = "ACS::";

/// Each `{{...}}` in the content: its byte range and its trimmed inside.
pub fn placeholders(content: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = content
        .get(from..)
        .and_then(|rest| rest.find("{{"))
        .map(|at| at + from)
    {
        let Some(close) = content
            .get(open + 2..)
            .and_then(|rest| rest.find("}}"))
            .map(|at| at + open + 2)
        else {
            break;
        };
        found.push((
            open..close + 2,
            content.get(open + 2..close).unwrap_or_default().trim(),
        ));
        from = close + 2;
    }
    found
}

pub fn is_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_NAME
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The custom parameter names a command defines, in order of first use; built-ins and
/// anything that is not a valid name are not parameters.
pub fn parameter_names(content: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (_, inner) in placeholders(content) {
        if is_name(inner) && !names.iter().any(|n| n == inner) {
            names.push(inner.to_string());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_order_without_builtins_or_duplicates() {
        assert_eq!(
            parameter_names("{{b}} {{a}} {{ b }} {{ACS::RegionId}} {{x y}}"),
            ["b", "a"]
        );
        assert!(parameter_names("no placeholders {{ unclosed").is_empty());
    }
}
