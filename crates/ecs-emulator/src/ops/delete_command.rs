//! DeleteCommand: removes a private command; invocations of it keep their own copy.

use serde_json::{Map, Value};

use super::{region, OpContext};
use crate::errors::ApiError;
use crate::params::Params;

pub fn handle(ctx: &mut OpContext, params: &Params) -> Result<Map<String, Value>, ApiError> {
    let region = region(ctx, params)?;
    let command_id = params.required("CommandId")?;
    if !ctx.state.store.remove_command(region, command_id) {
        return Err(ApiError::CommandNotFound);
    }
    Ok(Map::new())
}
