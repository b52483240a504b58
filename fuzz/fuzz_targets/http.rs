//! HTTP request bodies: arbitrary bodies sent in process (tower's
//! `oneshot`, no socket) to the server's router over a small index built
//! once per process.
//!
//! The first byte picks the request, the rest is the body (or the id):
//! - `% 4 == 0`: `POST /v1/compare`
//! - `% 4 == 1`: `POST /v1/check` (retrieval over the index, then compare)
//! - `% 4 == 2`: `POST /v1/documents` (the server is read-only: refused
//!   before the body is read), and the body read as the handler reads it
//!   (JSON, one record or an array, each by `record_from_json`)
//! - `% 4 == 3`: `GET /v1/documents/{rest}` (the rest as the path)
//! - bit 7 set: no `Content-Type` header (415 expected of the POSTs).
//!
//! Any status is fine but a 5xx: the handlers run the engine on tokio's
//! blocking pool, where a panic becomes a `500 internal` answer rather than
//! a crash, so a 500 is the crash here.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{header, Method, Request, Uri};
use axum::Router;
use libfuzzer_sys::fuzz_target;
use retrace::index::input::record_from_json;
use retrace::index::{Index, WriterOptions};
use retrace::Document;
use retrace_fuzz::{capped, check_document};
use retrace_server::{ServeConfig, Server};
use tower::ServiceExt;

struct Harness {
    rt: tokio::runtime::Runtime,
    app: Router,
}

/// Removes index directories left by earlier runs whose process is gone.
fn remove_stale(tmp: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if let Some(pid) = name.strip_prefix("retrace-fuzz-http-") {
            if !PathBuf::from(format!("/proc/{pid}")).exists() {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

const SOURCES: [(&str, &str); 2] = [
    (
        "council",
        "The town council met on Tuesday evening to vote on the new harbour plan. \
         Members argued for three hours about the cost of the sea wall. \
         In the end the plan passed by seven votes to four, and work starts in May.",
    ),
    (
        "orchard",
        "An orchard on the hill has grown apples for ninety years. \
         This autumn the frost came early and half of the crop was lost. \
         The owners say they will plant pears next spring instead.",
    ),
];

fn harness() -> &'static Harness {
    static H: OnceLock<Harness> = OnceLock::new();
    H.get_or_init(|| {
        let tmp = std::env::temp_dir();
        remove_stale(&tmp);
        let dir = tmp.join(format!("retrace-fuzz-http-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        {
            let index = Index::open_or_create(&dir, None).expect("index");
            let mut w = index
                .writer(WriterOptions {
                    memory_budget: 64 << 20,
                    ..WriterOptions::default()
                })
                .expect("writer");
            for (id, text) in SOURCES {
                w.add(Document::from_text(id, text), None).expect("add");
            }
            w.finish().expect("commit");
        }
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let mut config = ServeConfig::new(&dir);
        config.addr = "127.0.0.1:0".parse().expect("addr");
        // longer than libFuzzer's -timeout, so a slow request is a fuzzer timeout
        config.timeout = std::time::Duration::from_secs(60);
        config.max_concurrency = 2;
        let server = rt.block_on(Server::bind(config)).expect("server");
        let app = retrace_server::router(server.state().clone());
        drop(server); // the listener: requests go to the router directly
        Harness { rt, app }
    })
}

fn send(h: &Harness, method: Method, uri: Uri, json: bool, body: Vec<u8>) {
    let mut req = Request::builder().method(method).uri(uri);
    if json {
        req = req.header(header::CONTENT_TYPE, "application/json");
    }
    let req = req.body(Body::from(body)).expect("request");
    let (status, body) = h.rt.block_on(async {
        let r = h.app.clone().oneshot(req).await.expect("infallible");
        let status = r.status();
        let body = axum::body::to_bytes(r.into_body(), usize::MAX)
            .await
            .expect("body");
        (status, body)
    });
    assert!(
        !status.is_server_error(),
        "{status}: {}",
        String::from_utf8_lossy(&body)
    );
    // every answer of the API is JSON, errors included
    if let Err(e) = serde_json::from_slice::<serde_json::Value>(&body) {
        panic!("{status} answered with a body that is not JSON ({e}): {body:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let data = capped(data);
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let h = harness();
    let json = sel & 0x80 == 0;
    match sel % 4 {
        0 => send(
            h,
            Method::POST,
            Uri::from_static("/v1/compare"),
            json,
            rest.to_vec(),
        ),
        1 => send(
            h,
            Method::POST,
            Uri::from_static("/v1/check"),
            json,
            rest.to_vec(),
        ),
        2 => {
            send(
                h,
                Method::POST,
                Uri::from_static("/v1/documents"),
                json,
                rest.to_vec(),
            );
            // what the handler does with the body once writes are allowed
            if let Ok(v) = serde_json::from_slice::<serde_json::Value>(rest) {
                let records = match v {
                    serde_json::Value::Array(a) => a,
                    v => vec![v],
                };
                for (i, r) in records.into_iter().enumerate() {
                    if let Ok(sd) = record_from_json(r, &format!("documents[{i}]")) {
                        check_document(&sd.doc, rest.len());
                    }
                }
            }
        }
        _ => {
            let mut path = b"/v1/documents/".to_vec();
            path.extend_from_slice(rest);
            if let Ok(uri) = Uri::try_from(path) {
                send(h, Method::GET, uri, json, Vec::new());
            }
        }
    }
});
