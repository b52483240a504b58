//! What the fuzz targets (`fuzz/`, cargo-fuzz on nightly) check, on stable
//! Rust: every committed seed of `fuzz/corpus/*/seed-*` replayed through the
//! same entry points and checks, and one test per input the fuzzer found
//! that broke the engine, minimized.

use std::io::Cursor;
use std::path::PathBuf;

use retrace::ingest::input::{read_jsonl, Fields};
use retrace::ingest::warc::read_warc_from;
use retrace::ingest::{extract_main_text, Anchor};
use retrace::text::{sentences, Analysis};
use retrace::{CharSpan, Comparer, Document, Format, Report};

/// The committed seeds of one fuzz target.
fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../fuzz/corpus/{target}"));
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("seed-"))
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).expect("seed"))
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no seeds in {}", dir.display());
    out
}

fn check_anchors(anchors: &[Anchor], text_chars: usize, input_chars: usize) {
    for w in anchors.windows(2) {
        assert!(w[0].text <= w[1].text && w[0].html <= w[1].html, "{w:?}");
    }
    for a in anchors {
        assert!(a.text <= text_chars && a.html <= input_chars, "{a:?}");
    }
}

/// The `ingest` target.
fn ingest(data: &[u8]) {
    for format in [
        None,
        Some(Format::Text),
        Some(Format::Markdown),
        Some(Format::Html),
    ] {
        if let Ok(doc) = Document::from_bytes("fuzz", data, format) {
            if let Some(f) = format {
                assert_eq!(doc.format, f);
            }
            check_anchors(&doc.html_anchors, doc.chars(), data.len());
        }
    }
    let html = String::from_utf8_lossy(data);
    let (text, anchors) = extract_main_text(&html);
    check_anchors(&anchors, text.chars().count(), html.chars().count());
}

/// The `jsonl` target.
fn jsonl(data: &[u8]) {
    for sd in read_jsonl(data, "fuzz").flatten() {
        assert!(!sd.doc.id.is_empty());
    }
    let fields = Fields {
        id: "url".into(),
        text: "content".into(),
    };
    for sd in read_jsonl(data, "fuzz").with_fields(fields).flatten() {
        assert!(!sd.doc.id.is_empty());
    }
}

/// The `warc` target.
fn warc(data: &[u8]) -> usize {
    read_warc_from(Cursor::new(data.to_vec()), "fuzz.warc")
        .flatten()
        .count()
}

/// The `text` target.
fn text(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let a = Analysis::new(text);
    let spans: Vec<_> = a.sentences.iter().map(|s| s.span).collect();
    assert_eq!(spans, sentences(text));
    let mut prev_end = 0;
    for (i, s) in a.sentences.iter().enumerate() {
        assert!(prev_end <= s.span.start && s.span.start < s.span.end);
        assert!(text.get(s.span.start..s.span.end).is_some(), "{:?}", s.span);
        assert_eq!(
            a.chars.char_of(s.span.end),
            text[..s.span.end].chars().count()
        );
        for t in a.sentence_tokens(i) {
            assert!(s.span.start <= t.span.start && t.span.end <= s.span.end);
            assert!(
                text.get(t.span.start..t.glued_end).is_some(),
                "{:?}",
                t.span
            );
        }
        prev_end = s.span.end;
    }
}

fn check_span(s: CharSpan, chars: usize) {
    assert!(
        s.start() <= s.end() && s.end() <= chars,
        "{s:?} outside 0..{chars}"
    );
}

fn check_report(report: &Report, query: &Document, sources: &[Document]) {
    assert_eq!(report.query.chars, query.chars());
    for s in &report.sources {
        let doc = sources.iter().find(|d| d.id == s.id).expect("a known id");
        assert_eq!(s.chars, doc.chars());
        assert!(s.score.is_finite());
        for c in [s.query_coverage, s.source_coverage] {
            assert!(
                c.is_finite() && (-1e-4..=1.0 + 1e-4).contains(&c),
                "coverage {c}"
            );
        }
        for p in &s.passages {
            check_span(p.query, query.chars());
            check_span(p.source, s.chars);
            for l in &p.links {
                check_span(l.query, query.chars());
                check_span(l.source, s.chars);
            }
        }
        for f in &s.findings {
            f.query
                .into_iter()
                .for_each(|q| check_span(q, query.chars()));
            f.source.into_iter().for_each(|x| check_span(x, s.chars));
        }
    }
}

/// The `compare` target (lexical similarity only; the target also runs the
/// embedded model).
fn compare(data: &[u8]) {
    let mut parts = data.splitn(5, |&b| b == 0xFF);
    let query = Document::from_text(
        "query",
        String::from_utf8_lossy(parts.next().unwrap_or(b"")),
    );
    let sources: Vec<Document> = parts
        .take(3)
        .enumerate()
        .map(|(i, p)| Document::from_text(format!("s{i}"), String::from_utf8_lossy(p)))
        .collect();
    let report = Comparer::new().compare(&query, &sources);
    check_report(&report, &query, &sources);
}

/// The `pan_xml` target.
fn pan_xml(data: &[u8]) -> bool {
    retrace::eval::parse_pan_xml(&String::from_utf8_lossy(data)).is_ok()
}

#[test]
fn ingest_seeds() {
    for (name, data) in seeds("ingest") {
        eprintln!("{name}");
        ingest(&data);
    }
}

#[test]
fn jsonl_seeds() {
    for (_, data) in seeds("jsonl") {
        jsonl(&data);
    }
}

#[test]
fn warc_seeds() {
    let read: usize = seeds("warc").iter().map(|(_, d)| warc(d)).sum();
    assert!(read >= 4, "the WARC seeds hold documents ({read} read)");
}

#[test]
fn text_seeds() {
    for (_, data) in seeds("text") {
        text(&data);
    }
}

#[test]
fn compare_seeds() {
    for (_, data) in seeds("compare") {
        compare(&data);
    }
}

#[test]
fn pan_xml_seeds() {
    let ok: Vec<bool> = seeds("pan_xml").iter().map(|(_, d)| pan_xml(d)).collect();
    assert!(ok.contains(&true) && ok.contains(&false), "{ok:?}");
}

// ---- inputs the fuzzer found (minimized) ----

/// `warc` target: a `WARC-Target-URI` that is not UTF-8 panicked inside the
/// `warc` crate (`Record::header` unwraps `String::from_utf8`); the URI is
/// now read from the raw headers, lossily.
#[test]
fn warc_target_uri_not_utf8() {
    let mut data =
        b"WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: http://a.example/caf".to_vec();
    data.push(0xE9); // latin-1 e-acute: not UTF-8
    data.extend_from_slice(
        b"\r\nWARC-Date: 2026-01-02T03:04:05Z\r\nWARC-Record-ID: <urn:uuid:1>\r\nContent-Length: 11\r\n\r\nHello there\r\n\r\n",
    );
    let docs: Vec<_> = read_warc_from(Cursor::new(data), "fuzz.warc").collect();
    assert_eq!(docs.len(), 1);
    let sd = docs[0].as_ref().expect("a document");
    assert_eq!(sd.doc.id, "http://a.example/caf\u{FFFD}");
    assert_eq!(sd.doc.text, "Hello there");
    let meta = sd.meta.as_ref().expect("metadata");
    assert_eq!(meta["url"], "http://a.example/caf\u{FFFD}");
    assert_eq!(meta["warc_record_id"], "<urn:uuid:1>");
}
