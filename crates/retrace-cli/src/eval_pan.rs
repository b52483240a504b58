//! `retrace eval pan`: runs the engine's alignment on every pair of a PAN
//! text-alignment corpus and scores it with the PAN measures.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use retrace::eval::{measures, read_corpus, write_detections_xml, Case, Measures};
use retrace::{Comparer, Document, Prepared};
use serde::Serialize;

use crate::Failure;

/// A corpus document: (is it a suspicious document, file name).
type DocKey = (bool, String);

/// Options of `eval pan`.
pub struct PanOptions {
    pub corpus: PathBuf,
    pub out: Option<PathBuf>,
    pub json: bool,
}

#[derive(Serialize)]
struct Row {
    plagdet: f64,
    precision: f64,
    recall: f64,
    granularity: f64,
    cases: usize,
    detections: usize,
    seconds: f64,
}

impl Row {
    fn of(m: Measures, seconds: f64) -> Self {
        Row {
            plagdet: m.plagdet,
            precision: m.precision,
            recall: m.recall,
            granularity: m.granularity,
            cases: m.cases,
            detections: m.detections,
            seconds,
        }
    }
}

#[derive(Serialize)]
struct Output {
    overall: Row,
    by_type: BTreeMap<String, Row>,
}

/// Runs the evaluation.
pub fn run(opts: PanOptions, comparer: &Comparer) -> Result<(), Failure> {
    let start = Instant::now();
    let pairs = read_corpus(&opts.corpus).map_err(Failure::input)?;
    if pairs.is_empty() {
        return Err(Failure::input(format!(
            "{}: no pairs found",
            opts.corpus.display()
        )));
    }
    // analyse every document once
    let mut names: Vec<(bool, String)> = pairs
        .iter()
        .flat_map(|p| [(true, p.susp.clone()), (false, p.src.clone())])
        .collect();
    names.sort();
    names.dedup();
    let bar = progress(names.len() as u64 + pairs.len() as u64);
    let docs: Vec<(DocKey, Result<Arc<Prepared>, String>)> = names
        .par_iter()
        .map(|(is_susp, name)| {
            let path = opts
                .corpus
                .join(if *is_susp { "susp" } else { "src" })
                .join(name);
            let r = load(&path).map(|d| Arc::new(comparer.prepare(d)));
            bar.inc(1);
            ((*is_susp, name.clone()), r)
        })
        .collect();
    let mut cache: HashMap<DocKey, Arc<Prepared>> = HashMap::new();
    for (k, r) in docs {
        cache.insert(k, r.map_err(Failure::input)?);
    }
    // each suspect is compared with all its candidate sources at once, as
    // `retrace compare SUSPECT SOURCE...` does (a region found in several
    // sources is credited to the best one)
    let mut by_susp: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (k, p) in pairs.iter().enumerate() {
        by_susp.entry(p.susp.as_str()).or_default().push(k);
    }
    let groups: Vec<(&str, Vec<usize>)> = by_susp.into_iter().collect();
    let found: Vec<Vec<(usize, Vec<Case>)>> = groups
        .par_iter()
        .map(|(susp, ks)| {
            let q = &cache[&(true, susp.to_string())];
            let sources: Vec<&Arc<Prepared>> = ks
                .iter()
                .map(|&k| &cache[&(false, pairs[k].src.clone())])
                .collect();
            let passages = comparer.align_sources(q, sources.iter().map(|s| s.as_ref()));
            let out = ks
                .iter()
                .zip(&sources)
                .zip(passages)
                .map(|((&k, s), ps)| {
                    let d = ps
                        .iter()
                        .map(|a| {
                            let qs = q.analysis.chars.span(a.query_span);
                            let ss = s.analysis.chars.span(a.source_span);
                            Case {
                                susp: (qs.start, qs.end),
                                src: (ss.start, ss.end),
                            }
                        })
                        .collect();
                    (k, d)
                })
                .collect();
            bar.inc(ks.len() as u64);
            out
        })
        .collect();
    let mut detections: Vec<Vec<Case>> = vec![Vec::new(); pairs.len()];
    for (k, d) in found.into_iter().flatten() {
        detections[k] = d;
    }
    bar.finish_and_clear();
    let seconds = start.elapsed().as_secs_f64();

    if let Some(out) = &opts.out {
        std::fs::create_dir_all(out)
            .map_err(|e| Failure::input(format!("cannot create {}: {e}", out.display())))?;
        for (p, d) in pairs.iter().zip(&detections) {
            let name = format!(
                "{}-{}.xml",
                p.susp.trim_end_matches(".txt"),
                p.src.trim_end_matches(".txt")
            );
            let dir = out.join(&p.kind);
            std::fs::create_dir_all(&dir)
                .map_err(|e| Failure::input(format!("cannot create {}: {e}", dir.display())))?;
            let mut f = std::fs::File::create(dir.join(&name))
                .map_err(|e| Failure::input(format!("cannot write {name}: {e}")))?;
            write_detections_xml(&mut f, &p.susp, &p.src, d)
                .map_err(|e| Failure::input(format!("cannot write {name}: {e}")))?;
        }
    }

    let all: Vec<(&[Case], &[Case])> = pairs
        .iter()
        .zip(&detections)
        .map(|(p, d)| (&p.gold[..], &d[..]))
        .collect();
    let overall = Row::of(measures(&all), seconds);
    let mut by_type = BTreeMap::new();
    let mut kinds: Vec<&str> = pairs.iter().map(|p| p.kind.as_str()).collect();
    kinds.sort();
    kinds.dedup();
    for k in kinds {
        let sel: Vec<(&[Case], &[Case])> = pairs
            .iter()
            .zip(&detections)
            .filter(|(p, _)| p.kind == k)
            .map(|(p, d)| (&p.gold[..], &d[..]))
            .collect();
        by_type.insert(k.to_string(), Row::of(measures(&sel), seconds));
    }
    let out = Output { overall, by_type };
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    let res = if opts.json {
        serde_json::to_writer(&mut w, &out)
            .map_err(std::io::Error::other)
            .and_then(|_| writeln!(w))
    } else {
        print_table(&mut w, &out, pairs.len())
    };
    res.map_err(|e| Failure {
        code: 1,
        message: format!("cannot write output: {e}"),
    })
}

fn load(path: &Path) -> Result<Document, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    // PAN offsets count characters of the file as it is: read as plain text
    Document::from_bytes(
        path.display().to_string(),
        &bytes,
        Some(retrace::Format::Text),
    )
    .map_err(|e| e.to_string())
}

fn progress(n: u64) -> ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(n);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} ({eta})")
    {
        bar.set_style(style);
    }
    bar
}

fn print_table(w: &mut impl Write, out: &Output, pairs: usize) -> std::io::Result<()> {
    writeln!(
        w,
        "{:<28} {:>8} {:>9} {:>7} {:>11} {:>6} {:>10}",
        "type", "plagdet", "precision", "recall", "granularity", "cases", "detections"
    )?;
    let row = |w: &mut dyn Write, name: &str, r: &Row| {
        writeln!(
            w,
            "{:<28} {:>8.4} {:>9.4} {:>7.4} {:>11.4} {:>6} {:>10}",
            name, r.plagdet, r.precision, r.recall, r.granularity, r.cases, r.detections
        )
    };
    for (k, r) in &out.by_type {
        row(w, k, r)?;
    }
    row(w, "overall", &out.overall)?;
    writeln!(w, "{pairs} pairs in {:.2} s", out.overall.seconds)
}
