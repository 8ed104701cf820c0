//! Filters of the Describe calls: exact matches when a filter is given, and the `*` wildcard
//! that name filters accept.

use crate::params::Params;

/// True when the filter is absent or equals the value.
pub fn matches(params: &Params, name: &str, value: &str) -> bool {
    params.non_empty(name).is_none_or(|wanted| wanted == value)
}

/// True when the filter is absent or its `*` pattern matches the value.
pub fn matches_wildcard(params: &Params, name: &str, value: &str) -> bool {
    params
        .non_empty(name)
        .is_none_or(|pattern| wildcard(pattern, value))
}

/// `*` matches any run of characters; everything else matches itself.
pub fn wildcard(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = rest.get(at + part.len()..).unwrap_or_default(),
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard("web-*", "web-1"));
        assert!(wildcard("*", ""));
        assert!(wildcard("*-1", "web-1"));
        assert!(wildcard("w*b*1", "web-1"));
        assert!(wildcard("web-1", "web-1"));
        assert!(!wildcard("web-1", "web-12"));
        assert!(!wildcard("db*", "web-1"));
        assert!(!wildcard("a*a", "a"));
    }

    #[test]
    fn absent_filters_match_everything() {
        let p = Params::decode("Status=Running&InstanceName=web*", None);
        assert!(matches(&p, "Status", "Running") && !matches(&p, "Status", "Stopped"));
        assert!(matches(&p, "ZoneId", "anything"));
        assert!(
            matches_wildcard(&p, "InstanceName", "web-2") && !matches_wildcard(&p, "InstanceName", "db-1")
        );
    }
}
