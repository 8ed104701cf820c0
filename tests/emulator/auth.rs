//! Authentication of the emulator over HTTP: V1 (GET query, POST query + form body, SDK
//! quirks), V3, and every failure with Alibaba's code and status.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use ecs_emulator::fixtures::ids::{DEPLOY, LINUX_1};
use test_support::emulator::*;

fn replace(params: &mut [(String, String)], name: &str, value: &str) {
    for (k, v) in params.iter_mut() {
        if k == name {
            *v = value.to_string();
        }
    }
}

#[tokio::test]
async fn v1_get_and_post_with_form_body() {
    let emu = Emulator::start(&[]);
    let client = emu.client();
    let answer = client.call("DescribeInstances", &[]).await;
    assert!(answer.expect_ok()["Instances"]["Instance"].is_array());

    // POST like tea-rpc: common parameters in the query, API parameters in a form body, the
    // SDK's empty SignatureType signed, extra x-acs-* headers that V1 ignores.
    let mut query = client.common("DescribeCommands");
    query.push(("SignatureType".into(), String::new()));
    let form = vec![
        ("RegionId".to_string(), "cn-hangzhou".to_string()),
        ("Name".to_string(), "deploy app*".replace(' ', "-")),
    ];
    let answer = client.send_v1("POST", query, &form).await;
    assert_eq!(answer.expect_ok()["Commands"]["Command"][0]["CommandId"], DEPLOY);
}

#[tokio::test]
async fn v1_failures() {
    let emu = Emulator::start(&[
        "--access-key",
        "AKmain:main-secret",
        "--access-key",
        "STS.temp:sts-secret:CAIS-token",
    ]);
    let client = Client::new(&emu.base, "AKmain", "main-secret");
    client.call("DescribeInstances", &[]).await.expect_ok();

    // The demo pair is not accepted once keys are configured.
    emu.client()
        .call("DescribeInstances", &[])
        .await
        .expect_error(404, "InvalidAccessKeyId.NotFound");

    let wrong_secret = Client::new(&emu.base, "AKmain", "not-the-secret");
    let answer = wrong_secret.call("DescribeInstances", &[]).await;
    answer.expect_error(400, "SignatureDoesNotMatch");
    let message = answer.body["Message"].as_str().unwrap();
    let (_, sts) = message.split_once("server string to sign is:").unwrap();
    assert!(
        sts.starts_with("GET&%2F&AccessKeyId%3DAKmain%26Action%3DDescribeInstances"),
        "{sts}"
    );

    // Each missing common parameter has its own code.
    for name in [
        "AccessKeyId",
        "Signature",
        "SignatureNonce",
        "Timestamp",
        "SignatureMethod",
        "SignatureVersion",
        "Version",
    ] {
        let mut params = client.common("DescribeInstances");
        params.push(("RegionId".into(), "cn-hangzhou".into()));
        params.push(("Signature".into(), "x".into()));
        params.retain(|(k, _)| k != name);
        client
            .send_signed("GET", &params, &[])
            .await
            .expect_error(400, &format!("Missing{name}"));
    }

    let mut params = client.common("DescribeInstances");
    replace(&mut params, "SignatureMethod", "HMAC-SHA256");
    client
        .send_v1("GET", params, &[])
        .await
        .expect_error(400, "IncompleteSignature");

    let mut params = client.common("DescribeInstances");
    replace(&mut params, "Timestamp", "2020-01-01T00:00:00Z");
    client
        .send_v1("GET", params, &[])
        .await
        .expect_error(400, "InvalidTimeStamp.Expired");

    let mut params = client.common("DescribeInstances");
    replace(&mut params, "Timestamp", "yesterday");
    client
        .send_v1("GET", params, &[])
        .await
        .expect_error(400, "InvalidTimeStamp.Format");

    // A replayed request (same nonce) is refused even though its signature is valid.
    let mut params = client.common("DescribeInstances");
    params.push(("RegionId".into(), "cn-hangzhou".into()));
    let signature = alicloud_client::signature::signature_for(
        "GET",
        "main-secret",
        params.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    );
    params.push(("Signature".into(), signature));
    client.send_signed("GET", &params, &[]).await.expect_ok();
    client
        .send_signed("GET", &params, &[])
        .await
        .expect_error(400, "SignatureNonceUsed");

    // The method is part of what is signed.
    let mut params = client.common("DescribeInstances");
    params.push(("RegionId".into(), "cn-hangzhou".into()));
    let signature = alicloud_client::signature::signature_for(
        "POST",
        "main-secret",
        params.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    );
    params.push(("Signature".into(), signature));
    client
        .send_signed("GET", &params, &[])
        .await
        .expect_error(400, "SignatureDoesNotMatch");

    // STS credentials need their token.
    let mut sts = Client::new(&emu.base, "STS.temp", "sts-secret");
    sts.call("DescribeInstances", &[])
        .await
        .expect_error(400, "MissingSecurityToken");
    sts.token = Some("CAIS-other".into());
    sts.call("DescribeInstances", &[])
        .await
        .expect_error(400, "InvalidSecurityToken.MismatchWithAccessKey");
    sts.token = Some("CAIS-token".into());
    sts.call("DescribeInstances", &[]).await.expect_ok();

    // Unknown action and version.
    client
        .call("RunInstances", &[])
        .await
        .expect_error(404, "InvalidAction.NotFound");
    let mut params = client.common("DescribeInstances");
    replace(&mut params, "Version", "2016-03-14");
    client
        .send_v1("GET", params, &[])
        .await
        .expect_error(400, "InvalidVersion");
}

#[tokio::test]
async fn v3_signatures() {
    let emu = Emulator::start(&[
        "--access-key",
        "AKv3:v3-secret",
        "--access-key",
        "STS.v3:sts3:TOKEN3",
    ]);
    let client = Client::new(&emu.base, "AKv3", "v3-secret");
    let answer = client
        .call_v3("DescribeInstances", &[("Status", "Running")], |_| {})
        .await;
    assert_eq!(answer.expect_ok()["TotalCount"], 5);

    // A parameter changed after signing.
    let answer = client
        .call_v3("DescribeInstances", &[], |headers| {
            headers
                .iter_mut()
                .filter(|(k, _)| k == "x-acs-action")
                .for_each(|(_, v)| *v = "DescribeCommands".into())
        })
        .await;
    answer.expect_error(400, "SignatureDoesNotMatch");
    assert!(answer.body["Message"]
        .as_str()
        .unwrap()
        .contains("server string to sign is:ACS3-HMAC-SHA256\n"));

    let wrong = Client::new(&emu.base, "AKv3", "other");
    wrong
        .call_v3("DescribeInstances", &[], |_| {})
        .await
        .expect_error(400, "SignatureDoesNotMatch");
    let unknown = Client::new(&emu.base, "AKnobody", "other");
    unknown
        .call_v3("DescribeInstances", &[], |_| {})
        .await
        .expect_error(404, "InvalidAccessKeyId.NotFound");

    let answer = client
        .call_v3("DescribeInstances", &[], |headers| {
            headers
                .iter_mut()
                .filter(|(k, _)| k == "authorization")
                .for_each(|(_, v)| *v = v.replace("Credential=", "Cred="))
        })
        .await;
    answer.expect_error(400, "IncompleteSignature");

    let mut sts = Client::new(&emu.base, "STS.v3", "sts3");
    sts.call_v3("DescribeInstances", &[], |_| {})
        .await
        .expect_error(400, "MissingSecurityToken");
    sts.token = Some("TOKEN3".into());
    sts.call_v3("DescribeInstances", &[], |_| {}).await.expect_ok();

    // Replaying the exact V3 request: same nonce.
    let mut captured = Vec::new();
    client
        .call_v3("DescribeCommands", &[], |headers| captured = headers.clone())
        .await
        .expect_ok();
    client
        .call_v3("DescribeCommands", &[], |headers| *headers = captured.clone())
        .await
        .expect_error(400, "SignatureNonceUsed");
}

#[tokio::test]
async fn logs_never_show_secrets_or_parameter_values() {
    let emu = Emulator::start(&["--access-key", "AKlog:log-secret-value:log-token-value"]);
    let mut client = Client::new(&emu.base, "AKlog", "log-secret-value");
    client.token = Some("log-token-value".into());
    let params = r#"{"version":"v-secret-version","env":"secret-env"}"#;
    let answer = client
        .call(
            "InvokeCommand",
            &[
                ("CommandId", DEPLOY),
                ("InstanceId.1", LINUX_1),
                ("Parameters", params),
            ],
        )
        .await;
    answer.expect_ok();
    let wrong = Client::new(&emu.base, "AKlog", "bad");
    wrong
        .call(
            "InvokeCommand",
            &[
                ("CommandId", DEPLOY),
                ("InstanceId.1", LINUX_1),
                ("Parameters", params),
            ],
        )
        .await;
    let logs = emu.logs();
    assert!(logs.contains("action=InvokeCommand"), "{logs}");
    for secret in [
        "log-secret-value",
        "log-token-value",
        "v-secret-version",
        "secret-env",
        "Signature=",
    ] {
        assert!(!logs.contains(secret), "{secret} leaked into:\n{logs}");
    }
}
