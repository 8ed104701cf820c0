//! How the emulator serves, over HTTP against the binary: it refuses a non-loopback address
//! unless told, refuses a `--state` path it could not write, and disconnects a client that
//! never finishes its request headers.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use test_support::emulator::*;

#[test]
fn non_loopback_address_needs_the_flag() {
    // Refused before binding, so nothing listens on another interface.
    let stderr = refused_start(&["--listen", "0.0.0.0:0"]);
    assert!(
        stderr.contains("not a loopback address") && stderr.contains("--allow-non-loopback"),
        "{stderr}"
    );
}

#[test]
fn unwritable_state_path_is_an_error_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing-directory").join("state.json");
    let path = path.to_str().unwrap();
    let stderr = refused_start(&["--listen", "127.0.0.1:0", "--state", path]);
    assert!(
        stderr.contains("cannot write state file") && stderr.contains(path),
        "{stderr}"
    );
    // A writable path starts, and the probe leaves nothing behind.
    let ok = dir.path().join("state.json");
    let emu = Emulator::start(&["--state", ok.to_str().unwrap()]);
    emu.stop();
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn slow_headers_are_disconnected() {
    let emu = Emulator::start(&["--header-read-timeout-ms", "200"]);
    let address = emu.base.strip_prefix("http://").unwrap();
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .write_all(b"GET /?Action=DescribeInstances HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    // Without the timeout the server would wait for the rest forever; this read would fail.
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut answer = Vec::new();
    let read = stream.read_to_end(&mut answer);
    assert!(read.is_ok(), "the server kept the connection open: {read:?}");
    let text = String::from_utf8_lossy(&answer);
    assert!(text.is_empty() || text.starts_with("HTTP/1.1 408"), "{text}");
}
