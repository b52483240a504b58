//! The `retrace._retrace` module (see `retrace/_retrace.pyi` for the Python
//! signatures and `retrace/__init__.py` for the package).

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use pyo3::types::{PyDict, PyList};
use rayon::prelude::*;
use retrace::embed::{default_embedder, SentenceEmbedder};
use retrace::index::{
    AddOutcome, CheckOptions, Index as EngineIndex, IndexWriter, ScanContext, ScanOptions,
    WriterOptions,
};
use retrace::{Comparer, Document, Format, Report};

create_exception!(
    retrace,
    RetraceError,
    PyException,
    "An error of the retrace engine: unreadable or binary input, a model that \
     cannot be loaded, an index directory that cannot be used as asked (missing, \
     not an index, damaged, another format version or model, locked by another \
     writer). The message is the engine's, as the command line prints it."
);

/// An engine error (anything printable) as a `RetraceError`.
fn engine_err(e: impl std::fmt::Display) -> PyErr {
    RetraceError::new_err(e.to_string())
}

/// `json.loads(text)`: the engine's serde JSON as Python objects.
fn loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.getattr("loads")?.call1((text,))
}

/// A list of JSON texts as a list of Python objects.
fn loads_all<'py>(py: Python<'py>, texts: &[String]) -> PyResult<Bound<'py, PyList>> {
    let loads = py.import("json")?.getattr("loads")?;
    let items = texts
        .iter()
        .map(|t| loads.call1((t.as_str(),)))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

fn to_json<T: serde::Serialize + ?Sized>(v: &T) -> Result<String, String> {
    serde_json::to_string(v).map_err(|e| format!("cannot serialise the result: {e}"))
}

/// The built-in sentence model, as the CLI uses by default (`None` when the
/// build has no embedded model, or for `lexical_only`).
fn embedder(lexical_only: bool) -> PyResult<Option<Arc<dyn SentenceEmbedder>>> {
    if lexical_only || !retrace::embed::HAS_EMBEDDED_MODEL {
        return Ok(None);
    }
    let e = default_embedder().map_err(engine_err)?;
    Ok(Some(e as Arc<dyn SentenceEmbedder>))
}

/// The comparer the CLI builds by default (`models::comparer`): the
/// built-in model, or lexical evidence only. Built once per process.
fn comparer(lexical_only: bool) -> PyResult<Comparer> {
    static MODEL: OnceLock<Comparer> = OnceLock::new();
    static LEXICAL: OnceLock<Comparer> = OnceLock::new();
    let cell = if lexical_only { &LEXICAL } else { &MODEL };
    if let Some(c) = cell.get() {
        return Ok(c.clone());
    }
    let c = match embedder(lexical_only)? {
        Some(e) => Comparer::new().with_embedder(e),
        None => Comparer::new(),
    };
    Ok(cell.get_or_init(|| c).clone())
}

/// A text handed in from Python: plain text (as a JSON Lines record's
/// `text`), refused if it holds a NUL character.
fn document(id: String, text: &str) -> retrace::EngineResult<Document> {
    Document::from_str_limited(
        id,
        text,
        Some(Format::Text),
        retrace::ingest::DEFAULT_MAX_BYTES,
    )
}

/// What `retrace compare --min-confidence C` does to a report.
fn keep_confident(report: &mut Report, min_confidence: f32) {
    if min_confidence > 0.0 {
        report.sources.retain(|s| s.confidence >= min_confidence);
        report.update_verdict();
    }
}

/// Aligns a suspect text with candidate sources given as texts and returns
/// the report: the object `retrace compare --json` prints (`query`,
/// `verdict`, `verdict_model`, `headline`, `sources` with their `passages`,
/// `links` and `findings`), as Python dicts and lists.
///
/// `sources` is a list of texts (ids "0", "1", ... in list order) or a dict
/// of id -> text. Uses the built-in sentence model, like the CLI's default
/// (`lexical_only=True`: lexical evidence only). Sources below
/// `min_confidence` are left out. Raises `RetraceError` on binary input.
#[pyfunction]
#[pyo3(
    signature = (suspect, sources, *, id = "suspect".to_string(), min_confidence = 0.0, lexical_only = false),
    text_signature = "(suspect, sources, *, id='suspect', min_confidence=0.0, lexical_only=False)"
)]
fn compare<'py>(
    py: Python<'py>,
    suspect: String,
    sources: &Bound<'py, PyAny>,
    id: String,
    min_confidence: f32,
    lexical_only: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let given: Vec<(String, String)> = if let Ok(d) = sources.cast::<PyDict>() {
        d.iter()
            .map(|(k, v)| Ok((k.extract::<String>()?, v.extract::<String>()?)))
            .collect::<PyResult<_>>()?
    } else {
        let texts: Vec<String> = sources.extract().map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err(
                "sources must be a list of texts or a dict of id -> text",
            )
        })?;
        texts
            .into_iter()
            .enumerate()
            .map(|(i, t)| (i.to_string(), t))
            .collect()
    };
    let comparer = comparer(lexical_only)?;
    let json = py
        .detach(|| -> Result<String, String> {
            let suspect = document(id, &suspect).map_err(|e| e.to_string())?;
            let sources = given
                .into_iter()
                .map(|(id, text)| document(id, &text))
                .collect::<retrace::EngineResult<Vec<_>>>()
                .map_err(|e| e.to_string())?;
            let mut report = comparer.compare(&suspect, &sources);
            keep_confident(&mut report, min_confidence);
            to_json(&report)
        })
        .map_err(engine_err)?;
    loads(py, &json)
}

/// Sets the number of worker threads of the engine's parallel work (what
/// the CLI's `--threads N` does; default: all cores). Call it once, before
/// any other call; raises `RetraceError` when the thread pool is already
/// running.
#[pyfunction]
fn set_threads(n: usize) -> PyResult<()> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build_global()
        .map_err(|e| RetraceError::new_err(format!("cannot set the threads: {e}")))
}

/// Little-endian `N`-byte values from bytes (their length a multiple of
/// `N`), each read with `from` (e.g. `u64::from_le_bytes`).
fn le_values<T, const N: usize>(b: &[u8], what: &str, from: fn([u8; N]) -> T) -> PyResult<Vec<T>> {
    let chunks = b.chunks_exact(N);
    if !chunks.remainder().is_empty() {
        return Err(PyValueError::new_err(format!(
            "{what}: {} bytes is not a whole number of {}-bit values",
            b.len(),
            8 * N
        )));
    }
    Ok(chunks
        .map(|c| from(c.try_into().expect("N bytes")))
        .collect())
}

/// Values as one byte string, each written with `to` (e.g.
/// `u64::to_le_bytes`).
fn le_bytes<'py, T: Copy, const N: usize>(
    py: Python<'py>,
    v: &[T],
    to: fn(T) -> [u8; N],
) -> Bound<'py, PyBytes> {
    let mut out = Vec::with_capacity(v.len() * N);
    for x in v {
        out.extend_from_slice(&to(*x));
    }
    PyBytes::new(py, &out)
}

/// Keys and counts as two byte strings (little-endian u64, u32).
fn counts_bytes<'py>(
    py: Python<'py>,
    counts: &[(u64, u32)],
) -> (Bound<'py, PyBytes>, Bound<'py, PyBytes>) {
    let keys: Vec<u64> = counts.iter().map(|x| x.0).collect();
    let n: Vec<u32> = counts.iter().map(|x| x.1).collect();
    (
        le_bytes(py, &keys, u64::to_le_bytes),
        le_bytes(py, &n, u32::to_le_bytes),
    )
}

fn scan_options(all: bool, min_confidence: f32, keep_boilerplate: bool) -> ScanOptions {
    ScanOptions {
        all,
        min_confidence,
        keep_boilerplate,
        ..ScanOptions::default()
    }
}

/// The collection-wide counts every part of a distributed scan needs
/// (`retrace.spark.scan` builds it on the driver): the number of documents,
/// the boilerplate template keys, and the terms in two documents or more
/// with their document frequencies, as little-endian byte strings (u64
/// keys and terms, u32 counts).
#[pyclass(frozen, module = "retrace", name = "ScanContext")]
struct PyScanContext {
    ctx: ScanContext,
}

#[pymethods]
impl PyScanContext {
    #[new]
    #[pyo3(signature = (documents, boilerplate, terms, counts))]
    fn new(documents: usize, boilerplate: &[u8], terms: &[u8], counts: &[u8]) -> PyResult<Self> {
        let terms = le_values(terms, "terms", u64::from_le_bytes)?;
        let counts = le_values(counts, "counts", u32::from_le_bytes)?;
        if terms.len() != counts.len() {
            return Err(PyValueError::new_err(format!(
                "{} terms but {} counts",
                terms.len(),
                counts.len()
            )));
        }
        Ok(PyScanContext {
            ctx: ScanContext {
                documents,
                boilerplate: le_values(boilerplate, "boilerplate", u64::from_le_bytes)?
                    .into_iter()
                    .collect(),
                df: terms.into_iter().zip(counts).collect(),
            },
        })
    }

    /// Documents in the collection.
    #[getter]
    fn documents(&self) -> usize {
        self.ctx.documents
    }

    fn __repr__(&self) -> String {
        format!(
            "ScanContext(documents={}, boilerplate={}, terms={})",
            self.ctx.documents,
            self.ctx.boilerplate.len(),
            self.ctx.df.len()
        )
    }
}

/// The scan's tuned settings that a distributed candidate join applies
/// (`retrace.spark.scan`), as a dict: `terms_per_doc`, `min_shared`,
/// `min_overlap`, `partners`, `boilerplate_docs`.
#[pyfunction]
fn scan_settings<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
    let o = ScanOptions::default();
    let d = PyDict::new(py);
    d.set_item("terms_per_doc", o.terms_per_doc)?;
    d.set_item("min_shared", o.min_shared)?;
    d.set_item("min_overlap", o.min_overlap)?;
    d.set_item("partners", o.partners)?;
    d.set_item("boilerplate_docs", o.boilerplate_docs)?;
    Ok(d)
}

/// The index's writer slot: taken (and the writer finished) at commit.
type WriterSlot<'a> = Option<IndexWriter<'a>>;

self_cell::self_cell!(
    /// The writer of an index, with the index it borrows from.
    struct OwnedWriter {
        owner: Arc<EngineIndex>,
        #[not_covariant]
        dependent: WriterSlot,
    }
);

/// A retrace corpus index on disk: the directory `retrace index --index
/// DIR` writes and `retrace check`, `scan`, `stats` and `serve` read.
///
/// Opens the index at `path`, or creates it there when `path` is missing or
/// an empty directory (`create=False`: an existing index only). It uses the
/// built-in sentence model like the CLI's default (`lexical_only=True`: no
/// model, as `retrace index --lexical-only`); an index must be opened with
/// the model it was built with. Raises `RetraceError` when `path` is not a
/// usable index.
///
/// Changes (`add`, `delete`) are durable and visible to `check`, `scan` and
/// `stats` after `commit()`; changes not committed when the object goes away
/// are discarded. Between the first change and `commit()` the object holds
/// the index's single write lock. Safe to share between threads: readers
/// do not wait for a writer.
#[pyclass(frozen, module = "retrace", name = "Index")]
struct PyIndex {
    path: PathBuf,
    index: Arc<EngineIndex>,
    comparer: Comparer,
    writer: Mutex<Option<OwnedWriter>>,
}

fn check_options(top: usize, all: bool, min_confidence: f32) -> CheckOptions {
    // as `retrace check`: at least twice `top` candidates aligned in full
    let defaults = CheckOptions::default();
    CheckOptions {
        top,
        all,
        min_confidence,
        candidates: defaults.candidates.max(2 * top),
        ..defaults
    }
}

impl PyIndex {
    /// Runs `f` with the writer, starting one (and taking the write lock)
    /// if none is open.
    fn with_writer<T>(
        &self,
        f: impl FnOnce(&mut IndexWriter<'_>) -> retrace::Result<T>,
    ) -> retrace::Result<T> {
        let mut guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            *guard = Some(OwnedWriter::try_new(self.index.clone(), |index| {
                index.writer(WriterOptions::default()).map(Some)
            })?);
        }
        let cell = guard.as_mut().expect("a writer");
        cell.with_dependent_mut(|_, slot| f(slot.as_mut().expect("an open writer")))
    }

    fn check_one(&self, id: String, text: &str, opts: &CheckOptions) -> Result<String, String> {
        let doc = document(id, text).map_err(|e| e.to_string())?;
        let checked = self
            .index
            .check(&self.comparer, &doc, opts)
            .map_err(|e| e.to_string())?;
        to_json(&checked.report)
    }
}

#[pymethods]
impl PyIndex {
    #[new]
    #[pyo3(signature = (path, *, create = true, lexical_only = false))]
    fn new(py: Python<'_>, path: PathBuf, create: bool, lexical_only: bool) -> PyResult<Self> {
        let model = embedder(lexical_only)?;
        let comparer = comparer(lexical_only)?;
        let index = py
            .detach(|| {
                if create {
                    EngineIndex::open_or_create(&path, model)
                } else {
                    EngineIndex::open(&path, model)
                }
            })
            .map_err(engine_err)?;
        Ok(PyIndex {
            path,
            index: Arc::new(index),
            comparer,
            writer: Mutex::new(None),
        })
    }

    /// The index directory, as given.
    #[getter]
    fn path(&self) -> String {
        self.path.display().to_string()
    }

    fn __repr__(&self) -> String {
        format!("retrace.Index({:?})", self.path.display().to_string())
    }

    /// Adds a document (plain text) under `id`, replacing the document of
    /// that id if there is one; keyword arguments are kept as its metadata
    /// (JSON values, as the other fields of a JSON Lines record). Returns
    /// what happened: "added", "replaced", "duplicate" (the same text is
    /// stored under another id: `id` is recorded as its duplicate) or
    /// "unchanged". Visible after `commit()`.
    #[pyo3(signature = (id, text, **metadata))]
    fn add(
        &self,
        py: Python<'_>,
        id: String,
        text: String,
        metadata: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<&'static str> {
        let meta: Option<serde_json::Value> = match metadata {
            Some(d) if !d.is_empty() => {
                let text: String = py
                    .import("json")?
                    .getattr("dumps")?
                    .call1((d,))?
                    .extract()?;
                Some(
                    serde_json::from_str(&text)
                        .map_err(|e| PyValueError::new_err(e.to_string()))?,
                )
            }
            _ => None,
        };
        let outcome = py
            .detach(|| {
                let doc = document(id, &text)?;
                self.with_writer(|w| w.add(doc, meta))
            })
            .map_err(engine_err)?;
        Ok(match outcome {
            AddOutcome::Added => "added",
            AddOutcome::Replaced => "replaced",
            AddOutcome::Duplicate { .. } => "duplicate",
            AddOutcome::Unchanged => "unchanged",
        })
    }

    /// Removes the document (or duplicate id) `id`. Returns whether it was
    /// there. Visible after `commit()`.
    fn delete(&self, py: Python<'_>, id: String) -> PyResult<bool> {
        py.detach(|| self.with_writer(|w| w.delete(&id)))
            .map_err(engine_err)
    }

    /// Makes every change so far durable and visible, atomically (as
    /// `retrace index` does at its end), releases the write lock, and moves
    /// this object's view to the latest commit (also another process's).
    fn commit(&self, py: Python<'_>) -> PyResult<()> {
        py.detach(|| -> retrace::Result<()> {
            let taken = self.writer.lock().unwrap_or_else(|p| p.into_inner()).take();
            if let Some(mut cell) = taken {
                cell.with_dependent_mut(|_, slot| match slot.take() {
                    Some(w) => w.finish(),
                    None => Ok(()),
                })?;
            }
            self.index.reload()
        })
        .map_err(engine_err)
    }

    /// Moves this object's view (what `check`, `scan` and `get` see) to the
    /// latest commit, e.g. one another process made.
    fn reload(&self, py: Python<'_>) -> PyResult<()> {
        py.detach(|| self.index.reload()).map_err(engine_err)
    }

    /// Checks a suspect text against the index: retrieves candidate sources,
    /// aligns the suspect with them and returns the report, the object
    /// `retrace check --json` prints. Lists the `derived` sources only
    /// (`all=True`: also `related` ones that share passages), at most
    /// `top`, none below `min_confidence`.
    #[pyo3(
        signature = (text, top = 5, all = false, id = "suspect".to_string(), *, min_confidence = 0.0),
        text_signature = "($self, text, top=5, all=False, id='suspect', *, min_confidence=0.0)"
    )]
    fn check<'py>(
        &self,
        py: Python<'py>,
        text: String,
        top: usize,
        all: bool,
        id: String,
        min_confidence: f32,
    ) -> PyResult<Bound<'py, PyAny>> {
        let opts = check_options(top, all, min_confidence);
        let json = py
            .detach(|| self.check_one(id, &text, &opts))
            .map_err(engine_err)?;
        loads(py, &json)
    }

    /// Checks many suspects in one call, in parallel (all cores, or
    /// `set_threads`): `texts[i]` under the id `ids[i]`. Returns one report
    /// per suspect, in order, each as `check` returns it (`as_json=True`:
    /// each as its JSON text, one `check --jsonl` line). Raises
    /// `RetraceError` if any suspect cannot be checked.
    #[pyo3(signature = (ids, texts, top = 5, all = false, *, min_confidence = 0.0, as_json = false))]
    #[allow(clippy::too_many_arguments)]
    fn check_many<'py>(
        &self,
        py: Python<'py>,
        ids: Vec<String>,
        texts: Vec<String>,
        top: usize,
        all: bool,
        min_confidence: f32,
        as_json: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        if ids.len() != texts.len() {
            return Err(PyValueError::new_err(format!(
                "{} ids for {} texts",
                ids.len(),
                texts.len()
            )));
        }
        let opts = check_options(top, all, min_confidence);
        let reports = py
            .detach(|| {
                ids.into_par_iter()
                    .zip(texts.par_iter())
                    .map(|(id, text)| self.check_one(id, text, &opts))
                    .collect::<Result<Vec<String>, String>>()
            })
            .map_err(engine_err)?;
        if as_json {
            PyList::new(py, reports)
        } else {
            loads_all(py, &reports)
        }
    }

    /// Finds which documents of the index reuse which (`retrace scan`):
    /// returns the pairs, each the object a `scan --jsonl` line holds (`a`,
    /// `b`, `score`, `verdict`, `confidence`, `query_coverage`,
    /// `source_coverage`, `a_chars`, `b_chars`, `fact_agreement`, `passages`,
    /// `findings`), in the scan's order. Only `derived` pairs unless
    /// `all=True`; boilerplate sentences (templates in many documents) are
    /// blanked unless `keep_boilerplate=True`.
    #[pyo3(signature = (all = false, min_confidence = 0.0, keep_boilerplate = false))]
    fn scan<'py>(
        &self,
        py: Python<'py>,
        all: bool,
        min_confidence: f32,
        keep_boilerplate: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let opts = scan_options(all, min_confidence, keep_boilerplate);
        let pairs = py
            .detach(|| -> Result<Vec<String>, String> {
                let mut out = Vec::new();
                self.index
                    .scan(
                        &self.comparer,
                        &opts,
                        |p| {
                            out.push(
                                serde_json::to_string(&p)
                                    .map_err(|e| retrace::EngineError::Format(e.to_string()))?,
                            );
                            Ok(())
                        },
                        |_, _| Ok(()),
                    )
                    .map_err(|e| e.to_string())?;
                Ok(out)
            })
            .map_err(engine_err)?;
        loads_all(py, &pairs)
    }

    /// Part 1 of a distributed scan (`retrace.spark.scan`): in how many
    /// of this index's documents each sentence template key occurs, as
    /// `(keys, counts)` byte strings (little-endian u64, u32).
    fn scan_template_counts<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
        let counts = py
            .detach(|| self.index.scan_template_counts())
            .map_err(engine_err)?;
        Ok(counts_bytes(py, &counts))
    }

    /// Part 2: this index's documents and, outside the collection's
    /// `boilerplate` keys (u64 bytes), each term's document frequency:
    /// `(documents, terms, counts)`.
    fn scan_term_counts<'py>(
        &self,
        py: Python<'py>,
        boilerplate: &[u8],
    ) -> PyResult<(usize, Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
        let boiler = le_values(boilerplate, "boilerplate", u64::from_le_bytes)?
            .into_iter()
            .collect();
        let (n, df) = py
            .detach(|| self.index.scan_term_counts(&boiler))
            .map_err(engine_err)?;
        let (t, c) = counts_bytes(py, &df);
        Ok((n, t, c))
    }

    /// Part 3: each document's signature under the collection's counts:
    /// `(ids, chars, owners, terms, weights)`: document ids and lengths in
    /// characters (lists), then every signature term, document after
    /// document: the position of its document in `ids` (u32 bytes), the
    /// term (u64 bytes) and its IDF weight (f32 bytes).
    #[allow(clippy::type_complexity)]
    fn scan_signatures<'py>(
        &self,
        py: Python<'py>,
        ctx: &PyScanContext,
    ) -> PyResult<(
        Vec<String>,
        Vec<usize>,
        Bound<'py, PyBytes>,
        Bound<'py, PyBytes>,
        Bound<'py, PyBytes>,
    )> {
        let sigs = py
            .detach(|| {
                self.index
                    .scan_signatures(&ctx.ctx, &ScanOptions::default())
            })
            .map_err(engine_err)?;
        let owners: Vec<u32> = sigs
            .iter()
            .enumerate()
            .flat_map(|(i, s)| std::iter::repeat_n(i as u32, s.terms.len()))
            .collect();
        let terms: Vec<u64> = sigs
            .iter()
            .flat_map(|s| s.terms.iter().map(|t| t.0))
            .collect();
        let weights: Vec<f32> = sigs
            .iter()
            .flat_map(|s| s.terms.iter().map(|t| t.1))
            .collect();
        Ok((
            sigs.iter().map(|s| s.id.clone()).collect(),
            sigs.iter().map(|s| s.chars).collect(),
            le_bytes(py, &owners, u32::to_le_bytes),
            le_bytes(py, &terms, u64::to_le_bytes),
            le_bytes(py, &weights, f32::to_le_bytes),
        ))
    }

    /// Part 4: the candidate pairs `(a[k], b[k])` aligned, `a[k]` stored in
    /// this index and `b[k]` in `other` (default: this one), with this
    /// index's exact duplicates first when `duplicates=True`; returns the
    /// reported pairs as `scan --jsonl` lines (JSON strings).
    #[pyo3(signature = (ctx, a, b, other = None, duplicates = false, all = false, min_confidence = 0.0, keep_boilerplate = false))]
    #[allow(clippy::too_many_arguments)]
    fn scan_align(
        &self,
        py: Python<'_>,
        ctx: &PyScanContext,
        a: Vec<String>,
        b: Vec<String>,
        other: Option<&PyIndex>,
        duplicates: bool,
        all: bool,
        min_confidence: f32,
        keep_boilerplate: bool,
    ) -> PyResult<Vec<String>> {
        if a.len() != b.len() {
            return Err(PyValueError::new_err(format!(
                "{} a ids but {} b ids",
                a.len(),
                b.len()
            )));
        }
        let pairs: Vec<(String, String)> = a.into_iter().zip(b).collect();
        let opts = scan_options(all, min_confidence, keep_boilerplate);
        py.detach(|| -> Result<Vec<String>, String> {
            let mut out = Vec::new();
            self.index
                .scan_align(
                    other.map(|o| o.index.as_ref()),
                    &pairs,
                    duplicates,
                    &ctx.ctx,
                    &self.comparer,
                    &opts,
                    |p| {
                        out.push(
                            serde_json::to_string(&p)
                                .map_err(|e| retrace::EngineError::Format(e.to_string()))?,
                        );
                        Ok(())
                    },
                )
                .map_err(|e| e.to_string())?;
            Ok(out)
        })
        .map_err(engine_err)
    }

    /// Counts and facts about the index's last commit: the object `retrace
    /// stats --json` prints (`documents`, `duplicates`, `passages`,
    /// `text_bytes`, `disk_bytes`, `model`, `format_version`, `ivf_lists`,
    /// `segments`, `index`).
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let json = py
            .detach(|| -> Result<String, String> {
                let s = EngineIndex::info(&self.path).map_err(|e| e.to_string())?;
                let mut v = serde_json::to_value(&s).map_err(|e| e.to_string())?;
                v["index"] = serde_json::Value::String(self.path.display().to_string());
                to_json(&v)
            })
            .map_err(engine_err)?;
        loads(py, &json)
    }

    /// The stored document `id` as `{"id", "text", "metadata"}` (`metadata`:
    /// the keyword arguments it was added with, or None), or None when the
    /// index has no such id (as of the last commit).
    fn get<'py>(&self, py: Python<'py>, id: String) -> PyResult<Option<Bound<'py, PyAny>>> {
        let json = py
            .detach(|| -> Result<Option<String>, String> {
                let Some(doc) = self.index.document(&id).map_err(|e| e.to_string())? else {
                    return Ok(None);
                };
                let meta = self.index.metadata(&id).map_err(|e| e.to_string())?;
                to_json(&serde_json::json!({"id": doc.id, "text": doc.text, "metadata": meta}))
                    .map(Some)
            })
            .map_err(engine_err)?;
        json.map(|j| loads(py, &j)).transpose()
    }
}

/// The retrace engine (finds where a text came from), compiled from Rust.
/// Use it through the `retrace` package: `retrace.compare`, `retrace.Index`.
#[pymodule]
fn _retrace(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("RetraceError", m.py().get_type::<RetraceError>())?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(set_threads, m)?)?;
    m.add_function(wrap_pyfunction!(scan_settings, m)?)?;
    m.add_class::<PyIndex>()?;
    m.add_class::<PyScanContext>()?;
    Ok(())
}
