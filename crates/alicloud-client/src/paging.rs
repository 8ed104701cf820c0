//! Paging, as every Describe call of the API spells it: the request's token or page
//! parameters, and the page facts each answer carries.

use serde::{Deserialize, Serialize};

/// How much to list and from where: `MaxResults`/`NextToken`, or the legacy
/// `PageNumber`/`PageSize`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PageRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_number: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
}

/// Where an answer stands in the whole list; an empty `next_token` means the last page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct PageInfo {
    pub total_count: u64,
    pub page_number: u64,
    pub page_size: u64,
    pub next_token: String,
}
