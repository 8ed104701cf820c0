//! The client's error type and its retry classification (`docs/api-notes.md#errors`). Every message
//! is built from redacted text: server messages are scrubbed before they are stored here, and
//! transport errors never carry the request URL (whose query holds the signature and token).

use std::fmt;
use std::time::Duration;

use thiserror::Error;

use super::credentials::{CredentialError, CredentialSource};
use super::setting::{Origin, Place, Setting};

/// An error answer from the ECS API: a non-2xx status with a JSON body carrying `Code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub action: &'static str,
    pub status: u16,
    pub code: String,
    /// The server's message, scrubbed of secrets.
    pub message: String,
    pub request_id: String,
    pub host_id: String,
    /// A diagnosis URL newer gateways add; empty when absent.
    pub recommend: String,
}

impl ApiError {
    /// Transient failures worth another attempt. Codes decide (their HTTP status differs
    /// between API generations); any 5xx is transient as well.
    pub fn is_retryable(&self) -> bool {
        is_retryable_code(&self.code) || self.status >= 500
    }

    /// Throttling: the service turned the request away before processing it, so it did
    /// nothing (unlike a 5xx, which may come after the work was done).
    pub fn is_refused(&self) -> bool {
        self.code.contains("Throttling")
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed (HTTP {}, {}): {}",
            self.action, self.status, self.code, self.message
        )?;
        if !self.request_id.is_empty() {
            write!(f, " (RequestId {})", self.request_id)?;
        }
        Ok(())
    }
}

/// Codes that mean "try again later" (`docs/api-notes.md#errors`). `IdempotentProcessing` is here
/// because it answers a `ClientToken` retry while the first call is still in flight.
pub fn is_retryable_code(code: &str) -> bool {
    code.contains("Throttling")
        || code.starts_with("ServiceUnavailable")
        || code.starts_with("InternalError")
        || matches!(
            code,
            "UnknownError" | "OperationConflict" | "IdempotentProcessing"
        )
}

/// Why the service refused a request's credentials, by its error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthProblem {
    /// `SignatureDoesNotMatch`: the secret is not the access key id's.
    WrongSecret,
    /// `InvalidAccessKeyId.NotFound`: no such access key id.
    UnknownKey,
    /// `InvalidAccessKeyId.Inactive`: the key is disabled.
    DisabledKey,
    /// `InvalidSecurityToken.Expired`.
    ExpiredToken,
    /// `InvalidSecurityToken.MismatchWithAccessKey` or `.Malformed`: not the key's token.
    InvalidToken,
}

impl AuthProblem {
    pub fn of(code: &str) -> Option<Self> {
        Some(match code {
            "SignatureDoesNotMatch" => Self::WrongSecret,
            "InvalidAccessKeyId.NotFound" => Self::UnknownKey,
            "InvalidAccessKeyId.Inactive" => Self::DisabledKey,
            "InvalidSecurityToken.Expired" => Self::ExpiredToken,
            "InvalidSecurityToken.MismatchWithAccessKey" | "InvalidSecurityToken.Malformed" => {
                Self::InvalidToken
            }
            _ => return None,
        })
    }
}

/// How a request failed below HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    /// No connection could be made (refused, DNS, TLS handshake).
    Connect,
    /// The endpoint's TLS certificate was refused (untrusted, expired, wrong name): final,
    /// since verification cannot be turned off and another attempt meets the same certificate.
    Certificate,
    /// An `https://` endpoint answered without TLS (most likely a plain-HTTP port): final,
    /// since every attempt meets the same server.
    ProtocolMismatch,
    /// The per-request timeout ran out.
    Timeout,
    /// The connection broke before a complete response arrived.
    Interrupted,
    /// Any other failure of the HTTP stack.
    Other,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "connection",
            Self::Certificate => "TLS certificate",
            Self::ProtocolMismatch => "protocol mismatch",
            Self::Timeout => "timeout",
            Self::Interrupted => "connection dropped",
            Self::Other => "transport",
        })
    }
}

/// Problems with the client's configuration, found before any request is sent. Settings
/// are named neutrally ([`Setting`], [`Origin`], [`Place`]); a caller renders them in its
/// own terms.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    #[error("no Alibaba Cloud credentials found; looked in: {}", join(.looked))]
    MissingCredentials { looked: Vec<Place> },
    #[error("the {present} is set (from {origin}) but the {} is not; set both", join(.missing))]
    IncompleteCredentials {
        present: Setting,
        missing: Vec<Setting>,
        origin: Origin,
    },
    #[error("invalid {setting} (from {origin}): {reason}")]
    InvalidSetting {
        setting: Setting,
        origin: Origin,
        reason: String,
    },
    /// More than one credential source set explicitly: which one is meant cannot be guessed.
    #[error(
        "the {} are each set explicitly, and each names other credentials; set only one",
        .settings.iter().map(|s| s.describe()).collect::<Vec<_>>().join(" and ")
    )]
    ConflictingCredentials { settings: Vec<Setting> },
    #[error("no region set; looked in: {}", join(.looked))]
    MissingRegion { looked: Vec<Place> },
    #[error("invalid region {0:?}: expected lower-case letters, digits and '-' (e.g. cn-hangzhou)")]
    InvalidRegion(String),
    #[error("cannot use profile file {path}: {reason}")]
    ProfileFile { path: String, reason: String },
    #[error("profile {name:?} not found in {path}")]
    ProfileNotFound { name: String, path: String },
    #[error(
        "profile {name:?} in {path} has mode {mode:?}; supported modes: AK, StsToken, RamRoleArn, \
         EcsRamRole, ChainableRamRoleArn"
    )]
    UnsupportedProfileMode {
        name: String,
        path: String,
        mode: String,
    },
    #[error("profile {name:?} in {path} has no {field}")]
    IncompleteProfile {
        name: String,
        path: String,
        field: &'static str,
    },
    #[error(
        "profile {name:?} in {path}: {field} holds white space, which no Alibaba Cloud key or \
         token holds; write the value again without it"
    )]
    ProfileKeyWhiteSpace {
        name: String,
        path: String,
        field: &'static str,
    },
    #[error("profile {name:?} in {path}: source_profile chain loops back to itself")]
    ProfileCycle { name: String, path: String },
    #[error("invalid {setting} {endpoint:?}: {reason}")]
    InvalidEndpoint {
        setting: Setting,
        endpoint: String,
        reason: String,
    },
    #[error(
        "{setting} {endpoint} uses plain http to a non-loopback host; use https, or opt in to \
         insecure http explicitly"
    )]
    InsecureEndpoint { setting: Setting, endpoint: String },
    #[error("cannot build the HTTP client: {0}")]
    HttpClient(String),
}

fn join<T: fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Everything an ECS call can fail with. Clone, so that one failed credential fetch can
/// answer every request that waited for it.
#[derive(Debug, Clone, Error)]
pub enum ClientError {
    #[error("{0}")]
    Api(Box<ApiError>),
    #[error("{action}: {kind} error talking to {endpoint}: {detail}")]
    Transport {
        action: &'static str,
        kind: TransportKind,
        endpoint: String,
        detail: String,
    },
    /// A body that is not the JSON the API promises (an HTML error page from a proxy,
    /// a truncated or empty body, an unexpected shape).
    #[error("{action}: unexpected response (HTTP {status}): {detail}")]
    UnexpectedResponse {
        action: &'static str,
        status: u16,
        detail: String,
    },
    #[error("{action}: gave up after {attempts} attempt(s), the {deadline:?} deadline ran out; last error: {last}")]
    DeadlineExceeded {
        action: &'static str,
        attempts: u32,
        deadline: Duration,
        last: Box<ClientError>,
    },
    #[error("{action}: cancelled")]
    Cancelled { action: &'static str },
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The credential source failed (STS, the metadata service, a credentials URI).
    #[error("cannot obtain credentials: {0}")]
    Credentials(Box<CredentialError>),
    /// The service refused the credentials themselves ([`AuthProblem`]), directly or when
    /// STS was asked for a role; `credentials` says where they came from.
    #[error("{error} (credentials: {credentials})")]
    Unauthorized {
        error: Box<ClientError>,
        credentials: CredentialSource,
    },
}

impl ClientError {
    /// Whether another attempt may succeed: throttling, transient server errors, any 5xx
    /// (even with a body that is not JSON) and transport failures. Everything else is final.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api(api) => api.is_retryable(),
            Self::Transport { kind, .. } => {
                !matches!(kind, TransportKind::Certificate | TransportKind::ProtocolMismatch)
            }
            Self::UnexpectedResponse { status, .. } => *status >= 500,
            Self::DeadlineExceeded { .. }
            | Self::Cancelled { .. }
            | Self::InvalidRequest(_)
            | Self::Config(_)
            | Self::Credentials(_)
            | Self::Unauthorized { .. } => false,
        }
    }

    /// Whether the request is known to have done nothing: turned away unprocessed, or never
    /// sent. A deadline wrapper is as certain as the error it carries, which the client picks
    /// to be one that may have taken effect whenever any attempt may have.
    pub fn is_refused(&self) -> bool {
        match self {
            Self::Api(api) => api.is_refused(),
            Self::DeadlineExceeded { last, .. } => last.is_refused(),
            _ => false,
        }
    }

    /// The API error code behind this error, looking through a deadline wrapper, so callers
    /// can match codes such as `InvalidCmdId.NotFound`.
    pub fn api_code(&self) -> Option<&str> {
        match self {
            Self::Api(api) => Some(&api.code),
            Self::DeadlineExceeded { last, .. } => last.api_code(),
            Self::Credentials(error) => error.api_code(),
            Self::Unauthorized { error, .. } => error.api_code(),
            _ => None,
        }
    }

    /// Why the credentials were refused, when that is the failure.
    pub fn auth_problem(&self) -> Option<AuthProblem> {
        self.api_code().and_then(AuthProblem::of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, code: &str) -> ClientError {
        ClientError::Api(Box::new(ApiError {
            action: "InvokeCommand",
            status,
            code: code.to_owned(),
            message: "m".to_owned(),
            request_id: "R".to_owned(),
            host_id: String::new(),
            recommend: String::new(),
        }))
    }

    #[test]
    fn retryable_codes_per_the_api_notes() {
        for (status, code) in [
            (400, "Throttling"),
            (400, "Throttling.User"),
            (400, "Throttling.Api"),
            (400, "Rejected.Throttling"),
            (503, "ServiceUnavailable"),
            (503, "ServiceUnavailable.RegionMaintaining"),
            (500, "InternalError"),
            (500, "InternalError.Dispatch"),
            (400, "UnknownError"),
            (409, "OperationConflict"),
            (403, "IdempotentProcessing"),
            (502, "BadGateway"),
        ] {
            assert!(api(status, code).is_retryable(), "{code} should be retried");
        }
    }

    #[test]
    fn final_codes_per_the_api_notes() {
        for (status, code) in [
            (404, "InvalidAccessKeyId.NotFound"),
            (400, "SignatureDoesNotMatch"),
            (400, "IncompleteSignature"),
            (400, "SignatureNonceUsed"),
            (400, "InvalidTimeStamp.Expired"),
            (400, "InvalidSecurityToken.Expired"),
            (403, "Forbidden.RAM"),
            (400, "MissingParameter.CommandId"),
            (404, "InvalidCmdId.NotFound"),
            (403, "IdempotentParameterMismatch"),
            (403, "Parameter.NotMatched"),
            (403, "InstanceIds.ExceedLimit"),
        ] {
            assert!(!api(status, code).is_retryable(), "{code} must be final");
        }
    }

    #[test]
    fn other_errors_classified() {
        let transport = |kind| ClientError::Transport {
            action: "DescribeInvocations",
            kind,
            endpoint: "https://ecs.cn-hangzhou.aliyuncs.com/".into(),
            detail: "x".into(),
        };
        for kind in [
            TransportKind::Connect,
            TransportKind::Timeout,
            TransportKind::Interrupted,
            TransportKind::Other,
        ] {
            assert!(transport(kind).is_retryable());
        }
        assert!(!transport(TransportKind::Certificate).is_retryable());
        assert!(!transport(TransportKind::ProtocolMismatch).is_retryable());
        let html = |status| ClientError::UnexpectedResponse {
            action: "InvokeCommand",
            status,
            detail: "not JSON".into(),
        };
        assert!(html(502).is_retryable());
        assert!(!html(200).is_retryable());
        assert!(!html(404).is_retryable());
        assert!(!ClientError::Cancelled {
            action: "InvokeCommand"
        }
        .is_retryable());
        let deadline = ClientError::DeadlineExceeded {
            action: "InvokeCommand",
            attempts: 3,
            deadline: Duration::from_secs(1),
            last: Box::new(api(503, "ServiceUnavailable")),
        };
        assert!(!deadline.is_retryable());
        assert_eq!(deadline.api_code(), Some("ServiceUnavailable"));
    }

    #[test]
    fn api_error_display_names_action_code_and_request() {
        let text = api(404, "InvalidCmdId.NotFound").to_string();
        assert_eq!(
            text,
            "InvokeCommand failed (HTTP 404, InvalidCmdId.NotFound): m (RequestId R)"
        );
    }
}
