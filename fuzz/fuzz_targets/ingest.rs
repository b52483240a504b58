//! Ingest: arbitrary bytes read as a document in every format (content
//! sniffing, plain text, Markdown, HTML), and HTML main-text extraction on
//! the lossily decoded text. No panic; anchors stay inside both texts.
//!
//! HTML extraction is the slow part (two DOM extractors; with the fuzzing
//! instrumentation some 20 times slower than in a release build), so the
//! same text is never extracted twice: the HTML reading is skipped when
//! sniffing already read the input as HTML, and the direct extraction when
//! the lossy text is the text the HTML reading extracted from.
#![no_main]

use libfuzzer_sys::fuzz_target;
use retrace::{Document, Format};
use retrace_fuzz::{capped, check_anchors, check_document};

fn read(data: &[u8], format: Option<Format>) -> Option<Document> {
    let doc = Document::from_bytes("fuzz", data, format).ok()?;
    if let Some(f) = format {
        assert_eq!(doc.format, f, "the format asked for is the format read");
    }
    if doc.format != Format::Html {
        assert!(doc.html_anchors.is_empty(), "anchors without HTML");
    }
    check_document(&doc, data.len());
    Some(doc)
}

fuzz_target!(|data: &[u8]| {
    let data = capped(data);
    let sniffed = read(data, None);
    read(data, Some(Format::Text));
    read(data, Some(Format::Markdown));
    let as_html = match &sniffed {
        Some(d) if d.format == Format::Html => true,
        _ => read(data, Some(Format::Html)).is_some(),
    };
    // the size limit is a typed error, never a panic
    if !data.is_empty() {
        assert!(Document::from_bytes_limited("fuzz", data, None, data.len() - 1).is_err());
    }
    let same_text = std::str::from_utf8(data).is_ok_and(|s| !s.starts_with('\u{feff}'));
    if !(as_html && same_text) {
        let html = String::from_utf8_lossy(data);
        let (text, anchors) = retrace::ingest::extract_main_text(&html);
        check_anchors(&anchors, text.chars().count(), html.chars().count());
    }
});
