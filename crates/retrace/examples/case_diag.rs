//! Diagnoses gold reuse cases: for each input line
//! `SUSPECT SOURCE Q_START Q_END S_START S_END` (character offsets), prints
//! how the case's sentences score against each other.
//! Usage: cargo run --release --example case_diag < cases.txt
use std::io::BufRead;
use std::sync::Arc;

use retrace::embed::{default_embedder, SentenceEmbedder};
use retrace::{Comparer, Document};

fn sentences_in(a: &retrace::text::Analysis, lo: usize, hi: usize) -> std::ops::Range<usize> {
    let idx: Vec<usize> = (0..a.sentences.len())
        .filter(|&i| {
            let c = a.chars.span(a.sentences[i].span);
            c.start < hi && c.end > lo
        })
        .collect();
    match (idx.first(), idx.last()) {
        (Some(&x), Some(&y)) => x..y + 1,
        _ => 0..0,
    }
}

fn main() {
    let m: Arc<dyn SentenceEmbedder> = default_embedder().unwrap();
    let comparer = Comparer::new().with_embedder(m);
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        let f: Vec<&str> = line.split_whitespace().collect();
        let read = |p: &str| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
        let n = |i: usize| f[i].parse::<usize>().unwrap();
        let q = comparer.prepare(Document::from_text("q", read(f[0])));
        let s = comparer.prepare(Document::from_text("s", read(f[1])));
        let sim = comparer.pair_similarity(&q, &s);
        if std::env::var("DET").is_ok() {
            let (qc, sc) = (&q.analysis.chars, &s.analysis.chars);
            for p in comparer.align_pair(&q, &s) {
                let a = qc.span(p.query_span);
                if a.start == n(2) && a.end == n(3) {
                    let b = sc.span(p.source_span);
                    let lq: usize = p.links.iter().map(|l| qc.span(l.query_span).len()).sum();
                    let max_link = p.links.iter().map(|l| l.similarity).fold(0.0, f32::max);
                    println!(
                        "{} sim {:.3} links {} qlen {} slen {} linked_q {} max_link {:.2} kind {:?}",
                        f[6],
                        p.similarity,
                        p.links.len(),
                        a.len(),
                        b.len(),
                        lq,
                        max_link,
                        p.kind
                    );
                }
            }
            continue;
        }
        if std::env::var("LINKS").is_ok() {
            let (qc, sc) = (&q.analysis.chars, &s.analysis.chars);
            for p in comparer.align_pair(&q, &s) {
                let (a, b) = (qc.span(p.query_span), sc.span(p.source_span));
                println!(
                    "passage q {}..{} s {}..{} sim {:.2} {:?}",
                    a.start, a.end, b.start, b.end, p.similarity, p.kind
                );
                for l in &p.links {
                    let (a, b) = (qc.span(l.query_span), sc.span(l.source_span));
                    println!(
                        "   q{:?} s{:?}  {}..{} -> {}..{} {:.2}",
                        l.query, l.source, a.start, a.end, b.start, b.end, l.similarity
                    );
                }
            }
        }
        let qr = sentences_in(&q.analysis, n(2), n(3));
        let sr = sentences_in(&s.analysis, n(4), n(5));
        let run = sim.score(qr.clone(), sr.clone());
        let lex = sim.lexical(qr.clone(), sr.clone());
        let sem = sim.semantic(qr.clone(), sr.clone()).unwrap_or(0.0);
        let mut bests = Vec::new();
        for i in qr.clone() {
            let mut b = (0.0f32, 0usize);
            for j in sr.clone() {
                let sc = sim.score(i..i + 1, j..j + 1);
                if sc > b.0 {
                    b = (sc, j);
                }
            }
            bests.push(b.0);
        }
        let fmt: Vec<String> = bests.iter().map(|b| format!("{b:.2}")).collect();
        println!(
            "{} q{}:{} s{}:{} run {run:.2} lex {lex:.2} sem {sem:.2} best [{}]",
            f[0].rsplit('/').next().unwrap(),
            qr.len(),
            qr.start,
            sr.len(),
            sr.start,
            fmt.join(" ")
        );
    }
}
