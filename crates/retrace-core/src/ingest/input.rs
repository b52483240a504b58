//! Index inputs: files, directories (walked recursively, filtered by globs)
//! and JSON Lines, read one document at a time.

use std::collections::VecDeque;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::{Error, Result};
use crate::ingest::{Document, Format, DEFAULT_MAX_BYTES};

/// Extensions taken from a directory when no `include` glob is given.
const DEFAULT_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "html", "htm", "xhtml", "jsonl", "ndjson", "warc", "wet",
];

/// Which files of a directory to read.
#[derive(Debug, Clone, Default)]
pub struct InputOptions {
    /// Globs a file's path (relative to the directory) must match, e.g.
    /// `*.txt` or `news/**/*.html` (default: known text extensions).
    pub include: Vec<String>,
    /// Globs of paths to skip.
    pub exclude: Vec<String>,
    /// The JSON Lines fields holding each record's id and text.
    pub fields: Fields,
}

/// The JSON Lines fields holding a record's id and text (default `id` and
/// `text`; e.g. `url` and `content` for a crawl export).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    /// The id field (a non-empty string or a number).
    pub id: String,
    /// The text field (a string).
    pub text: String,
}

impl Default for Fields {
    fn default() -> Self {
        Fields {
            id: "id".into(),
            text: "text".into(),
        }
    }
}

/// One document read from an input.
#[derive(Debug, Clone)]
pub struct SourceDocument {
    /// The document: its id is the JSON Lines `id`, else the path as given.
    pub doc: Document,
    /// For JSON Lines: the record's other fields.
    pub meta: Option<serde_json::Value>,
    /// Bytes read from the input for this document.
    pub input_bytes: u64,
}

/// Whether a path names a JSON Lines file.
pub fn is_jsonl(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"))
}

/// Reads JSON Lines records `{"id": ..., "text": ..., ...}` one at a time.
/// A bad line gives an error naming `origin:line` and reading goes on.
pub struct JsonlReader<R> {
    reader: R,
    origin: String,
    line: usize,
    buf: Vec<u8>,
    fields: Fields,
}

/// A [`JsonlReader`] over any buffered reader (stdin, a file).
pub fn read_jsonl<R: BufRead>(reader: R, origin: impl Into<String>) -> JsonlReader<R> {
    JsonlReader {
        reader,
        origin: origin.into(),
        line: 0,
        buf: Vec::new(),
        fields: Fields::default(),
    }
}

impl<R> JsonlReader<R> {
    /// Reads ids and texts from these fields instead of `id` and `text`.
    pub fn with_fields(mut self, fields: Fields) -> Self {
        self.fields = fields;
        self
    }
}

impl<R: BufRead> Iterator for JsonlReader<R> {
    type Item = Result<SourceDocument>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.buf.clear();
            self.line += 1;
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => {
                    return Some(Err(Error::Format(format!(
                        "{}:{}: cannot read: {e}",
                        self.origin, self.line
                    ))))
                }
            }
            if self.buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(self.parse());
        }
    }
}

impl<R> JsonlReader<R> {
    fn parse(&self) -> Result<SourceDocument> {
        let at = format!("{}:{}", self.origin, self.line);
        let bad = |why: String| Error::Format(format!("{at}: {why}"));
        let input_bytes = self.buf.len() as u64;
        if self.buf.len() > DEFAULT_MAX_BYTES {
            return Err(bad(format!(
                "line of {} bytes, over the limit of {DEFAULT_MAX_BYTES}",
                self.buf.len()
            )));
        }
        let v: serde_json::Value =
            serde_json::from_slice(&self.buf).map_err(|e| bad(format!("invalid JSON: {e}")))?;
        let mut sd = record_with_fields(v, &at, &self.fields)?;
        sd.input_bytes = input_bytes;
        Ok(sd)
    }
}

/// Reads one JSON Lines record (`{"id": ..., "text": ..., ...metadata}`)
/// already parsed as JSON, with the same rules as [`JsonlReader`]; `at`
/// names it in errors (e.g. `file:line`). `input_bytes` is left at 0.
pub fn record_from_json(v: serde_json::Value, at: &str) -> Result<SourceDocument> {
    record_with_fields(v, at, &Fields::default())
}

/// Like [`record_from_json`], with the id and text in the given fields.
pub fn record_with_fields(
    v: serde_json::Value,
    at: &str,
    fields: &Fields,
) -> Result<SourceDocument> {
    let bad = |why: String| Error::Format(format!("{at}: {why}"));
    let serde_json::Value::Object(mut o) = v else {
        return Err(bad(format!(
            "expected a JSON object {{\"{}\": ..., \"{}\": ...}}",
            fields.id, fields.text
        )));
    };
    let id = match o.remove(&fields.id) {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => {
            return Err(bad(format!(
                "missing \"{}\" (a non-empty string)",
                fields.id
            )))
        }
    };
    let text = match o.remove(&fields.text) {
        Some(serde_json::Value::String(s)) => s,
        _ => return Err(bad(format!("{id}: missing \"{}\" (a string)", fields.text))),
    };
    let doc = Document::from_str_limited(id, &text, Some(Format::Text), super::DEFAULT_MAX_BYTES)
        .map_err(|e| bad(e.to_string()))?;
    Ok(SourceDocument {
        doc,
        meta: (!o.is_empty()).then_some(serde_json::Value::Object(o)),
        input_bytes: 0,
    })
}

type Walk = walkdir::FilterEntry<walkdir::IntoIter, fn(&walkdir::DirEntry) -> bool>;

fn not_hidden(e: &walkdir::DirEntry) -> bool {
    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
}

/// Reads files, directories and JSON Lines files named by paths, one
/// document at a time (directories in file-name order).
pub struct Inputs {
    queue: VecDeque<String>,
    walk: Option<(PathBuf, Walk)>,
    jsonl: Option<JsonlReader<std::io::BufReader<std::fs::File>>>,
    warc: Option<super::warc::WarcDocuments>,
    include: Option<GlobSet>,
    exclude: GlobSet,
    fields: Fields,
}

fn globs(pats: &[String]) -> Result<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for p in pats {
        b.add(Glob::new(p).map_err(|e| Error::Format(format!("bad glob {p:?}: {e}")))?);
    }
    b.build()
        .map_err(|e| Error::Format(format!("bad globs: {e}")))
}

impl Inputs {
    /// Inputs for `paths` (files or directories; not `-`).
    pub fn new(paths: &[String], opts: &InputOptions) -> Result<Inputs> {
        Ok(Inputs {
            queue: paths.iter().cloned().collect(),
            walk: None,
            jsonl: None,
            warc: None,
            include: if opts.include.is_empty() {
                None
            } else {
                Some(globs(&opts.include)?)
            },
            exclude: globs(&opts.exclude)?,
            fields: opts.fields.clone(),
        })
    }

    fn wanted(&self, root: &Path, path: &Path) -> bool {
        let rel = path.strip_prefix(root).unwrap_or(path);
        if self.exclude.is_match(rel) {
            return false;
        }
        match &self.include {
            Some(g) => g.is_match(rel),
            None => {
                super::warc::is_warc(path)
                    || path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                        DEFAULT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())
                    })
            }
        }
    }

    fn open_file(&mut self, path: &Path) -> Option<Result<SourceDocument>> {
        if super::warc::is_warc(path) {
            return match super::warc::read_warc(path) {
                Ok(w) => {
                    self.warc = Some(w);
                    None
                }
                Err(e) => Some(Err(e)),
            };
        }
        if is_jsonl(path) {
            match std::fs::File::open(path) {
                Ok(f) => {
                    self.jsonl = Some(
                        read_jsonl(
                            std::io::BufReader::with_capacity(1 << 20, f),
                            path.display().to_string(),
                        )
                        .with_fields(self.fields.clone()),
                    );
                    None
                }
                Err(source) => Some(Err(Error::Read {
                    path: path.to_path_buf(),
                    source,
                })),
            }
        } else {
            Some(Document::from_path(path).map(|doc| SourceDocument {
                input_bytes: std::fs::metadata(path).map_or(0, |m| m.len()),
                doc,
                meta: None,
            }))
        }
    }
}

impl Iterator for Inputs {
    type Item = Result<SourceDocument>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(j) = &mut self.jsonl {
                match j.next() {
                    Some(r) => return Some(r),
                    None => self.jsonl = None,
                }
            }
            if let Some(w) = &mut self.warc {
                match w.next() {
                    Some(r) => return Some(r),
                    None => self.warc = None,
                }
            }
            if let Some((root, walk)) = &mut self.walk {
                let root = root.clone();
                match walk.next() {
                    Some(Ok(e)) => {
                        if e.file_type().is_file() && self.wanted(&root, e.path()) {
                            if let Some(r) = self.open_file(&e.into_path()) {
                                return Some(r);
                            }
                        }
                        continue;
                    }
                    Some(Err(e)) => {
                        let path = e.path().map(Path::to_path_buf).unwrap_or(root);
                        return Some(Err(Error::Read {
                            path,
                            source: e.into(),
                        }));
                    }
                    None => {
                        self.walk = None;
                        continue;
                    }
                }
            }
            let p = self.queue.pop_front()?;
            let path = PathBuf::from(&p);
            if path.is_dir() {
                let it = walkdir::WalkDir::new(&path)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_entry(not_hidden as fn(&walkdir::DirEntry) -> bool);
                self.walk = Some((path, it));
                continue;
            }
            if let Some(r) = self.open_file(&path) {
                return Some(r);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_records_and_errors() {
        let data = "{\"id\": \"a\", \"text\": \"Alpha text.\", \"url\": \"http://x\"}\n\n\
                    not json\n{\"id\": \"b\"}\n{\"id\": 7, \"text\": \"Seven.\"}\n";
        let r: Vec<_> = read_jsonl(data.as_bytes(), "mem").collect();
        assert_eq!(r.len(), 4);
        let a = r[0].as_ref().unwrap();
        assert_eq!(a.doc.id, "a");
        assert_eq!(a.meta.as_ref().unwrap()["url"], "http://x");
        let e = r[1].as_ref().unwrap_err().to_string();
        assert!(e.starts_with("mem:3: invalid JSON"), "{e}");
        assert!(r[2].as_ref().unwrap_err().to_string().contains("mem:4"));
        assert_eq!(r[3].as_ref().unwrap().doc.id, "7");
    }
}
