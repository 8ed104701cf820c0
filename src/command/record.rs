//! A command as `DescribeCommands` returns it (content asked for in plain text), and the two
//! ways the provider finds one: by `CommandId` and by exact name, through every page.

use alicloud_client::{
    ClientError, Command, ContentEncoding, DescribeCommandsRequest, EcsClient, PageRequest,
};

/// The page size asked for when listing by name: the API's maximum.
const COMMANDS_PER_PAGE: u32 = 50;

fn request(region: &str) -> DescribeCommandsRequest {
    DescribeCommandsRequest {
        region_id: Some(region.to_string()),
        content_encoding: Some(ContentEncoding::PlainText),
        ..Default::default()
    }
}

/// The command with this id, `None` when the region has none.
pub async fn by_id(
    client: &EcsClient,
    region: &str,
    command_id: &str,
) -> Result<Option<Command>, ClientError> {
    let request = DescribeCommandsRequest {
        command_id: Some(command_id.to_string()),
        ..request(region)
    };
    let found = client.describe_commands(&request).await?;
    Ok(found.commands.into_iter().find(|c| c.command_id == command_id))
}

/// Every command named exactly `name` (the API's `Name` filter also takes `*` wildcards, so
/// matches are checked again here).
pub async fn by_name(client: &EcsClient, region: &str, name: &str) -> Result<Vec<Command>, ClientError> {
    let mut found = Vec::new();
    let mut next_token = None;
    loop {
        let request = DescribeCommandsRequest {
            name: Some(name.to_string()),
            page: PageRequest {
                max_results: Some(COMMANDS_PER_PAGE),
                next_token: next_token.take(),
                ..Default::default()
            },
            ..request(region)
        };
        let page = client.describe_commands(&request).await?;
        found.extend(page.commands.into_iter().filter(|c| c.name == name));
        if page.page.next_token.is_empty() {
            return Ok(found);
        }
        next_token = Some(page.page.next_token);
    }
}

/// An empty string from the API is an attribute left unset.
pub fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}
