//! Listing through `NextToken` pages: the one loop every paged `Describe*` call of the
//! provider goes through.

use std::future::Future;

use alicloud_client::{ClientError, PageInfo, PageRequest};

/// Every item of up to `max_pages` pages of `per_page` items each; `page` makes one call with
/// the paging it is given and returns that page's items and where the list stands.
pub async fn collect<T, F, Fut>(per_page: u32, max_pages: usize, mut page: F) -> Result<Vec<T>, ClientError>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, PageInfo), ClientError>>,
{
    let mut found = Vec::new();
    let mut next_token = None;
    for _ in 0..max_pages {
        let (items, info) = page(PageRequest {
            max_results: Some(per_page),
            next_token: next_token.take(),
            ..Default::default()
        })
        .await?;
        found.extend(items);
        if info.next_token.is_empty() {
            break;
        }
        next_token = Some(info.next_token);
    }
    Ok(found)
}
