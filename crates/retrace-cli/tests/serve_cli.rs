//! `retrace serve`: starts, prints its address, answers /healthz, refuses
//! writes without a token, and exits 0 on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn http(addr: &str, request: &str) -> String {
    let mut c = TcpStream::connect(addr).expect("connect");
    c.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    c.write_all(request.as_bytes()).expect("write");
    let mut out = String::new();
    c.read_to_string(&mut out).expect("read");
    out
}

#[test]
fn serve_starts_answers_and_stops_on_sigterm() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("idx");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("retrace"))
        .args([
            "serve",
            "--lexical-only",
            "--addr",
            "127.0.0.1:0",
            "--index",
        ])
        .arg(&index)
        .env_remove("RETRACE_TOKEN")
        .env_remove("RETRACE_READ_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("first line");
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    assert!(!addr.ends_with(":0"), "the real port: {addr}");

    let r = http(
        &addr,
        "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
    );
    assert!(r.starts_with("HTTP/1.1 200"), "{r}");
    assert!(r.contains("\"ok\""), "{r}");
    let body = r#"{"id": "a", "text": "A text."}"#;
    let r = http(
        &addr,
        &format!(
            "POST /v1/documents HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(r.starts_with("HTTP/1.1 401"), "{r}");
    assert!(r.contains("writes_disabled"), "{r}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let exit = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        assert!(Instant::now() < deadline, "no exit after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("stderr");
    assert!(exit.success(), "{exit:?}: {err}");
    assert!(err.contains("no write token: writes are refused"), "{err}");
    // the index was created
    assert!(index.join("retrace-index.json").exists());
}

#[test]
fn serve_refuses_an_empty_token_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let token = tmp.path().join("token");
    std::fs::write(&token, "  \n").expect("write");
    let out = Command::new(assert_cmd::cargo::cargo_bin("retrace"))
        .args([
            "serve",
            "--lexical-only",
            "--addr",
            "127.0.0.1:0",
            "--index",
        ])
        .arg(tmp.path().join("idx"))
        .arg("--token-file")
        .arg(&token)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty"));
}
