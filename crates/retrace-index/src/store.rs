//! Reading stored records from a committed snapshot.

use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, Searcher, TantivyDocument, Term, TERMINATED};

use super::schema::Fields;
use retrace_core::ingest::{Document, Format};

/// A stored document record.
#[derive(Debug, Clone)]
pub struct StoredRecord {
    pub id: String,
    pub text: String,
    pub meta: Option<String>,
    pub format: Format,
}

impl StoredRecord {
    pub fn document(&self) -> Document {
        let mut d = Document::from_text(self.id.clone(), self.text.clone());
        d.format = self.format;
        d
    }
}

pub fn format_name(f: Format) -> &'static str {
    match f {
        Format::Text => "text",
        Format::Markdown => "markdown",
        Format::Html => "html",
    }
}

fn format_of(s: &str) -> Format {
    match s {
        "markdown" => Format::Markdown,
        "html" => Format::Html,
        _ => Format::Text,
    }
}

/// Alive documents holding `term`, in index order.
pub fn alive_docs(searcher: &Searcher, term: &Term) -> tantivy::Result<Vec<DocAddress>> {
    let mut out = Vec::new();
    for (ord, seg) in searcher.segment_readers().iter().enumerate() {
        let inv = seg.inverted_index(term.field())?;
        let Some(mut p) = inv.read_postings(term, IndexRecordOption::Basic)? else {
            continue;
        };
        let mut d = p.doc();
        while d != TERMINATED {
            if !seg.is_deleted(d) {
                out.push(DocAddress::new(ord as u32, d));
            }
            d = p.advance();
        }
    }
    Ok(out)
}

fn str_of(doc: &TantivyDocument, f: tantivy::schema::Field) -> Option<String> {
    doc.get_first(f)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// The stored fields of a record document.
pub fn record(searcher: &Searcher, f: &Fields, addr: DocAddress) -> tantivy::Result<StoredRecord> {
    let doc: TantivyDocument = searcher.doc(addr)?;
    Ok(StoredRecord {
        id: str_of(&doc, f.sid).unwrap_or_default(),
        text: str_of(&doc, f.text).unwrap_or_default(),
        meta: str_of(&doc, f.meta),
        format: format_of(&str_of(&doc, f.format).unwrap_or_default()),
    })
}

/// What an id stands for in a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A stored document with this content hash.
    Record { hash: u64 },
    /// A duplicate of the document `of`.
    Alias { of: String, meta: Option<String> },
}

/// The entry of an id in the committed snapshot.
pub fn entry(searcher: &Searcher, f: &Fields, id: &str) -> tantivy::Result<Option<Entry>> {
    for addr in alive_docs(searcher, &Term::from_field_text(f.id, id))? {
        let doc: TantivyDocument = searcher.doc(addr)?;
        if let Some(of) = str_of(&doc, f.dup_of) {
            return Ok(Some(Entry::Alias {
                of,
                meta: str_of(&doc, f.meta),
            }));
        }
        if doc.get_first(f.sid).is_some() {
            let hash = doc.get_first(f.hash).and_then(|v| v.as_u64()).unwrap_or(0);
            return Ok(Some(Entry::Record { hash }));
        }
    }
    Ok(None)
}

/// The record document of an id, if it is stored.
pub fn record_of_id(
    searcher: &Searcher,
    f: &Fields,
    id: &str,
) -> tantivy::Result<Option<StoredRecord>> {
    for addr in alive_docs(searcher, &Term::from_field_text(f.id, id))? {
        let doc: TantivyDocument = searcher.doc(addr)?;
        if doc.get_first(f.sid).is_some() && doc.get_first(f.dup_of).is_none() {
            return record(searcher, f, addr).map(Some);
        }
    }
    Ok(None)
}

/// Where the record document of an id is, if it is stored.
pub fn record_addr_of_id(
    searcher: &Searcher,
    f: &Fields,
    id: &str,
) -> tantivy::Result<Option<DocAddress>> {
    for addr in alive_docs(searcher, &Term::from_field_text(f.id, id))? {
        let doc: TantivyDocument = searcher.doc(addr)?;
        if doc.get_first(f.sid).is_some() && doc.get_first(f.dup_of).is_none() {
            return Ok(Some(addr));
        }
    }
    Ok(None)
}

/// The record document of a sequence number.
pub fn record_of_seq(
    searcher: &Searcher,
    f: &Fields,
    seq: u64,
) -> tantivy::Result<Option<StoredRecord>> {
    match alive_docs(searcher, &Term::from_field_u64(f.rec, seq))?.first() {
        Some(&a) => record(searcher, f, a).map(Some),
        None => Ok(None),
    }
}

/// Ids of records with a content hash.
pub fn ids_with_hash(searcher: &Searcher, f: &Fields, hash: u64) -> tantivy::Result<Vec<String>> {
    let mut out = Vec::new();
    for addr in alive_docs(searcher, &Term::from_field_u64(f.hash, hash))? {
        let doc: TantivyDocument = searcher.doc(addr)?;
        if let Some(id) = str_of(&doc, f.sid) {
            out.push(id);
        }
    }
    Ok(out)
}

/// Ids recorded as duplicates of `of`.
pub fn aliases(searcher: &Searcher, f: &Fields, of: &str) -> tantivy::Result<Vec<String>> {
    let mut out = Vec::new();
    for addr in alive_docs(searcher, &Term::from_field_text(f.dup_of, of))? {
        let doc: TantivyDocument = searcher.doc(addr)?;
        if let Some(id) = str_of(&doc, f.sid) {
            out.push(id);
        }
    }
    Ok(out)
}
