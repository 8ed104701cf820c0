//! Shared by the emulator's integration tests: starts the `alicloud-ecs-emulator` binary on a
//! free loopback port, and signs requests to it (V1 with `alicloud_api::signature`, V3
//! with the emulator's own canonicalisation, itself checked on the official vector).

use std::path::PathBuf;
use std::process::{Command, Stdio};

use alicloud_client::signature;
use ecs_emulator::auth::v3;
use ecs_emulator::fixtures::ids::{DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET};
use ecs_emulator::params::Params;
use serde_json::Value;

/// A running emulator process, killed on drop.
pub struct Emulator {
    process: crate::EmulatorProcess,
    pub base: String,
    pub log: PathBuf,
}

impl Emulator {
    pub fn start(args: &[&str]) -> Self {
        let process = crate::EmulatorProcess::start("127.0.0.1:0", args);
        let base = process.endpoint.clone();
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");
        let log = process.log.clone();
        Self { process, base, log }
    }

    pub fn client(&self) -> Client {
        Client::new(&self.base, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET)
    }

    pub fn logs(&self) -> String {
        self.process.logs()
    }

    /// Stops the process (SIGKILL) and waits for it.
    pub fn stop(mut self) {
        self.process.kill();
    }

    pub async fn admin_get(&self, path: &str) -> Value {
        let text = reqwest::get(format!("{}/_emulator/{path}", self.base))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        serde_json::from_str(&text).unwrap()
    }

    pub async fn admin_post(&self, path: &str, body: Value) -> (u16, Value) {
        let response = reqwest::Client::new()
            .post(format!("{}/_emulator/{path}", self.base))
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (
            status,
            serde_json::from_str(&response.text().await.unwrap()).unwrap(),
        )
    }
}

impl Emulator {
    /// Moves the emulator's operation clock `ms` ahead (`POST /_emulator/clock`).
    pub async fn advance(&self, ms: u64) {
        let (status, body) = self
            .admin_post("clock", serde_json::json!({ "AdvanceMs": ms }))
            .await;
        assert_eq!(status, 200, "{body}");
    }
}

/// Runs the binary with exactly `args`, expecting it to refuse to start; returns its stderr.
pub fn refused_start(args: &[&str]) -> String {
    let output = Command::new(crate::emulator_binary())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        !output.status.success() && output.stdout.is_empty(),
        "started anyway: {output:?}"
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The answer to one RPC call.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

impl Answer {
    pub fn code(&self) -> &str {
        self.body["Code"].as_str().unwrap_or_default()
    }

    /// Asserts an error answer with this status and code, and the error body's shape.
    pub fn expect_error(&self, status: u16, code: &str) {
        assert_eq!((self.status, self.code()), (status, code), "{:#}", self.body);
        for field in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
            assert!(self.body[field].is_string(), "{field} missing in {:#}", self.body);
        }
    }

    pub fn expect_ok(&self) -> &Value {
        assert_eq!(self.status, 200, "{:#}", self.body);
        assert!(self.body["RequestId"].is_string(), "{:#}", self.body);
        &self.body
    }
}

/// Signs and sends RPC requests as one access key.
#[derive(Clone)]
pub struct Client {
    pub base: String,
    pub key_id: String,
    pub secret: String,
    pub token: Option<String>,
    http: reqwest::Client,
}

pub fn now_timestamp() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub fn nonce() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl Client {
    pub fn new(base: &str, key_id: &str, secret: &str) -> Self {
        Self {
            base: base.to_string(),
            key_id: key_id.into(),
            secret: secret.into(),
            token: None,
            http: reqwest::Client::new(),
        }
    }

    /// The common V1 parameters for `action`, unsigned.
    pub fn common(&self, action: &str) -> Vec<(String, String)> {
        let mut params: Vec<(String, String)> = [
            ("Action", action.to_string()),
            ("Version", "2014-05-26".into()),
            ("Format", "JSON".into()),
            ("AccessKeyId", self.key_id.clone()),
            ("SignatureMethod", "HMAC-SHA1".into()),
            ("SignatureVersion", "1.0".into()),
            ("SignatureNonce", nonce()),
            ("Timestamp", now_timestamp()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        if let Some(token) = &self.token {
            params.push(("SecurityToken".into(), token.clone()));
        }
        params
    }

    /// Calls `action` in cn-hangzhou (unless `RegionId` is given) with V1 over a GET query.
    pub async fn call(&self, action: &str, extra: &[(&str, &str)]) -> Answer {
        let mut params = self.common(action);
        if !extra.iter().any(|(k, _)| *k == "RegionId") {
            params.push(("RegionId".into(), "cn-hangzhou".into()));
        }
        params.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        self.send_v1("GET", params, &[]).await
    }

    /// Signs `params` (plus `form`, sent as a form body) for `method` and sends them.
    pub async fn send_v1(
        &self,
        method: &str,
        mut params: Vec<(String, String)>,
        form: &[(String, String)],
    ) -> Answer {
        let all = params.iter().chain(form).map(|(k, v)| (k.as_str(), v.as_str()));
        let signature = signature::signature_for(method, &self.secret, all);
        params.push(("Signature".into(), signature));
        self.send_signed(method, &params, form).await
    }

    /// Like `call`, but a transport failure (e.g. a dropped connection) is returned.
    pub async fn try_call(&self, action: &str, extra: &[(&str, &str)]) -> Result<Answer, reqwest::Error> {
        let mut params = self.common(action);
        params.push(("RegionId".into(), "cn-hangzhou".into()));
        params.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let all = params.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        let signature = signature::signature_for("GET", &self.secret, all);
        params.push(("Signature".into(), signature));
        let response = self
            .http
            .get(format!("{}/?{}", self.base, encode(&params)))
            .send()
            .await?;
        Ok(answer(response).await)
    }

    /// Sends parameters as they are (already signed, or deliberately not).
    pub async fn send_signed(
        &self,
        method: &str,
        params: &[(String, String)],
        form: &[(String, String)],
    ) -> Answer {
        let url = format!("{}/?{}", self.base, encode(params));
        let request = match method {
            "GET" => self.http.get(url),
            _ => self
                .http
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("x-acs-action", "ignored-by-v1")
                .header("user-agent", "AlibabaCloud (test) Rust")
                .body(encode(form)),
        };
        answer(request.send().await.unwrap()).await
    }

    /// Calls `action` signed with V3 (`ACS3-HMAC-SHA256`), API parameters in the query.
    pub async fn call_v3(
        &self,
        action: &str,
        extra: &[(&str, &str)],
        tamper: impl FnOnce(&mut Vec<(String, String)>),
    ) -> Answer {
        let mut query: Vec<(String, String)> = vec![("RegionId".into(), "cn-hangzhou".into())];
        query.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let host = self.base.trim_start_matches("http://").to_string();
        let mut headers: Vec<(String, String)> = vec![
            ("host".into(), host),
            ("x-acs-action".into(), action.into()),
            ("x-acs-content-sha256".into(), v3::payload_hash(b"")),
            ("x-acs-date".into(), now_timestamp()),
            ("x-acs-signature-nonce".into(), nonce()),
            ("x-acs-version".into(), "2014-05-26".into()),
        ];
        if let Some(token) = &self.token {
            headers.push(("x-acs-security-token".into(), token.clone()));
        }
        headers.sort();
        let signed: Vec<&str> = headers.iter().map(|(k, _)| k.as_str()).collect();
        let signed = signed.join(";");
        let canonical = v3::canonical_request(
            "POST",
            "/",
            &Params::from_pairs(query.clone()),
            &headers,
            &signed,
            &v3::payload_hash(b""),
        );
        let signature = v3::sign(&self.secret, &v3::string_to_sign(&canonical));
        headers.push((
            "authorization".into(),
            format!(
                "ACS3-HMAC-SHA256 Credential={},SignedHeaders={signed},Signature={signature}",
                self.key_id
            ),
        ));
        tamper(&mut headers);
        let mut request = self.http.post(format!("{}/?{}", self.base, encode(&query)));
        for (name, value) in headers.iter().filter(|(name, _)| name != "host") {
            request = request.header(name, value);
        }
        answer(request.send().await.unwrap()).await
    }
}

pub fn encode(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                signature::percent_encode(k),
                signature::percent_encode(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
    Answer { status, body }
}

/// Waits (bounded) until the invocation reaches `status`; returns its record.
pub async fn wait_for_status(client: &Client, invoke_id: &str, status: &str) -> Value {
    for _ in 0..200 {
        let answer = client
            .call(
                "DescribeInvocations",
                &[("InvokeId", invoke_id), ("IncludeOutput", "true")],
            )
            .await;
        let record = answer.expect_ok()["Invocations"]["Invocation"][0].clone();
        if record["InvocationStatus"] == status {
            return record;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{invoke_id} never reached {status}");
}
