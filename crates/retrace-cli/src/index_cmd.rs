//! `retrace index`, `retrace check` and `retrace stats`: the index front end.
//! A thin layer over `retrace::index`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use retrace::index::input::{read_jsonl, InputOptions, Inputs, SourceDocument};
use retrace::index::{
    AddOutcome, AnyIndex, CheckOptions, Index, IndexWriter, ShardSet, ShardWriter, WriterOptions,
};
use retrace::{Comparer, Document};

use crate::{input, models, render, Failure, ModelArgs};

#[derive(Args, Debug)]
pub struct IndexArgs {
    /// The index directory (created when missing or empty).
    #[arg(long, value_name = "DIR")]
    index: PathBuf,
    /// Files (.txt, .md, .html), directories, JSON Lines files (.jsonl, one
    /// {"id", "text", ...} object a line), WARC/WET files (.warc, .wet,
    /// .warc.gz, .wet.gz: each HTML or text page a document named by its
    /// URL) or - for JSON Lines on stdin.
    /// With --delete: the ids of the documents to remove.
    #[arg(value_name = "INPUT")]
    inputs: Vec<String>,
    /// Remove the documents whose ids are given instead of adding inputs.
    #[arg(long)]
    delete: bool,
    /// In directories, read only files whose relative path matches (repeatable;
    /// default: .txt .md .html .jsonl and similar).
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// In directories, skip files whose relative path matches (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Commit every this many megabytes of text (and at the end).
    #[arg(long, value_name = "MB", default_value_t = 64.0)]
    commit_mb: f64,
    /// Stop at the first bad input (a malformed JSON Lines record, an
    /// unreadable or binary file) with exit code 2, committing nothing more:
    /// the index keeps its last commit. Default: skip it, index the rest,
    /// exit 2 at the end.
    #[arg(long)]
    strict: bool,
    /// Split the collection into N indexes (shards) under DIR, each document
    /// in shard xxh3(id) mod N (DIR/shard-0000, ...; named in
    /// DIR/retrace-shards.json): for scanning on a cluster, one shard per
    /// task. check, scan and stats read a sharded DIR as one index. Later
    /// runs on a sharded DIR route to its shards (with or without --shards,
    /// which must then name the same N).
    #[arg(long, value_name = "N")]
    shards: Option<usize>,
    #[command(flatten)]
    fields: FieldArgs,
    #[command(flatten)]
    model: ModelArgs,
}

/// The writer of a plain or a sharded index (one per run: its size does not
/// matter).
#[allow(clippy::large_enum_variant)]
enum Writer<'a> {
    One(IndexWriter<'a>),
    Sharded(ShardWriter<'a>),
}

impl Writer<'_> {
    fn add_batch(
        &mut self,
        docs: Vec<(Document, Option<serde_json::Value>)>,
    ) -> Vec<Result<AddOutcome, retrace::Error>> {
        match self {
            Writer::One(w) => w.add_batch(docs),
            Writer::Sharded(w) => w.add_batch(docs),
        }
    }

    fn delete(&mut self, id: &str) -> Result<bool, retrace::Error> {
        match self {
            Writer::One(w) => w.delete(id),
            Writer::Sharded(w) => w.delete(id),
        }
    }

    fn finish(self) -> Result<(), retrace::Error> {
        match self {
            Writer::One(w) => w.finish(),
            Writer::Sharded(w) => w.finish(),
        }
    }
}

/// Which JSON Lines fields hold the id and the text.
#[derive(Args, Debug, Clone)]
pub struct FieldArgs {
    /// In JSON Lines inputs, the field holding each record's text.
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub text_field: String,
    /// In JSON Lines inputs, the field holding each record's id.
    #[arg(long, value_name = "NAME", default_value = "id")]
    pub id_field: String,
}

impl FieldArgs {
    pub fn fields(&self) -> retrace::index::input::Fields {
        retrace::index::input::Fields {
            id: self.id_field.clone(),
            text: self.text_field.clone(),
        }
    }
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// The index directory.
    #[arg(long, value_name = "DIR")]
    index: PathBuf,
    /// Suspect texts (.txt, .md, .html), WARC/WET files (each page a
    /// suspect), or - for stdin (with --jsonl: JSON Lines suspects {"id",
    /// "text"}, one report streamed out per line).
    #[arg(required = true, value_name = "SUSPECT")]
    suspects: Vec<String>,
    /// Most sources to report per suspect.
    #[arg(long, value_name = "K", default_value_t = 5)]
    top: usize,
    /// Least score of a reported source.
    #[arg(long, value_name = "S", default_value_t = 0.0)]
    min_score: f32,
    /// Also list `related` sources (same topic, not derived), marked as such.
    #[arg(long)]
    all: bool,
    /// Least confidence of a listed source.
    #[arg(long, value_name = "C", default_value_t = 0.0)]
    min_confidence: f32,
    /// Print one JSON report (the `compare --json` object).
    #[arg(long, conflicts_with = "jsonl")]
    json: bool,
    /// Print one JSON report per line, one per suspect.
    #[arg(long)]
    jsonl: bool,
    /// Width of the terminal report (default: the terminal's, else 100).
    #[arg(long, value_name = "COLS")]
    width: Option<usize>,
    /// Also write the report as one self-contained HTML page to FILE (the web
    /// UI's view: inline CSS and JS, no external request). With several
    /// suspects, or JSON Lines on stdin, one page per suspect numbered in
    /// input order: report.html becomes report-1.html, report-2.html, ...
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    #[command(flatten)]
    fields: FieldArgs,
    /// Candidates aligned in full per suspect.
    #[arg(long, value_name = "N", default_value_t = 10, hide = true)]
    candidates: usize,
    /// IVF groups scanned per query window.
    #[arg(long, value_name = "N", default_value_t = 16, hide = true)]
    nprobe: usize,
    #[command(flatten)]
    model: ModelArgs,
}

#[derive(Args, Debug)]
pub struct StatsArgs {
    /// The index directory.
    #[arg(long, value_name = "DIR")]
    index: PathBuf,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

fn output_error(e: std::io::Error) -> Failure {
    Failure {
        code: 1,
        message: format!("cannot write output: {e}"),
    }
}

fn index_error(e: retrace::Error) -> Failure {
    use retrace::index::IndexErrorKind as K;
    match &e {
        retrace::Error::Index { kind: K::Io, .. } => Failure {
            code: 1,
            message: e.to_string(),
        },
        _ => Failure::input(e),
    }
}

#[derive(Default)]
struct Tally {
    docs: u64,
    bytes: u64,
    added: u64,
    replaced: u64,
    duplicates: u64,
    unchanged: u64,
    skipped: u64,
}

/// `retrace index`.
pub fn index(args: IndexArgs) -> Result<(), Failure> {
    let embedder = models::embedder(&args.model)?;
    if args.inputs.is_empty() {
        return Err(Failure::input(if args.delete {
            "--delete needs the ids of the documents to remove"
        } else {
            "nothing to index: give files, directories, .jsonl files or - (JSON Lines on stdin)"
        }));
    }
    if !args.delete && args.inputs.iter().filter(|s| *s == "-").count() > 1 {
        return Err(Failure::input("stdin (-) can be read only once"));
    }
    let opts = WriterOptions {
        commit_bytes: (args.commit_mb.max(0.01) * 1048576.0) as u64,
        ..WriterOptions::default()
    };
    let (single, set);
    let mut writer = if args.shards.is_some() || ShardSet::is_sharded(&args.index) {
        set = ShardSet::open_or_create(&args.index, args.shards, embedder).map_err(index_error)?;
        Writer::Sharded(set.writer(opts).map_err(index_error)?)
    } else {
        single = Index::open_or_create(&args.index, embedder).map_err(index_error)?;
        Writer::One(single.writer(opts).map_err(index_error)?)
    };
    if args.delete {
        let (mut gone, mut missing) = (0, 0);
        for id in &args.inputs {
            if writer.delete(id).map_err(index_error)? {
                gone += 1;
            } else {
                eprintln!("retrace: warning: no document {id:?} in the index");
                missing += 1;
            }
        }
        writer.finish().map_err(index_error)?;
        eprintln!("deleted {gone} document(s); {missing} not found");
        return Ok(());
    }

    let start = Instant::now();
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]").expect("valid template"),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    let mut t = Tally::default();
    let input_opts = InputOptions {
        include: args.include.clone(),
        exclude: args.exclude.clone(),
        fields: args.fields.fields(),
    };
    let stdin = std::io::stdin();
    let mut batch: Vec<(Document, Option<serde_json::Value>)> = Vec::new();
    let mut batch_bytes = 0u64;
    for arg in &args.inputs {
        let items: Box<dyn Iterator<Item = Result<SourceDocument, retrace::EngineError>>> = if arg
            == "-"
        {
            Box::new(read_jsonl(stdin.lock(), "stdin").with_fields(args.fields.fields()))
        } else {
            Box::new(Inputs::new(std::slice::from_ref(arg), &input_opts).map_err(Failure::input)?)
        };
        for item in items {
            match item {
                Ok(sd) => {
                    for w in &sd.doc.warnings {
                        bar.suspend(|| eprintln!("retrace: warning: {w}"));
                    }
                    t.bytes += sd.input_bytes;
                    batch_bytes += sd.input_bytes;
                    batch.push((sd.doc, sd.meta));
                    if batch.len() >= 512 || batch_bytes >= 8 << 20 {
                        flush(&mut writer, &mut batch, &mut t, &bar)?;
                        batch_bytes = 0;
                        progress(&bar, &t, start);
                    }
                }
                Err(e) => {
                    if args.strict {
                        bar.finish_and_clear();
                        // the writer is dropped uncommitted: nothing of this
                        // run after its last commit reaches the index
                        return Err(Failure::input(format!(
                            "{e} (--strict: stopped; the index keeps its last commit)"
                        )));
                    }
                    t.skipped += 1;
                    bar.suspend(|| eprintln!("retrace: skipped {e}"));
                }
            }
        }
    }
    flush(&mut writer, &mut batch, &mut t, &bar)?;
    bar.set_message("committing");
    writer.finish().map_err(index_error)?;
    bar.finish_and_clear();
    let secs = start.elapsed().as_secs_f64();
    let mb = t.bytes as f64 / 1e6;
    eprintln!(
        "indexed {} documents, {:.1} MB in {:.1} s ({:.1} MB/s): {} added, {} replaced, {} duplicates, {} unchanged, {} skipped",
        t.docs,
        mb,
        secs,
        mb / secs.max(1e-9),
        t.added,
        t.replaced,
        t.duplicates,
        t.unchanged,
        t.skipped
    );
    if t.skipped > 0 {
        return Err(Failure::input(format!(
            "{} input(s) skipped (see above); everything else is indexed",
            t.skipped
        )));
    }
    Ok(())
}

fn flush(
    writer: &mut Writer<'_>,
    batch: &mut Vec<(Document, Option<serde_json::Value>)>,
    t: &mut Tally,
    bar: &ProgressBar,
) -> Result<(), Failure> {
    if batch.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = batch.iter().map(|(d, _)| d.id.clone()).collect();
    for (id, r) in ids.iter().zip(writer.add_batch(std::mem::take(batch))) {
        t.docs += 1;
        match r.map_err(index_error)? {
            AddOutcome::Added => t.added += 1,
            AddOutcome::Replaced => t.replaced += 1,
            AddOutcome::Duplicate { of } => {
                t.duplicates += 1;
                if bar.is_hidden() {
                    continue;
                }
                bar.set_message(format!("{id}: duplicate of {of}"));
            }
            AddOutcome::Unchanged => t.unchanged += 1,
        }
    }
    Ok(())
}

fn progress(bar: &ProgressBar, t: &Tally, start: Instant) {
    let mb = t.bytes as f64 / 1e6;
    bar.set_message(format!(
        "{} documents, {:.1} MB, {:.1} MB/s",
        t.docs,
        mb,
        mb / start.elapsed().as_secs_f64().max(1e-9)
    ));
}

/// `retrace check`.
pub fn check(args: CheckArgs) -> Result<(), Failure> {
    if args.json && args.suspects.len() > 1 {
        return Err(Failure::input(
            "--json prints one report; use --jsonl for several suspects",
        ));
    }
    if args.json && args.suspects[0] == "-" && args.jsonl {
        return Err(Failure::input("--json and --jsonl exclude each other"));
    }
    if args.suspects.iter().filter(|s| *s == "-").count() > 1 {
        return Err(Failure::input("stdin (-) can be read only once"));
    }
    let embedder = models::embedder(&args.model)?;
    let comparer = models::comparer(&args.model)?;
    let index = AnyIndex::open(&args.index, embedder).map_err(index_error)?;
    let opts = CheckOptions {
        top: args.top,
        min_score: args.min_score,
        all: args.all,
        min_confidence: args.min_confidence,
        candidates: args.candidates.max(2 * args.top),
        nprobe: args.nprobe.max(1),
        ..CheckOptions::default()
    };
    let width = args.width.unwrap_or_else(render::terminal::terminal_width);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    let mut first = true;
    // with several suspects, --html names one file per suspect (in input order)
    let numbered =
        args.suspects.len() > 1 || (args.jsonl && args.suspects.iter().any(|s| s == "-"));
    let mut nth = 0usize;
    let html_path = |nth: usize| -> Option<PathBuf> {
        let p = args.html.as_ref()?;
        Some(if numbered {
            numbered_path(p, nth)
        } else {
            p.clone()
        })
    };
    for s in &args.suspects {
        // JSON Lines on stdin, or a crawl file: each record a suspect, a
        // report each
        let records: Option<
            Box<dyn Iterator<Item = Result<SourceDocument, retrace::EngineError>>>,
        > = if s == "-" && args.jsonl {
            Some(Box::new(
                read_jsonl(std::io::stdin().lock(), "stdin").with_fields(args.fields.fields()),
            ))
        } else if retrace::ingest::warc::is_warc(Path::new(s)) {
            Some(Box::new(
                retrace::ingest::warc::read_warc(Path::new(s)).map_err(Failure::input)?,
            ))
        } else {
            None
        };
        if let Some(records) = records {
            for item in records {
                nth += 1;
                match item {
                    Ok(sd) => {
                        if !first && !args.jsonl && !args.json {
                            finish_write(writeln!(out))?;
                        }
                        first = false;
                        let html = html_path(nth);
                        one(
                            &index, &comparer, &opts, &sd.doc, &args, width, html, &mut out,
                        )?;
                        finish_write(out.flush())?;
                    }
                    Err(e) => {
                        failed += 1;
                        eprintln!("retrace: skipped {e}");
                    }
                }
            }
            continue;
        }
        nth += 1;
        let doc = match input::read_document(s) {
            Ok(d) => d,
            Err(f) if args.suspects.len() > 1 => {
                failed += 1;
                eprintln!("retrace: skipped {}", f.message);
                continue;
            }
            Err(f) => return Err(f),
        };
        for w in &doc.warnings {
            eprintln!("retrace: warning: {w}");
        }
        if !first && !args.jsonl && !args.json {
            finish_write(writeln!(out))?;
        }
        first = false;
        let html = html_path(nth);
        one(&index, &comparer, &opts, &doc, &args, width, html, &mut out)?;
        if args.jsonl {
            finish_write(out.flush())?;
        }
    }
    finish_write(out.flush())?;
    if failed > 0 {
        return Err(Failure::input(format!(
            "{failed} suspect(s) could not be read"
        )));
    }
    Ok(())
}

/// Ok on a closed pipe (the reader has seen enough).
fn finish_write(r: std::io::Result<()>) -> Result<(), Failure> {
    match r {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(output_error(e)),
    }
}

/// `report.html` -> `report-3.html` (`report` -> `report-3`).
fn numbered_path(path: &Path, nth: usize) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem}-{nth}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{nth}"),
    };
    path.with_file_name(name)
}

#[allow(clippy::too_many_arguments)]
fn one(
    index: &AnyIndex,
    comparer: &Comparer,
    opts: &CheckOptions,
    doc: &Document,
    args: &CheckArgs,
    width: usize,
    html: Option<PathBuf>,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let checked = index.check(comparer, doc, opts).map_err(index_error)?;
    if let Some(path) = html {
        crate::write_html(&path, &checked.report, doc, &checked.sources)?;
    }
    finish_write(if args.json || args.jsonl {
        serde_json::to_writer(&mut *out, &checked.report)
            .map_err(std::io::Error::other)
            .and_then(|_| writeln!(out))
    } else {
        render::terminal::write_report(out, &checked.report, doc, &checked.sources, width)
    })
}

/// `retrace stats`.
pub fn stats(args: StatsArgs) -> Result<(), Failure> {
    let s = AnyIndex::info(&args.index).map_err(index_error)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let r = if args.json {
        let mut v = serde_json::to_value(&s).map_err(|e| Failure::input(e.to_string()))?;
        v["index"] = serde_json::Value::String(args.index.display().to_string());
        writeln!(out, "{v}")
    } else {
        let mb = |b: u64| b as f64 / 1e6;
        let model = match &s.model {
            Some(m) => format!("{} (dim {}, fingerprint {})", m.id, m.dim, m.fingerprint),
            None => "none (lexical retrieval only)".to_string(),
        };
        let ann = if s.ivf_lists > 0 {
            format!("IVF, {} lists", s.ivf_lists)
        } else {
            "flat scan (too few passages to train IVF yet)".to_string()
        };
        writeln!(
            out,
            "index:       {}\ndocuments:   {}\nduplicates:  {}\npassages:    {}\ntext:        {:.1} MB\non disk:     {:.1} MB ({:.2}x the text)\nmodel:       {}\nformat:      version {}\nsemantic:    {}\nsegments:    {}",
            args.index.display(),
            s.documents,
            s.duplicates,
            s.passages,
            mb(s.text_bytes),
            mb(s.disk_bytes),
            s.disk_bytes as f64 / (s.text_bytes.max(1)) as f64,
            model,
            s.format_version,
            ann,
            s.segments
        )
    };
    finish_write(r)
}
