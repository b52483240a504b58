//! Property tests of `compare` (proptest): on arbitrary and on text-like
//! inputs, every span is inside its text (character offsets, so slicing
//! the characters never fails), every link inside its passage, coverages
//! and confidences in [0, 1]; a text compared with itself is covered and
//! derived; the report is the same on one thread and on two.

use proptest::prelude::*;
use retrace::{CharSpan, Comparer, Document, Report, Verdict};

/// Words of several scripts, numbers in wire forms, quotes and breaks.
const WORDS: &[&str] = &[
    "the",
    "council",
    "voted",
    "bridge",
    "Mayor",
    "Okafor",
    "said",
    "on",
    "Tuesday",
    "48.5",
    "million",
    "dollars",
    "1,200",
    "pct",
    "mln",
    "dlrs",
    "Reuters",
    "inspectors",
    "found",
    "corrosion",
    "in",
    "steel",
    "girders",
    "café",
    "Straße",
    "naïve",
    "Zürich",
    "日本",
    "銀行",
    "Москва",
    "рубль",
    "🙂",
    "—",
    "“We",
    "could",
    "not",
    "wait,”",
    "he",
    "told",
    "reporters",
    "\"quoted\"",
    "'single'",
    "«guillemets»",
    "(brackets)",
    "U.S.",
    "Inc.",
    "Dr.",
    "e.g.",
    "vs",
    "&amp;",
    "<b>",
    "</b>",
    "#",
    "*",
    "-",
    "...",
    ".",
    ",",
    ";",
    ":",
    "!",
    "?",
    "\n",
    "\n\n",
    "\t",
    "  ",
];

/// A text-like string: words of [`WORDS`] with sentence ends.
fn wordy(max_words: usize) -> impl Strategy<Value = String> {
    prop::collection::vec((0..WORDS.len(), 0..8u8), 0..max_words).prop_map(|v| {
        let mut s = String::new();
        for (w, p) in v {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(WORDS[w]);
            if p == 0 {
                s.push('.');
            }
        }
        s
    })
}

/// Any string, or a text-like one, or one of those with a wrapped copy of
/// part of the other (so that passages are found).
fn text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), wordy(120), "\\PC{0,400}"]
}

fn in_text(span: &CharSpan, chars: usize) -> bool {
    span.0 <= span.1 && span.1 <= chars
}

fn inside(inner: &CharSpan, outer: &CharSpan) -> bool {
    outer.0 <= inner.0 && inner.1 <= outer.1 && inner.0 <= inner.1
}

/// Every span of a report is inside its text, every link inside its
/// passage, every share in [0, 1].
fn check_report(r: &Report, q: &str, sources: &[&str]) -> Result<(), TestCaseError> {
    let qn = q.chars().count();
    prop_assert_eq!(r.query.chars, qn);
    for s in &r.sources {
        let k: usize = s.id.parse().expect("ids are positions");
        let sn = sources[k].chars().count();
        prop_assert_eq!(s.chars, sn);
        for x in [s.query_coverage, s.source_coverage, s.confidence] {
            prop_assert!((0.0..=1.0).contains(&x), "{x} out of [0, 1]");
        }
        for p in &s.passages {
            prop_assert!(in_text(&p.query, qn), "{:?} outside {qn}", p.query);
            prop_assert!(in_text(&p.source, sn), "{:?} outside {sn}", p.source);
            // character offsets: slicing the characters is always possible
            let _: String = q
                .chars()
                .skip(p.query.0)
                .take(p.query.1 - p.query.0)
                .collect();
            prop_assert!(p.similarity.is_finite());
            for l in &p.links {
                prop_assert!(
                    inside(&l.query, &p.query),
                    "{:?} not in {:?}",
                    l.query,
                    p.query
                );
                prop_assert!(
                    inside(&l.source, &p.source),
                    "{:?} not in {:?}",
                    l.source,
                    p.source
                );
            }
        }
        for f in &s.findings {
            if let Some(x) = &f.query {
                prop_assert!(in_text(x, qn), "finding {:?} outside {qn}", x);
            }
            if let Some(x) = &f.source {
                prop_assert!(in_text(x, sn), "finding {:?} outside {sn}", x);
            }
        }
    }
    Ok(())
}

fn docs(q: &str, sources: &[&str]) -> (Document, Vec<Document>) {
    (
        Document::from_text("q", q),
        sources
            .iter()
            .enumerate()
            .map(|(k, s)| Document::from_text(k.to_string(), *s))
            .collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn spans_are_inside_their_texts(q in text(), s1 in text(), s2 in text(), cut in 0usize..400) {
        // the second source holds a piece of the suspect, so there is something to align
        let piece: String = q.chars().skip(cut / 2).take(cut).collect();
        let s2 = format!("{s2} {piece}");
        let sources = [s1.as_str(), s2.as_str()];
        let (qd, sd) = docs(&q, &sources);
        let r = Comparer::new().compare(&qd, &sd);
        check_report(&r, &q, &sources)?;
    }

    #[test]
    fn a_text_compared_with_itself_is_covered(t in wordy(160)) {
        let (qd, sd) = docs(&t, &[t.as_str()]);
        let r = Comparer::new().compare(&qd, &sd);
        check_report(&r, &t, &[t.as_str()])?;
        // a text long enough for a passage is all reused, verbatim
        let words = t.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count();
        if words >= 40 {
            prop_assert_eq!(r.sources.len(), 1);
            let s = &r.sources[0];
            prop_assert!(s.query_coverage >= 0.9, "coverage {}", s.query_coverage);
            prop_assert_eq!(s.verdict, Verdict::Derived);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn one_thread_or_two_give_the_same_report(q in wordy(200), s in wordy(200), cut in 0usize..600) {
        let piece: String = q.chars().skip(cut / 3).take(cut).collect();
        let s = format!("{s} {piece}");
        let (qd, sd) = docs(&q, &[s.as_str()]);
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| serde_json::to_string(&Comparer::new().compare(&qd, &sd)).unwrap())
        };
        prop_assert_eq!(run(1), run(2));
    }
}
