//! Verdicts on texts written for these tests: a rewrite is `derived` from
//! its article, an independent article on the same story is `related`, a
//! heavy summary is `derived` with a summary passage, and every report says
//! so in its top-level verdict and headline.

use retrace::{Comparer, Document, PassageKind, Verdict};

fn read(rel: &str) -> String {
    std::fs::read_to_string(format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"))).expect(rel)
}

/// The same story as examples/article.txt, written independently: other
/// structure, other quotes, other figures where a second reporter would
/// have them, the shared facts of the story (a council vote on flood
/// defences) in other words.
const INDEPENDENT: &str = "Flood defences: what Harbor City's vote means for residents\n\n\
Residents of Harbor City's eastern districts have lived with flooding for years, and many \
remember the night last autumn when water reached the steps of the old customs house. On \
Tuesday the council finally agreed to act, backing a large engineering programme after a \
long and sometimes heated meeting.\n\n\
Supporters say the city had run out of time. \"Every winter we hand out sandbags and hope,\" \
said Maria Lindqvist, who chairs a neighbourhood association near the ferry terminal. \
\"People here want walls that hold, not another study.\"\n\n\
Engineers from the regional water authority have long warned that the existing barriers, \
many of them built in the 1950s, are cracking. Their most recent survey found seepage at \
more than forty points.\n\n\
Opponents worry about the bill. A local business group said it would ask the state for a \
larger share of the funding before any work starts, and some homeowners fear higher fees. \
The first contracts could be signed within months, officials said, though no date has been set.";

#[test]
fn a_rewrite_is_derived_and_a_distractor_related() {
    let q = Document::from_text("rewrite", read("../../examples/rewrite.txt"));
    let s = Document::from_text("article", read("../../examples/article.txt"));
    let u = Document::from_text("unrelated", read("../../examples/unrelated.txt"));
    let r = Comparer::new().compare(&q, &[s, u]);
    let by = |id: &str| r.sources.iter().find(|x| x.id == id).unwrap();
    assert_eq!(by("article").verdict, Verdict::Derived);
    assert!(
        by("article").confidence > 0.9,
        "{}",
        by("article").confidence
    );
    assert_eq!(by("unrelated").verdict, Verdict::Related);
    assert!(by("unrelated").confidence < 0.2);
    assert_eq!(r.verdict, Verdict::Derived);
    assert!(
        r.headline.starts_with("Derived from article (confidence"),
        "{}",
        r.headline
    );
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["verdict"], "derived");
    assert_eq!(json["sources"][0]["verdict"], "derived");
    assert!(json["sources"][0]["confidence"].as_f64().unwrap() > 0.9);
}

#[test]
fn an_independent_article_on_the_same_story_is_related() {
    let q = Document::from_text("independent", INDEPENDENT);
    let s = Document::from_text("article", read("../../examples/article.txt"));
    let r = Comparer::new().compare(&q, &[s]);
    let a = &r.sources[0];
    assert_eq!(a.verdict, Verdict::Related, "confidence {}", a.confidence);
    assert!(a.confidence < 0.5, "{}", a.confidence);
    assert_eq!(r.verdict, Verdict::Related);
    assert!(
        r.headline
            .starts_with("No source found. Closest: article, same topic"),
        "{}",
        r.headline
    );
}

#[test]
fn the_same_text_is_derived_with_certainty() {
    let t = read("../../examples/article.txt");
    let r = Comparer::new().compare(
        &Document::from_text("q", t.as_str()),
        &[Document::from_text("s", t.as_str())],
    );
    assert_eq!(r.sources[0].verdict, Verdict::Derived);
    assert!(r.sources[0].confidence > 0.95);
}

#[test]
fn confidence_is_a_probability_and_no_text_is_related() {
    let r = Comparer::new().compare(
        &Document::from_text("q", ""),
        &[Document::from_text("s", read("../../examples/article.txt"))],
    );
    for s in &r.sources {
        assert!((0.0..=1.0).contains(&s.confidence));
        assert_eq!(s.verdict, Verdict::Related);
    }
    assert_eq!(r.verdict, Verdict::Related);
}

#[test]
fn a_summary_passage_is_of_kind_summary_when_derived() {
    // a short condensation of the article: same facts, same order
    let summary = "Harbor City will spend $48 million raising its eastern sea walls after a 7-2 \
council vote on Tuesday, the biggest public works job the port has undertaken. Some 3.2 miles of \
wall are to be rebuilt by 2029, with four new pumping stations, to protect around 11,000 homes hit \
by last autumn's surge. State grants and a bond approved in November will pay for it, and building \
should start in early summer. Councilman Victor Hale, who opposed it, called the estimate wildly \
optimistic.";
    let r = Comparer::new().compare(
        &Document::from_text("summary", summary),
        &[Document::from_text(
            "article",
            read("../../examples/article.txt"),
        )],
    );
    let a = &r.sources[0];
    assert_eq!(a.verdict, Verdict::Derived, "confidence {}", a.confidence);
    assert!(!a.passages.is_empty());
    assert!(
        a.passages.iter().any(|p| p.kind == PassageKind::Summary),
        "{:?}",
        a.passages.iter().map(|p| p.kind).collect::<Vec<_>>()
    );
}
