//! Request parameters: the union of the query string and an `x-www-form-urlencoded` body,
//! decoded, in arrival order, with typed accessors that answer with the API's errors.

use super::errors::ApiError;

/// The decoded parameters of one request. A name sent twice keeps both pairs (both are
/// signed); lookups see the first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Decodes a query string and, if given, a form body (`+` is a space, `%XY` a byte; bytes
    /// that are not valid UTF-8 become U+FFFD, a malformed escape stays as sent).
    pub fn decode(query: &str, form_body: Option<&[u8]>) -> Self {
        let pairs = std::iter::once(query.as_bytes())
            .chain(form_body)
            .flat_map(form_urlencoded::parse)
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        Self { pairs }
    }

    /// Builds parameters from already decoded pairs.
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Self {
            pairs: pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect(),
        }
    }

    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value unless absent or empty: the API treats `Name=` like a missing parameter.
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    pub fn required(&self, name: &'static str) -> Result<&str, ApiError> {
        self.non_empty(name).ok_or(ApiError::MissingParameter(name))
    }

    /// `true`/`false` in any case; anything else is `InvalidParameter`.
    pub fn bool(&self, name: &'static str) -> Result<Option<bool>, ApiError> {
        match self.non_empty(name) {
            None => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(_) => Err(ApiError::InvalidParameter(name)),
        }
    }

    pub fn u64(&self, name: &'static str) -> Result<Option<u64>, ApiError> {
        self.non_empty(name)
            .map(|v| v.parse().map_err(|_| ApiError::InvalidParameter(name)))
            .transpose()
    }

    /// A flattened RepeatList of key/value structs, `Name.N.Key` and `Name.N.Value`, in index
    /// order; a missing half is empty.
    pub fn repeat_pairs(&self, name: &str) -> Vec<(String, String)> {
        let mut indexed: std::collections::BTreeMap<u32, (String, String)> = Default::default();
        for (k, v) in &self.pairs {
            let Some((index, field)) = k
                .strip_prefix(name)
                .and_then(|rest| rest.strip_prefix('.'))
                .and_then(|rest| rest.split_once('.'))
            else {
                continue;
            };
            let Ok(index) = index.parse() else { continue };
            let entry = indexed.entry(index).or_default();
            match field {
                "Key" => entry.0 = v.clone(),
                "Value" => entry.1 = v.clone(),
                _ => {}
            }
        }
        indexed.into_values().collect()
    }

    /// A flattened RepeatList `Name.1`, `Name.2`, ... in index order, empty values skipped.
    pub fn repeat_list(&self, name: &str) -> Vec<String> {
        let mut indexed: Vec<(u32, &str)> = self
            .pairs
            .iter()
            .filter_map(|(k, v)| {
                let index = k.strip_prefix(name)?.strip_prefix('.')?.parse().ok()?;
                (!v.is_empty()).then_some((index, v.as_str()))
            })
            .collect();
        indexed.sort_by_key(|(index, _)| *index);
        indexed.into_iter().map(|(_, v)| v.to_string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_query_and_body_in_order() {
        let p = Params::decode("A=1&B=a%20b+c", Some(b"C=%7B%22k%22%3A%22v%22%7D&A=2"));
        let all: Vec<_> = p.pairs().collect();
        assert_eq!(
            all,
            [("A", "1"), ("B", "a b c"), ("C", r#"{"k":"v"}"#), ("A", "2")]
        );
        assert_eq!(p.get("A"), Some("1"));
    }

    #[test]
    fn keeps_empty_values_and_bad_escapes() {
        let p = Params::decode("SignatureType=&X=%zz&Y=%4", None);
        assert_eq!(p.get("SignatureType"), Some(""));
        assert_eq!(p.non_empty("SignatureType"), None);
        assert_eq!(p.get("X"), Some("%zz"));
        assert_eq!(p.get("Y"), Some("%4"));
    }

    #[test]
    fn repeat_lists_sort_by_index() {
        let p = Params::decode(
            "InstanceId.10=j&InstanceId.2=b&InstanceId.1=a&InstanceIdX=z&InstanceId.x=q",
            None,
        );
        assert_eq!(p.repeat_list("InstanceId"), ["a", "b", "j"]);
    }

    #[test]
    fn repeat_pairs_join_keys_and_values_by_index() {
        let p = Params::decode(
            "Tag.2.Key=b&Tag.1.Value=1&Tag.1.Key=a&Tag.10.Value=only&Tag.x.Key=q",
            None,
        );
        assert_eq!(
            p.repeat_pairs("Tag"),
            [
                ("a".to_string(), "1".to_string()),
                ("b".to_string(), String::new()),
                (String::new(), "only".to_string())
            ]
        );
    }

    #[test]
    fn typed_accessors() {
        let p = Params::decode("T=TRUE&F=false&N=12&Bad=yes&M=-1", None);
        assert_eq!(p.bool("T"), Ok(Some(true)));
        assert_eq!(p.bool("F"), Ok(Some(false)));
        assert_eq!(p.bool("Missing"), Ok(None));
        assert_eq!(p.bool("Bad"), Err(ApiError::InvalidParameter("Bad")));
        assert_eq!(p.u64("N"), Ok(Some(12)));
        assert_eq!(p.u64("M"), Err(ApiError::InvalidParameter("M")));
        assert_eq!(p.required("Nope"), Err(ApiError::MissingParameter("Nope")));
    }
}
