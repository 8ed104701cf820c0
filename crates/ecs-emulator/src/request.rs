//! One RPC request as the handlers see it: method, path, headers, raw body and the decoded
//! parameters (query alone for V3 canonicalisation, query plus form body for everything else).

use http::HeaderMap;

use super::params::Params;

#[derive(Debug, Clone)]
pub struct RpcRequest {
    pub method: String,
    pub path: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// Parameters from the query string only.
    pub query: Params,
    /// Parameters from the query string and a form body, in that order.
    pub params: Params,
}

impl RpcRequest {
    pub fn new(method: &str, path: &str, raw_query: &str, headers: HeaderMap, body: Vec<u8>) -> Self {
        let is_form = headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.to_ascii_lowercase()
                    .starts_with("application/x-www-form-urlencoded")
            });
        let query = Params::decode(raw_query, None);
        let params = Params::decode(raw_query, is_form.then_some(body.as_slice()));
        Self {
            method: method.to_string(),
            path: path.to_string(),
            headers,
            body,
            query,
            params,
        }
    }

    /// A header as text (trimmed), if present and valid.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_body_joins_the_query_only_for_form_content() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "content-type",
            "application/x-www-form-urlencoded; charset=utf-8"
                .parse()
                .unwrap(),
        );
        let req = RpcRequest::new("POST", "/", "A=1", headers, b"B=2".to_vec());
        assert_eq!(req.params.get("B"), Some("2"));
        assert_eq!(req.query.get("B"), None);

        let req = RpcRequest::new("POST", "/", "A=1", HeaderMap::new(), b"B=2".to_vec());
        assert_eq!(req.params.get("B"), None);
    }
}

#[cfg(test)]
#[path = "request_props.rs"]
mod props;
