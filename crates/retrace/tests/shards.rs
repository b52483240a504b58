//! A collection split into shards (`ShardSet`, `retrace index --shards N`)
//! scans, checks and updates as one index: the same pairs as the
//! unsharded index; the distributed scan's four parts, composed by hand as
//! a cluster would, give exactly what `ShardSet::scan` gives; documents are
//! routed by id, so replacing and deleting reach their shard; a shard count
//! cannot change.
//!
//! All texts here are written for this test.

use std::collections::{BTreeSet, HashMap};

use retrace::index::{
    candidate_pairs, AddOutcome, CheckOptions, Index, ScanContext, ScanOptions, ScanPair, ShardSet,
    Signature, WriterOptions,
};
use retrace::{Comparer, Document, Verdict};

mod common;
use common::*;

const SHARDS: usize = 3;

fn sharded(dir: &TempDir) -> ShardSet {
    let set = ShardSet::open_or_create(dir.path(), Some(SHARDS), None).unwrap();
    let mut w = set.writer(WriterOptions::default()).unwrap();
    let docs: Vec<_> = corpus().into_iter().map(|d| (d, None)).collect();
    for r in w.add_batch(docs) {
        assert_eq!(r.unwrap(), AddOutcome::Added);
    }
    w.finish().unwrap();
    set.reload().unwrap();
    set
}

fn single(dir: &TempDir) -> Index {
    let index = Index::create(dir.path(), None).unwrap();
    let mut w = index.writer(WriterOptions::default()).unwrap();
    for d in corpus() {
        w.add(d, None).unwrap();
    }
    w.finish().unwrap();
    index.reload().unwrap();
    index
}

fn collect(
    scan: impl FnOnce(&mut dyn FnMut(ScanPair) -> retrace::index::Result<()>),
) -> Vec<ScanPair> {
    let mut out = Vec::new();
    scan(&mut |p| {
        out.push(p);
        Ok(())
    });
    out
}

/// Each pair as its JSON, a sorted set (the order across shards differs).
fn json_set(pairs: &[ScanPair]) -> BTreeSet<String> {
    pairs
        .iter()
        .map(|p| serde_json::to_string(p).unwrap())
        .collect()
}

fn opts_all() -> ScanOptions {
    ScanOptions {
        all: true,
        ..ScanOptions::default()
    }
}

#[test]
fn a_sharded_collection_scans_as_one_index() {
    let (d1, d2) = (TempDir::new("sh-one"), TempDir::new("sh-many"));
    let one = single(&d1);
    let set = sharded(&d2);
    // the documents are spread over the shards
    let sizes: Vec<u64> = set
        .shards()
        .iter()
        .map(|s| s.stats().unwrap().documents)
        .collect();
    assert_eq!(sizes.iter().sum::<u64>(), corpus().len() as u64);
    assert!(sizes.iter().filter(|&&n| n > 0).count() >= 2, "{sizes:?}");
    assert_eq!(set.stats().unwrap().documents, corpus().len() as u64);

    let comparer = Comparer::new();
    let opts = opts_all();
    let a = collect(|f| {
        one.scan(&comparer, &opts, f, |_, _| Ok(())).unwrap();
    });
    let b = collect(|f| {
        set.scan(&comparer, &opts, f, |_, _| Ok(())).unwrap();
    });
    assert_eq!(json_set(&a), json_set(&b));
    let derived: Vec<&ScanPair> = b
        .iter()
        .filter(|p| p.report.verdict == Verdict::Derived)
        .collect();
    assert_eq!(
        derived.len(),
        1,
        "{:?}",
        b.iter().map(|p| (&p.a, &p.b)).collect::<Vec<_>>()
    );
    let mut ids = [derived[0].a.as_str(), derived[0].b.as_str()];
    ids.sort();
    assert_eq!(ids, ["rewrite", "source"]);
}

/// The four parts of a distributed scan, composed here as a cluster would:
/// template counts per shard, summed; term counts per shard, summed;
/// signatures per shard, joined; each shard pair's candidates aligned.
#[test]
fn the_distributed_parts_compose_to_the_scan() {
    let dir = TempDir::new("sh-parts");
    let set = sharded(&dir);
    let comparer = Comparer::new();
    let opts = opts_all();
    let want = collect(|f| {
        set.scan(&comparer, &opts, f, |_, _| Ok(())).unwrap();
    });

    let shards = set.shards();
    let mut templates: HashMap<u64, u32> = HashMap::new();
    for s in shards {
        for (k, c) in s.scan_template_counts().unwrap() {
            *templates.entry(k).or_default() += c;
        }
    }
    let boilerplate = ScanContext::boilerplate_of(templates, &opts);
    assert!(!boilerplate.is_empty(), "the results footer is boilerplate");
    let mut ctx = ScanContext {
        boilerplate,
        ..ScanContext::default()
    };
    for s in shards {
        let (n, df) = s.scan_term_counts(&ctx.boilerplate).unwrap();
        ctx.documents += n;
        for (t, c) in df {
            *ctx.df.entry(t).or_default() += c;
        }
    }
    // a cluster ships only the terms in two documents or more
    ctx.df.retain(|_, c| *c >= 2);
    let mut sigs: Vec<Signature> = Vec::new();
    let mut shard_of: Vec<usize> = Vec::new();
    for (k, s) in shards.iter().enumerate() {
        let v = s.scan_signatures(&ctx, &opts).unwrap();
        shard_of.extend(std::iter::repeat_n(k, v.len()));
        sigs.extend(v);
    }
    let mut by_shards: HashMap<(usize, usize), Vec<(String, String)>> = HashMap::new();
    for (i, j) in candidate_pairs(&sigs, &opts) {
        let (mut x, mut y) = (i, j);
        if shard_of[x] > shard_of[y] {
            std::mem::swap(&mut x, &mut y);
        }
        by_shards
            .entry((shard_of[x], shard_of[y]))
            .or_default()
            .push((sigs[x].id.clone(), sigs[y].id.clone()));
    }
    let mut got = Vec::new();
    let mut keys: Vec<_> = by_shards.keys().copied().collect();
    keys.sort();
    for shard in shards {
        // the exact duplicates of each shard, once
        shard
            .scan_align(None, &[], true, &ctx, &comparer, &opts, |p| {
                got.push(p);
                Ok(())
            })
            .unwrap();
    }
    for (x, y) in keys {
        let other = (x != y).then(|| &shards[y]);
        shards[x]
            .scan_align(
                other,
                &by_shards[&(x, y)],
                false,
                &ctx,
                &comparer,
                &opts,
                |p| {
                    got.push(p);
                    Ok(())
                },
            )
            .unwrap();
    }
    assert_eq!(json_set(&got), json_set(&want));
    assert!(!got.is_empty());
}

#[test]
fn documents_are_routed_by_id() {
    let dir = TempDir::new("sh-route");
    let set = sharded(&dir);
    let comparer = Comparer::new();
    // replacing and deleting reach the document's shard
    let mut w = set.writer(WriterOptions::default()).unwrap();
    let out = w.add_batch(vec![(
        Document::from_text("reef", "A new text about reefs."),
        None,
    )]);
    assert_eq!(out[0].as_ref().unwrap(), &AddOutcome::Replaced);
    assert!(w.delete("rewrite").unwrap());
    assert!(!w.delete("no-such-id").unwrap());
    w.finish().unwrap();
    set.reload().unwrap();
    assert_eq!(
        set.document("reef").unwrap().unwrap().text,
        "A new text about reefs."
    );
    assert!(set.document("rewrite").unwrap().is_none());
    assert_eq!(set.stats().unwrap().documents, corpus().len() as u64 - 1);

    // a check over all shards finds the source of the rewrite (deleted),
    // stored in another shard than the rewrite was
    assert_ne!(
        ShardSet::route("rewrite", SHARDS),
        ShardSet::route("source", SHARDS)
    );
    let checked = set
        .check(
            &comparer,
            &Document::from_text("q", REWRITE),
            &CheckOptions::default(),
        )
        .unwrap();
    let found: Vec<(&str, Verdict)> = checked
        .report
        .sources
        .iter()
        .map(|s| (s.id.as_str(), s.verdict))
        .collect();
    assert_eq!(found, [("source", Verdict::Derived)]);

    // reopened: same shards; another count is refused
    drop(set);
    let again = ShardSet::open_or_create(dir.path(), None, None).unwrap();
    assert_eq!(again.shards().len(), SHARDS);
    let e = ShardSet::open_or_create(dir.path(), Some(SHARDS + 1), None).unwrap_err();
    assert!(e.to_string().contains("has 3 shards, not 4"), "{e}");
}

#[test]
fn a_used_directory_is_not_made_a_sharded_index() {
    let d1 = TempDir::new("sh-used");
    single(&d1);
    let e = ShardSet::open_or_create(d1.path(), Some(2), None).unwrap_err();
    assert!(e.to_string().contains("not a sharded index"), "{e}");
    let d2 = TempDir::new("sh-zero");
    let e = ShardSet::open_or_create(d2.path(), Some(0), None).unwrap_err();
    assert!(e.to_string().contains("between 1 and"), "{e}");
}
