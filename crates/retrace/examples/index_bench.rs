//! Benchmarks of the index at scale.
//!
//! ```text
//! # 1. a corpus as JSON Lines: PAN 2013 test sources + Reuters-21578 bodies +
//! #    generated distractors made of their sentences (PAN train sources, Reuters)
//! cargo run --release --example index_bench -- corpus --data ../shared/data --docs 100000 > /tmp/c100k.jsonl
//! # 2. index it with the real command line (throughput, size, peak RSS)
//! /usr/bin/time -v target/release/retrace index --index /tmp/ix100k /tmp/c100k.jsonl
//! # 3. check latency for 5 KB suspects, one thread and all cores
//! cargo run --release --example index_bench -- latency --index /tmp/ix100k --data ../shared/data
//! # 4. source retrieval recall@1/@5 on pan13/test, per obfuscation type
//! cargo run --release --example index_bench -- recall --index /tmp/ix100k --data ../shared/data --every 2
//! # 5. the 86 hand-written rewrites of the evidence test set as suspects
//! cargo run --release --example index_bench -- rewrites --index /tmp/ix100k
//! ```
//!
//! Tune on `--split train` (a corpus built with `corpus --split train`
//! indexes the PAN train sources); `test` is for reporting only. Options of
//! `latency`/`recall`/`rewrites`: `--candidates N`, `--nprobe N`,
//! `--semantic-weight W`, `--lexical-only` (for an index built without a
//! model), `--verbose` (print misses).
//!
//! Everything is deterministic (a fixed pseudo-random sequence).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use retrace::embed::{default_embedder, SentenceEmbedder};
use retrace::index::{CheckOptions, Index};
use retrace::text::Analysis;
use retrace::{Comparer, Document};

struct Rng(u64);

impl Rng {
    fn next(&mut self, m: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % m.max(1)
    }
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[..rest.len().min(10)].find(';');
        match end {
            Some(e) => {
                let ent = &rest[1..e];
                match ent {
                    "lt" => out.push('<'),
                    "gt" => out.push('>'),
                    "amp" => out.push('&'),
                    "quot" => out.push('"'),
                    _ if ent.starts_with('#') => {
                        if let Some(c) = ent[1..].parse::<u32>().ok().and_then(char::from_u32) {
                            if !c.is_control() {
                                out.push(c);
                            }
                        }
                    }
                    _ => out.push_str(&rest[..=e]),
                }
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Reuters-21578 article bodies (title + body, lines unwrapped).
fn reuters(data: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let dir = data.join("reuters21578");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("reuters21578")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "sgm"))
        .collect();
    files.sort();
    for f in files {
        let raw = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
        for art in raw.split("<REUTERS ").skip(1) {
            let id = art
                .split("NEWID=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or("0");
            let Some(body) = art
                .split("<BODY>")
                .nth(1)
                .and_then(|b| b.split("</BODY>").next())
            else {
                continue;
            };
            let title = art
                .split("<TITLE>")
                .nth(1)
                .and_then(|b| b.split("</TITLE>").next())
                .unwrap_or("");
            let body = decode_entities(body);
            let body = body
                .trim_end_matches("Reuter")
                .trim_end()
                .trim_end_matches("REUTER");
            let text: String = body
                .split("\n    ")
                .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join("\n\n");
            let text = format!("{}\n\n{}", decode_entities(title).trim(), text.trim());
            if text.len() > 200 {
                out.push((format!("reuters-{id}"), text));
            }
        }
    }
    out
}

fn pan_dir(data: &Path, split: &str, sub: &str) -> Vec<(String, String)> {
    let dir = data.join("pan13").join(split).join(sub);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let t = String::from_utf8_lossy(&std::fs::read(dir.join(&n)).unwrap()).into_owned();
            (n, t)
        })
        .collect()
}

fn sentences_of(text: &str, out: &mut Vec<String>) {
    let a = Analysis::new(text);
    for s in &a.sentences {
        let t = text[s.span.start..s.span.end].trim();
        if t.len() >= 30 {
            out.push(t.to_string());
        }
    }
}

fn write_jsonl(out: &mut impl Write, id: &str, text: &str) {
    serde_json::to_writer(&mut *out, &serde_json::json!({"id": id, "text": text})).unwrap();
    out.write_all(b"\n").unwrap();
}

/// `corpus`: PAN test sources, Reuters bodies, then generated documents.
fn corpus(args: &[String]) {
    let data = PathBuf::from(arg(args, "--data").unwrap_or("../shared/data".into()));
    let n: usize = arg(args, "--docs").map_or(10_000, |s| s.parse().unwrap());
    // the PAN split whose sources are indexed; the other one's feed the pool
    let split = arg(args, "--split").unwrap_or("test".into());
    let other = if split == "test" { "train" } else { "test" };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    let mut count = 0usize;
    // the hand-written rewrite pairs of the evidence test set: their sources
    let cases: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/evidence/cases.json"),
        )
        .unwrap(),
    )
    .unwrap();
    for (i, c) in cases.iter().enumerate() {
        write_jsonl(
            &mut out,
            &format!("evidence-{i:03}"),
            c["source"].as_str().unwrap(),
        );
        count += 1;
    }
    // sentences of the indexed sources never go into generated documents:
    // half of the PAN test sources are also PAN train sources, and copies of
    // their sentences would be true sources of the reuse, not distractors
    let mut indexed_sentences: HashSet<u64> = HashSet::new();
    let hash = |s: &str| {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        s.hash(&mut h);
        h.finish()
    };
    for (id, t) in pan_dir(&data, &split, "src") {
        let mut ss = Vec::new();
        sentences_of(&t, &mut ss);
        indexed_sentences.extend(ss.iter().map(|s| hash(s)));
        if count < n {
            write_jsonl(&mut out, &id, &t);
            count += 1;
        }
    }
    let reuters = reuters(&data);
    let mut pool = Vec::new();
    for (id, t) in &reuters {
        sentences_of(t, &mut pool);
        if count < n {
            write_jsonl(&mut out, id, t);
            count += 1;
        }
    }
    for (_, t) in pan_dir(&data, other, "src") {
        sentences_of(&t, &mut pool);
    }
    let before = pool.len();
    pool.retain(|s| !indexed_sentences.contains(&hash(s)));
    eprintln!(
        "{} pool sentences dropped: they occur in the indexed sources",
        before - pool.len()
    );
    eprintln!("sentence pool: {}", pool.len());
    let mut rng = Rng(42);
    let mut g = 0usize;
    while count < n {
        // 1.5-6 KB of sentences, in paragraphs of 3-6 sentences
        let target = 1500 + rng.next(4500);
        let mut t = String::new();
        let mut in_par = 0;
        let mut par_len = 3 + rng.next(4);
        while t.len() < target {
            // runs of consecutive pool sentences read like real text
            let start = rng.next(pool.len());
            for s in pool.iter().skip(start).take(1 + rng.next(3)) {
                if !t.is_empty() {
                    t.push_str(if in_par == 0 { "\n\n" } else { " " });
                }
                t.push_str(s);
                in_par += 1;
                if in_par >= par_len {
                    in_par = 0;
                    par_len = 3 + rng.next(4);
                }
            }
        }
        write_jsonl(&mut out, &format!("gen-{g:07}"), &t);
        g += 1;
        count += 1;
    }
    out.flush().unwrap();
    eprintln!("wrote {count} documents");
}

fn open(args: &[String]) -> (Index, Comparer) {
    let dir = PathBuf::from(arg(args, "--index").expect("--index DIR"));
    let lexical = args.iter().any(|a| a == "--lexical-only");
    let model: Option<Arc<dyn SentenceEmbedder>> = if lexical {
        None
    } else {
        Some(default_embedder().unwrap())
    };
    let index = Index::open(&dir, model.clone()).unwrap();
    let mut comparer = Comparer::new();
    if let Some(m) = model {
        comparer = comparer.with_embedder(m);
    }
    (index, comparer)
}

fn options(args: &[String]) -> CheckOptions {
    let mut o = CheckOptions::default();
    if let Some(n) = arg(args, "--candidates") {
        o.candidates = n.parse().unwrap();
    }
    if let Some(n) = arg(args, "--nprobe") {
        o.nprobe = n.parse().unwrap();
    }
    if let Some(n) = arg(args, "--terms") {
        o.terms_per_window = n.parse().unwrap();
    }
    if let Some(n) = arg(args, "--window") {
        o.window_bytes = n.parse().unwrap();
    }
    if let Some(n) = arg(args, "--hits") {
        o.hits_per_list = n.parse().unwrap();
    }
    if let Some(n) = arg(args, "--semantic-weight") {
        o.semantic_weight = n.parse().unwrap();
    }
    o
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// Cuts a text to about `bytes` at a sentence end.
fn excerpt(text: &str, bytes: usize) -> String {
    let a = Analysis::new(text);
    let mut end = 0;
    for s in &a.sentences {
        if s.span.end > bytes && end > 0 {
            break;
        }
        end = s.span.end;
    }
    text[..end].to_string()
}

/// `latency`: check latency for ~5 KB suspects (excerpts of pan13/test
/// suspicious documents), on one thread and on all cores.
fn latency(args: &[String]) {
    let data = PathBuf::from(arg(args, "--data").unwrap_or("../shared/data".into()));
    let n: usize = arg(args, "--suspects").map_or(200, |s| s.parse().unwrap());
    let (index, comparer) = open(args);
    let opts = options(args);
    let susp = pan_dir(&data, "test", "susp");
    let mut rng = Rng(7);
    let suspects: Vec<Document> = (0..n)
        .map(|i| {
            let (id, t) = &susp[rng.next(susp.len())];
            Document::from_text(format!("{id}#{i}"), excerpt(t, 5000))
        })
        .collect();
    let mean_len = suspects.iter().map(|d| d.text.len()).sum::<usize>() / n.max(1);
    // warm up the page cache and the model
    for d in suspects.iter().take(5) {
        index.check(&comparer, d, &opts).unwrap();
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for threads in [1, cores] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let mut ms: Vec<f64> = Vec::new();
        let mut search_ms: Vec<f64> = Vec::new();
        pool.install(|| {
            for d in &suspects {
                let t = Instant::now();
                index.search_with(d, opts.candidates, &opts).unwrap();
                search_ms.push(t.elapsed().as_secs_f64() * 1e3);
                let t = Instant::now();
                index.check(&comparer, d, &opts).unwrap();
                ms.push(t.elapsed().as_secs_f64() * 1e3);
            }
        });
        println!(
            "threads {threads}: {n} suspects of {mean_len} bytes: check p50 {:.1} ms p99 {:.1} ms; retrieval alone p50 {:.1} ms p99 {:.1} ms",
            percentile(&mut ms, 0.5),
            percentile(&mut ms, 0.99),
            percentile(&mut search_ms, 0.5),
            percentile(&mut search_ms, 0.99)
        );
    }
}

/// `recall`: source retrieval on pan13/test. Each gold reuse case's
/// suspicious passage is a suspect; recall@k = share of cases whose source
/// is among the top k of the check report (and of the retrieval candidates),
/// per obfuscation type. Then per suspicious document (most hold reuse from
/// several sources): the share of its sources reported when asking for as
/// many sources as it has.
fn recall(args: &[String]) {
    let data = PathBuf::from(arg(args, "--data").unwrap_or("../shared/data".into()));
    let every: usize = arg(args, "--every").map_or(1, |s| s.parse().unwrap());
    let docs_limit: usize = arg(args, "--docs").map_or(300, |s| s.parse().unwrap());
    let verbose = args.iter().any(|a| a == "--verbose");
    let (index, comparer) = open(args);
    let opts = options(args);
    let root = data
        .join("pan13")
        .join(arg(args, "--split").unwrap_or("test".into()));
    let pairs = retrace::eval::read_corpus(&root).unwrap();
    let mut texts: HashMap<String, Vec<char>> = HashMap::new();
    let mut by_kind: BTreeMap<String, [usize; 5]> = BTreeMap::new();
    let t0 = Instant::now();
    let mut n = 0usize;
    for p in pairs.iter().filter(|p| !p.gold.is_empty()) {
        let chars = texts.entry(p.susp.clone()).or_insert_with(|| {
            String::from_utf8_lossy(&std::fs::read(root.join("susp").join(&p.susp)).unwrap())
                .chars()
                .collect()
        });
        for c in &p.gold {
            n += 1;
            if !n.is_multiple_of(every) {
                continue;
            }
            let text: String = chars[c.susp.0..c.susp.1.min(chars.len())].iter().collect();
            let d = Document::from_text(format!("{}@{}", p.susp, c.susp.0), text);
            let rep = index.check(&comparer, &d, &opts).unwrap().report;
            let cands = index.search_with(&d, opts.candidates, &opts).unwrap();
            // an identical copy of the source is stored once, under one id
            let truth = index.canonical_id(&p.src).unwrap().unwrap_or(p.src.clone());
            if verbose && !rep.sources.iter().take(5).any(|x| x.id == truth) {
                eprintln!(
                    "miss {} {} <- {} ({} chars): candidate rank {:?}, report {:?}",
                    p.kind,
                    d.id,
                    p.src,
                    d.text.chars().count(),
                    cands.iter().position(|x| x.id == p.src),
                    rep.sources
                        .iter()
                        .map(|x| (&x.id, x.score))
                        .collect::<Vec<_>>()
                );
            }
            if verbose && !cands.iter().take(5).any(|x| x.id == truth) {
                let c = cands.iter().find(|x| x.id == truth);
                eprintln!(
                    "retrieval miss {} {} <- {} ({} chars): {:?}",
                    p.kind,
                    d.id,
                    truth,
                    d.text.chars().count(),
                    c.map(|c| (c.best_rank, c.lexical_rank, c.semantic_rank))
                );
            }
            let e = by_kind.entry(p.kind.clone()).or_default();
            e[0] += 1;
            e[1] += rep.sources.iter().take(1).any(|x| x.id == truth) as usize;
            e[2] += rep.sources.iter().take(5).any(|x| x.id == truth) as usize;
            e[3] += cands.iter().take(1).any(|x| x.id == truth) as usize;
            e[4] += cands.iter().take(5).any(|x| x.id == truth) as usize;
        }
    }
    println!(
        "reuse cases as suspects ({:.1} s):",
        t0.elapsed().as_secs_f64()
    );
    print_recall_table("cases", "5", &by_kind);
    // whole suspicious documents as queries: for each (suspect, true source)
    // pair, is the source ranked first / within the top max(5, n), where n is
    // the number of true sources of that suspect (PAN suspects often have
    // more than five)?
    let mut sources: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for p in pairs.iter().filter(|p| !p.gold.is_empty()) {
        let truth = index.canonical_id(&p.src).unwrap().unwrap_or(p.src.clone());
        sources
            .entry(p.susp.clone())
            .or_default()
            .push((truth, p.kind.clone()));
    }
    let t0 = Instant::now();
    let mut by_kind: BTreeMap<String, [usize; 5]> = BTreeMap::new();
    for (s, srcs) in sources.iter().take(docs_limit) {
        let text = String::from_utf8_lossy(&std::fs::read(root.join("susp").join(s)).unwrap())
            .into_owned();
        let d = Document::from_text(s.clone(), text);
        let o = CheckOptions {
            top: srcs.len().max(5),
            candidates: opts.candidates.max(srcs.len() * 2),
            ..opts.clone()
        };
        let rep = index.check(&comparer, &d, &o).unwrap().report;
        let cands = index.search_with(&d, o.candidates, &o).unwrap();
        for (truth, kind) in srcs {
            let rank = rep.sources.iter().position(|x| &x.id == truth);
            let crank = cands.iter().position(|x| &x.id == truth);
            if verbose && rank.is_none_or(|r| r >= o.top) {
                eprintln!("doc miss {kind} {s} <- {truth}: report rank {rank:?}, candidate rank {crank:?}");
            }
            let e = by_kind.entry(kind.clone()).or_default();
            e[0] += 1;
            e[1] += rank.is_some_and(|r| r < 1) as usize;
            e[2] += rank.is_some_and(|r| r < o.top) as usize;
            e[3] += crank.is_some_and(|r| r < 1) as usize;
            e[4] += crank.is_some_and(|r| r < o.top) as usize;
        }
    }
    println!(
        "whole suspicious documents as queries ({} docs, {:.1} s):",
        sources.len().min(docs_limit),
        t0.elapsed().as_secs_f64()
    );
    print_recall_table("pairs", "n", &by_kind);
}

/// Prints per-type counts `[total, report@1, report@k, retrieval@1,
/// retrieval@k]` as shares.
fn print_recall_table(unit: &str, k: &str, by_kind: &BTreeMap<String, [usize; 5]>) {
    println!(
        "type                          {unit}  report@1  report@{k}  retrieval@1  retrieval@{k}"
    );
    for (k, e) in by_kind {
        let f = |x: usize| x as f64 / e[0].max(1) as f64;
        println!(
            "{k:<28} {:>6}  {:>8.3}  {:>8.3}  {:>11.3}  {:>11.3}",
            e[0],
            f(e[1]),
            f(e[2]),
            f(e[3]),
            f(e[4])
        );
    }
}

/// `rewrites`: the 86 hand-written rewrites of the evidence test set (LLM-
/// and human-style paraphrases) as suspects; their sources are in the corpus
/// as `evidence-NNN`.
fn rewrites(args: &[String]) {
    let verbose = args.iter().any(|a| a == "--verbose");
    let (index, comparer) = open(args);
    let opts = options(args);
    let cases: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/evidence/cases.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let mut e = [0usize; 5];
    for (i, c) in cases.iter().enumerate() {
        let truth = index
            .canonical_id(&format!("evidence-{i:03}"))
            .unwrap()
            .expect("the corpus holds the evidence sources");
        let d = Document::from_text(format!("rewrite-{i:03}"), c["suspect"].as_str().unwrap());
        let rep = index.check(&comparer, &d, &opts).unwrap().report;
        let cands = index.search_with(&d, opts.candidates, &opts).unwrap();
        e[0] += 1;
        e[1] += rep.sources.iter().take(1).any(|x| x.id == truth) as usize;
        e[2] += rep.sources.iter().take(5).any(|x| x.id == truth) as usize;
        e[3] += cands.iter().take(1).any(|x| x.id == truth) as usize;
        e[4] += cands.iter().take(5).any(|x| x.id == truth) as usize;
        if verbose && !cands.iter().take(5).any(|x| x.id == truth) {
            eprintln!(
                "miss {} {}: rank {:?}",
                i,
                c["name"],
                cands.iter().position(|x| x.id == truth)
            );
        }
    }
    let f = |x: usize| x as f64 / e[0].max(1) as f64;
    println!(
        "hand-written rewrites: {} suspects: report@1 {:.3} report@5 {:.3} retrieval@1 {:.3} retrieval@5 {:.3}",
        e[0],
        f(e[1]),
        f(e[2]),
        f(e[3]),
        f(e[4])
    );
}

/// `search FILE`: the candidates of one suspect file, with their ranks.
fn search(args: &[String]) {
    let (index, _) = open(args);
    let opts = options(args);
    let file = args.get(1).expect("search FILE");
    let text = std::fs::read_to_string(file).unwrap();
    let d = Document::from_text(file.clone(), text);
    for c in index.search_with(&d, opts.candidates, &opts).unwrap() {
        println!(
            "{:<40} fused {:.4} best {} lexical {:?} semantic {:?}",
            c.id, c.score, c.best_rank, c.lexical_rank, c.semantic_rank
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("corpus") => corpus(&args),
        Some("latency") => latency(&args),
        Some("recall") => recall(&args),
        Some("rewrites") => rewrites(&args),
        Some("search") => search(&args),
        _ => eprintln!(
            "usage: index_bench corpus|latency|recall|rewrites [options] (see the file's doc comment)"
        ),
    }
}
