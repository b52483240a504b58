//! WARC and WET files (plain or gzip, as Common Crawl ships them), read one
//! record at a time: `response` records (an HTTP response: its headers are
//! dropped and the body read as HTML or text by its content type) and
//! `conversion` (WET: extracted text) or `resource` records become
//! documents named by their `WARC-Target-URI`; other records (`warcinfo`,
//! `request`, `metadata`, ...) are skipped.

use std::io::BufRead;
use std::path::Path;

use warc::{BufferedBody, Record, RecordType, WarcHeader, WarcReader};

use super::input::SourceDocument;
use crate::error::{Error, Result};
use crate::ingest::{Document, Format};

/// Whether a path names a WARC or WET file (`.warc`, `.wet`, optionally
/// `.gz`).
pub fn is_warc(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    name.ends_with(".warc") || name.ends_with(".wet")
}

type Records = Box<dyn Iterator<Item = std::result::Result<Record<BufferedBody>, warc::Error>>>;

/// The documents of one WARC or WET file.
pub struct WarcDocuments {
    records: Records,
    origin: String,
    nth: usize,
}

impl std::fmt::Debug for WarcDocuments {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WarcDocuments")
            .field("origin", &self.origin)
            .field("nth", &self.nth)
            .finish()
    }
}

/// Opens a WARC or WET file (gzip when its name ends in `.gz`).
pub fn read_warc(path: &Path) -> Result<WarcDocuments> {
    let read_err = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    let records: Records = if gz {
        Box::new(
            WarcReader::from_path_gzip(path)
                .map_err(read_err)?
                .iter_records(),
        )
    } else {
        Box::new(
            WarcReader::from_path(path)
                .map_err(read_err)?
                .iter_records(),
        )
    };
    Ok(WarcDocuments {
        records,
        origin: path.display().to_string(),
        nth: 0,
    })
}

/// Reads WARC records from any buffered reader (already decompressed).
pub fn read_warc_from<R: BufRead + 'static>(reader: R, origin: &str) -> WarcDocuments {
    WarcDocuments {
        records: Box::new(WarcReader::new(reader).iter_records()),
        origin: origin.to_string(),
        nth: 0,
    }
}

/// Splits an HTTP response into its content type and body.
fn http_body(raw: &[u8]) -> (Option<String>, &[u8]) {
    if !raw.starts_with(b"HTTP/") {
        return (None, raw);
    }
    let (head_end, body_start) = match raw.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(p) => (p, p + 4),
        None => match raw.windows(2).position(|w| w == b"\n\n") {
            Some(p) => (p, p + 2),
            None => return (None, &raw[raw.len()..]),
        },
    };
    let head = String::from_utf8_lossy(&raw[..head_end]);
    let ctype = head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case("content-type")
            .then(|| v.trim().to_ascii_lowercase())
    });
    (ctype, &raw[body_start..])
}

impl Iterator for WarcDocuments {
    type Item = Result<SourceDocument>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let rec = match self.records.next()? {
                Ok(r) => r,
                Err(e) => {
                    // the reader cannot resynchronise after a broken record
                    self.records = Box::new(std::iter::empty());
                    return Some(Err(Error::Format(format!(
                        "{}: record {}: {e}",
                        self.origin,
                        self.nth + 1
                    ))));
                }
            };
            self.nth += 1;
            let kind = rec.warc_type().clone();
            let record_id = rec.warc_id().to_string();
            let date = rec.date().to_rfc3339();
            // the raw headers: the crate's `Record::header` panics on a value
            // that is not UTF-8 (a URI in another encoding); read it lossily
            let (head, raw_body) = rec.into_raw_parts();
            let (ctype, body, format) = match kind {
                RecordType::Response => {
                    let (ctype, body) = http_body(&raw_body);
                    let html = ctype.as_deref().is_none_or(|c| c.contains("html"));
                    let text = ctype.as_deref().is_some_and(|c| c.starts_with("text/"));
                    if !html && !text {
                        continue; // images, PDFs, scripts
                    }
                    let f = if html { Format::Html } else { Format::Text };
                    (ctype, body, Some(f))
                }
                RecordType::Conversion => (None, &raw_body[..], Some(Format::Text)),
                RecordType::Resource => (None, &raw_body[..], None),
                _ => continue,
            };
            if body.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let uri = head
                .headers
                .get(&WarcHeader::TargetURI)
                .map(|u| {
                    String::from_utf8_lossy(u)
                        .trim_matches(['<', '>'])
                        .to_string()
                })
                .unwrap_or_else(|| format!("{}#{}", self.origin, self.nth));
            let input_bytes = body.len() as u64;
            let doc = match Document::from_bytes(uri.clone(), body, format) {
                Ok(d) => d,
                Err(e) => {
                    return Some(Err(Error::Format(format!(
                        "{}: record {} ({uri}): {e}",
                        self.origin, self.nth
                    ))))
                }
            };
            let mut meta = serde_json::Map::new();
            meta.insert("url".into(), uri.into());
            meta.insert("warc_record_id".into(), record_id.into());
            meta.insert("warc_date".into(), date.into());
            if let Some(c) = ctype {
                meta.insert("content_type".into(), c.into());
            }
            return Some(Ok(SourceDocument {
                doc,
                meta: Some(serde_json::Value::Object(meta)),
                input_bytes,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, uri: &str, body: &str) -> String {
        format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2026-11-30T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:{}>\r\nContent-Length: {}\r\n\r\n{body}\r\n\r\n",
            format_args!("{:08x}-0000-0000-0000-000000000000", uri.len()),
            body.len()
        )
    }

    #[test]
    fn responses_and_conversions_become_documents() {
        let html = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><article><p>The council approved the budget on Monday after a long debate about roads.</p></article></body></html>";
        let png = "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\nPNGDATA";
        let data = [
            record("warcinfo", "", "software: test"),
            record(
                "request",
                "http://a.example/news",
                "GET /news HTTP/1.1\r\n\r\n",
            ),
            record("response", "http://a.example/news", html),
            record("response", "http://a.example/logo.png", png),
            record(
                "conversion",
                "http://b.example/story",
                "Plain extracted text of a story.",
            ),
        ]
        .concat();
        let docs: Vec<_> = read_warc_from(std::io::Cursor::new(data.into_bytes()), "mem")
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].doc.id, "http://a.example/news");
        assert_eq!(docs[0].doc.format, Format::Html);
        assert!(
            docs[0].doc.text.contains("approved the budget"),
            "{}",
            docs[0].doc.text
        );
        assert!(!docs[0].doc.text.contains("HTTP/1.1"));
        assert_eq!(docs[1].doc.text.trim(), "Plain extracted text of a story.");
        let meta = docs[1].meta.as_ref().unwrap();
        assert_eq!(meta["url"], "http://b.example/story");
    }

    #[test]
    fn a_broken_record_is_an_error_not_a_panic() {
        let data =
            "WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 999\r\n\r\nshort".to_string();
        let r: Vec<_> = read_warc_from(std::io::Cursor::new(data.into_bytes()), "mem").collect();
        assert!(r.iter().all(|x| x.is_err()), "{r:?}");
    }

    #[test]
    fn names() {
        assert!(is_warc(Path::new("CC-MAIN-1.warc.gz")));
        assert!(is_warc(Path::new("x.wet.gz")));
        assert!(is_warc(Path::new("x.WARC")));
        assert!(!is_warc(Path::new("x.jsonl.gz")));
    }
}
