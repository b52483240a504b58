//! `retrace scan`: which documents of an index reuse which (or which
//! outside documents reuse the index's). A thin layer over
//! `retrace::index::Index::scan` (`scan_shards` for a sharded index).

use std::collections::{BTreeMap, HashMap};
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use retrace::index::input::{read_jsonl, InputOptions, Inputs, SourceDocument};
use retrace::index::{AnyIndex, CheckOptions, ScanOptions, ScanPair};
use retrace::{CharSpan, Verdict};

use crate::{models, Failure, ModelArgs};

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// The index directory.
    #[arg(long, value_name = "DIR")]
    index: PathBuf,
    /// Scan these documents (files, directories, JSON Lines, - for JSON
    /// Lines on stdin) against the index instead of the index against
    /// itself; they are not added to it.
    #[arg(long, value_name = "INPUT", num_args = 1..)]
    against: Vec<String>,
    /// Least confidence of a reported pair.
    #[arg(long, value_name = "C", default_value_t = 0.0)]
    min_confidence: f32,
    /// Also report `related` pairs (same topic, not derived), marked as such.
    #[arg(long)]
    all: bool,
    /// One JSON object per line and pair, streamed (default: a ranked table).
    #[arg(long)]
    jsonl: bool,
    /// Write the pairs as JSON Lines to FILE (and keep a restart point in
    /// FILE.state: see --resume).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Continue the interrupted scan that was writing --out FILE: the pairs
    /// already written stay, finished work is not redone.
    #[arg(long, requires = "out")]
    resume: bool,
    /// Write the connected components of reuse to FILE, one JSON object per
    /// line: {"cluster", "size", "members": [{"id", "spans"}]}.
    #[arg(long, value_name = "FILE")]
    clusters: Option<PathBuf>,
    /// Write a browsable page of the pairs to FILE (self-contained HTML).
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Report reuse of boilerplate too (sentence templates found in many
    /// documents: table lines, datelines, footers), which is blanked by default.
    #[arg(long)]
    keep_boilerplate: bool,
    #[command(flatten)]
    fields: crate::index_cmd::FieldArgs,
    /// Most sources per --against document.
    #[arg(long, value_name = "K", default_value_t = 5)]
    top: usize,
    #[command(flatten)]
    model: ModelArgs,
}

fn index_error(e: retrace::Error) -> Failure {
    Failure::input(e)
}

fn io_failure(what: &str, e: std::io::Error) -> Failure {
    Failure {
        code: 1,
        message: format!("{what}: {e}"),
    }
}

/// Where pairs go: stdout (JSON Lines or, at the end, the table) and the
/// --out file, and what the clusters and the page need.
struct Sink {
    jsonl: bool,
    stdout: std::io::BufWriter<std::io::Stdout>,
    out: Option<std::io::BufWriter<std::fs::File>>,
    keep: bool,
    kept: Vec<ScanPair>,
    /// Texts of --against documents (not in the index), for the page.
    texts: HashMap<String, String>,
    broken_pipe: bool,
}

impl Sink {
    fn pair(&mut self, p: ScanPair) -> Result<(), Failure> {
        if self.jsonl && !self.broken_pipe {
            let r = serde_json::to_writer(&mut self.stdout, &p)
                .map_err(std::io::Error::other)
                .and_then(|_| writeln!(self.stdout))
                .and_then(|_| self.stdout.flush());
            match r {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => self.broken_pipe = true,
                Err(e) => return Err(io_failure("cannot write output", e)),
            }
        }
        if let Some(f) = &mut self.out {
            serde_json::to_writer(&mut *f, &p)
                .map_err(std::io::Error::other)
                .and_then(|_| writeln!(f))
                .map_err(|e| io_failure("cannot write --out", e))?;
        }
        if self.keep {
            self.kept.push(p);
        }
        Ok(())
    }
}

/// `retrace scan`.
pub fn scan(args: ScanArgs) -> Result<(), Failure> {
    let embedder = models::embedder(&args.model)?;
    let comparer = models::comparer(&args.model)?;
    let index = AnyIndex::open(&args.index, embedder).map_err(index_error)?;
    let start = Instant::now();
    let table = !args.jsonl;
    let mut sink = Sink {
        jsonl: args.jsonl,
        stdout: std::io::BufWriter::new(std::io::stdout()),
        out: None,
        keep: table || args.clusters.is_some() || args.html.is_some(),
        kept: Vec::new(),
        texts: HashMap::new(),
        broken_pipe: false,
    };
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {msg} [{elapsed}] {bar:30} {pos}/{len} pairs aligned, ETA {eta}",
        )
        .expect("valid template"),
    );
    let summary = if args.against.is_empty() {
        scan_index(&args, &index, &comparer, &mut sink, &bar)?
    } else {
        scan_against(&args, &index, &comparer, &mut sink, &bar)?
    };
    bar.finish_and_clear();
    if let Some(f) = &mut sink.out {
        f.flush().map_err(|e| io_failure("cannot write --out", e))?;
    }
    let mut pairs = std::mem::take(&mut sink.kept);
    pairs.sort_by(|x, y| {
        y.report
            .confidence
            .total_cmp(&x.report.confidence)
            .then(y.report.score.total_cmp(&x.report.score))
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });
    if let Some(path) = &args.clusters {
        write_clusters(path, &pairs)?;
    }
    if let Some(path) = &args.html {
        write_page(path, &pairs, &index, &sink.texts)?;
    }
    if table {
        let r = write_table(&mut sink.stdout, &pairs).and_then(|_| sink.stdout.flush());
        match r {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(e) => return Err(io_failure("cannot write output", e)),
        }
    }
    eprintln!("{summary} in {:.2} s", start.elapsed().as_secs_f64());
    Ok(())
}

/// The restart point of a scan writing --out FILE.
#[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
struct State {
    /// What the scan is: the index's state and the options.
    scan: String,
    /// Candidates done.
    done: usize,
    /// Bytes of --out holding their pairs.
    bytes: u64,
}

fn state_path(out: &Path) -> PathBuf {
    let mut s = out.as_os_str().to_owned();
    s.push(".state");
    PathBuf::from(s)
}

fn scan_index(
    args: &ScanArgs,
    index: &AnyIndex,
    comparer: &retrace::Comparer,
    sink: &mut Sink,
    bar: &ProgressBar,
) -> Result<String, Failure> {
    let mut opts = ScanOptions {
        all: args.all,
        min_confidence: args.min_confidence,
        keep_boilerplate: args.keep_boilerplate,
        ..ScanOptions::default()
    };
    let st = index.stats().map_err(index_error)?;
    let what = format!(
        "documents {} duplicates {} passages {} bytes {} all {} min_confidence {} keep_boilerplate {} model {:?} comparer {:?}",
        st.documents,
        st.duplicates,
        st.passages,
        st.text_bytes,
        opts.all,
        opts.min_confidence,
        opts.keep_boilerplate,
        index.model_info().map(|m| &m.fingerprint),
        comparer
    );
    let state_file = args.out.as_deref().map(state_path);
    if let Some(out) = &args.out {
        let mut bytes = 0;
        if args.resume {
            let state = read_state(state_file.as_deref().expect("with --out"))?;
            if state.scan != what {
                return Err(Failure::input(format!(
                    "{}: it records another scan (the index or the options changed); start afresh without --resume",
                    state_path(out).display()
                )));
            }
            opts.skip = state.done;
            bytes = state.bytes;
            if sink.keep {
                // the table, clusters and page cover the pairs found before too
                sink.kept = read_pairs(out, bytes)?;
            }
            eprintln!(
                "retrace: resuming after {} candidate pairs ({} bytes of {} kept)",
                state.done,
                bytes,
                out.display()
            );
        }
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(!args.resume)
            .open(out)
            .map_err(|e| Failure::input(format!("cannot write {}: {e}", out.display())))?;
        // pairs written after the last restart point are written again
        f.set_len(bytes)
            .and_then(|_| f.seek(std::io::SeekFrom::Start(bytes)).map(|_| ()))
            .map_err(|e| io_failure("cannot write --out", e))?;
        sink.out = Some(std::io::BufWriter::new(f));
    }
    bar.set_message("reading signatures");
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    let sink_cell = std::cell::RefCell::new(sink);
    let stats = index
        .scan(
            comparer,
            &opts,
            |p| sink_cell.borrow_mut().pair(p).map_err(fail_to_index),
            |done, total| {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
                bar.set_message("aligning");
                let mut s = sink_cell.borrow_mut();
                if let (Some(f), Some(path)) = (&mut s.out, &state_file) {
                    f.flush()
                        .map_err(|e| fail_to_index(io_failure("--out", e)))?;
                    let bytes = f
                        .get_ref()
                        .metadata()
                        .map_err(|e| fail_to_index(io_failure("--out", e)))?
                        .len();
                    let state = State {
                        scan: what.clone(),
                        done,
                        bytes,
                    };
                    write_state(path, &state).map_err(fail_to_index)?;
                }
                Ok(())
            },
        )
        .map_err(|e| {
            STOPPED
                .with(|s| s.borrow_mut().take())
                .unwrap_or_else(|| index_error(e))
        })?;
    Ok(format!(
        "scanned {} documents ({} duplicates): {} candidate pairs ({} more dropped by the sentence filter), {} aligned now, {} reported; candidates {:.2} s, alignment {:.2} s, {} boilerplate templates",
        stats.documents,
        stats.duplicates,
        stats.candidates,
        stats.filtered,
        stats.aligned,
        stats.reported,
        stats.candidate_seconds,
        stats.align_seconds,
        stats.boilerplate_templates
    ))
}

thread_local! {
    /// The CLI failure that stopped a scan from inside its callbacks.
    static STOPPED: std::cell::RefCell<Option<Failure>> = const { std::cell::RefCell::new(None) };
}

fn fail_to_index(f: Failure) -> retrace::Error {
    let message = f.message.clone();
    STOPPED.with(|s| *s.borrow_mut() = Some(f));
    retrace::Error::Engine(retrace::EngineError::Format(message))
}

/// The pairs in the first `bytes` bytes of a --out file.
fn read_pairs(path: &Path, bytes: u64) -> Result<Vec<ScanPair>, Failure> {
    use std::io::Read;
    let f = std::fs::File::open(path)
        .map_err(|e| Failure::input(format!("--resume: cannot read {}: {e}", path.display())))?;
    let mut text = String::new();
    f.take(bytes)
        .read_to_string(&mut text)
        .map_err(|e| Failure::input(format!("--resume: cannot read {}: {e}", path.display())))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str(l).map_err(|e| {
                Failure::input(format!(
                    "--resume: {}:{}: not a pair this scan wrote: {e}",
                    path.display(),
                    n + 1
                ))
            })
        })
        .collect()
}

fn read_state(path: &Path) -> Result<State, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::input(format!(
            "--resume: cannot read {}: {e} (nothing to resume)",
            path.display()
        ))
    })?;
    serde_json::from_str(&text)
        .map_err(|e| Failure::input(format!("--resume: {} is damaged: {e}", path.display())))
}

/// Writes the state atomically (a temporary file renamed over it).
fn write_state(path: &Path, state: &State) -> Result<(), Failure> {
    let tmp = path.with_extension("state.tmp");
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        serde_json::to_writer(&mut f, state).map_err(std::io::Error::other)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| io_failure(&format!("cannot write {}", path.display()), e))
}

fn scan_against(
    args: &ScanArgs,
    index: &AnyIndex,
    comparer: &retrace::Comparer,
    sink: &mut Sink,
    bar: &ProgressBar,
) -> Result<String, Failure> {
    if args.resume {
        return Err(Failure::input(
            "--resume applies to a scan of the index itself",
        ));
    }
    if let Some(out) = &args.out {
        let f = std::fs::File::create(out)
            .map_err(|e| Failure::input(format!("cannot write {}: {e}", out.display())))?;
        sink.out = Some(std::io::BufWriter::new(f));
    }
    let opts = CheckOptions {
        all: args.all,
        min_confidence: args.min_confidence,
        top: args.top,
        candidates: (2 * args.top).max(10),
        ..CheckOptions::default()
    };
    let fields = args.fields.fields();
    let input_opts = InputOptions {
        fields: fields.clone(),
        ..InputOptions::default()
    };
    bar.set_message("checking");
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    let (mut docs, mut pairs, mut failed) = (0usize, 0usize, 0usize);
    let stdin = std::io::stdin();
    for arg in &args.against {
        let items: Box<dyn Iterator<Item = Result<SourceDocument, retrace::EngineError>>> = if arg
            == "-"
        {
            Box::new(read_jsonl(stdin.lock(), "stdin").with_fields(fields.clone()))
        } else {
            Box::new(Inputs::new(std::slice::from_ref(arg), &input_opts).map_err(Failure::input)?)
        };
        for item in items {
            let sd = match item {
                Ok(sd) => sd,
                Err(e) => {
                    failed += 1;
                    bar.suspend(|| eprintln!("retrace: skipped {e}"));
                    continue;
                }
            };
            docs += 1;
            let checked = index.check(comparer, &sd.doc, &opts).map_err(index_error)?;
            let a_chars = checked.report.query.chars;
            if args.html.is_some() && !checked.report.sources.is_empty() {
                sink.texts.insert(sd.doc.id.clone(), sd.doc.text.clone());
            }
            for r in checked.report.sources {
                if r.id == sd.doc.id {
                    continue; // the document itself, already in the index
                }
                pairs += 1;
                sink.pair(ScanPair {
                    a: sd.doc.id.clone(),
                    b: r.id.clone(),
                    a_chars,
                    fact_agreement: None,
                    report: r,
                })?;
            }
            bar.set_message(format!("checked {docs} documents, {pairs} pairs"));
        }
    }
    if failed > 0 {
        bar.finish_and_clear();
        return Err(Failure::input(format!(
            "{failed} input(s) could not be read (see above)"
        )));
    }
    Ok(format!(
        "scanned {docs} documents against the index: {pairs} pairs reported"
    ))
}

/// Merged, sorted spans.
fn merge(mut v: Vec<CharSpan>) -> Vec<CharSpan> {
    v.sort_by_key(|s| (s.0, s.1));
    let mut out: Vec<CharSpan> = Vec::new();
    for s in v {
        match out.last_mut() {
            Some(l) if s.0 <= l.1 => l.1 = l.1.max(s.1),
            _ => out.push(s),
        }
    }
    out
}

/// Connected components of the derived pairs.
pub fn clusters(pairs: &[ScanPair]) -> Vec<serde_json::Value> {
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    for p in pairs
        .iter()
        .filter(|p| p.report.verdict == Verdict::Derived)
    {
        let n = ids.len();
        ids.entry(&p.a).or_insert(n);
        let n = ids.len();
        ids.entry(&p.b).or_insert(n);
    }
    let mut parent: Vec<usize> = (0..ids.len()).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    let mut spans: HashMap<&str, Vec<CharSpan>> = HashMap::new();
    for p in pairs
        .iter()
        .filter(|p| p.report.verdict == Verdict::Derived)
    {
        let (a, b) = (
            find(&mut parent, ids[p.a.as_str()]),
            find(&mut parent, ids[p.b.as_str()]),
        );
        parent[a.max(b)] = a.min(b);
        for ps in &p.report.passages {
            spans.entry(&p.a).or_default().push(ps.query);
            spans.entry(&p.b).or_default().push(ps.source);
        }
    }
    let mut groups: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for (id, &k) in &ids {
        let r = find(&mut parent, k);
        groups.entry(r).or_default().push(id);
    }
    let mut groups: Vec<Vec<&str>> = groups.into_values().collect();
    groups.sort_by(|x, y| y.len().cmp(&x.len()).then(x[0].cmp(y[0])));
    groups
        .into_iter()
        .enumerate()
        .map(|(k, members)| {
            let members: Vec<serde_json::Value> = members
                .iter()
                .map(|id| {
                    let s = merge(spans.get(id).cloned().unwrap_or_default());
                    serde_json::json!({"id": id, "spans": s})
                })
                .collect();
            serde_json::json!({"cluster": k, "size": members.len(), "members": members})
        })
        .collect()
}

fn write_clusters(path: &Path, pairs: &[ScanPair]) -> Result<(), Failure> {
    let mut f = std::fs::File::create(path)
        .map(std::io::BufWriter::new)
        .map_err(|e| Failure::input(format!("cannot write {}: {e}", path.display())))?;
    let res = (|| -> std::io::Result<()> {
        for c in clusters(pairs) {
            writeln!(f, "{c}")?;
        }
        f.flush()
    })();
    res.map_err(|e| io_failure(&format!("cannot write {}", path.display()), e))
}

fn write_table(out: &mut impl Write, pairs: &[ScanPair]) -> std::io::Result<()> {
    if pairs.is_empty() {
        return writeln!(out, "No reuse found.");
    }
    writeln!(
        out,
        "{:>4}  {:<8} {:>5} {:>5}  {:>6} {:>6}  {:>3} {:>3}  {:<28} {:<28}",
        "#",
        "verdict",
        "conf",
        "score",
        "cov a",
        "cov b",
        "psg",
        "fnd",
        "a (suspect side)",
        "b (source side)"
    )?;
    for (k, p) in pairs.iter().enumerate() {
        let r = &p.report;
        writeln!(
            out,
            "{:>4}  {:<8} {:>5.2} {:>5.2}  {:>5.0}% {:>5.0}%  {:>3} {:>3}  {:<28} {:<28}",
            k + 1,
            r.verdict.as_str(),
            r.confidence,
            r.score,
            r.query_coverage * 100.0,
            r.source_coverage * 100.0,
            r.passages.len(),
            r.findings.len(),
            cut(&p.a, 28),
            cut(&p.b, 28)
        )?;
    }
    Ok(())
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '"' => o.push_str("&quot;"),
            _ => o.push(c),
        }
    }
    o
}

fn slice(chars: &[char], s: CharSpan) -> String {
    chars[s.0.min(chars.len())..s.1.min(chars.len())]
        .iter()
        .collect()
}

/// One self-contained page: the ranked pairs, each opening onto its
/// passages side by side.
fn write_page(
    path: &Path,
    pairs: &[ScanPair],
    index: &AnyIndex,
    outside: &HashMap<String, String>,
) -> Result<(), Failure> {
    let mut texts: HashMap<String, Vec<char>> = HashMap::new();
    let mut text_of = |id: &str, is_a: bool| -> Result<Vec<char>, Failure> {
        if is_a {
            if let Some(t) = outside.get(id) {
                return Ok(t.chars().collect());
            }
        }
        if let Some(t) = texts.get(id) {
            return Ok(t.clone());
        }
        let t: Vec<char> = match index.document(id).map_err(index_error)? {
            Some(d) => d.text.chars().collect(),
            None => Vec::new(),
        };
        texts.insert(id.to_string(), t.clone());
        Ok(t)
    };
    let mut h = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>retrace scan</title><style>\
body{font:15px/1.45 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%}\
td,th{padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}\
.derived{color:#a40000;font-weight:600}.related{color:#666}details{margin:.3em 0}\
.pp{display:grid;grid-template-columns:1fr 1fr;gap:1em;margin:.5em 0 1em}.pp div{background:#f6f6f6;padding:.5em;white-space:pre-wrap}\
.k{font-size:12px;color:#555}</style></head><body>",
    );
    h.push_str(&format!(
        "<h1>retrace scan</h1><p>{} pair(s), most confident first. Open a pair to see its passages: the suspect side (a) left, the source side (b) right.</p><table><tr><th>#</th><th>verdict</th><th>confidence</th><th>score</th><th>pair</th></tr>",
        pairs.len()
    ));
    for (k, p) in pairs.iter().enumerate() {
        let (ta, tb) = (text_of(&p.a, true)?, text_of(&p.b, false)?);
        let r = &p.report;
        let v = r.verdict.as_str();
        h.push_str(&format!(
            "<tr><td>{}</td><td class=\"{v}\">{v}</td><td>{:.2}</td><td>{:.2}</td><td><details><summary>{} ← {} ({:.0}% of a, {:.0}% of b; {} passage(s), {} finding(s))</summary>",
            k + 1,
            r.confidence,
            r.score,
            esc(&p.a),
            esc(&p.b),
            r.query_coverage * 100.0,
            r.source_coverage * 100.0,
            r.passages.len(),
            r.findings.len()
        ));
        for ps in &r.passages {
            h.push_str(&format!(
                "<div class=\"k\">{} · similarity {:.2} · a [{}, {}) · b [{}, {})</div><div class=\"pp\"><div>{}</div><div>{}</div></div>",
                ps.kind.as_str(),
                ps.similarity,
                ps.query.0,
                ps.query.1,
                ps.source.0,
                ps.source.1,
                esc(&slice(&ta, ps.query)),
                esc(&slice(&tb, ps.source))
            ));
        }
        if !r.findings.is_empty() {
            h.push_str("<ul>");
            for f in &r.findings {
                h.push_str(&format!("<li>{}</li>", esc(&f.detail)));
            }
            h.push_str("</ul>");
        }
        h.push_str("</details></td></tr>");
    }
    h.push_str("</table></body></html>\n");
    std::fs::write(path, h).map_err(|e| io_failure(&format!("cannot write {}", path.display()), e))
}
