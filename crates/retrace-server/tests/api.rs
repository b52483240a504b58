//! The HTTP API over a real socket on 127.0.0.1: every endpoint, auth
//! refusals, body limit, malformed JSON, wrong media type and shape, unknown
//! ids, saturation, timeouts, concurrent reads during writes, and a graceful
//! shutdown that commits the writes in flight.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use retrace::index::{Index, WriterOptions};
use retrace::Document;
use retrace_server::{ServeConfig, ServeError, Server};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const WRITE: &str = "write-secret";
const READ: &str = "read-secret";

fn example(name: &str) -> String {
    let p = format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).expect("example text")
}

/// A distractor document made of varied sentences of our own.
fn distractor(seed: usize) -> String {
    const WORDS: &[&str] = &[
        "council", "budget", "harbor", "rain", "orchard", "bridge", "school", "tax", "river",
        "market", "factory", "election", "museum", "railway", "hospital", "festival", "drought",
        "mayor", "union", "contract", "library", "ferry", "vineyard", "stadium", "clinic",
    ];
    let mut x = seed as u64 * 2654435761 + 12345;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x as usize
    };
    let mut out = String::new();
    for s in 0..8 {
        out.push_str("The ");
        for _ in 0..9 {
            out.push_str(WORDS[next() % WORDS.len()]);
            out.push(' ');
        }
        out.push_str(&format!(
            "reported {} cases in district {s}. ",
            next() % 1000
        ));
    }
    out
}

/// An index holding the example article and the unrelated text.
fn seeded_index(dir: &Path) {
    let index = Index::open_or_create(dir, None).expect("index");
    let mut w = index.writer(WriterOptions::default()).expect("writer");
    w.add(Document::from_text("article", example("article.txt")), None)
        .expect("add");
    w.add(
        Document::from_text("unrelated", example("unrelated.txt")),
        None,
    )
    .expect("add");
    w.finish().expect("commit");
}

struct TestServer {
    base: String,
    addr: std::net::SocketAddr,
    client: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<Result<(), ServeError>>,
    dir: PathBuf,
    _tmp: Option<tempfile::TempDir>,
}

fn config(dir: &Path) -> ServeConfig {
    let mut c = ServeConfig::new(dir);
    c.addr = "127.0.0.1:0".parse().expect("addr");
    c.write_token = Some(WRITE.into());
    c
}

async fn start_with(config: ServeConfig, tmp: Option<tempfile::TempDir>) -> TestServer {
    let dir = config.index_dir.clone();
    let server = Server::bind(config).await.expect("server starts");
    let addr = server.local_addr();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(server.run(async {
        let _ = rx.await;
    }));
    TestServer {
        base: format!("http://{addr}"),
        addr,
        client: reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client"),
        stop: Some(tx),
        task,
        dir,
        _tmp: tmp,
    }
}

/// A server over a fresh seeded index, with the config `f` adjusts.
async fn start(f: impl FnOnce(&mut ServeConfig)) -> TestServer {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("idx");
    seeded_index(&dir);
    let mut c = config(&dir);
    f(&mut c);
    start_with(c, Some(tmp)).await
}

impl TestServer {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        let mut r = self.client.get(self.url(path));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        let resp = r.send().await.expect("request");
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, path: &str, body: &Value, token: Option<&str>) -> (StatusCode, Value) {
        let mut r = self.client.post(self.url(path)).json(body);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        let resp = r.send().await.expect("request");
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// The `/metrics` text.
    async fn metrics(&self) -> String {
        self.client
            .get(self.url("/metrics"))
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("text")
    }

    async fn delete(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        let mut r = self.client.delete(self.url(path));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        let resp = r.send().await.expect("request");
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// Stops the server; returns the index directory (and keeps it).
    async fn shutdown(mut self) -> (PathBuf, Option<tempfile::TempDir>) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        tokio::time::timeout(Duration::from_secs(60), self.task)
            .await
            .expect("server stops in time")
            .expect("server task")
            .expect("server stops cleanly");
        (self.dir.clone(), self._tmp.take())
    }
}

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("<no error code>")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_endpoint() {
    let s = start(|_| {}).await;
    let article = example("article.txt");
    let rewrite = example("rewrite.txt");

    let (st, v) = s.get("/healthz", None).await;
    assert_eq!((st, v["status"].as_str()), (StatusCode::OK, Some("ok")));

    // one document, with metadata and an id holding a slash
    let doc = json!({"id": "news/article.txt", "text": article, "url": "https://example.invalid/a", "year": 2024});
    let (st, v) = s.post("/v1/documents", &doc, Some(WRITE)).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["added"], 0, "same content as `article`: a duplicate: {v}");
    assert_eq!(v["duplicates"], 1, "{v}");
    assert_eq!(v["ids"], json!(["news/article.txt"]));
    assert_eq!(v["documents"][0]["of"], "article");

    // an array: one new, one replacing the duplicate id with other content
    let batch = json!([
        {"id": "d1", "text": distractor(1)},
        {"id": "news/article.txt", "text": distractor(2), "url": "https://example.invalid/b"},
    ]);
    let (st, v) = s.post("/v1/documents", &batch, Some(WRITE)).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(
        (v["added"].as_u64(), v["replaced"].as_u64()),
        (Some(1), Some(1)),
        "{v}"
    );

    // get: plain, percent-encoded slash
    for path in [
        "/v1/documents/news/article.txt",
        "/v1/documents/news%2Farticle.txt",
    ] {
        let (st, v) = s.get(path, None).await;
        assert_eq!(st, StatusCode::OK, "{path}: {v}");
        assert_eq!(v["id"], "news/article.txt");
        assert_eq!(v["text"], distractor(2));
        assert_eq!(v["format"], "text");
        assert_eq!(v["chars"], distractor(2).chars().count());
        assert_eq!(v["metadata"]["url"], "https://example.invalid/b");
    }
    let (st, v) = s.get("/v1/documents/article", None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["metadata"], Value::Null);

    let (st, v) = s.get("/v1/stats", None).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["documents"], 4, "{v}");
    assert_eq!(v["writable"], true);
    assert!(v["disk_bytes"].as_u64().unwrap_or(0) > 0);
    assert!(v["format_version"].as_u64().is_some());

    // check: text, with the texts the offsets refer to
    let (st, v) = s
        .post(
            "/v1/check",
            &json!({"text": rewrite, "include_text": true, "top": 3}),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["query"]["id"], "suspect");
    assert_eq!(v["sources"][0]["id"], "article", "{v}");
    assert!(v["sources"][0]["score"].as_f64().unwrap_or(0.0) > 0.3);
    assert!(v["sources"].as_array().map_or(0, Vec::len) <= 3);
    assert_eq!(v["texts"]["query"], rewrite);
    assert_eq!(v["texts"]["sources"]["article"], article);
    let chars = v["query"]["chars"].as_u64().unwrap_or(0);
    for p in v["sources"][0]["passages"].as_array().expect("passages") {
        assert!(p["query"][1].as_u64().unwrap_or(u64::MAX) <= chars);
    }
    // without include_text there is no "texts"
    let (_, v) = s
        .post("/v1/check", &json!({"text": rewrite, "id": "mine"}), None)
        .await;
    assert!(v.get("texts").is_none());
    assert_eq!(v["query"]["id"], "mine");

    // check: html (offsets refer to the extracted text)
    let html = example("article.html");
    let (st, v) = s
        .post(
            "/v1/check",
            &json!({"html": html, "include_text": true}),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["sources"][0]["id"], "article", "{v}");
    let q = v["texts"]["query"].as_str().expect("extracted text");
    assert!(!q.contains("<p"), "the extracted text, not the HTML");
    assert_eq!(v["query"]["chars"], q.chars().count());

    // compare
    let body = json!({"suspect": rewrite, "sources": [
        {"id": "u", "text": example("unrelated.txt")},
        {"id": "a", "text": article},
    ], "include_text": true});
    let (st, v) = s.post("/v1/compare", &body, None).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["sources"][0]["id"], "a");
    assert_eq!(v["texts"]["sources"]["a"], article);
    assert_eq!(v["texts"]["query"], rewrite);
    let body =
        json!({"suspect": {"id": "s", "html": html}, "sources": [{"id": "a", "text": article}]});
    let (st, v) = s.post("/v1/compare", &body, None).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["query"]["id"], "s");

    // delete, then 404s
    let (st, v) = s
        .delete("/v1/documents/news/article.txt", Some(WRITE))
        .await;
    assert_eq!((st, &v), (StatusCode::OK, &json!({"deleted": true})));
    let (st, v) = s.get("/v1/documents/news/article.txt", None).await;
    assert_eq!((st, code(&v)), (StatusCode::NOT_FOUND, "not_found"));
    let (st, v) = s
        .delete("/v1/documents/news/article.txt", Some(WRITE))
        .await;
    assert_eq!((st, code(&v)), (StatusCode::NOT_FOUND, "not_found"));
    let (st, v) = s.get("/v1/nothing-here", None).await;
    assert_eq!((st, code(&v)), (StatusCode::NOT_FOUND, "not_found"));

    // metrics
    let resp = s
        .client
        .get(s.url("/metrics"))
        .send()
        .await
        .expect("metrics");
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap_or("")
        .starts_with("text/plain"));
    let m = resp.text().await.expect("text");
    assert!(
        m.contains(
            "retrace_http_requests_total{method=\"POST\",route=\"/v1/check\",status=\"200\"} 3"
        ),
        "{m}"
    );
    assert!(m.contains(
        "retrace_http_request_duration_seconds_bucket{route=\"/v1/check\",le=\"+Inf\"} 3"
    ));
    assert!(m.contains("retrace_index_documents 3"), "{m}");
    assert!(m.contains("retrace_http_requests_in_flight 1"));
    assert!(m.contains("# TYPE retrace_http_request_duration_seconds histogram"));
    assert!(m.contains("retrace_concurrency_slots_busy 0"), "{m}");

    // the OpenAPI description lists every route
    let (st, v) = s.get("/openapi.json", None).await;
    assert_eq!(st, StatusCode::OK);
    assert!(v["openapi"].as_str().unwrap_or("").starts_with("3."));
    let paths = v["paths"].as_object().expect("paths");
    for (p, m) in [
        ("/v1/check", "post"),
        ("/v1/compare", "post"),
        ("/v1/documents", "post"),
        ("/v1/documents/{id}", "get"),
        ("/v1/documents/{id}", "delete"),
        ("/v1/stats", "get"),
        ("/healthz", "get"),
        ("/metrics", "get"),
        ("/openapi.json", "get"),
    ] {
        assert!(
            paths.get(p).and_then(|x| x.get(m)).is_some(),
            "{m} {p} in {v}"
        );
    }
    assert!(v["components"]["schemas"]["CheckRequest"]["properties"]["include_text"].is_object());
    let body = &v["paths"]["/v1/documents"]["post"]["requestBody"]["content"]["application/json"];
    assert_eq!(
        body["schema"]["$ref"], "#/components/schemas/DocumentsBody",
        "{body}"
    );

    // the web UI
    let resp = s.client.get(s.url("/")).send().await.expect("page");
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap_or("")
        .starts_with("text/html"));
    assert!(resp.headers().contains_key("cache-control"));
    let page = resp.text().await.expect("html");
    assert!(page.contains("retrace"));
    // every script and style the page links is served, with its type
    let linked: Vec<&str> = page
        .split(['"', '\''])
        .filter(|p| p.ends_with(".js") || p.ends_with(".css"))
        .collect();
    assert!(linked.len() >= 3, "{linked:?}");
    for part in linked {
        let resp = s
            .client
            .get(s.url(&format!("/{part}")))
            .send()
            .await
            .expect("asset");
        assert_eq!(resp.status(), StatusCode::OK, "{part}");
        let ct = resp.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .to_string();
        let want = if part.ends_with(".js") {
            "text/javascript"
        } else {
            "text/css"
        };
        assert!(ct.starts_with(want), "{part}: {ct}");
    }
    // the files the app fetches to build a downloadable report
    for part in [
        "assets/standalone.html",
        "assets/report.js",
        "assets/report.css",
    ] {
        let resp = s
            .client
            .get(s.url(&format!("/{part}")))
            .send()
            .await
            .expect("asset");
        assert_eq!(resp.status(), StatusCode::OK, "{part}");
    }
    let (st, v) = s.get("/assets/missing.js", None).await;
    assert_eq!((st, code(&v)), (StatusCode::NOT_FOUND, "not_found"));

    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn auth_refusals() {
    // no write token: writes are refused, reads are open
    let s = start(|c| c.write_token = None).await;
    let doc = json!({"id": "x", "text": "Some text of ours."});
    let (st, v) = s.post("/v1/documents", &doc, Some(WRITE)).await;
    assert_eq!(
        (st, code(&v)),
        (StatusCode::UNAUTHORIZED, "writes_disabled")
    );
    let (st, v) = s.delete("/v1/documents/article", None).await;
    assert_eq!(
        (st, code(&v)),
        (StatusCode::UNAUTHORIZED, "writes_disabled")
    );
    let (st, v) = s.get("/v1/stats", None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["writable"], false);
    s.shutdown().await;

    // write and read tokens
    let s = start(|c| c.read_token = Some(READ.into())).await;
    for token in [None, Some("wrong")] {
        let resp = s
            .client
            .get(s.url("/v1/stats"))
            .header("authorization", format!("Bearer {}", token.unwrap_or("")))
            .send()
            .await
            .expect("request");
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(resp.headers()["www-authenticate"], "Bearer");
        let v: Value = resp.json().await.expect("json");
        assert_eq!(code(&v), "unauthorized");
        let (st, v) = s.post("/v1/documents", &doc, token).await;
        assert_eq!((st, code(&v)), (StatusCode::UNAUTHORIZED, "unauthorized"));
        let (st, _) = s
            .post("/v1/check", &json!({"text": "A text."}), token)
            .await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
        let (st, _) = s.get("/v1/documents/article", token).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
        let (st, _) = s.get("/metrics", token).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
    }
    let resp = s
        .client
        .get(s.url("/v1/stats"))
        .header("authorization", format!("Basic {READ}"))
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    // the read token reads, not writes; the write token does both
    let (st, _) = s.get("/v1/stats", Some(READ)).await;
    assert_eq!(st, StatusCode::OK);
    let (st, _) = s.get("/v1/stats", Some(WRITE)).await;
    assert_eq!(st, StatusCode::OK);
    let (st, v) = s.post("/v1/documents", &doc, Some(READ)).await;
    assert_eq!((st, code(&v)), (StatusCode::UNAUTHORIZED, "unauthorized"));
    let (st, _) = s.post("/v1/documents", &doc, Some(WRITE)).await;
    assert_eq!(st, StatusCode::OK);
    let (st, _) = s.delete("/v1/documents/x", Some(READ)).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let (st, _) = s.delete("/v1/documents/x", Some(WRITE)).await;
    assert_eq!(st, StatusCode::OK);
    // always open
    let (st, _) = s.get("/healthz", None).await;
    assert_eq!(st, StatusCode::OK);
    let (st, _) = s.get("/openapi.json", None).await;
    assert_eq!(st, StatusCode::OK);
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn request_errors() {
    let s = start(|c| c.body_limit = 4000).await;
    let raw = |path: &str, ct: Option<&str>, body: &'static str| {
        let mut r = s.client.post(s.url(path)).body(body);
        if let Some(ct) = ct {
            r = r.header("content-type", ct);
        }
        r.bearer_auth(WRITE)
    };
    // over the body limit: 413, as JSON
    let big = "word ".repeat(2000);
    let (st, v) = s.post("/v1/check", &json!({"text": big}), None).await;
    assert_eq!(
        (st, code(&v)),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
        "{v}"
    );
    let (st, v) = s
        .post(
            "/v1/documents",
            &json!({"id": "big", "text": big}),
            Some(WRITE),
        )
        .await;
    assert_eq!(
        (st, code(&v)),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
    // malformed JSON: 400
    for path in ["/v1/check", "/v1/compare", "/v1/documents"] {
        let resp = raw(path, Some("application/json"), "{\"text\": ")
            .send()
            .await
            .expect("send");
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{path}");
        let v: Value = resp.json().await.expect("json error");
        assert_eq!(code(&v), "bad_request");
    }
    // not JSON: 415
    for ct in [Some("text/plain"), None] {
        let resp = raw("/v1/check", ct, "{\"text\": \"A text.\"}")
            .send()
            .await
            .expect("send");
        assert_eq!(resp.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let v: Value = resp.json().await.expect("json error");
        assert_eq!(code(&v), "unsupported_media_type");
    }
    // valid JSON of the wrong shape: 422
    for body in [
        json!({}),
        json!({"text": "A text.", "html": "<p>A text.</p>"}),
        json!({"text": "   "}),
        json!({"text": "A text.", "top": 0}),
        json!({"text": "A text.", "top": -1}),
        json!({"text": "A text.", "top": 1000}),
        json!({"text": 5}),
        json!({"text": "A text.", "topp": 3}),
        json!(["A text."]),
    ] {
        let (st, v) = s.post("/v1/check", &body, None).await;
        assert_eq!(
            (st, code(&v)),
            (StatusCode::UNPROCESSABLE_ENTITY, "unprocessable"),
            "{body}: {v}"
        );
    }
    for body in [
        json!({"suspect": "A text."}),
        json!({"suspect": "A text.", "sources": []}),
        json!({"suspect": "A text.", "sources": [{"text": "No id."}]}),
        json!({"suspect": "A text.", "sources": [{"id": "a", "text": "One."}, {"id": "a", "text": "Two."}]}),
        json!({"suspect": "", "sources": [{"id": "a", "text": "One."}]}),
        json!({"suspect": 3, "sources": [{"id": "a", "text": "One."}]}),
    ] {
        let (st, v) = s.post("/v1/compare", &body, None).await;
        assert_eq!(
            (st, code(&v)),
            (StatusCode::UNPROCESSABLE_ENTITY, "unprocessable"),
            "{body}: {v}"
        );
    }
    for body in [
        json!({"text": "No id."}),
        json!({"id": "", "text": "Empty id."}),
        json!({"id": "a"}),
        json!([]),
        json!([{"id": "ok", "text": "Fine."}, "not an object"]),
        json!("a string"),
        json!({"id": "bin", "text": "\u{0}\u{0}\u{0}\u{0}"}),
    ] {
        let (st, v) = s.post("/v1/documents", &body, Some(WRITE)).await;
        assert_eq!(
            (st, code(&v)),
            (StatusCode::UNPROCESSABLE_ENTITY, "unprocessable"),
            "{body}: {v}"
        );
    }
    // a refused batch adds nothing
    let (st, _) = s.get("/v1/documents/ok", None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    // unknown ids: 404
    let (st, v) = s.get("/v1/documents/no/such/id", None).await;
    assert_eq!((st, code(&v)), (StatusCode::NOT_FOUND, "not_found"));
    let (st, v) = s.delete("/v1/documents/no-such-id", Some(WRITE)).await;
    assert_eq!((st, code(&v)), (StatusCode::NOT_FOUND, "not_found"));
    // an id whose percent-encoding is not UTF-8: 400, as JSON
    let (st, v) = s.get("/v1/documents/%FF%FE", None).await;
    assert_eq!(
        (st, code(&v)),
        (StatusCode::BAD_REQUEST, "bad_request"),
        "{v}"
    );
    // wrong method: 405, as JSON
    let resp = s.client.put(s.url("/v1/check")).send().await.expect("send");
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    let v: Value = resp.json().await.expect("json error");
    assert_eq!(code(&v), "method_not_allowed");
    s.shutdown().await;
}

/// Opens a request whose body never fully arrives: it holds its slot.
async fn stalled_request(addr: std::net::SocketAddr, body_len: usize) -> TcpStream {
    let mut c = TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST /v1/check HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {body_len}\r\n\r\n{{\"text\": "
    );
    c.write_all(head.as_bytes()).await.expect("write");
    c.flush().await.expect("flush");
    c
}

/// Reads a response with a small JSON body (up to its closing braces).
async fn read_response(c: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 4096];
    let deadline = Instant::now() + Duration::from_secs(30);
    while !String::from_utf8_lossy(&buf).trim_end().ends_with("}}") && Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_secs(30), c.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => buf.extend_from_slice(&chunk[..n]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn saturation_answers_503_with_retry_after() {
    let s = start(|c| c.max_concurrency = 1).await;
    let rest = "\"A text of ours about the harbor.\"}";
    let mut slow = stalled_request(s.addr, 9 + rest.len()).await;
    // the stalled request takes the only slot: the next ones are refused at once
    let deadline = Instant::now() + Duration::from_secs(20);
    let refused = loop {
        let t = Instant::now();
        let resp = s.client.get(s.url("/v1/stats")).send().await.expect("send");
        if resp.status() == StatusCode::SERVICE_UNAVAILABLE {
            assert!(t.elapsed() < Duration::from_secs(5), "refused at once");
            break resp;
        }
        assert!(Instant::now() < deadline, "never saturated");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(refused.headers()["retry-after"], "1");
    let v: Value = refused.json().await.expect("json");
    assert_eq!(code(&v), "overloaded");
    let (st, v) = s.post("/v1/check", &json!({"text": "A text."}), None).await;
    assert_eq!(
        (st, code(&v)),
        (StatusCode::SERVICE_UNAVAILABLE, "overloaded")
    );
    // health and metrics stay available
    let (st, _) = s.get("/healthz", None).await;
    assert_eq!(st, StatusCode::OK);
    // the stalled request completes, and the slot is free again
    slow.write_all(rest.as_bytes()).await.expect("write");
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(30), slow.read(&mut buf))
        .await
        .expect("answered")
        .expect("read");
    let head = String::from_utf8_lossy(&buf[..n]);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    drop(slow);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (st, _) = s.get("/v1/stats", None).await;
        if st == StatusCode::OK {
            break;
        }
        assert!(Instant::now() < deadline, "slot never freed");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn slow_request_times_out() {
    let s = start(|c| c.timeout = Duration::from_millis(300)).await;
    let t = Instant::now();
    let mut slow = stalled_request(s.addr, 1000).await;
    let r = read_response(&mut slow).await;
    assert!(r.starts_with("HTTP/1.1 503"), "{r}");
    assert!(r.contains("\"timeout\""), "{r}");
    assert!(r.to_ascii_lowercase().contains("retry-after: 1"), "{r}");
    assert!(t.elapsed() < Duration::from_secs(20));
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_reads_during_writes() {
    let s = Arc::new(start(|c| c.max_concurrency = 64).await);
    let rewrite = example("rewrite.txt");
    let stop = Arc::new(AtomicBool::new(false));
    let mut readers = Vec::new();
    for r in 0..4 {
        let (s, stop, rewrite) = (s.clone(), stop.clone(), rewrite.clone());
        readers.push(tokio::spawn(async move {
            let mut last_docs = 0;
            let mut rounds = 0;
            while !stop.load(Ordering::Relaxed) || rounds < 2 {
                let (st, v) = s.post("/v1/check", &json!({"text": rewrite}), None).await;
                assert_eq!(st, StatusCode::OK, "reader {r}: {v}");
                assert_eq!(v["sources"][0]["id"], "article", "reader {r}: {v}");
                let (st, v) = s.get("/v1/stats", None).await;
                assert_eq!(st, StatusCode::OK, "reader {r}: {v}");
                let docs = v["documents"].as_u64().expect("documents");
                assert!(docs >= last_docs, "reader {r}: documents went back");
                assert!(docs >= 2);
                last_docs = docs;
                let (st, _) = s.get("/v1/documents/article", None).await;
                assert_eq!(st, StatusCode::OK);
                rounds += 1;
            }
            rounds
        }));
    }
    let mut writers = Vec::new();
    for w in 0..2 {
        let s = s.clone();
        writers.push(tokio::spawn(async move {
            for b in 0..6 {
                let docs: Vec<Value> = (0..8)
                    .map(|i| {
                        let n = 1000 * w + 10 * b + i;
                        json!({"id": format!("w{w}/b{b}/{i}"), "text": distractor(n), "n": n})
                    })
                    .collect();
                let (st, v) = s
                    .post("/v1/documents", &Value::Array(docs), Some(WRITE))
                    .await;
                assert_eq!(st, StatusCode::OK, "{v}");
                assert_eq!(v["added"], 8, "{v}");
                // visible as soon as the write is answered
                for i in 0..8 {
                    let (st, v) = s.get(&format!("/v1/documents/w{w}/b{b}/{i}"), None).await;
                    assert_eq!(st, StatusCode::OK, "{v}");
                }
            }
        }));
    }
    for w in writers {
        w.await.expect("writer");
    }
    stop.store(true, Ordering::Relaxed);
    for r in readers {
        assert!(r.await.expect("reader") >= 2);
    }
    let (_, v) = s.get("/v1/stats", None).await;
    assert_eq!(v["documents"], 2 + 2 * 6 * 8, "{v}");
    let s = Arc::into_inner(s).expect("last handle");
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn shutdown_commits_pending_writes() {
    let s = start(|_| {}).await;
    // a large batch keeps the writer busy while the shutdown starts
    let docs: Vec<Value> = (0..300)
        .map(|i| json!({"id": format!("big/{i}"), "text": distractor(5000 + i)}))
        .collect();
    let client = s.client.clone();
    let url = s.url("/v1/documents");
    let big = tokio::spawn(async move {
        client
            .post(url)
            .bearer_auth(WRITE)
            .json(&Value::Array(docs))
            .send()
            .await
            .expect("send")
            .status()
    });
    // wait until the write is in flight, then shut down
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let m = s.metrics().await;
        if m.contains("retrace_http_requests_in_flight 2") || big.is_finished() {
            break;
        }
        assert!(Instant::now() < deadline, "the write never started");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let (dir, _tmp) = s.shutdown().await;
    assert_eq!(big.await.expect("task"), StatusCode::OK);
    // reopen: everything answered is committed, and the write lock is free
    let index = Index::open(&dir, None).expect("reopen");
    let ids: HashSet<String> = (0..300).map(|i| format!("big/{i}")).collect();
    for id in &ids {
        assert!(index.document(id).expect("read").is_some(), "{id} lost");
    }
    assert_eq!(index.stats().expect("stats").documents, 302);
    index
        .writer(WriterOptions::default())
        .expect("lock released");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_writer_is_refused_and_a_reader_follows_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("idx");
    let s = start_with(config(&dir), None).await;
    let Err(e) = Server::bind(config(&dir)).await else {
        panic!("two servers writing one index");
    };
    assert!(e.to_string().contains("another process"), "{e}");
    // a read-only server on the same index is fine
    let mut c = config(&dir);
    c.write_token = None;
    let ro = start_with(c, None).await;
    let (st, _) = ro.get("/v1/stats", None).await;
    assert_eq!(st, StatusCode::OK);
    // ...and follows what the writer commits
    let (st, _) = s
        .post(
            "/v1/documents",
            &json!({"id": "late", "text": distractor(7)}),
            Some(WRITE),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let deadline = Instant::now() + retrace_server::READ_ONLY_RELOAD * 3;
    loop {
        let (st, _) = ro.get("/v1/documents/late", None).await;
        if st == StatusCode::OK {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the read-only server never saw the commit"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    ro.shutdown().await;
    s.shutdown().await;
}

/// A compare of one suspect with many sources, each sharing sentences with
/// it: seconds of engine work (written for this test).
fn heavy_compare_body() -> Value {
    let words = [
        "harbour",
        "council",
        "ferry",
        "budget",
        "timber",
        "copper",
        "station",
        "bridge",
        "festival",
        "orchard",
        "tunnel",
        "library",
        "market",
        "glacier",
        "reservoir",
        "clinic",
    ];
    let sentence = |k: usize| {
        format!(
            "The {} {} board approved {} new {} contracts worth {} million on day {} of the {} review.",
            words[k % 16],
            words[(k / 16) % 16],
            k % 97,
            words[(k * 7) % 16],
            k % 53,
            k % 31,
            words[(k * 3) % 16]
        )
    };
    let suspect: String = (0..200).map(|k| sentence(k) + " ").collect();
    let sources: Vec<Value> = (0..24)
        .map(|j| {
            let text: String = (0..200).map(|k| sentence(k * 3 + j) + " ").collect();
            json!({"id": format!("s{j}"), "text": text})
        })
        .collect();
    json!({"suspect": suspect, "sources": sources})
}

async fn slots_busy(s: &TestServer) -> u64 {
    s.metrics()
        .await
        .lines()
        .find_map(|l| l.strip_prefix("retrace_concurrency_slots_busy "))
        .and_then(|v| v.trim().parse().ok())
        .expect("the slots gauge")
}

/// A request that times out stops its engine work: the slot it held comes
/// free soon after the 503, long before the work would have ended.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_timed_out_request_stops_its_work() {
    let body = heavy_compare_body();
    // how long the work takes when it is let run
    let s = start(|c| c.timeout = Duration::from_secs(600)).await;
    let t = Instant::now();
    let (st, v) = s.post("/v1/compare", &body, None).await;
    let full = t.elapsed();
    assert_eq!(st, StatusCode::OK, "{v}");
    s.shutdown().await;
    assert!(
        full >= Duration::from_millis(1500),
        "too light to measure: {full:?}"
    );

    let limit = full / 8;
    let s = start(|c| c.timeout = limit).await;
    let t = Instant::now();
    let (st, v) = s.post("/v1/compare", &body, None).await;
    assert_eq!((st, code(&v)), (StatusCode::SERVICE_UNAVAILABLE, "timeout"));
    // the engine stops at its next step: the slot is free well before the
    // full run's time
    loop {
        if slots_busy(&s).await == 0 {
            eprintln!(
                "full run {full:?}; timed out at {limit:?}, slot free after {:?}",
                t.elapsed()
            );
            break;
        }
        assert!(
            t.elapsed() < full / 2,
            "still working {:?} after the request; a full run takes {full:?}",
            t.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    s.shutdown().await;
}

/// What schemathesis found (scripts/schemathesis/run.sh): requests valid by
/// /openapi.json that the server refused, and the rules the document now
/// states instead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_states_the_rules_the_server_applies() {
    let s = start(|_| {}).await;
    // `top` is a JSON Schema integer: 2.0 is one
    let (st, v) = s
        .post(
            "/v1/check",
            &json!({"text": "a few words", "top": 2.0}),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (st, v) = s
        .post(
            "/v1/check",
            &json!({"text": "a few words", "top": 2.5}),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    // a bound past f32's range is a bound, not an error
    let (st, v) = s
        .post(
            "/v1/check",
            &json!({"text": "a few words", "min_score": 1e300}),
            None,
        )
        .await;
    assert_eq!(
        (st, v["sources"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(0)),
        "{v}"
    );
    // a JSON string is text: control characters are kept, a NUL is refused
    let (st, v) = s
        .post("/v1/check", &json!({"text": "\u{1}\u{2}abc"}), None)
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (st, v) = s
        .post("/v1/check", &json!({"text": "ab\u{0}c"}), None)
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        v["error"]["message"].as_str().unwrap_or("").contains("NUL"),
        "{v}"
    );
    let (st, v) = s
        .post(
            "/v1/documents",
            &json!({"id": 7, "text": "%PDF-1.4 is how a PDF file begins."}),
            Some(WRITE),
        )
        .await;
    assert_eq!((st, &v["ids"]), (StatusCode::OK, &json!(["7"])), "{v}");

    let (_, doc) = s.get("/openapi.json", None).await;
    let schemas = &doc["components"]["schemas"];
    for name in ["CheckRequest", "TextInput", "SourceInput"] {
        let one_of = schemas[name]["oneOf"].as_array().map(Vec::len);
        assert_eq!(
            one_of,
            Some(2),
            "{name}: text xor html in {}",
            schemas[name]
        );
    }
    let sources = &schemas["CompareRequest"]["properties"]["sources"];
    assert_eq!(sources["minItems"], 1);
    assert_eq!(sources["uniqueItems"], true);
    assert_eq!(sources["items"]["$ref"], "#/components/schemas/SourceInput");
    assert_eq!(schemas["SourceInput"]["required"], json!(["id"]));
    assert_eq!(schemas["CheckRequest"]["properties"]["top"]["minimum"], 1);
    assert_eq!(schemas["CheckRequest"]["properties"]["top"]["maximum"], 100);
    assert_eq!(schemas["DocumentsBody"]["oneOf"][1]["minItems"], 1);
    assert!(schemas["NewDocument"]["properties"]["id"]["oneOf"].is_array());
    // the patterns say what the handlers say: not blank, no NUL
    let not_blank = schemas["Suspect"]["oneOf"][0]["pattern"]
        .as_str()
        .unwrap_or("");
    assert_eq!(not_blank, "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$");
}
