//! A command as `DescribeCommands` returns it, and the two ways the provider finds one: by
//! `CommandId` (in plain text for the resource and data source; Base64-encoded for plan-time
//! rules, as the content's size limit counts it) and by exact name, through every page.

use alicloud_client::{ClientError, Command, ContentEncoding, DescribeCommandsRequest, EcsClient};

use crate::shared::pages;

/// The page size asked for when listing by name: the API's maximum.
const COMMANDS_PER_PAGE: u32 = 50;

fn request(region: &str, encoding: ContentEncoding) -> DescribeCommandsRequest {
    DescribeCommandsRequest {
        region_id: Some(region.to_string()),
        content_encoding: Some(encoding),
        ..Default::default()
    }
}

/// The command with this id, `None` when the region has none; its content as `encoding` asks.
pub async fn by_id(
    client: &EcsClient,
    region: &str,
    command_id: &str,
    encoding: ContentEncoding,
) -> Result<Option<Command>, ClientError> {
    let request = DescribeCommandsRequest {
        command_id: Some(command_id.to_string()),
        ..request(region, encoding)
    };
    let found = client.describe_commands(&request).await?;
    Ok(found.commands.into_iter().find(|c| c.command_id == command_id))
}

/// Every command named exactly `name`, in plain text (the API's `Name` filter also takes `*`
/// wildcards, so matches are checked again here).
pub async fn by_name(client: &EcsClient, region: &str, name: &str) -> Result<Vec<Command>, ClientError> {
    // Every page: a name shared by more commands than any bound would still be found twice.
    let listed = pages::collect(COMMANDS_PER_PAGE, usize::MAX, |page| {
        let request = DescribeCommandsRequest {
            name: Some(name.to_string()),
            page,
            ..request(region, ContentEncoding::PlainText)
        };
        async move {
            let answer = client.describe_commands(&request).await?;
            Ok((answer.commands, answer.page))
        }
    })
    .await?;
    Ok(listed.into_iter().filter(|c| c.name == name).collect())
}
