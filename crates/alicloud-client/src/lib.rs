//! The Alibaba Cloud client layer: signing, credentials, endpoints, retries and typed ECS
//! Cloud Assistant calls. It knows nothing of Terraform.
//!
//! # Use
//!
//! ```no_run
//! use alicloud_client::{
//!     ClientConfig, EcsClient, InvokeCommandRequest, ProcessEnv, ProviderSettings,
//! };
//!
//! # async fn run() -> Result<(), alicloud_client::ClientError> {
//! // Explicit settings first, then ALICLOUD_*/ALIBABA_CLOUD_* variables, then
//! // ~/.aliyun/config.json (see `resolve` for the credential precedence).
//! let settings = ProviderSettings { region: Some("cn-hangzhou".into()), ..Default::default() };
//! let client = EcsClient::new(ClientConfig::from_settings(&settings, &ProcessEnv)?)?;
//! let invoked = client
//!     .invoke_command(&InvokeCommandRequest {
//!         command_id: "c-hz0jdfwcsr0001".into(),
//!         instance_ids: vec!["i-bp1aaaa".into()],
//!         ..Default::default()
//!     })
//!     .await?;
//! println!("{}", invoked.invoke_id);
//! # Ok(())
//! # }
//! ```
//!
//! # Behaviour
//!
//! - Requests are signed with signature 1.0 ([`signature`]), with a fresh `SignatureNonce` and
//!   `Timestamp` on every attempt. POST by default: common parameters in the query, API
//!   parameters in a form body, the signature over both.
//! - Transient failures ([`ClientError::is_retryable`]: throttling, 5xx, transport) are
//!   retried with capped exponential backoff and full jitter, within a total deadline and a
//!   per-attempt timeout ([`RetryPolicy`]). `InvokeCommand`, `RunCommand` and `CreateCommand` always carry
//!   a `ClientToken`, the same on every retry, so a lost response cannot run anything twice.
//! - [`ClientConfig::cancel`] aborts waits and in-flight requests at once.
//! - HTTPS verifies certificates against the webpki roots, always. Plain `http://` is only
//!   accepted for loopback hosts, unless [`ClientConfig::allow_insecure_http`] is set, in
//!   which case [`EcsClient::warning`] says so.
//! - Each attempt signs with the current credentials of a [`CredentialProvider`]: fixed
//!   keys, or temporary ones from STS (`AssumeRole`, `AssumeRoleWithOIDC`), the ECS metadata
//!   service or a credentials URI, refreshed before they expire by one fetch that concurrent
//!   requests share; a failed fetch answers every request for a short while. An
//!   `InvalidSecurityToken.Expired` answer fetches anew once. Refused credentials come back as
//!   [`ClientError::Unauthorized`], naming their [`CredentialSource`].
//! - Configuration errors ([`ConfigError`]) name settings neutrally ([`Setting`]); callers
//!   render them in their own terms.
//! - The access key secret, security tokens, OIDC tokens, `Signature` and `Parameters`
//!   values never appear in log lines ([`ClientConfig::log`]) or error messages ([`redact`]).

mod calls;
mod client;
mod command;
mod credentials;
mod endpoint;
mod error;
pub mod files;
mod instance;
mod invocation;

mod paging;
mod params;
mod profile;
pub mod redact;
mod request;
mod response;
mod retry;
mod run_command;
mod secret;
mod setting;
mod settings;
mod warning;

// The pure API rules, shared with the emulator, are part of the client's surface: `api`'s
// modules per call (`api::invoke_command`, `api::command`), and the vocabulary its records use.
pub use alicloud_api as api;
pub use alicloud_api::vocabulary::{CommandType, InstanceStatus, InvocationStatus, RepeatMode, Reported};
pub use alicloud_api::{frequency, signature};
pub use client::{ClientConfig, EcsClient, LogLevel, LogSink};
pub use command::{
    Command, CreateCommandRequest, CreateCommandResponse, DeleteCommandRequest, DeleteCommandResponse,
    DescribeCommandsRequest, DescribeCommandsResponse, ModifyCommandRequest, ModifyCommandResponse,
};
pub use credentials::{
    BuildContext, CallerIdentity, CredentialError, CredentialProvider, CredentialSource, CredentialSpec,
    Credentials, OidcSpec, OidcToken, RoleSpec, STS_API,
};
pub use endpoint::Endpoint;
pub use error::{is_retryable_code, ApiError, AuthProblem, ClientError, ConfigError, TransportKind};
pub use instance::{DescribeInstancesRequest, DescribeInstancesResponse, Instance};
pub use invocation::{
    ContentEncoding, DescribeInvocationResultsRequest, DescribeInvocationResultsResponse,
    DescribeInvocationsRequest, DescribeInvocationsResponse, Invocation, InvocationResult,
    InvocationResultPage, InvokeCommandRequest, InvokeCommandResponse, InvokeInstance, OutputDecodeError,
    StopInvocationRequest, StopInvocationResponse, Tag,
};
pub use paging::{PageInfo, PageRequest};
pub use params::{to_params, Params};
pub use request::{sign_request, Api, HttpMethod, SignedRequest, Stamp, API_VERSION, ECS_API};
pub use retry::RetryPolicy;
pub use run_command::{RunCommandRequest, RunCommandResponse};
pub use secret::{SecretString, REDACTED};
pub use setting::{Origin, Place, Setting};
pub use settings::{
    resolve, AssumeRoleSettings, Env, OidcSettings, ProcessEnv, ProviderSettings, ResolvedSettings,
    ACCESS_KEY_VARS, ASSUME_ROLE_ARN_VARS, ASSUME_ROLE_SESSION_EXPIRATION_VARS,
    ASSUME_ROLE_SESSION_NAME_VARS, CREDENTIALS_URI_VARS, ECS_ENDPOINT_VAR, ECS_ROLE_NAME_VARS,
    METADATA_ENDPOINT_VAR, OIDC_PROVIDER_ARN_VARS, OIDC_ROLE_ARN_VARS, OIDC_SESSION_NAME_VARS,
    OIDC_TOKEN_FILE_VARS, PROFILE_VARS, REGION_VARS, SECRET_KEY_VARS, SECURITY_TOKEN_VARS, SESSION_SECONDS,
    STS_ENDPOINT_VAR,
};
pub use warning::ConfigWarning;
