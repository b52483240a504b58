//! The retrace web UI and the standalone HTML report.
//!
//! Both show the same view, drawn by one renderer (`assets/report.js` and
//! `assets/report.css`): the ranked sources, and for the picked source the
//! suspect and the source side by side with the aligned passages in matching
//! colours, and the findings with jump links to both sides.
//!
//! - [`asset`] serves the web app (`index.html`, `app.js`, the renderer):
//!   hand-written, dependency-free files embedded in the binary, so the app
//!   works with no network, no CDN and no build step.
//! - [`standalone_report`] writes the same view as one self-contained HTML
//!   file (inline CSS and JS, the data embedded as JSON) to attach to an email
//!   or a case.
//!
//! The renderer's input is the report's JSON object with the texts added:
//! `{"query": .., "sources": [..], "texts": {"query": "..", "sources": {"<id>": ".."}}}`.
//!
//! ## Example
//! ```
//! use retrace::{Comparer, Document};
//! use retrace_web::{standalone_report, ReportTexts};
//!
//! let source = Document::from_text("source.txt", "The council approved the new budget on Monday.");
//! let suspect = Document::from_text("suspect.txt", "On Monday the council passed the new budget.");
//! let report = Comparer::new().compare(&suspect, std::slice::from_ref(&source));
//! let texts = ReportTexts {
//!     query: suspect.text.clone(),
//!     sources: [(source.id.clone(), source.text.clone())].into_iter().collect(),
//! };
//! let html = standalone_report(&report, &texts);
//! assert!(html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"));
//! assert!(html.contains("source.txt"));
//! ```

use std::collections::BTreeMap;

use serde::Serialize;

/// The embedded assets: (file name, content type, bytes).
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "index.html",
        "text/html; charset=utf-8",
        include_bytes!("../assets/index.html"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/app.js"),
    ),
    (
        "report.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/report.js"),
    ),
    (
        "report.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/report.css"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/app.css"),
    ),
    (
        "standalone.html",
        "text/html; charset=utf-8",
        include_bytes!("../assets/standalone.html"),
    ),
];

const STANDALONE: &str = include_str!("../assets/standalone.html");
const REPORT_JS: &str = include_str!("../assets/report.js");
const REPORT_CSS: &str = include_str!("../assets/report.css");

/// A static asset of the web UI: (content type, bytes), for "index.html" and
/// the files under assets/ (by file name, e.g. "app.js", or as the page
/// links them, "assets/app.js"). A leading `/` is ignored and the empty path
/// is "index.html"; anything else is `None`.
pub fn asset(path: &str) -> Option<(&'static str, &'static [u8])> {
    let name = path.strip_prefix('/').unwrap_or(path);
    let name = name.strip_prefix("assets/").unwrap_or(name);
    let name = if name.is_empty() { "index.html" } else { name };
    ASSETS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|&(_, ty, bytes)| (ty, bytes))
}

/// The texts a report's spans refer to: the suspect's, and each reported
/// source's by id (for HTML input: the extracted main text).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReportTexts {
    /// The suspect's text.
    pub query: String,
    /// Source texts by source id (sources without one are shown without text).
    pub sources: BTreeMap<String, String>,
}

/// The renderer's input: the report with the texts.
#[derive(Serialize)]
struct Data<'a> {
    #[serde(flatten)]
    report: &'a retrace::Report,
    texts: &'a ReportTexts,
}

/// JSON that can sit inside a `<script>` element: `<`, `>`, `&` and the
/// line and paragraph separators U+2028/U+2029 are written as `\uXXXX`
/// escapes (they can only occur inside JSON strings, where the escapes mean
/// the same), so no text can close the element or open a comment.
pub fn script_json(value: &impl Serialize) -> String {
    let json = serde_json::to_string(value).expect("a report serialises");
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for an HTML element or attribute.
fn html_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Fills `{{NAME}}` placeholders in one pass (values are not rescanned).
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out =
        String::with_capacity(template.len() + values.iter().map(|v| v.1.len()).sum::<usize>());
    let mut rest = template;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find("}}").and_then(|j| {
            let key = &after[..j];
            values.iter().find(|(k, _)| *k == key).map(|(_, v)| (j, *v))
        }) {
            Some((j, v)) => {
                out.push_str(v);
                rest = &after[j + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The standalone report: one self-contained HTML file (inline CSS and JS,
/// data embedded as JSON), the same view the web UI shows.
pub fn standalone_report(report: &retrace::Report, texts: &ReportTexts) -> String {
    let data = script_json(&Data { report, texts });
    let title = html_escape(&format!("retrace report: {}", report.query.id));
    fill(
        STANDALONE,
        &[
            ("TITLE", &title),
            ("CSS", REPORT_CSS),
            ("JS", REPORT_JS),
            ("DATA", &data),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use retrace::{
        CharSpan, Finding, FindingKind, Link, Passage, PassageKind, Report, SourceReport,
    };

    fn sample(query: &str, source: &str) -> (Report, ReportTexts) {
        let mut report = Report::empty("suspect <1>.txt", query.chars().count());
        let n = query.chars().count();
        report.sources.push(SourceReport {
            id: "src</script>".into(),
            score: 0.5,
            query_coverage: 1.0,
            source_coverage: 1.0,
            chars: source.chars().count(),
            passages: vec![Passage {
                query: CharSpan(0, n),
                source: CharSpan(0, source.chars().count()),
                similarity: 0.9,
                kind: PassageKind::Verbatim,
                links: vec![Link {
                    query: CharSpan(0, n),
                    source: CharSpan(0, source.chars().count()),
                    similarity: 0.9,
                }],
            }],
            findings: vec![Finding {
                kind: FindingKind::QuoteAltered,
                source: Some(CharSpan(0, 2)),
                query: None,
                detail: "a </script> \"detail\"".into(),
            }],
            verdict: retrace::Verdict::Derived,
            confidence: 0.9,
            verdict_features: Vec::new(),
        });
        let mut sources = BTreeMap::new();
        sources.insert("src</script>".to_string(), source.to_string());
        let texts = ReportTexts {
            query: query.to_string(),
            sources,
        };
        (report, texts)
    }

    /// The embedded data: the text between the data script's tags.
    fn data_of(html: &str) -> &str {
        let open = "<script type=\"application/json\" id=\"retrace-data\">";
        let start = html.find(open).expect("data script") + open.len();
        let len = html[start..].find("</script>").expect("closed");
        &html[start..start + len]
    }

    #[test]
    fn text_cannot_break_out_of_the_data_script() {
        let query = "Bad </script><script>alert(1)</script> <!-- x \u{2028}\u{2029} & 😀 end";
        let source = "</SCRIPT> <!--<script> 𝒳 source";
        let (report, texts) = sample(query, source);
        let html = standalone_report(&report, &texts);
        let data = data_of(&html);
        for bad in ['<', '>', '\u{2028}', '\u{2029}'] {
            assert!(!data.contains(bad), "data holds {bad:?}");
        }
        assert!(!data.contains('&'));
        // the data still decodes to the same texts and report
        let v: serde_json::Value = serde_json::from_str(data).unwrap();
        assert_eq!(v["texts"]["query"], query);
        assert_eq!(v["texts"]["sources"]["src</script>"], source);
        assert_eq!(v["query"]["id"], "suspect <1>.txt");
        assert_eq!(v["sources"][0]["passages"][0]["kind"], "verbatim");
        assert_eq!(v["sources"][0]["findings"][0]["source"][1], 2);
        // one data script, then the renderer; the title is escaped
        assert_eq!(html.matches("id=\"retrace-data\"").count(), 1);
        assert!(html.contains("<title>retrace report: suspect &lt;1&gt;.txt</title>"));
        assert!(!html.contains("{{"), "unfilled placeholder");
    }

    #[test]
    fn standalone_report_is_self_contained() {
        let (report, texts) = sample("Some text.", "Some text.");
        let html = standalone_report(&report, &texts);
        assert!(html.starts_with("<!DOCTYPE html>"));
        for bad in ["http://", "https://", "<link", " src=", "@import", "url("] {
            assert!(!html.contains(bad), "report contains {bad}");
        }
        assert!(html.contains(REPORT_JS) && html.contains(REPORT_CSS));
        // the inline code cannot close its own element early
        assert!(!REPORT_JS.to_ascii_lowercase().contains("</script"));
        assert!(!REPORT_CSS.to_ascii_lowercase().contains("</style"));
    }

    #[test]
    fn assets_have_their_content_types() {
        let expect = [
            ("index.html", "text/html; charset=utf-8"),
            ("app.js", "text/javascript; charset=utf-8"),
            ("report.js", "text/javascript; charset=utf-8"),
            ("report.css", "text/css; charset=utf-8"),
            ("app.css", "text/css; charset=utf-8"),
            ("standalone.html", "text/html; charset=utf-8"),
        ];
        for (name, ty) in expect {
            let (t, bytes) = asset(name).unwrap_or_else(|| panic!("{name} missing"));
            assert_eq!(t, ty, "{name}");
            assert!(!bytes.is_empty());
            assert!(std::str::from_utf8(bytes).is_ok());
            assert_eq!(asset(&format!("/{name}")), Some((t, bytes)));
        }
        assert_eq!(asset(""), asset("index.html"));
        assert_eq!(asset("/"), asset("index.html"));
        assert_eq!(asset("assets/app.js"), asset("app.js"));
        assert_eq!(ASSETS.len(), expect.len());
        // every file under assets/ is served
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/assets");
        for e in std::fs::read_dir(dir).unwrap() {
            let name = e.unwrap().file_name().into_string().unwrap();
            assert!(asset(&name).is_some(), "{name} is not served");
        }
    }

    #[test]
    fn unknown_assets_are_none() {
        for p in [
            "nope.js",
            "../Cargo.toml",
            "assets/../app.js",
            "assets/assets/app.js",
            "APP.JS",
            "app.js/",
            "//app.js",
            "index.htm",
        ] {
            assert!(asset(p).is_none(), "{p}");
        }
    }

    #[test]
    fn the_index_page_uses_only_served_assets() {
        let (_, page) = asset("index.html").unwrap();
        let page = std::str::from_utf8(page).unwrap();
        for part in page.split(['"', '\'']) {
            if part.ends_with(".js") || part.ends_with(".css") {
                assert!(asset(part).is_some(), "{part} is not served");
            }
        }
        assert!(!page.contains("http://") && !page.contains("https://"));
    }

    #[test]
    fn placeholders_are_filled_once() {
        assert_eq!(
            fill("a{{X}}b{{Y}}c{{Z}}", &[("X", "{{Y}}"), ("Y", "2")]),
            "a{{Y}}b2c{{Z}}"
        );
        assert_eq!(fill("{{", &[]), "{{");
    }
}
