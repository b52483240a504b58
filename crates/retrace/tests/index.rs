//! The index: life cycle, replace/delete/duplicate handling, readers during
//! writes, refusal of bad directories and other models, IVF retrieval, and
//! that `check` finds the true source among distractors with the same
//! passages as `compare`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use retrace::embed::{default_embedder, SentenceEmbedder};
use retrace::index::{AddOutcome, CheckOptions, Index, IndexErrorKind, WriterOptions};
use retrace::{Comparer, Document, Error};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

fn read(rel: &str) -> Document {
    Document::from_path(&repo(rel)).unwrap()
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!(
            "retrace-index-test-{}-{name}-{:?}",
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

fn model() -> Option<Arc<dyn SentenceEmbedder>> {
    Some(default_embedder().unwrap() as Arc<dyn SentenceEmbedder>)
}

/// News-like distractor documents: sentences from templates and word lists,
/// some on the same topics as the example article (city councils, budgets,
/// flooding).
fn distractors(n: usize, seed: u64) -> Vec<Document> {
    const ORGS: &[&str] = &[
        "The city council",
        "The state senate",
        "A regional utility",
        "The port authority",
        "The school board",
        "A local hospital",
        "The transit agency",
        "The county commission",
        "A mining company",
        "The central bank",
    ];
    const VERBS: &[&str] = &[
        "approved",
        "rejected",
        "delayed",
        "announced",
        "proposed",
        "debated",
        "funded",
        "postponed",
    ];
    const THINGS: &[&str] = &[
        "a new budget for parks",
        "a plan to repair bridges",
        "higher bus fares",
        "a study of river flooding",
        "a tax on vacant homes",
        "a contract for street lighting",
        "new rules for food trucks",
        "an expansion of the airport",
        "a program of school meals",
        "a merger of two water districts",
    ];
    const TAILS: &[&str] = &[
        "after a long debate on Monday",
        "despite objections from residents",
        "in a vote of 5 to 4",
        "citing rising costs",
        "following months of talks",
        "according to officials",
    ];
    let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
    let mut next = |m: usize| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((x >> 33) as usize) % m
    };
    (0..n)
        .map(|i| {
            let sents = 4 + next(8);
            let mut t = String::new();
            for _ in 0..sents {
                t.push_str(&format!(
                    "{} {} {} {}, spending about {} million dollars over {} years. ",
                    ORGS[next(ORGS.len())],
                    VERBS[next(VERBS.len())],
                    THINGS[next(THINGS.len())],
                    TAILS[next(TAILS.len())],
                    1 + next(90),
                    1 + next(9)
                ));
            }
            Document::from_text(format!("distractor-{i:05}"), t)
        })
        .collect()
}

fn kind(e: Error) -> IndexErrorKind {
    match e {
        Error::Index { kind, .. } => kind,
        other => panic!("expected an index error, got {other}"),
    }
}

#[test]
fn life_cycle_and_duplicates() {
    let dir = TempDir::new("life");
    let index = Index::create(dir.path(), None).unwrap();
    let mut w = index.writer(WriterOptions::default()).unwrap();
    let a = Document::from_text(
        "a",
        "Alpha text about the harbor wall. It has two sentences.",
    );
    let b = Document::from_text("b", "Bravo text about apple orchards in the valley.");
    assert_eq!(w.add(a.clone(), None).unwrap(), AddOutcome::Added);
    assert_eq!(w.add(b.clone(), None).unwrap(), AddOutcome::Added);
    // same content under a new id: a duplicate, in the same batch
    let mut a2 = a.clone();
    a2.id = "a2".into();
    assert_eq!(
        w.add(a2.clone(), None).unwrap(),
        AddOutcome::Duplicate { of: "a".into() }
    );
    // nothing is visible before the commit
    assert_eq!(index.stats().unwrap().documents, 0);
    w.commit().unwrap();
    let s = index.stats().unwrap();
    assert_eq!((s.documents, s.duplicates), (2, 1));
    // after the commit too
    let mut a3 = a.clone();
    a3.id = "a3".into();
    assert_eq!(
        w.add(a3, None).unwrap(),
        AddOutcome::Duplicate { of: "a".into() }
    );
    assert_eq!(w.add(a.clone(), None).unwrap(), AddOutcome::Unchanged);
    assert_eq!(w.add(a2.clone(), None).unwrap(), AddOutcome::Unchanged);
    // replacing "a": its duplicates keep the old content, "a2" takes it over
    let a_new = Document::from_text("a", "Alpha, rewritten: a wholly different text on tides.");
    assert_eq!(w.add(a_new, None).unwrap(), AddOutcome::Replaced);
    w.commit().unwrap();
    let s = index.stats().unwrap();
    assert_eq!((s.documents, s.duplicates), (3, 1), "{s:?}");
    assert_eq!(index.document("a2").unwrap().unwrap().text, a.text);
    assert!(index.document("a").unwrap().unwrap().text.contains("tides"));
    assert_eq!(index.document("a3").unwrap().unwrap().text, a.text);
    // deleting
    assert!(w.delete("b").unwrap());
    assert!(!w.delete("b").unwrap());
    assert!(!w.delete("nope").unwrap());
    assert!(w.delete("a3").unwrap());
    w.commit().unwrap();
    let s = index.stats().unwrap();
    assert_eq!((s.documents, s.duplicates), (2, 0), "{s:?}");
    assert!(index.document("b").unwrap().is_none());
    // changes dropped without a commit are gone
    w.add(b, None).unwrap();
    drop(w);
    let again = Index::open(dir.path(), None).unwrap();
    assert_eq!(again.stats().unwrap().documents, 2);
}

#[test]
fn metadata_is_kept() {
    let dir = TempDir::new("meta");
    let index = Index::create(dir.path(), None).unwrap();
    let mut w = index.writer(WriterOptions::default()).unwrap();
    let meta = serde_json::json!({"url": "https://example.org/a", "year": 1987});
    w.add(Document::from_text("a", "Some text."), Some(meta.clone()))
        .unwrap();
    w.commit().unwrap();
    assert_eq!(index.metadata("a").unwrap(), Some(meta));
}

#[test]
fn check_finds_the_source_with_the_same_passages_as_compare() {
    let dir = TempDir::new("check");
    let index = Index::create(dir.path(), model()).unwrap();
    let opts = WriterOptions {
        ivf_train_min: 64, // exercise the IVF path on a small index
        ..WriterOptions::default()
    };
    let mut w = index.writer(opts).unwrap();
    let article = read("examples/article.txt");
    let unrelated = read("examples/unrelated.txt");
    let mut docs: Vec<(Document, Option<serde_json::Value>)> =
        distractors(400, 7).into_iter().map(|d| (d, None)).collect();
    docs.insert(150, (article.clone(), None));
    docs.push((unrelated.clone(), None));
    for r in w.add_batch(docs) {
        r.unwrap();
    }
    w.finish().unwrap();
    index.reload().unwrap();
    let s = index.stats().unwrap();
    assert_eq!(s.documents, 402);
    assert!(s.ivf_lists >= 8, "{s:?}");

    let suspect = read("examples/rewrite.txt");
    let cands = index.search(&suspect, 5).unwrap();
    assert_eq!(cands[0].id, article.id, "{cands:?}");

    let comparer = Comparer::new().with_embedder(model().unwrap());
    let checked = index
        .check(&comparer, &suspect, &CheckOptions::default())
        .unwrap();
    let top = &checked.report.sources[0];
    assert_eq!(top.id, article.id);
    assert!(checked.report.sources.len() <= 5);
    assert!(checked
        .report
        .sources
        .iter()
        .all(|s| !s.passages.is_empty()));
    assert_eq!(checked.sources[0].id, article.id);
    let direct = comparer.compare(&suspect, &[article.clone(), unrelated]);
    assert_eq!(
        serde_json::to_value(top).unwrap(),
        serde_json::to_value(&direct.sources[0]).unwrap()
    );
    assert_eq!(checked.report.query.chars, direct.query.chars);
    // min_score filters
    let none = index
        .check(
            &comparer,
            &suspect,
            &CheckOptions {
                min_score: 0.99,
                ..CheckOptions::default()
            },
        )
        .unwrap();
    assert!(none.report.sources.is_empty());
}

#[test]
fn lexical_only_index_works() {
    let dir = TempDir::new("lexical");
    let index = Index::create(dir.path(), None).unwrap();
    let mut w = index.writer(WriterOptions::default()).unwrap();
    let mut docs: Vec<_> = distractors(50, 3).into_iter().map(|d| (d, None)).collect();
    docs.push((read("examples/article.txt"), None));
    for r in w.add_batch(docs) {
        r.unwrap();
    }
    w.commit().unwrap();
    let c = index.search(&read("examples/rewrite.txt"), 3).unwrap();
    assert_eq!(c[0].id, read("examples/article.txt").id);
    assert!(c[0].semantic_rank.is_none());
}

#[test]
fn readers_see_whole_commits_while_a_writer_adds() {
    let dir = TempDir::new("concurrent");
    let index = Index::create(dir.path(), None).unwrap();
    let path = dir.path().to_path_buf();
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut seen = Vec::new();
            let probe = Document::from_text("q", distractors(1, 99)[0].text.clone());
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                // a fresh reader, as a separate `check` process would open
                let r = Index::open(&path, None).unwrap();
                let n = r.stats().unwrap().documents;
                assert_eq!(n % 20, 0, "a reader saw half a commit: {n}");
                r.search(&probe, 3).unwrap();
                seen.push(n);
            }
            seen
        })
    };
    let writing = Index::open(dir.path(), None).unwrap();
    let mut w = writing.writer(WriterOptions::default()).unwrap();
    let docs = distractors(200, 11);
    for chunk in docs.chunks(20) {
        let batch = chunk.iter().map(|d| (d.clone(), None)).collect();
        for r in w.add_batch(batch) {
            r.unwrap();
        }
        w.commit().unwrap();
    }
    drop(w);
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let seen = reader.join().unwrap();
    assert!(!seen.is_empty());
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert_eq!(
        index.stats().unwrap().documents,
        0,
        "this reader was not reloaded"
    );
    index.reload().unwrap();
    assert_eq!(index.stats().unwrap().documents, 200);
}

#[test]
fn one_writer_at_a_time() {
    let dir = TempDir::new("lock");
    let index = Index::create(dir.path(), None).unwrap();
    let _w = index.writer(WriterOptions::default()).unwrap();
    let other = Index::open(dir.path(), None).unwrap();
    assert_eq!(
        kind(other.writer(WriterOptions::default()).err().unwrap()),
        IndexErrorKind::Locked
    );
}

#[test]
fn refuses_missing_foreign_corrupt_and_unknown_version() {
    let dir = TempDir::new("refuse");
    let p = dir.path();
    assert_eq!(
        kind(Index::open(p, None).unwrap_err()),
        IndexErrorKind::NotFound
    );
    // a foreign directory: not empty, no manifest; nothing is written into it
    std::fs::create_dir_all(p).unwrap();
    std::fs::write(p.join("notes.txt"), "mine").unwrap();
    assert_eq!(
        kind(Index::open(p, None).unwrap_err()),
        IndexErrorKind::Foreign
    );
    assert_eq!(
        kind(Index::open_or_create(p, None).unwrap_err()),
        IndexErrorKind::Foreign
    );
    assert_eq!(std::fs::read_dir(p).unwrap().count(), 1);
    std::fs::remove_file(p.join("notes.txt")).unwrap();

    let index = Index::create(p, None).unwrap();
    let mut w = index.writer(WriterOptions::default()).unwrap();
    w.add(Document::from_text("a", "Some text here."), None)
        .unwrap();
    w.finish().unwrap();
    drop(index);
    let manifest = p.join("retrace-index.json");
    let good = std::fs::read_to_string(&manifest).unwrap();

    std::fs::write(&manifest, good.replace("\"version\": 1", "\"version\": 99")).unwrap();
    let e = Index::open(p, None).unwrap_err();
    assert!(e.to_string().contains("version 99"), "{e}");
    assert_eq!(kind(e), IndexErrorKind::UnknownVersion);
    assert_eq!(
        kind(Index::info(p).unwrap_err()),
        IndexErrorKind::UnknownVersion
    );

    std::fs::write(&manifest, "{ not json").unwrap();
    assert_eq!(
        kind(Index::open(p, None).unwrap_err()),
        IndexErrorKind::Corrupt
    );
    std::fs::write(
        &manifest,
        "{\"format\": \"something-else\", \"version\": 1}",
    )
    .unwrap();
    assert_eq!(
        kind(Index::open(p, None).unwrap_err()),
        IndexErrorKind::Corrupt
    );

    std::fs::write(&manifest, &good).unwrap();
    Index::open(p, None).unwrap();
    let meta = p.join("tantivy/meta.json");
    std::fs::write(&meta, "garbage").unwrap();
    assert_eq!(
        kind(Index::open(p, None).unwrap_err()),
        IndexErrorKind::Corrupt
    );
}

#[test]
fn refuses_a_damaged_centroid_file() {
    let dir = TempDir::new("centroids");
    let index = Index::create(dir.path(), model()).unwrap();
    let mut w = index
        .writer(WriterOptions {
            ivf_train_min: 16,
            ..WriterOptions::default()
        })
        .unwrap();
    for r in w.add_batch(distractors(60, 5).into_iter().map(|d| (d, None)).collect()) {
        r.unwrap();
    }
    w.finish().unwrap();
    drop(index);
    let f = dir.path().join("centroids.bin");
    let mut b = std::fs::read(&f).unwrap();
    b[40] ^= 0xff;
    std::fs::write(&f, b).unwrap();
    let e = Index::open(dir.path(), model()).unwrap_err();
    assert!(e.to_string().contains("centroids.bin"), "{e}");
    assert_eq!(kind(e), IndexErrorKind::Corrupt);
}

/// A model that claims the default model's name but has other weights.
struct Impostor(usize);

impl SentenceEmbedder for Impostor {
    fn id(&self) -> &str {
        "retrace-static-v1"
    }
    fn dim(&self) -> usize {
        self.0
    }
    fn embed(&self, sentences: &[&str]) -> retrace::EngineResult<Vec<Vec<f32>>> {
        Ok(sentences
            .iter()
            .map(|s| {
                let mut v = vec![0.0; self.0];
                v[s.len() % self.0] = 1.0;
                v
            })
            .collect())
    }
}

#[test]
fn refuses_another_model() {
    let dir = TempDir::new("model");
    Index::create(dir.path(), model()).unwrap();
    let e = Index::open(dir.path(), None).unwrap_err();
    assert!(e.to_string().contains("retrace-static-v1"), "{e}");
    assert_eq!(kind(e), IndexErrorKind::ModelMismatch);
    for dim in [256, 64] {
        let e = Index::open(dir.path(), Some(Arc::new(Impostor(dim)))).unwrap_err();
        assert_eq!(kind(e), IndexErrorKind::ModelMismatch);
    }
    Index::open(dir.path(), model()).unwrap();
    // stats need no model
    assert!(Index::info(dir.path()).unwrap().model.is_some());

    let lex = TempDir::new("model-lex");
    Index::create(lex.path(), None).unwrap();
    assert_eq!(
        kind(Index::open(lex.path(), model()).unwrap_err()),
        IndexErrorKind::ModelMismatch
    );
}
