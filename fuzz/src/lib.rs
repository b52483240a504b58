//! Checks the fuzz targets share: what must hold of every document and
//! report the engine returns, whatever the input.

use retrace::ingest::Anchor;
use retrace::{CharSpan, Document, Report};

/// Inputs are cut to this many bytes, so that no target spends its time on
/// the legitimately slow paths of very large inputs (a campaign is about
/// malformed input, not size; the size limits have their own tests).
pub const MAX_INPUT: usize = 64 << 10;

/// `data` cut to [`MAX_INPUT`] bytes.
pub fn capped(data: &[u8]) -> &[u8] {
    &data[..data.len().min(MAX_INPUT)]
}

/// The character offsets of a document hold: HTML anchors lie inside the
/// extracted text and inside the input (`input_chars`: an upper bound on
/// the characters of the decoded input), in increasing order of text
/// offset.
pub fn check_anchors(anchors: &[Anchor], text_chars: usize, input_chars: usize) {
    let mut prev: Option<&Anchor> = None;
    for a in anchors {
        assert!(
            a.text <= text_chars,
            "anchor text offset {} past the text's {text_chars} chars",
            a.text
        );
        assert!(
            a.html <= input_chars,
            "anchor html offset {} past the input's {input_chars} chars",
            a.html
        );
        if let Some(p) = prev {
            assert!(p.text <= a.text, "anchors out of order: {p:?} then {a:?}");
            assert!(p.html <= a.html, "anchors out of order: {p:?} then {a:?}");
        }
        prev = Some(a);
    }
}

/// A document read from `input_bytes` bytes: its anchors hold, and it
/// serialises.
pub fn check_document(doc: &Document, input_bytes: usize) {
    // every decoding gives at most one character per input byte
    check_anchors(&doc.html_anchors, doc.chars(), input_bytes);
    serde_json::to_string(doc).expect("a document serialises");
}

fn check_span(s: CharSpan, chars: usize, what: &str) {
    assert!(
        s.start() <= s.end() && s.end() <= chars,
        "{what} span {s:?} outside 0..{chars}"
    );
}

fn check_unit(x: f32, what: &str) {
    assert!(
        x.is_finite() && (-1e-4..=1.0 + 1e-4).contains(&x),
        "{what} = {x} is not in [0, 1]"
    );
}

/// Every span of a report lies inside the texts it refers to (`query` for
/// the suspect, `sources` for the documents the sources are read from, by
/// id), and its numbers are finite.
pub fn check_report(report: &Report, query: &Document, sources: &[Document]) {
    let qchars = query.chars();
    assert_eq!(report.query.chars, qchars, "report.query.chars");
    for s in &report.sources {
        let doc = sources
            .iter()
            .find(|d| d.id == s.id)
            .unwrap_or_else(|| panic!("report names an unknown source {:?}", s.id));
        let schars = doc.chars();
        assert_eq!(s.chars, schars, "source {:?} chars", s.id);
        assert!(s.score.is_finite(), "score {} of {:?}", s.score, s.id);
        check_unit(s.query_coverage, "query_coverage");
        check_unit(s.source_coverage, "source_coverage");
        assert!(s.confidence.is_finite(), "confidence {}", s.confidence);
        for f in &s.verdict_features {
            assert!(f.is_finite(), "verdict feature {f}");
        }
        for p in &s.passages {
            check_span(p.query, qchars, "passage query");
            check_span(p.source, schars, "passage source");
            assert!(p.similarity.is_finite(), "passage similarity");
            for l in &p.links {
                check_span(l.query, qchars, "link query");
                check_span(l.source, schars, "link source");
                assert!(l.similarity.is_finite(), "link similarity");
            }
        }
        for f in &s.findings {
            if let Some(q) = f.query {
                check_span(q, qchars, "finding query");
            }
            if let Some(src) = f.source {
                check_span(src, schars, "finding source");
            }
        }
    }
    serde_json::to_string(report).expect("a report serialises");
}
