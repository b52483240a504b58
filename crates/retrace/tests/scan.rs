//! `Index::scan`: reuse discovery across a whole index. A rewrite is found
//! with its source among unrelated articles and same-template company
//! results; template items are not reported as derived; every pair comes
//! once; an exact duplicate is reported with its original; a restart with
//! `skip` reports exactly the rest; empty and one-document indexes scan
//! cleanly.
//!
//! All texts here are written for this test.

use std::collections::HashSet;

use retrace::index::{AddOutcome, Index, ScanOptions, ScanPair, ScanStats, WriterOptions};
use retrace::{Comparer, Document, Verdict};

mod common;
use common::*;

/// An index of the corpus, plus an exact copy of the source under another id.
fn build(dir: &TempDir) -> Index {
    let index = Index::create(dir.path(), None).unwrap();
    let mut w = index.writer(WriterOptions::default()).unwrap();
    for d in corpus() {
        assert_eq!(w.add(d, None).unwrap(), AddOutcome::Added);
    }
    assert_eq!(
        w.add(Document::from_text("source-copy", SOURCE), None)
            .unwrap(),
        AddOutcome::Duplicate {
            of: "source".into()
        }
    );
    w.commit().unwrap();
    index
}

/// A scan's pairs, each with the number of candidates done after the chunk
/// that reported it, and every `on_chunk` call.
struct Run {
    pairs: Vec<(ScanPair, usize)>,
    chunks: Vec<(usize, usize)>,
    stats: ScanStats,
}

fn run(index: &Index, opts: &ScanOptions) -> Run {
    let comparer = Comparer::new();
    let mut pending = Vec::new();
    let mut pairs = Vec::new();
    let mut chunks = Vec::new();
    let pending_cell = std::cell::RefCell::new(&mut pending);
    let stats = index
        .scan(
            &comparer,
            opts,
            |p| {
                pending_cell.borrow_mut().push(p);
                Ok(())
            },
            |done, total| {
                chunks.push((done, total));
                pairs.extend(pending_cell.borrow_mut().drain(..).map(|p| (p, done)));
                Ok(())
            },
        )
        .unwrap();
    assert!(pending.is_empty(), "pairs after the last on_chunk");
    Run {
        pairs,
        chunks,
        stats,
    }
}

fn key(p: &ScanPair) -> String {
    serde_json::to_string(p).unwrap()
}

fn is_pair(p: &ScanPair, x: &str, y: &str) -> bool {
    (p.a == x && p.b == y) || (p.a == y && p.b == x)
}

#[test]
fn finds_the_rewrite_and_not_the_template_items() {
    let dir = TempDir::new("find");
    let index = build(&dir);
    let texts: std::collections::HashMap<String, String> = corpus()
        .into_iter()
        .map(|d| (d.id, d.text))
        .chain([("source-copy".to_string(), SOURCE.to_string())])
        .collect();
    let chars = |id: &str| texts[id].chars().count();

    let r = run(&index, &ScanOptions::default());
    let pairs: Vec<&ScanPair> = r.pairs.iter().map(|(p, _)| p).collect();
    let listing: Vec<(String, String, Verdict, f32)> = pairs
        .iter()
        .map(|p| {
            (
                p.a.clone(),
                p.b.clone(),
                p.report.verdict,
                p.report.confidence,
            )
        })
        .collect();
    assert_eq!(r.stats.documents, texts.len() - 1, "{:?}", r.stats);
    assert_eq!(r.stats.duplicates, 1);
    assert!(r.stats.boilerplate_templates > 0, "{:?}", r.stats);
    assert_eq!(r.stats.aligned, r.stats.candidates);
    assert_eq!(r.stats.reported, pairs.len());
    // on_chunk: increasing, ending at the total
    assert_eq!(
        r.chunks.last().unwrap(),
        &(r.stats.candidates, r.stats.candidates)
    );
    assert!(
        r.chunks.windows(2).all(|w| w[0].0 < w[1].0),
        "{:?}",
        r.chunks
    );

    // (a) the rewrite and its source, derived, with linked passages in range
    let found: Vec<&&ScanPair> = pairs
        .iter()
        .filter(|p| is_pair(p, "rewrite", "source"))
        .collect();
    assert_eq!(found.len(), 1, "{listing:?}");
    let p = found[0];
    assert_eq!(p.report.verdict, Verdict::Derived, "{listing:?}");
    assert!(p.report.confidence > 0.5, "{}", p.report.confidence);
    assert_eq!(p.report.id, p.b);
    assert_eq!(p.a_chars, chars(&p.a));
    assert_eq!(p.report.chars, chars(&p.b));
    assert!(p.a_chars <= p.report.chars, "a is the shorter side");
    assert!(!p.report.passages.is_empty());
    assert!(p.report.query_coverage > 0.5, "{}", p.report.query_coverage);
    for ps in &p.report.passages {
        assert!(!ps.links.is_empty(), "a passage without links: {ps:?}");
        assert!(ps.query.0 < ps.query.1 && ps.query.1 <= p.a_chars, "{ps:?}");
        assert!(
            ps.source.0 < ps.source.1 && ps.source.1 <= p.report.chars,
            "{ps:?}"
        );
        for l in &ps.links {
            assert!(
                l.query.0 >= ps.query.0 && l.query.1 <= ps.query.1,
                "{l:?} {ps:?}"
            );
            assert!(l.source.1 <= p.report.chars, "{l:?}");
        }
    }
    assert!(
        p.fact_agreement.is_some_and(|x| x >= 0.5),
        "{:?}",
        p.fact_agreement
    );
    // the JSON form: flat, a and b first
    let v = serde_json::to_value(p).unwrap();
    for k in [
        "a",
        "b",
        "score",
        "verdict",
        "confidence",
        "a_chars",
        "b_chars",
        "passages",
        "findings",
    ] {
        assert!(v.get(k).is_some(), "{k} missing: {v}");
    }
    assert_eq!(v["verdict"], "derived");

    // (b) no pair of two template items is derived
    let results: HashSet<String> = RESULTS
        .iter()
        .map(|r| format!("results-{}", r.0.to_lowercase()))
        .collect();
    for p in &pairs {
        assert!(
            !(results.contains(&p.a) && results.contains(&p.b)),
            "template items reported: {listing:?}"
        );
    }
    // nor anything unrelated to the bridge story
    for p in &pairs {
        let bridge = ["source", "source-copy", "rewrite"];
        assert!(
            bridge.contains(&p.a.as_str()) && bridge.contains(&p.b.as_str()),
            "unexpected pair: {listing:?}"
        );
    }

    // (c) each unordered pair at most once, never a document with itself
    let mut seen = HashSet::new();
    for p in &pairs {
        assert_ne!(p.a, p.b);
        let k = if p.a < p.b {
            (p.a.clone(), p.b.clone())
        } else {
            (p.b.clone(), p.a.clone())
        };
        assert!(seen.insert(k), "twice: {listing:?}");
    }

    // (d) the exact duplicate, with its original
    let dup: Vec<&&ScanPair> = pairs
        .iter()
        .filter(|p| is_pair(p, "source-copy", "source"))
        .collect();
    assert_eq!(dup.len(), 1, "{listing:?}");
    assert_eq!(
        (dup[0].a.as_str(), dup[0].b.as_str()),
        ("source-copy", "source")
    );
    assert_eq!(dup[0].report.verdict, Verdict::Derived);
    assert_eq!(dup[0].a_chars, chars("source"));
    assert!(
        dup[0].report.query_coverage > 0.95,
        "{:?}",
        dup[0].report.query_coverage
    );
    // exact duplicates come first
    assert!(is_pair(pairs[0], "source-copy", "source"), "{listing:?}");

    // the same scan again: the same pairs in the same order
    let again = run(&index, &ScanOptions::default());
    assert_eq!(
        again.pairs.iter().map(|(p, _)| key(p)).collect::<Vec<_>>(),
        pairs.iter().map(|p| key(p)).collect::<Vec<_>>()
    );
}

#[test]
fn template_items_with_loose_candidates_are_not_derived() {
    let dir = TempDir::new("loose");
    let index = build(&dir);
    // every pair sharing a rare term is a candidate: the template items now
    // meet each other, and are still not reported as derived
    let loose = ScanOptions {
        min_shared: 1,
        min_overlap: 0.0,
        partners: 100,
        sentence_filter: false,
        ..ScanOptions::default()
    };
    let results: HashSet<String> = RESULTS
        .iter()
        .map(|r| format!("results-{}", r.0.to_lowercase()))
        .collect();
    let r = run(&index, &loose);
    let strict = run(&index, &ScanOptions::default());
    assert!(
        r.stats.candidates > strict.stats.candidates,
        "{:?} {:?}",
        r.stats,
        strict.stats
    );
    for (p, _) in &r.pairs {
        assert!(
            !(results.contains(&p.a) && results.contains(&p.b)),
            "{} / {} reported {:?} ({})",
            p.a,
            p.b,
            p.report.verdict,
            p.report.confidence
        );
    }
    assert!(r.pairs.iter().any(|(p, _)| is_pair(p, "rewrite", "source")));
    // with --all, related pairs come too, all with passages
    let all = run(
        &index,
        &ScanOptions {
            all: true,
            ..loose.clone()
        },
    );
    assert!(all.pairs.len() >= r.pairs.len());
    assert!(all.pairs.iter().all(|(p, _)| !p.report.passages.is_empty()));
    for (p, _) in &all.pairs {
        if results.contains(&p.a) && results.contains(&p.b) {
            assert_ne!(p.report.verdict, Verdict::Derived, "{} / {}", p.a, p.b);
        }
    }
    // a confidence nobody reaches: nothing
    let none = run(
        &index,
        &ScanOptions {
            min_confidence: 1.01,
            ..loose
        },
    );
    assert!(none.pairs.is_empty());
    assert_eq!(none.stats.aligned, r.stats.aligned);
    // boilerplate kept: the template items' shared lines are aligned and
    // reported (this is what the blanking above keeps out)
    let kept = run(
        &index,
        &ScanOptions {
            all: true,
            keep_boilerplate: true,
            ..ScanOptions::default()
        },
    );
    assert_eq!(kept.stats.boilerplate_templates, 0);
    let template_pairs = kept
        .pairs
        .iter()
        .filter(|(p, _)| results.contains(&p.a) && results.contains(&p.b))
        .count();
    assert!(template_pairs > 0, "{:?}", kept.stats);
}

/// Below the boilerplate threshold the template lines are aligned, and the
/// fact check (other names and figures in the same sentences) keeps the
/// template items from being reported as derived.
#[test]
fn same_template_other_facts_is_related() {
    let dir = TempDir::new("facts");
    let index = build(&dir);
    let results: HashSet<String> = RESULTS
        .iter()
        .map(|r| format!("results-{}", r.0.to_lowercase()))
        .collect();
    let opts = ScanOptions {
        boilerplate_docs: 100,
        ..ScanOptions::default()
    };
    let r = run(&index, &opts);
    assert_eq!(r.stats.boilerplate_templates, 0);
    for (p, _) in &r.pairs {
        assert!(
            !(results.contains(&p.a) && results.contains(&p.b)),
            "{} / {}: {:?}, fact agreement {:?}",
            p.a,
            p.b,
            p.report.verdict,
            p.fact_agreement
        );
    }
    let rw = r
        .pairs
        .iter()
        .find(|(p, _)| is_pair(p, "rewrite", "source"))
        .expect("the rewrite");
    assert_eq!(rw.0.report.verdict, Verdict::Derived);
    // with `all`, they come, related, with a low agreement
    let all = run(
        &index,
        &ScanOptions {
            all: true,
            ..opts.clone()
        },
    );
    let related: Vec<&ScanPair> = all
        .pairs
        .iter()
        .map(|(p, _)| p)
        .filter(|p| results.contains(&p.a) && results.contains(&p.b))
        .collect();
    assert!(!related.is_empty(), "{:?}", all.stats);
    for p in related {
        assert_eq!(p.report.verdict, Verdict::Related, "{} / {}", p.a, p.b);
        assert!(
            p.fact_agreement.is_some_and(|x| x < 0.5),
            "{} / {}: {:?}",
            p.a,
            p.b,
            p.fact_agreement
        );
    }
}

/// Each duplicate id is reported with its original, also a duplicate of a
/// document that is mostly boilerplate (an earnings item sent twice): the
/// document is compared with itself unblanked.
#[test]
fn a_duplicate_of_a_boilerplate_document_is_reported() {
    let dir = TempDir::new("dup-boiler");
    let index = build(&dir);
    let mut w = index.writer(WriterOptions::default()).unwrap();
    let mut copy = results_item(&RESULTS[0]);
    copy.id = "acme-copy".into();
    assert_eq!(
        w.add(copy, None).unwrap(),
        AddOutcome::Duplicate {
            of: "results-acme".into()
        }
    );
    w.commit().unwrap();
    let r = run(
        &index,
        &ScanOptions {
            all: true,
            ..ScanOptions::default()
        },
    );
    assert_eq!(r.stats.duplicates, 2);
    assert!(
        r.pairs
            .iter()
            .any(|(p, _)| is_pair(p, "acme-copy", "results-acme")),
        "{:?}: {:?}",
        r.stats,
        r.pairs
            .iter()
            .map(|(p, _)| (&p.a, &p.b))
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_restart_reports_exactly_the_rest() {
    let dir = TempDir::new("skip");
    let index = build(&dir);
    let opts = ScanOptions {
        chunk: 1,
        // many candidates and many reported pairs (the template items'
        // shared lines), so that skipping has something to skip over
        min_shared: 1,
        min_overlap: 0.0,
        partners: 100,
        sentence_filter: false,
        all: true,
        keep_boilerplate: true,
        ..ScanOptions::default()
    };
    let full = run(&index, &opts);
    let total = full.stats.candidates;
    assert!(total >= 20, "{:?}", full.stats);
    assert!(full.pairs.len() >= 10, "{:?}", full.stats);
    assert!(full.pairs.len() < total, "some candidates report nothing");
    assert_eq!(
        full.chunks,
        (1..=total).map(|d| (d, total)).collect::<Vec<_>>()
    );
    // each pair belongs to one candidate: with chunk 1, at most one a chunk
    let dones: Vec<usize> = full.pairs.iter().map(|(_, d)| *d).collect();
    assert!(dones.windows(2).all(|w| w[0] < w[1]), "{dones:?}");

    let mut ks: Vec<usize> = vec![0, 1, 2, total / 2, total - 1, total, total + 5];
    // just before and at the candidates of a few reported pairs
    for &d in [
        dones[0],
        dones[1],
        dones[dones.len() / 2],
        dones[dones.len() - 1],
    ]
    .iter()
    {
        ks.extend([d - 1, d]);
    }
    ks.sort_unstable();
    ks.dedup();
    for k in ks {
        let rest = run(
            &index,
            &ScanOptions {
                skip: k,
                ..opts.clone()
            },
        );
        let want: Vec<String> = full
            .pairs
            .iter()
            .filter(|(_, d)| *d > k)
            .map(|(p, _)| key(p))
            .collect();
        let got: Vec<String> = rest.pairs.iter().map(|(p, _)| key(p)).collect();
        assert_eq!(got, want, "skip {k} of {total}");
        // and they come with the same candidate numbers
        let want_dones: Vec<usize> = dones.iter().copied().filter(|&d| d > k).collect();
        let got_dones: Vec<usize> = rest.pairs.iter().map(|(_, d)| *d).collect();
        assert_eq!(got_dones, want_dones, "skip {k}");
        assert_eq!(rest.stats.candidates, total);
        assert_eq!(rest.stats.aligned, total.saturating_sub(k), "skip {k}");
        let want_chunks: Vec<(usize, usize)> =
            (k.min(total) + 1..=total).map(|d| (d, total)).collect();
        assert_eq!(rest.chunks, want_chunks, "skip {k}");
    }

    // the default chunking: skip = the total reported by on_chunk, nothing left
    let whole = run(&index, &ScanOptions::default());
    let (_, t) = *whole.chunks.last().unwrap();
    assert!(!whole.pairs.is_empty());
    let after = run(
        &index,
        &ScanOptions {
            skip: t,
            ..ScanOptions::default()
        },
    );
    assert!(after.pairs.is_empty());
    assert_eq!(after.stats.aligned, 0);
}

#[test]
fn empty_and_one_document_indexes() {
    let dir = TempDir::new("empty");
    let index = Index::create(dir.path(), None).unwrap();
    let r = run(&index, &ScanOptions::default());
    assert!(r.pairs.is_empty());
    assert_eq!(r.chunks, vec![(0, 0)]);
    assert_eq!((r.stats.documents, r.stats.candidates), (0, 0));
    // committed, still empty
    let mut w = index.writer(WriterOptions::default()).unwrap();
    w.commit().unwrap();
    let r = run(&index, &ScanOptions::default());
    assert!(r.pairs.is_empty());

    let one = TempDir::new("one");
    let index = Index::create(one.path(), None).unwrap();
    let mut w = index.writer(WriterOptions::default()).unwrap();
    w.add(Document::from_text("source", SOURCE), None).unwrap();
    w.commit().unwrap();
    for opts in [
        ScanOptions::default(),
        ScanOptions {
            all: true,
            keep_boilerplate: true,
            min_shared: 0,
            min_overlap: 0.0,
            boilerplate_docs: 0,
            terms_per_doc: 0,
            partners: 0,
            chunk: 0,
            ..ScanOptions::default()
        },
    ] {
        let r = run(&index, &opts);
        assert!(r.pairs.is_empty());
        assert_eq!(r.stats.documents, 1);
        assert_eq!(r.stats.candidates, 0);
        assert_eq!(r.chunks, vec![(0, 0)]);
    }
    // one document and its exact duplicate: that one pair
    w.add(Document::from_text("copy", SOURCE), None).unwrap();
    w.commit().unwrap();
    let r = run(&index, &ScanOptions::default());
    assert_eq!(r.pairs.len(), 1);
    assert_eq!(
        (r.pairs[0].0.a.as_str(), r.pairs[0].0.b.as_str()),
        ("copy", "source")
    );
    assert_eq!(r.stats.duplicates, 1);
}

#[test]
fn an_error_from_a_callback_stops_the_scan() {
    let dir = TempDir::new("stop");
    let index = build(&dir);
    let comparer = Comparer::new();
    let mut seen = 0;
    let e = index
        .scan(
            &comparer,
            &ScanOptions::default(),
            |_| {
                seen += 1;
                Err(retrace::Error::Engine(retrace::EngineError::Format(
                    "stop here".into(),
                )))
            },
            |_, _| Ok(()),
        )
        .unwrap_err();
    assert!(e.to_string().contains("stop here"), "{e}");
    assert_eq!(seen, 1);
}
