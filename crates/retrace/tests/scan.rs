//! `Index::scan`: reuse discovery across a whole index. A rewrite is found
//! with its source among unrelated articles and same-template company
//! results; template items are not reported as derived; every pair comes
//! once; an exact duplicate is reported with its original; a restart with
//! `skip` reports exactly the rest; empty and one-document indexes scan
//! cleanly.
//!
//! All texts here are written for this test.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use retrace::index::{AddOutcome, Index, ScanOptions, ScanPair, ScanStats, WriterOptions};
use retrace::{Comparer, Document, Verdict};

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!(
            "retrace-scan-test-{}-{name}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&p);
        TempDir(p)
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const SOURCE: &str = "GRANTHAM FALLS - The Millbrook Regional Council voted 7 to 2 on Tuesday to \
approve a 48.5 million dollar plan to replace the aging Cedar Street bridge, ending nearly three \
years of dispute over the crossing. Mayor Helen Okafor said the old span, built in 1931, had been \
closed to trucks since March after inspectors found corrosion in its steel girders. \"We could not \
keep patching a bridge that is older than most of the people who drive over it,\" Okafor told \
reporters after the vote. The new bridge will have four lanes, a protected cycle path and a \
pedestrian walkway, and construction is expected to begin in April 2026. Provincial transport \
minister Daniel Reyes has pledged 19 million dollars toward the project, with the remainder coming \
from municipal bonds and a federal infrastructure grant. Councillor Victor Lindqvist, who voted \
against the plan, warned that the cost could rise by as much as 30 percent if steel prices keep \
climbing. \"Nobody in this room believes the final bill will be 48.5 million,\" he said. Local \
businesses along Cedar Street have reported a 15 percent drop in sales since the truck ban began. \
The council will hold a public meeting on traffic detours on June 12.";

const REWRITE: &str = "On Tuesday, councillors in the Millbrook region backed a 48.5 million \
dollar proposal to rebuild the Cedar Street bridge by a vote of 7 to 2, closing a quarrel that had \
dragged on for almost three years. According to Mayor Helen Okafor, trucks have been barred from \
the 1931 crossing since March, when inspectors discovered corroded steel girders. Speaking to \
journalists after the vote, Okafor said: \"We could not keep patching a bridge that is older than \
most of the people who drive over it.\" Plans call for a four-lane replacement with a protected \
bike lane and a walkway for pedestrians, and work should start in April 2026. Daniel Reyes, the \
provincial transport minister, has committed 19 million dollars, while municipal bonds and a \
federal infrastructure grant will cover the rest. Victor Lindqvist, one of the two councillors who \
opposed the plan, cautioned that rising steel prices could push costs up by as much as 30 percent. \
\"Nobody in this room believes the final bill will be 48.5 million,\" Lindqvist said. Shops on \
Cedar Street say their sales have fallen 15 percent since the ban on trucks took effect. A public \
meeting on detours is scheduled for June 12.";

/// Articles on other topics.
const OTHERS: &[(&str, &str)] = &[
    (
        "reef",
        "Marine biologists at the Kestrel Bay station counted 412 juvenile sea turtles on the \
         northern reef this season, the highest number since records began in 1984. Dr. Amara \
         Fenwick, who leads the survey, credited a ban on night fishing near the nesting beaches. \
         \"The hatchlings finally have a quiet stretch of water,\" she said. Volunteers tagged 96 \
         of the turtles with small satellite transmitters. The station hopes to publish its \
         findings in the autumn and to extend the survey to the southern lagoon next year.",
    ),
    (
        "football",
        "Port Ellery United came from two goals down to beat Harlow Athletic 3-2 on Saturday and \
         move into fourth place in the league. Striker Tomasz Wieczorek scored twice in the last \
         eleven minutes before a crowd of 23,800 at Quayside Park. Manager Rosalind Achebe said \
         her side had shown character after a poor first half. Harlow, who have now lost five \
         matches in a row, sacked their coach on Sunday morning. United travel to Brackenridge \
         next weekend.",
    ),
    (
        "storm",
        "A late spring storm dumped 38 centimetres of snow on the Tallis Plateau on Wednesday, \
         cutting power to about 6,200 homes and closing the mountain highway for nine hours. \
         Forecasters at the Orrin Valley weather office said gusts reached 110 kilometres an hour \
         near the ridge. Crews from Northline Power restored electricity to most villages by \
         midnight. Schools in Dunmore and Ashcombe stayed shut on Thursday while plows cleared \
         the side roads.",
    ),
    (
        "museum",
        "The Verhoeven Museum of Maritime History will reopen its restored east gallery in \
         October after a renovation that cost 7.3 million euros. The gallery houses a collection \
         of 140 ship models donated by the shipbuilder Cornelis Aalders in 1902. Curator Ingrid \
         Moulton said visitors would be able to walk beneath a full-size replica of a whaling \
         boat suspended from the ceiling. Entry will be free for children under twelve during \
         the first month.",
    ),
    (
        "chips",
        "Semiconductor maker Lumera Systems said on Monday it would build a packaging plant near \
         Vastergard, creating roughly 900 jobs by 2028. Chief executive Pavel Hrubes told \
         analysts the site was chosen for its access to cheap hydroelectric power and a skilled \
         workforce. The regional government is contributing land and a training programme run \
         with the Vastergard technical college. Shares in Lumera rose 4 percent in early trading \
         after the announcement.",
    ),
];

/// A company's first-quarter results: name, net profit and a year earlier
/// (mln dlrs), share earnings and a year earlier (cts), revenues and a year
/// earlier (mln dlrs), home town.
type Results = (&'static str, f32, f32, u32, u32, u32, u32, &'static str);

/// Company results in one house template, other names and figures.
const RESULTS: &[Results] = &[
    ("Acme", 12.4, 9.1, 39, 30, 210, 190, "Springfield"),
    ("Borland", 3.2, 4.7, 11, 16, 88, 95, "Riverton"),
    ("Calloway", 27.9, 21.3, 81, 62, 540, 498, "Lakewood"),
    ("Dunmore", 1.6, 1.1, 5, 4, 34, 29, "Fairhaven"),
    ("Eastgate", 44.0, 39.8, 112, 101, 910, 876, "Millport"),
    ("Fenwick", 8.8, 10.2, 23, 27, 160, 171, "Oakridge"),
    ("Garrison", 15.5, 12.0, 47, 36, 305, 262, "Bellmont"),
    ("Halstead", 6.1, 5.9, 19, 18, 120, 117, "Northfield"),
    ("Ironwood", 19.7, 14.4, 58, 42, 388, 341, "Kingsbury"),
    ("Juniper", 2.3, 2.9, 8, 10, 47, 52, "Westbrook"),
    ("Kestrel", 33.6, 28.1, 97, 81, 702, 655, "Ashford"),
    ("Larkspur", 10.9, 7.4, 31, 21, 199, 168, "Elmstead"),
];

const FOOTER: &str = "Figures are unaudited and were supplied by the company to the Trade \
                      Wire earnings desk.";

fn results_item(r: &Results) -> Document {
    let (name, np, np0, shr, shr0, rev, rev0, city) = *r;
    Document::from_text(
        format!("results-{}", name.to_lowercase()),
        format!(
            "{name} Corp said first-quarter net profit was {np:.1} mln dlrs, up from {np0:.1} \
             mln dlrs a year earlier. Shr {shr} cts vs {shr0} cts. Revs {rev} mln dlrs vs {rev0} \
             mln dlrs. The company is based in {city}.\n\n{FOOTER}"
        ),
    )
}

fn corpus() -> Vec<Document> {
    let mut docs = vec![Document::from_text("source", SOURCE)];
    docs.extend(OTHERS.iter().map(|(id, t)| Document::from_text(*id, *t)));
    docs.extend(RESULTS.iter().map(results_item));
    // the rewrite in the middle, not next to its source
    docs.insert(4, Document::from_text("rewrite", REWRITE));
    docs
}

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
