//! The client's credential sources against the emulator binary: AssumeRole credentials
//! signing ECS calls with one STS call shared by concurrent requests, issued keys refused
//! with `InvalidSecurityToken.Expired` once expired, a role the caller may not assume,
//! AssumeRoleWithOIDC's token checks, GetCallerIdentity, and the token-protected metadata
//! service. Only loopback addresses are used.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use alicloud_client::{
    AssumeRoleSettings, ClientConfig, ClientError, CredentialProvider, DescribeInstancesRequest, EcsClient,
    OidcSettings, ProviderSettings, SecretString, STS_API,
};
use ecs_emulator::fixtures::ids::{DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET};
use ecs_emulator::mint_unsigned;
use serde_json::Value;
use test_support::emulator::Emulator;
use test_support::wait;

const ROLE: &str = "acs:ram::1234567890123456:role/deploy";
const ISSUER: &str = "https://ci.example.test";
const AUDIENCE: &str = "sts.aliyuncs.com";
const PROVIDER_ARN: &str = "acs:ram::1234567890123456:oidc-provider/ci";

fn nothing(_: &str) -> Option<String> {
    None
}

/// Settings with the demo keys, both endpoints on the emulator, and `role` assumed.
fn assume(emu: &Emulator, role: &str) -> ProviderSettings {
    ProviderSettings {
        access_key: Some(DEMO_ACCESS_KEY_ID.into()),
        secret_key: Some(DEMO_ACCESS_KEY_SECRET.into()),
        region: Some("cn-hangzhou".into()),
        ecs_endpoint: Some(emu.base.clone()),
        sts_endpoint: Some(emu.base.clone()),
        assume_role: Some(AssumeRoleSettings {
            role_arn: Some(role.into()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

async fn stats(emu: &Emulator) -> Value {
    let body = reqwest::get(format!("{}/_emulator/stats", emu.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    serde_json::from_str(&body).unwrap()
}

fn count(stats: &Value, action: &str) -> u64 {
    stats["actions"][action].as_u64().unwrap_or(0)
}

#[tokio::test]
async fn assumed_role_signs_ecs_calls_and_one_sts_call_serves_concurrent_requests() {
    let emu = Emulator::start(&["--role", ROLE]);
    let config = ClientConfig::from_settings(&assume(&emu, ROLE), &nothing).unwrap();
    let provider = config.credentials.clone();
    let client = EcsClient::new(config).unwrap();
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .describe_instances(&DescribeInstancesRequest::default())
                    .await
            })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    let stats = stats(&emu).await;
    assert_eq!(count(&stats, "AssumeRole"), 1, "{stats}");
    assert_eq!(count(&stats, "DescribeInstances"), 8, "{stats}");
    assert_eq!(provider.fetches(), 1);
    let used = provider.current().await.unwrap().unwrap();
    assert!(used.access_key_id.starts_with("STS."), "{used:?}");
}

#[tokio::test]
async fn issued_keys_are_refused_once_expired() {
    let emu = Emulator::start(&["--role", ROLE, "--sts-session-seconds", "1"]);
    let config = ClientConfig::from_settings(&assume(&emu, ROLE), &nothing).unwrap();
    let issued = config.credentials.current().await.unwrap().unwrap();
    // The same temporary key, frozen: nothing refreshes it.
    let mut frozen = ClientConfig::new(CredentialProvider::fixed(issued), "cn-hangzhou");
    frozen.endpoint = Some(emu.base.clone());
    frozen.retry.max_attempts = 1;
    let frozen = EcsClient::new(frozen).unwrap();
    // Issued for one second; the emulator checks it on the wall clock, so wait until refused.
    let key = &frozen;
    let refused = move || async move {
        key.describe_instances(&DescribeInstancesRequest::default())
            .await
            .is_err()
    };
    wait::until_async(
        "the issued key to expire",
        std::time::Duration::from_secs(30),
        refused,
    )
    .await;
    let error = frozen
        .describe_instances(&DescribeInstancesRequest::default())
        .await
        .unwrap_err();
    assert_eq!(error.api_code(), Some("InvalidSecurityToken.Expired"), "{error}");
    // The refreshing provider gets new keys instead and the call goes through.
    let client = EcsClient::new(config).unwrap();
    client
        .describe_instances(&DescribeInstancesRequest::default())
        .await
        .unwrap();
    // At least one new AssumeRole (a one-second session on a loaded machine may need two):
    // the frozen key was never renewed, the refreshing one was.
    assert!(count(&stats(&emu).await, "AssumeRole") >= 2);
}

#[tokio::test]
async fn a_role_the_caller_may_not_assume_is_a_clear_error() {
    let emu = Emulator::start(&["--role", &format!("{ROLE}=someone-else")]);
    let client = EcsClient::new(ClientConfig::from_settings(&assume(&emu, ROLE), &nothing).unwrap()).unwrap();
    let error = client
        .describe_instances(&DescribeInstancesRequest::default())
        .await
        .unwrap_err();
    assert!(matches!(error, ClientError::Credentials(_)), "{error:?}");
    assert_eq!(error.api_code(), Some("NoPermission"));
    let text = error.to_string();
    assert!(text.contains(ROLE) && text.contains("AssumeRole"), "{text}");
    let unknown = EcsClient::new(
        ClientConfig::from_settings(&assume(&emu, "acs:ram::1:role/ghost"), &nothing).unwrap(),
    )
    .unwrap();
    let error = unknown
        .describe_instances(&DescribeInstancesRequest::default())
        .await
        .unwrap_err();
    assert_eq!(error.api_code(), Some("EntityNotExist.Role"), "{error}");
    assert_eq!(
        count(&stats(&emu).await, "DescribeInstances"),
        0,
        "nothing signed with base keys"
    );
}

fn oidc(emu: &Emulator, token: String) -> ProviderSettings {
    ProviderSettings {
        region: Some("cn-hangzhou".into()),
        ecs_endpoint: Some(emu.base.clone()),
        sts_endpoint: Some(emu.base.clone()),
        assume_role_with_oidc: Some(OidcSettings {
            provider_arn: Some(PROVIDER_ARN.into()),
            role_arn: Some(ROLE.into()),
            token: Some(SecretString::new(token)),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[tokio::test]
async fn oidc_tokens_are_checked_against_the_provider() {
    let emu = Emulator::start(&[
        "--role",
        ROLE,
        "--oidc-provider",
        &format!("{PROVIDER_ARN},{ISSUER},{AUDIENCE}"),
    ]);
    let later = chrono::Utc::now().timestamp() + 600;
    let good = mint_unsigned(ISSUER, AUDIENCE, "repo:pipeline", later);
    let client = EcsClient::new(ClientConfig::from_settings(&oidc(&emu, good), &nothing).unwrap()).unwrap();
    client
        .describe_instances(&DescribeInstancesRequest::default())
        .await
        .unwrap();
    for (token, code) in [
        (
            mint_unsigned(ISSUER, "another-client", "s", later),
            "AuthenticationFail.OIDCToken.Invalid",
        ),
        (
            mint_unsigned("https://elsewhere.test", AUDIENCE, "s", later),
            "AuthenticationFail.OIDCToken.Invalid",
        ),
        (
            mint_unsigned(ISSUER, AUDIENCE, "s", later - 1200),
            "AuthenticationFail.OIDCToken.Expired",
        ),
        ("not.a-jwt".to_string(), "AuthenticationFail.OIDCToken.Invalid"),
    ] {
        let client =
            EcsClient::new(ClientConfig::from_settings(&oidc(&emu, token), &nothing).unwrap()).unwrap();
        let error = client
            .describe_instances(&DescribeInstancesRequest::default())
            .await
            .unwrap_err();
        assert_eq!(error.api_code(), Some(code), "{error}");
    }
}

#[tokio::test]
async fn caller_identity_of_assumed_credentials() {
    let emu = Emulator::start(&["--role", ROLE]);
    let config = ClientConfig::from_settings(&assume(&emu, ROLE), &nothing).unwrap();
    let mut sts = ClientConfig::new(config.credentials.clone(), "cn-hangzhou");
    sts.api = STS_API;
    sts.endpoint = Some(emu.base.clone());
    let who = EcsClient::new(sts).unwrap().get_caller_identity().await.unwrap();
    assert_eq!(who.identity_type, "AssumedRoleUser");
    assert_eq!(who.arn, "acs:ram::1234567890123456:assumed-role/deploy/terraform");
}

#[tokio::test]
async fn metadata_service_is_token_protected() {
    let emu = Emulator::start(&["--ecs-role", "instance-role"]);
    let http = reqwest::Client::new();
    let credentials_url = format!(
        "{}/latest/meta-data/ram/security-credentials/instance-role",
        emu.base
    );
    let refused = http.get(&credentials_url).send().await.unwrap();
    assert_eq!(refused.status().as_u16(), 401);
    let no_ttl = http
        .put(format!("{}/latest/api/token", emu.base))
        .send()
        .await
        .unwrap();
    assert_eq!(no_ttl.status().as_u16(), 400);
    let token = http
        .put(format!("{}/latest/api/token", emu.base))
        .header("X-aliyun-ecs-metadata-token-ttl-seconds", "60")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let roles = http
        .get(format!("{}/latest/meta-data/ram/security-credentials/", emu.base))
        .header("X-aliyun-ecs-metadata-token", &token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(roles, "instance-role");
    // The client's ECS-role source goes through both steps and signs with the role's keys.
    let settings = ProviderSettings {
        region: Some("cn-hangzhou".into()),
        ecs_endpoint: Some(emu.base.clone()),
        metadata_endpoint: Some(emu.base.clone()),
        ecs_role_name: Some("instance-role".into()),
        ..Default::default()
    };
    let client = EcsClient::new(ClientConfig::from_settings(&settings, &nothing).unwrap()).unwrap();
    client
        .describe_instances(&DescribeInstancesRequest::default())
        .await
        .unwrap();
    let stats = stats(&emu).await;
    assert_eq!(count(&stats, "MetadataToken"), 3, "{stats}");
    assert_eq!(count(&stats, "DescribeInstances"), 1, "{stats}");
}
