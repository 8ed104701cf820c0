//! A small fake ECS endpoint for the client's integration tests: it verifies every request's
//! signature 1.0 with the shared `signature` module, records what it saw, and answers either
//! from a script (errors, dropped connections, delays) or like the API would.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alicloud_client::signature::{signature_for, signatures_match};
use alicloud_client::{ClientConfig, Credentials, EcsClient, LogLevel, RetryPolicy};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub const ACCESS_KEY_ID: &str = "test-id";
pub const ACCESS_KEY_SECRET: &str = "test-secret-value";

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Behave like the API.
    Api,
    /// A fixed answer.
    Fixed(u16, String),
    /// Do what the API does (e.g. start the invocation), then answer with this instead: a
    /// response lost on the way back.
    ApiThen(u16, String),
    /// Close the connection without answering.
    Drop,
    /// Wait, then reply.
    Delay(Duration, Box<Reply>),
}

/// One request the server accepted, after signature verification.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub action: String,
    pub params: BTreeMap<String, String>,
    pub query_names: Vec<String>,
    pub body_names: Vec<String>,
    pub content_type: Option<String>,
    pub signature_ok: bool,
}

impl Seen {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }
}

#[derive(Default)]
pub struct State {
    pub seen: Vec<Seen>,
    pub script: VecDeque<Reply>,
    /// Reply used once the script is exhausted.
    pub fallback: Option<Reply>,
    pub connections: usize,
    /// ClientToken -> InvokeId.
    pub invocations: HashMap<String, String>,
    pub invocations_started: usize,
    nonces: HashSet<String>,
}

pub struct FakeEcs {
    pub addr: SocketAddr,
    pub state: Arc<Mutex<State>>,
    task: JoinHandle<()>,
}

impl Drop for FakeEcs {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeEcs {
    pub async fn start(script: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State {
            script: script.into(),
            ..State::default()
        }));
        let shared = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                shared.lock().unwrap().connections += 1;
                let state = shared.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| handle(state.clone(), req));
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self { addr, state, task }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn set_fallback(&self, reply: Reply) {
        self.state.lock().unwrap().fallback = Some(reply);
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    pub fn requests(&self) -> usize {
        self.state.lock().unwrap().seen.len()
    }

    /// A config pointing at this server, with quick retries.
    pub fn config(&self) -> ClientConfig {
        let mut config = ClientConfig::new(Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET), "cn-hangzhou");
        config.endpoint = Some(self.url());
        config.retry = fast_retry();
        config
    }

    pub fn client(&self) -> EcsClient {
        EcsClient::new(self.config()).unwrap()
    }
}

pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 5,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
        deadline: Duration::from_secs(10),
        request_timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
    }
}

/// A log sink that keeps every line.
pub fn capture_logs(config: &mut ClientConfig) -> Arc<Mutex<Vec<String>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    config.log = Some(Arc::new(move |level: LogLevel, line: &str| {
        sink.lock().unwrap().push(format!("{level:?} {line}"));
    }));
    lines
}

pub fn error_body(code: &str, message: &str) -> String {
    serde_json::json!({"RequestId": "REQ-ERR", "HostId": "ecs.aliyuncs.com", "Code": code, "Message": message})
        .to_string()
}

struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::fmt::Debug for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Dropped {}

async fn handle(state: Arc<Mutex<State>>, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Dropped> {
    let method = req.method().as_str().to_owned();
    let content_type = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let query = req.uri().query().unwrap_or_default().to_owned();
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let query_pairs = decode_form(&query);
    let body_pairs = decode_form(&String::from_utf8_lossy(&body));
    let mut params = BTreeMap::new();
    for (k, v) in query_pairs.iter().chain(&body_pairs) {
        params.insert(k.clone(), v.clone());
    }
    let given = params.remove("Signature").unwrap_or_default();
    let expected = signature_for(
        &method,
        ACCESS_KEY_SECRET,
        params.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    );
    let seen = Seen {
        method,
        action: params.get("Action").cloned().unwrap_or_default(),
        params: params.clone(),
        query_names: query_pairs.iter().map(|(k, _)| k.clone()).collect(),
        body_names: body_pairs.iter().map(|(k, _)| k.clone()).collect(),
        content_type,
        signature_ok: signatures_match(&expected, &given),
    };
    let reply = {
        let mut state = state.lock().unwrap();
        let fresh_nonce = state
            .nonces
            .insert(seen.param("SignatureNonce").unwrap_or_default().to_owned());
        let problem = check_common(&seen, fresh_nonce);
        state.seen.push(seen.clone());
        if let Some((status, body)) = problem {
            Reply::Fixed(status, body)
        } else {
            let fallback = state.fallback.clone().unwrap_or(Reply::Api);
            state.script.pop_front().unwrap_or(fallback)
        }
    };
    answer(&state, &seen, reply).await
}

/// The checks a real endpoint makes before looking at the action.
fn check_common(seen: &Seen, fresh_nonce: bool) -> Option<(u16, String)> {
    if !seen.signature_ok {
        return Some((
            400,
            error_body("SignatureDoesNotMatch", "Specified signature is not matched."),
        ));
    }
    if !fresh_nonce {
        return Some((
            400,
            error_body(
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
            ),
        ));
    }
    let expect = [
        ("Format", "JSON"),
        ("Version", "2014-05-26"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("AccessKeyId", ACCESS_KEY_ID),
    ];
    for (name, value) in expect {
        if seen.param(name) != Some(value) {
            return Some((400, error_body("MissingParameter", name)));
        }
    }
    let timestamp = seen.param("Timestamp").unwrap_or_default();
    let parsed = chrono::NaiveDateTime::parse_from_str(timestamp, "%Y-%m-%dT%H:%M:%SZ");
    let fresh = parsed.is_ok_and(|t| (chrono::Utc::now().naive_utc() - t).num_minutes().abs() < 15);
    if !fresh {
        return Some((400, error_body("InvalidTimeStamp.Expired", "bad timestamp")));
    }
    None
}

async fn answer(
    state: &Arc<Mutex<State>>,
    seen: &Seen,
    reply: Reply,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let mut reply = reply;
    loop {
        match reply {
            Reply::Delay(wait, then) => {
                tokio::time::sleep(wait).await;
                reply = *then;
            }
            Reply::Drop => return Err(Dropped),
            Reply::Fixed(status, body) => return Ok(response(status, body)),
            Reply::ApiThen(status, body) => {
                let _ = api(state, seen);
                return Ok(response(status, body));
            }
            Reply::Api => {
                let (status, body) = api(state, seen);
                return Ok(response(status, body));
            }
        }
    }
}

fn response(status: u16, body: String) -> Response<Full<Bytes>> {
    let content_type = if body.starts_with('<') {
        "text/html"
    } else {
        "application/json"
    };
    Response::builder()
        .status(status)
        .header("content-type", content_type)
        .body(Full::new(Bytes::from(body)))
        .unwrap()
}

/// Just enough of the API for the client's calls.
fn api(state: &Arc<Mutex<State>>, seen: &Seen) -> (u16, String) {
    let ok = |value: serde_json::Value| (200, value.to_string());
    match seen.action.as_str() {
        "InvokeCommand" => {
            let Some(token) = seen.param("ClientToken") else {
                return (
                    400,
                    error_body("MissingParameter.ClientToken", "test server wants a token"),
                );
            };
            let mut state = state.lock().unwrap();
            let next = state.invocations.len() + 1;
            let invoke_id = match state.invocations.get(token) {
                Some(id) => id.clone(),
                None => {
                    let id = format!("t-test{next:04}");
                    state.invocations.insert(token.to_owned(), id.clone());
                    state.invocations_started += 1;
                    id
                }
            };
            ok(serde_json::json!({"RequestId": "REQ-INVOKE", "InvokeId": invoke_id}))
        }
        "DescribeInvocations" => ok(serde_json::json!({
            "RequestId": "REQ-DI", "TotalCount": 1, "PageNumber": 1, "PageSize": 10, "NextToken": "",
            "Invocations": {"Invocation": [{
                "InvokeId": seen.param("InvokeId").unwrap_or("t-any"), "CommandId": "c-1",
                "InvocationStatus": "Success", "Timed": false, "Parameters": "{}",
                "InvokeInstances": {"InvokeInstance": [
                    {"InstanceId": "i-1", "InvocationStatus": "Success", "ExitCode": 0, "Output": "aGk="}]}}]}
        })),
        "DescribeInvocationResults" => ok(serde_json::json!({
            "RequestId": "REQ-DIR",
            "Invocation": {"TotalCount": 1, "PageNumber": 1, "PageSize": 10, "InvocationResults": {
                "InvocationResult": [{"InvokeId": seen.param("InvokeId").unwrap_or("t-any"), "InstanceId": "i-1",
                    "InvocationStatus": "Success", "ExitCode": 0, "FinishedTime": "2024-01-01T00:00:00Z"}]}}
        })),
        "StopInvocation" | "DeleteCommand" => ok(serde_json::json!({"RequestId": "REQ-OK"})),
        "DescribeCommands" => ok(serde_json::json!({
            "RequestId": "REQ-DC", "TotalCount": 1, "PageNumber": 1, "PageSize": 10,
            "Commands": {"Command": [{
                "CommandId": seen.param("CommandId").unwrap_or("c-1"), "Name": "hello", "Type": "RunShellScript",
                "CommandContent": "ZWNobyB7e25hbWV9fQ==", "EnableParameter": true,
                "ParameterNames": {"ParameterName": ["name"]}}]}
        })),
        "CreateCommand" => ok(serde_json::json!({"RequestId": "REQ-CC", "CommandId": "c-new"})),
        "DescribeInstances" => ok(serde_json::json!({
            "RequestId": "REQ-DINS", "TotalCount": 2, "PageNumber": 1, "PageSize": 10,
            "Instances": {"Instance": [
                {"InstanceId": "i-1", "InstanceName": "web", "Status": "Running", "OSType": "linux"},
                {"InstanceId": "i-2", "InstanceName": "win", "Status": "Running", "OSType": "windows"}]}
        })),
        other => (
            400,
            error_body("InvalidAction.NotFound", &format!("unknown action {other}")),
        ),
    }
}

/// `application/x-www-form-urlencoded` decoding.
fn decode_form(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 2;
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}
