//! Turns a client error into a diagnostic on the attribute the API code is about, so an
//! error at apply points at the line of configuration to fix; refused credentials are named
//! by where they came from, with what to fix.

use alicloud_client::{AuthProblem, ClientError, CredentialSource, TransportKind};
use tfplug::{AttributePath, Diagnostics};

use crate::provider::config_errors;

/// The attribute an API error code concerns, if any (codes of the InvokeCommand reference).
fn attribute_of(code: &str) -> Option<&'static str> {
    let attribute = match code {
        c if c.starts_with("InvalidCmdId") => "command_id",
        c if c.starts_with("InvalidInstance") || c.starts_with("InstanceIds") => "instance_ids",
        c if c.contains("Frequency") => "frequency",
        c if c.starts_with("Parameter") || c.starts_with("CmdContent") => "parameters",
        c if c.starts_with("Username") => "username",
        c if c.starts_with("WindowsPasswordName") => "windows_password_name",
        c if c.starts_with("RegionId") || c.starts_with("InvalidRegionId") => "region_id",
        _ => return None,
    };
    Some(attribute)
}

/// What to fix when the service refused credentials from `source`. A role's STS call refused
/// for its base credentials points at the base.
fn auth_fix(problem: AuthProblem, error: &ClientError, source: &CredentialSource) -> String {
    let failing = match (error, source) {
        (ClientError::Credentials(_), CredentialSource::AssumeRole { base, .. }) => base,
        _ => source,
    };
    let place = config_errors::source(failing);
    match problem {
        AuthProblem::WrongSecret => format!(
            "The access key secret does not match the access key id: check that {place} holds that \
             key's secret exactly as issued (no quotes or other extra characters)."
        ),
        AuthProblem::UnknownKey => format!(
            "Alibaba Cloud does not know this access key id (mistyped, deleted, or of another \
             account or site): check {place}."
        ),
        AuthProblem::DisabledKey => format!(
            "The access key is disabled: enable it in the RAM console, or use another key in {place}."
        ),
        AuthProblem::ExpiredToken => format!(
            "The security token has expired: {place} holds temporary credentials that are no longer \
             valid. Get new ones, or let the provider fetch and refresh them itself (assume_role, \
             assume_role_with_oidc, ecs_role_name or credentials_uri). If they were just issued, \
             check this machine's clock."
        ),
        AuthProblem::InvalidToken => format!(
            "The security token does not belong to the access key id: the key pair and the token \
             in {place} must come from the same STS answer; for a permanent key, leave the token unset."
        ),
    }
}

/// Adds `error` from `action` to `diags`, on the attribute its code names.
pub fn report(diags: &mut Diagnostics, summary: &str, error: &ClientError) {
    let mut detail = match error {
        // Its source is named below, in the provider block's terms.
        ClientError::Unauthorized { error, .. } => error.to_string(),
        other => other.to_string(),
    };
    if let ClientError::Transport { kind, endpoint, .. } = error {
        match kind {
            TransportKind::Certificate => detail.push_str(
                "\n\nThe endpoint's TLS certificate is not trusted (certificates are checked against the \
                 public web PKI roots and the system's trust store; SSL_CERT_FILE or SSL_CERT_DIR \
                 select another store, e.g. with a corporate CA). Verification cannot be turned off: \
                 use an endpoint whose certificate is valid for its host name.",
            ),
            TransportKind::ProtocolMismatch => detail.push_str(&format!(
                "\n\nProtocol mismatch: {endpoint} is an https:// endpoint, but the server answered \
                 without TLS (most likely a plain-HTTP port). Use {} if it serves plain HTTP \
                 (allowed for loopback, elsewhere with `allow_insecure_http = true`), or the \
                 endpoint's HTTPS port.",
                endpoint.replacen("https://", "http://", 1)
            )),
            _ => {}
        }
    }
    if let ClientError::Unauthorized { error, credentials } = error {
        if let Some(problem) = error.auth_problem() {
            detail.push_str("\n\n");
            detail.push_str(&auth_fix(problem, error, credentials));
        }
    }
    match error.api_code().and_then(attribute_of) {
        Some(attribute) => diags.error_at(AttributePath::attr(attribute), summary, detail),
        None => diags.error(summary, detail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_of_the_reference_land_on_their_attribute() {
        for (code, attribute) in [
            ("InvalidCmdId.NotFound", "command_id"),
            ("InvalidInstance.NotFound", "instance_ids"),
            ("InvalidInstance.NotMatch", "instance_ids"),
            ("InstanceIds.ExceedLimit", "instance_ids"),
            ("MissingParam.Frequency", "frequency"),
            ("InvalidParam.Frequency", "frequency"),
            ("Parameter.Disabled", "parameters"),
            ("ParameterCount.ExceedLimit", "parameters"),
            ("ParameterKey.ExceedLimit", "parameters"),
            ("ParameterKey.Duplicate", "parameters"),
            ("Parameter.NotMatched", "parameters"),
            ("CmdContent.ExceedLimit", "parameters"),
            ("Username.ExceedLimit", "username"),
            ("RegionId.ApiNotSupported", "region_id"),
        ] {
            assert_eq!(attribute_of(code), Some(attribute), "{code}");
        }
        assert_eq!(attribute_of("InternalError.Dispatch"), None);
        assert_eq!(attribute_of("Invocation.ExceedQuota"), None);
    }
}
