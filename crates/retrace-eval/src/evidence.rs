//! Findings evaluation: labelled rewrites -> precision and recall per
//! finding kind.
//!
//! In: a JSON array of cases, each a source (`source` text, `source_html`,
//! or `source_newid`: a Reuters-21578 article read with [`Reuters`]), a
//! suspect (`suspect` or `suspect_html`) and the findings a careful reader
//! would report (`expected`: `{"kind", "source_contains", "query_contains"}`,
//! each substring occurring exactly once in the text the engine reads).
//! Out: an [`EvidenceSummary`].
//!
//! A reported finding matches an expected one when the kinds agree and, on
//! every side the expectation names, the finding's span overlaps the named
//! substring. Matching is one to one; a finding left unmatched is a false
//! positive, an expectation left unmatched a miss.

use std::collections::BTreeMap;
use std::path::Path;

use retrace_core::{CharSpan, Comparer, Document, Error, Finding, FindingKind, Format, Result};
use serde::Serialize;

use crate::reuters::Reuters;

/// One expected finding.
#[derive(Debug, Clone)]
pub struct Expected {
    /// Its kind.
    pub kind: FindingKind,
    /// Char range in the source it must overlap, if named.
    pub source: Option<(usize, usize)>,
    /// Char range in the suspect it must overlap, if named.
    pub query: Option<(usize, usize)>,
    /// The substrings, for reports.
    pub label: String,
}

/// One labelled pair.
#[derive(Debug, Clone)]
pub struct EvidenceCase {
    /// Its name.
    pub name: String,
    /// The source as the engine reads it.
    pub source: Document,
    /// The suspect as the engine reads it.
    pub suspect: Document,
    /// What a careful reader reports.
    pub expected: Vec<Expected>,
}

/// Counts for one kind.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct KindCounts {
    /// Expected and found.
    pub tp: usize,
    /// Found, not expected.
    pub fp: usize,
    /// Expected, not found.
    pub fn_: usize,
    /// `tp / (tp + fp)` (1 when nothing was found).
    pub precision: f64,
    /// `tp / (tp + fn)` (1 when nothing was expected).
    pub recall: f64,
}

/// What `retrace eval evidence` prints.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceSummary {
    /// Cases evaluated.
    pub cases: usize,
    /// Per finding kind, in report order.
    pub kinds: BTreeMap<String, KindCounts>,
    /// All kinds together.
    pub all: KindCounts,
    /// One line per miss and per false positive.
    pub log: Vec<String>,
}

fn char_range(hay: &str, needle: &str, what: &str) -> Result<(usize, usize)> {
    let hits: Vec<usize> = hay.match_indices(needle).map(|(b, _)| b).collect();
    if hits.len() != 1 {
        return Err(Error::Format(format!(
            "{what}: {needle:?} occurs {} times, not once",
            hits.len()
        )));
    }
    let start = hay[..hits[0]].chars().count();
    Ok((start, start + needle.chars().count()))
}

fn doc(
    id: &str,
    v: &serde_json::Value,
    text_key: &str,
    reuters: Option<&Reuters>,
) -> Result<Document> {
    let bad = |why: String| Error::Format(format!("{id}: {why}"));
    if let Some(t) = v.get(text_key).and_then(|x| x.as_str()) {
        return Ok(Document::from_text(id, t));
    }
    if let Some(h) = v.get(format!("{text_key}_html")).and_then(|x| x.as_str()) {
        return Document::from_bytes(id, h.as_bytes(), Some(Format::Html));
    }
    if let Some(n) = v.get(format!("{text_key}_newid")).and_then(|x| x.as_u64()) {
        let r = reuters.ok_or_else(|| {
            bad(format!(
                "{text_key}_newid needs the Reuters-21578 directory"
            ))
        })?;
        let t = r
            .article(n as u32)
            .ok_or_else(|| bad(format!("no Reuters-21578 article with NEWID {n}")))?;
        return Ok(Document::from_text(id, t));
    }
    Err(bad(format!(
        "no {text_key}, {text_key}_html or {text_key}_newid"
    )))
}

/// Reads a cases file (see the module docs).
pub fn load_cases(path: &Path, reuters: Option<&Reuters>) -> Result<Vec<EvidenceCase>> {
    let raw = std::fs::read_to_string(path).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        source: e,
    })?;
    let v: serde_json::Value = serde_json::from_str(&raw)
        .map_err(|e| Error::Format(format!("{}: {e}", path.display())))?;
    let arr = v
        .as_array()
        .ok_or_else(|| Error::Format(format!("{}: not a JSON array of cases", path.display())))?;
    let mut out = Vec::with_capacity(arr.len());
    for (k, c) in arr.iter().enumerate() {
        let name = c
            .get("name")
            .and_then(|x| x.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| format!("case-{k}"));
        let source = doc(&name, c, "source", reuters)?;
        let suspect = doc(&name, c, "suspect", reuters)?;
        let mut expected = Vec::new();
        for e in c
            .get("expected")
            .and_then(|x| x.as_array())
            .into_iter()
            .flatten()
        {
            let kind_name = e.get("kind").and_then(|x| x.as_str()).unwrap_or("");
            let kind = FindingKind::parse(kind_name).ok_or_else(|| {
                Error::Format(format!("{name}: unknown finding kind {kind_name:?}"))
            })?;
            let sc = e.get("source_contains").and_then(|x| x.as_str());
            let qc = e.get("query_contains").and_then(|x| x.as_str());
            if sc.is_none() && qc.is_none() {
                return Err(Error::Format(format!(
                    "{name}: an expectation needs a side"
                )));
            }
            expected.push(Expected {
                kind,
                source: sc
                    .map(|s| char_range(&source.text, s, &format!("{name} source")))
                    .transpose()?,
                query: qc
                    .map(|s| char_range(&suspect.text, s, &format!("{name} suspect")))
                    .transpose()?,
                label: format!("s={:?} q={:?}", sc.unwrap_or("-"), qc.unwrap_or("-")),
            });
        }
        out.push(EvidenceCase {
            name,
            source,
            suspect,
            expected,
        });
    }
    Ok(out)
}

fn overlaps(span: Option<CharSpan>, want: Option<(usize, usize)>) -> bool {
    match (span, want) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(s), Some((a, b))) => s.0 < b && a < s.1,
    }
}

fn matches(f: &Finding, e: &Expected) -> bool {
    f.kind == e.kind && overlaps(f.source, e.source) && overlaps(f.query, e.query)
}

fn snippet(text: &str, span: Option<CharSpan>) -> String {
    match span {
        None => "-".into(),
        Some(s) => {
            let t: String = text.chars().skip(s.0).take(s.len().min(70)).collect();
            format!("{:?}", t.replace('\n', " "))
        }
    }
}

fn finish(c: &mut KindCounts) {
    c.precision = if c.tp + c.fp == 0 {
        1.0
    } else {
        c.tp as f64 / (c.tp + c.fp) as f64
    };
    c.recall = if c.tp + c.fn_ == 0 {
        1.0
    } else {
        c.tp as f64 / (c.tp + c.fn_) as f64
    };
}

/// Compares every case's suspect with its source and scores the findings.
pub fn evaluate(cases: &[EvidenceCase], comparer: &Comparer) -> EvidenceSummary {
    let mut kinds: BTreeMap<String, KindCounts> = FindingKind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), KindCounts::default()))
        .collect();
    let mut log = Vec::new();
    for case in cases {
        let report = comparer.compare(&case.suspect, std::slice::from_ref(&case.source));
        let found: Vec<Finding> = report
            .sources
            .into_iter()
            .next()
            .map(|s| s.findings)
            .unwrap_or_default();
        let mut used = vec![false; found.len()];
        for e in &case.expected {
            let hit = (0..found.len()).find(|&i| !used[i] && matches(&found[i], e));
            let c = kinds.entry(e.kind.as_str().to_string()).or_default();
            match hit {
                Some(i) => {
                    used[i] = true;
                    c.tp += 1;
                }
                None => {
                    c.fn_ += 1;
                    log.push(format!("MISS {:<20} {:<42} {}", e.kind, case.name, e.label));
                }
            }
        }
        for (i, f) in found.iter().enumerate() {
            if used[i] {
                continue;
            }
            kinds.entry(f.kind.as_str().to_string()).or_default().fp += 1;
            log.push(format!(
                "FP   {:<20} {:<42} s={} q={} | {}",
                f.kind,
                case.name,
                snippet(&case.source.text, f.source),
                snippet(&case.suspect.text, f.query),
                f.detail
            ));
        }
    }
    let mut all = KindCounts::default();
    for c in kinds.values_mut() {
        finish(c);
        all.tp += c.tp;
        all.fp += c.fp;
        all.fn_ += c.fn_;
    }
    finish(&mut all);
    EvidenceSummary {
        cases: cases.len(),
        kinds,
        all,
        log,
    }
}
