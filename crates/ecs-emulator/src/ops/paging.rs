//! Pagination shared by the Describe calls: legacy `PageNumber`/`PageSize` and the newer
//! `MaxResults`/`NextToken` (used as soon as either is given). Every answer carries
//! `TotalCount`, `PageNumber`, `PageSize` and `NextToken` (empty on the last page).

use serde_json::{json, Map, Value};

use crate::errors::ApiError;
use crate::params::Params;

const TOKEN_PREFIX: &str = "emu-";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSpec {
    offset: usize,
    size: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: usize,
    pub number: usize,
    pub size: usize,
    pub next_token: String,
}

impl PageSpec {
    /// Reads the paging parameters; sizes range over `1..=max` and default to `default`.
    pub fn read(params: &Params, max: usize, default: usize) -> Result<Self, ApiError> {
        let size_of = |name: &'static str| -> Result<usize, ApiError> {
            match params.non_empty(name) {
                None => Ok(default),
                Some(v) => v
                    .parse()
                    .ok()
                    .filter(|n| (1..=max).contains(n))
                    .ok_or(ApiError::InvalidPaging(name)),
            }
        };
        if params.non_empty("MaxResults").is_some() || params.non_empty("NextToken").is_some() {
            let offset = match params.non_empty("NextToken") {
                None => 0,
                Some(token) => token
                    .strip_prefix(TOKEN_PREFIX)
                    .and_then(|n| n.parse().ok())
                    .ok_or(ApiError::InvalidPaging("NextToken"))?,
            };
            return Ok(Self {
                offset,
                size: size_of("MaxResults")?,
            });
        }
        let number: usize = match params.non_empty("PageNumber") {
            None => 1,
            Some(v) => v
                .parse()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or(ApiError::InvalidPaging("PageNumber"))?,
        };
        let size = size_of("PageSize")?;
        Ok(Self {
            offset: (number - 1).saturating_mul(size),
            size,
        })
    }

    pub fn apply<T>(self, all: Vec<T>) -> Page<T> {
        let total = all.len();
        let end = self.offset.saturating_add(self.size);
        let next_token = if end < total {
            format!("{TOKEN_PREFIX}{end}")
        } else {
            String::new()
        };
        Page {
            items: all.into_iter().skip(self.offset).take(self.size).collect(),
            total,
            number: self.offset / self.size + 1,
            size: self.size,
            next_token,
        }
    }
}

impl<T> Page<T> {
    /// The four paging fields, for the top level of an answer.
    pub fn fields(&self) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("TotalCount".into(), json!(self.total));
        map.insert("PageNumber".into(), json!(self.number));
        map.insert("PageSize".into(), json!(self.size));
        map.insert("NextToken".into(), json!(self.next_token));
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(query: &str) -> Result<Page<u32>, ApiError> {
        Ok(PageSpec::read(&Params::decode(query, None), 50, 10)?.apply((1..=25).collect()))
    }

    #[test]
    fn page_numbers() {
        let p = page("").unwrap();
        assert_eq!((p.items.len(), p.total, p.number, p.size), (10, 25, 1, 10));
        assert_eq!(p.next_token, "emu-10");
        let p = page("PageNumber=3&PageSize=10").unwrap();
        assert_eq!(
            (p.items, p.next_token.as_str()),
            ((21..=25).collect::<Vec<_>>(), "")
        );
        assert!(page("PageNumber=9").unwrap().items.is_empty());
    }

    #[test]
    fn tokens_walk_everything_once() {
        let mut seen = Vec::new();
        let mut query = "MaxResults=7".to_string();
        loop {
            let p = page(&query).unwrap();
            seen.extend(p.items);
            if p.next_token.is_empty() {
                break;
            }
            query = format!("MaxResults=7&NextToken={}", p.next_token);
        }
        assert_eq!(seen, (1..=25).collect::<Vec<_>>());
    }

    #[test]
    fn invalid_values() {
        assert_eq!(page("PageSize=51"), Err(ApiError::InvalidPaging("PageSize")));
        assert_eq!(page("PageSize=0"), Err(ApiError::InvalidPaging("PageSize")));
        assert_eq!(page("PageNumber=0"), Err(ApiError::InvalidPaging("PageNumber")));
        assert_eq!(page("MaxResults=x"), Err(ApiError::InvalidPaging("MaxResults")));
        assert_eq!(page("NextToken=bogus"), Err(ApiError::InvalidPaging("NextToken")));
    }
}
