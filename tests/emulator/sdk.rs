//! Alibaba Cloud's official Python SDKs, unchanged, against the emulator: the tea SDK
//! (`alibabacloud_ecs20140526`, V3 signatures) and `aliyun-python-sdk-ecs`/-core (signature
//! 1.0) call DescribeInstances, DescribeCommands, InvokeCommand (with the newer parameters),
//! DescribeInvocations and DescribeInvocationResults (a failed instance with dropped output
//! among them) and parse the answers into their models (tests/sdk/check_sdks.py). Needs the virtualenv made
//! by scripts/python-sdk-venv.sh; without it this test fails rather than skips.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use std::path::Path;
use std::process::Command;

use ecs_emulator::fixtures::ids::LINUX_2;
use test_support::emulator::Emulator;

#[tokio::test]
async fn official_python_sdks_work_unchanged() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = root.join(".tools/venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/python-sdk-venv.sh first (`make test` does)",
        python.display()
    );
    let emu = Emulator::start(&[
        "--run-delay-ms",
        "100",
        "--instance-outcome",
        &format!("{LINUX_2}:exit=4,output-bytes=30000"),
    ]);
    let output = Command::new(&python)
        .arg(root.join("tests/sdk/check_sdks.py"))
        .arg(&emu.base)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "SDK check failed\nstdout:\n{stdout}\nstderr:\n{}\nemulator log:\n{}",
        String::from_utf8_lossy(&output.stderr),
        emu.logs()
    );
    assert!(stdout.contains("all SDK checks passed"), "{stdout}");
    // Both signing schemes were really exercised.
    let stats = emu.admin_get("stats").await;
    assert!(stats["signature_v3"].as_u64() >= Some(5), "{stats}");
    assert!(stats["signature_v1"].as_u64() >= Some(4), "{stats}");
    assert_eq!(
        stats["errors"]["SignatureDoesNotMatch"],
        serde_json::Value::Null,
        "{stats}"
    );
}
