//! The ECS client: its configuration, the HTTP stack (one reqwest client per [`EcsClient`],
//! rustls trusting the webpki roots and the system's store, read by `rustls-native-certs`,
//! which honours `SSL_CERT_FILE` and `SSL_CERT_DIR`; certificates always verified) and the attempt loop:
//! sign afresh, send with a timeout, classify, back off, give up at the deadline, and stop
//! at once when cancelled.

use std::error::Error as _;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::credentials::{BuildContext, CredentialProvider, CredentialSource};
use super::endpoint::Endpoint;
use super::error::{ClientError, ConfigError, TransportKind};
use super::params::{to_params, Params};
use super::redact::{render_params, Redactor, SENSITIVE_PARAMS};
use super::request::{sign_request, Api, HttpMethod, Stamp, ECS_API};
use super::response::decode;
use super::retry::RetryPolicy;
use super::settings::{resolve, Env, ProviderSettings};
use super::warning::ConfigWarning;

const USER_AGENT: &str = concat!("terraform-provider-alicloud/", env!("CARGO_PKG_VERSION"));

/// The code of a request signed with temporary credentials past their expiry.
const EXPIRED_TOKEN: &str = "InvalidSecurityToken.Expired";

/// Bodies larger than this are refused rather than buffered.
const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// Severity of a client log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogLevel {
    Debug,
    Warn,
}

/// Receives the client's log lines, already redacted.
pub type LogSink = Arc<dyn Fn(LogLevel, &str) + Send + Sync>;

/// Everything an [`EcsClient`] needs.
#[derive(Clone)]
pub struct ClientConfig {
    /// Hands out the signing credentials; temporary ones are refreshed before they expire.
    pub credentials: CredentialProvider,
    /// The API called: ECS unless a credential source builds an STS client.
    pub api: Api,
    pub region: String,
    /// Endpoint override: a full base URL or a bare host. `None` = the region's endpoint.
    pub endpoint: Option<String>,
    /// Allows plain `http://` to a non-loopback host (with a warning).
    pub allow_insecure_http: bool,
    pub method: HttpMethod,
    pub retry: RetryPolicy,
    /// Cancelling it aborts every wait and in-flight request of the client (StopProvider).
    pub cancel: CancellationToken,
    pub log: Option<LogSink>,
    /// Where the credentials come from, named in errors when the service refuses them.
    pub credential_source: Option<CredentialSource>,
    /// What the configuration chain wants the caller to show (ignored or adjusted settings).
    pub warnings: Vec<ConfigWarning>,
}

impl ClientConfig {
    /// A configuration with the defaults: region endpoint, POST, default retry policy.
    pub fn new(credentials: impl Into<CredentialProvider>, region: impl Into<String>) -> Self {
        Self {
            credentials: credentials.into(),
            api: ECS_API,
            region: region.into(),
            endpoint: None,
            allow_insecure_http: false,
            method: HttpMethod::default(),
            retry: RetryPolicy::default(),
            cancel: CancellationToken::new(),
            log: None,
            credential_source: None,
            warnings: Vec::new(),
        }
    }

    /// Runs the provider's configuration chain (arguments > environment > profile) and
    /// builds the credential source it chose. Nothing is sent yet.
    pub fn from_settings(settings: &ProviderSettings, env: &dyn Env) -> Result<Self, ClientError> {
        Self::from_settings_with(settings, env, RetryPolicy::default(), None)
    }

    /// [`Self::from_settings`], with the retry policy and log sink that the client and its
    /// credential sources' STS calls share.
    pub fn from_settings_with(
        settings: &ProviderSettings,
        env: &dyn Env,
        retry: RetryPolicy,
        log: Option<LogSink>,
    ) -> Result<Self, ClientError> {
        let mut resolved = resolve(settings, env)?;
        let context = BuildContext {
            region: resolved.region.clone(),
            sts_endpoint: resolved.sts_endpoint,
            metadata_endpoint: resolved.metadata_endpoint,
            allow_insecure_http: settings.allow_insecure_http,
            retry: retry.clone(),
            log: log.clone(),
        };
        let credentials = CredentialProvider::build(&resolved.credentials, &context, &mut resolved.warnings)?;
        Ok(Self {
            endpoint: resolved.ecs_endpoint,
            allow_insecure_http: settings.allow_insecure_http,
            retry,
            log,
            credential_source: Some(resolved.credential_source),
            warnings: resolved.warnings,
            ..Self::new(credentials, resolved.region)
        })
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("method", &self.method)
            .field("retry", &self.retry)
            .field("log", &self.log.as_ref().map(|_| "set"))
            .finish_non_exhaustive()
    }
}

/// A client for the ECS RPC API. Cheap to clone; clones share connections and cancellation.
#[derive(Clone)]
pub struct EcsClient {
    inner: Arc<Inner>,
}

struct Inner {
    credentials: CredentialProvider,
    credential_source: Option<CredentialSource>,
    api: Api,
    region: String,
    method: HttpMethod,
    retry: RetryPolicy,
    cancel: CancellationToken,
    log: Option<LogSink>,
    endpoint: Endpoint,
    http: reqwest::Client,
}

impl fmt::Debug for EcsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcsClient")
            .field("region", &self.inner.region)
            .field("endpoint", &self.inner.endpoint.url().as_str())
            .finish_non_exhaustive()
    }
}

impl EcsClient {
    /// Validates the configuration (region, endpoint, http rule) and builds the HTTP client.
    /// No request is sent.
    pub fn new(config: ClientConfig) -> Result<Self, ClientError> {
        let endpoint = match config.api.central_host {
            None => Endpoint::resolve(
                config.endpoint.as_deref(),
                &config.region,
                config.allow_insecure_http,
            )?,
            Some(host) => {
                let central = Url::parse(&format!("https://{host}/"))
                    .map_err(|e| ConfigError::HttpClient(e.to_string()))?;
                Endpoint::for_service(
                    config.api.endpoint_setting,
                    config.endpoint.as_deref(),
                    central,
                    config.allow_insecure_http,
                )?
            }
        };
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(true)
            .min_tls_version(reqwest::tls::Version::TLS_1_2)
            .https_only(endpoint.url().scheme() == "https")
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(config.retry.connect_timeout)
            .user_agent(USER_AGENT);
        if endpoint.is_loopback() {
            builder = builder.no_proxy();
        }
        let http = builder
            .build()
            .map_err(|e| ConfigError::HttpClient(e.to_string()))?;
        let client = Self {
            inner: Arc::new(Inner {
                credentials: config.credentials,
                credential_source: config.credential_source,
                api: config.api,
                region: config.region,
                method: config.method,
                retry: config.retry,
                cancel: config.cancel,
                log: config.log,
                endpoint,
                http,
            }),
        };
        if let Some(warning) = client.warning() {
            client.log(LogLevel::Warn, || warning.to_owned());
        }
        Ok(client)
    }

    /// The default region, sent as `RegionId` when a request names none.
    pub fn region(&self) -> &str {
        &self.inner.region
    }

    pub fn endpoint(&self) -> &Url {
        self.inner.endpoint.url()
    }

    /// A warning for the provider to show, set when insecure http was allowed by opt-in.
    pub fn warning(&self) -> Option<&str> {
        self.inner.endpoint.warning()
    }

    pub fn cancellation_token(&self) -> &CancellationToken {
        &self.inner.cancel
    }

    /// One logical call: flattens `request`, then attempts until success, a final error,
    /// `max_attempts`, the deadline or cancellation.
    pub(crate) async fn call<Req, Resp>(
        &self,
        action: &'static str,
        request: &Req,
    ) -> Result<Resp, ClientError>
    where
        Req: Serialize,
        Resp: DeserializeOwned,
    {
        let mut params = to_params(request)?;
        if !params.iter().any(|(name, _)| name == "RegionId") {
            params.push(("RegionId".to_owned(), self.inner.region.clone()));
        }
        let redactor = self.redactor_for(&params);
        let policy = &self.inner.retry;
        let cancel = &self.inner.cancel;
        // A deadline too far to represent is no deadline at all (a year is plenty).
        let deadline = Instant::now()
            .checked_add(policy.deadline)
            .unwrap_or_else(|| Instant::now() + Duration::from_secs(365 * 24 * 3600));
        let mut attempt = 0u32;
        // The last failed attempt that may have done the work: when the retries run out on a
        // refused (throttled) attempt, this one says what became of the call.
        let mut unsettled: Option<ClientError> = None;
        let mut renewed = false;
        loop {
            attempt += 1;
            let budget = policy
                .request_timeout
                .min(deadline.saturating_duration_since(Instant::now()));
            let outcome = tokio::select! {
                biased;
                () = cancel.cancelled() => return Err(ClientError::Cancelled { action }),
                outcome = self.attempt(action, &params, &redactor, attempt, budget) => outcome,
            };
            let error = match outcome {
                Ok(response) => return Ok(response),
                Err(error) => error,
            };
            let product = self.inner.api.product;
            self.log(LogLevel::Debug, || {
                format!("{product} {action} attempt {attempt} failed: {error}")
            });
            // Temporary credentials the server calls expired (clock skew, a revoked session):
            // fetched anew once, at once.
            if !renewed
                && error.api_code() == Some(EXPIRED_TOKEN)
                && self.inner.credentials.is_refreshing()
                && attempt < policy.max_attempts
            {
                renewed = true;
                continue;
            }
            if !error.is_retryable() || attempt >= policy.max_attempts {
                return Err(self.with_source(deciding(error, unsettled)));
            }
            let wait = policy.backoff(attempt, &mut rand::thread_rng());
            if Instant::now()
                .checked_add(wait)
                .is_none_or(|resume| resume >= deadline)
            {
                return Err(ClientError::DeadlineExceeded {
                    action,
                    attempts: attempt,
                    deadline: policy.deadline,
                    last: Box::new(deciding(error, unsettled)),
                });
            }
            if !error.is_refused() {
                unsettled = Some(error);
            }
            self.log(LogLevel::Debug, || {
                format!("{product} {action}: retrying in {wait:?}")
            });
            tokio::select! {
                biased;
                () = cancel.cancelled() => return Err(ClientError::Cancelled { action }),
                () = tokio::time::sleep(wait) => {}
            }
        }
    }

    async fn attempt<Resp: DeserializeOwned>(
        &self,
        action: &'static str,
        params: &Params,
        redactor: &Redactor,
        attempt: u32,
        budget: Duration,
    ) -> Result<Resp, ClientError> {
        let inner = &self.inner;
        let product = inner.api.product;
        let credentials = inner
            .credentials
            .current()
            .await
            .map_err(|e| ClientError::Credentials(Box::new(e)))?;
        let signed = sign_request(
            &inner.api,
            action,
            params,
            credentials.as_ref(),
            inner.method,
            &Stamp::fresh(),
        );
        let mut redactor = redactor.clone();
        redactor.add(&signed.signature);
        if let Some(credentials) = &credentials {
            redactor.add(credentials.access_key_secret.expose());
            if let Some(token) = &credentials.security_token {
                redactor.add(token.expose());
            }
        }
        self.log(LogLevel::Debug, || {
            format!(
                "{product} {action} attempt {attempt}: {} {} {}",
                inner.method.as_str(),
                inner.endpoint.url(),
                render_params(signed.all_params())
            )
        });
        let mut url = inner.endpoint.url().clone();
        url.set_query(Some(&signed.query_string()));
        let mut request = match inner.method {
            HttpMethod::Post => inner.http.post(url),
            HttpMethod::Get => inner.http.get(url),
        };
        if let Some(body) = signed.body_string() {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(body);
        }
        let exchange = async {
            let mut response = request.send().await?;
            let status = response.status().as_u16();
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await? {
                body.extend_from_slice(&chunk);
                if body.len() > MAX_BODY_BYTES {
                    return Ok((status, None));
                }
            }
            Ok::<_, reqwest::Error>((status, Some(body)))
        };
        let (status, body) = match tokio::time::timeout(budget, exchange).await {
            Err(_) => {
                return Err(ClientError::Transport {
                    action,
                    kind: TransportKind::Timeout,
                    endpoint: inner.endpoint.url().to_string(),
                    detail: format!("no complete response within {budget:?}"),
                })
            }
            Ok(Err(error)) => return Err(self.transport_error(action, error, &redactor)),
            Ok(Ok(answer)) => answer,
        };
        self.log(LogLevel::Debug, || {
            format!("{product} {action} attempt {attempt}: HTTP {status}")
        });
        let Some(body) = body else {
            return Err(ClientError::UnexpectedResponse {
                action,
                status,
                detail: format!("body larger than {MAX_BODY_BYTES} bytes"),
            });
        };
        let decoded = decode(action, status, &body, &redactor);
        if let (Err(error), Some(used)) = (&decoded, &credentials) {
            if error.api_code() == Some(EXPIRED_TOKEN) {
                inner.credentials.invalidate(used).await;
            }
        }
        decoded
    }

    /// A refusal of the credentials themselves, with where they came from.
    fn with_source(&self, error: ClientError) -> ClientError {
        match &self.inner.credential_source {
            Some(source) if error.auth_problem().is_some() => ClientError::Unauthorized {
                error: Box::new(error),
                credentials: source.clone(),
            },
            _ => error,
        }
    }

    /// Secrets of this call's parameters (each attempt adds its credentials' secrets).
    fn redactor_for(&self, params: &Params) -> Redactor {
        let mut redactor = Redactor::new();
        for (name, value) in params {
            if SENSITIVE_PARAMS.contains(&name.as_str()) {
                redactor.add_param_value(value);
            }
        }
        redactor
    }

    /// A transport error without the request URL: its query holds the signature and token.
    fn transport_error(
        &self,
        action: &'static str,
        error: reqwest::Error,
        redactor: &Redactor,
    ) -> ClientError {
        let (kind, detail) = describe_transport(error);
        ClientError::Transport {
            action,
            kind,
            endpoint: self.inner.endpoint.url().to_string(),
            detail: redactor.scrub(&detail),
        }
    }

    fn log(&self, level: LogLevel, message: impl FnOnce() -> String) {
        if let Some(sink) = &self.inner.log {
            sink(level, &message());
        }
    }
}

/// How a request failed below HTTP, and the whole chain of causes ("error sending request:
/// ...: connection refused"), never the URL (its query may hold a signature or token).
pub(crate) fn describe_transport(error: reqwest::Error) -> (TransportKind, String) {
    let kind = if error.is_timeout() {
        TransportKind::Timeout
    } else if let Some(kind) = tls_failure(&error) {
        kind
    } else if error.is_connect() {
        TransportKind::Connect
    } else if error.is_request() || error.is_body() || error.is_decode() {
        TransportKind::Interrupted
    } else {
        TransportKind::Other
    };
    let error = error.without_url();
    let mut detail = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        detail.push_str(": ");
        detail.push_str(&cause.to_string());
        source = cause.source();
    }
    (kind, detail)
}

/// The final TLS failures: the server's certificate refused, or an answer that is not TLS at
/// all (its first byte is no TLS record type: a plain-HTTP server answering the ClientHello).
fn tls_failure(error: &(dyn std::error::Error + 'static)) -> Option<TransportKind> {
    match find_tls_error(error)? {
        rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented => {
            Some(TransportKind::Certificate)
        }
        rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType) => {
            Some(TransportKind::ProtocolMismatch)
        }
        _ => None,
    }
}

/// The rustls error behind `error` (rustls sits below hyper, wrapped in an `io::Error`, whose
/// `source()` skips the wrapped error itself).
fn find_tls_error<'e>(error: &'e (dyn std::error::Error + 'static)) -> Option<&'e rustls::Error> {
    let mut cause = Some(error);
    while let Some(current) = cause {
        if let Some(tls) = current.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        let wrapped = current
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
            .and_then(|inner| find_tls_error(inner));
        if wrapped.is_some() {
            return wrapped;
        }
        cause = current.source();
    }
    None
}

/// The error that tells what became of a call whose retries ran out: the last one, unless it
/// was refused unprocessed while an earlier attempt may have done the work.
fn deciding(last: ClientError, unsettled: Option<ClientError>) -> ClientError {
    match unsettled {
        Some(earlier) if last.is_refused() => earlier,
        _ => last,
    }
}
