//! The findings detectors on real wire copy: the team's rewrites of
//! Reuters-21578 articles (`data/evidence-reuters/cases-e1.json`,
//! `cases-e2.json`, sources read by NEWID from `../shared/data/reuters21578`,
//! never copied into the repository) and web pages (`cases-html.json`).
//! Skipped when the collection is not beside the checkout.
//!
//! The floors are the figures of the commit that added this test (with the
//! built-in sentence model): a change that loses ground fails here. Run with
//! `--nocapture` for the table and every miss and false positive.

use std::path::Path;

use retrace::embed::default_embedder;
use retrace::eval::evidence::{evaluate, load_cases, EvidenceSummary};
use retrace::eval::reuters::Reuters;
use retrace::Comparer;

fn repo(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

fn run(file: &str, reuters: Option<&Reuters>) -> EvidenceSummary {
    let cases = load_cases(&repo(file), reuters).expect(file);
    let comparer = Comparer::new().with_embedder(default_embedder().expect("built-in model"));
    let s = evaluate(&cases, &comparer);
    println!("\n{file}: {} cases", s.cases);
    for (k, c) in s
        .kinds
        .iter()
        .chain(std::iter::once((&"all".to_string(), &s.all)))
    {
        println!(
            "{k:<20} TP {:>3} FP {:>3} FN {:>3}  P {:.3} R {:.3}",
            c.tp, c.fp, c.fn_, c.precision, c.recall
        );
    }
    for l in &s.log {
        println!("{l}");
    }
    s
}

#[test]
fn real_wire_copy_findings_hold_their_ground() {
    let dir = repo("../shared/data/reuters21578");
    if !dir.is_dir() {
        eprintln!("skipped: {} not found", dir.display());
        return;
    }
    let reuters = Reuters::open(&dir).expect("Reuters-21578");
    for file in [
        "data/evidence-reuters/cases-e1.json",
        "data/evidence-reuters/cases-e2.json",
    ] {
        let s = run(file, Some(&reuters));
        assert!(
            s.all.precision >= 0.85,
            "{file}: precision {:.3}",
            s.all.precision
        );
        assert!(s.all.recall >= 0.70, "{file}: recall {:.3}", s.all.recall);
        // claims stated as bare facts, credits after an apposition, hearers
        // ("told Reuters"); e1 P 1.00 R 0.87, e2 P 1.00 R 0.91 when this
        // floor was set
        let a = &s.kinds["attribution_removed"];
        assert!(
            a.recall >= 0.8 && a.precision >= 0.9,
            "{file}: attribution_removed P {:.3} R {:.3}",
            a.precision,
            a.recall
        );
        // values compared one mention against one, ranges, dates by name
        // (1.00 on e1 and e2 when this floor was set)
        let n = &s.kinds["number_changed"];
        assert!(
            n.recall >= 0.9,
            "{file}: number_changed recall {:.3}",
            n.recall
        );
        // quotations continued over Reuters' literal `&\t` marks, short
        // ones with their one content word changed (1.00 on e1 and e2 when
        // this floor was set)
        let qa = &s.kinds["quote_altered"];
        assert!(
            qa.recall >= 0.9,
            "{file}: quote_altered recall {:.3}",
            qa.recall
        );
        // names gone from a sentence though named elsewhere, several in one
        // sentence, parts replaced (e1 1.00, e2 0.92 when this floor was set)
        let m = &s.kinds["name_changed"];
        assert!(
            m.recall >= 0.85 && m.precision >= 0.9,
            "{file}: name_changed P {:.3} R {:.3}",
            m.precision,
            m.recall
        );
        for k in ["quote_unquoted", "quote_altered", "number_changed"] {
            assert!(
                s.kinds[k].precision >= 0.9,
                "{file}: {k} precision {:.3}",
                s.kinds[k].precision
            );
        }
    }
}

#[test]
fn web_page_findings_hold_their_ground() {
    let s = run("data/evidence-reuters/cases-html.json", None);
    assert!(s.all.recall >= 0.75, "recall {:.3}", s.all.recall);
    assert!(s.kinds["quote_altered"].precision >= 0.9);
    assert!(s.kinds["attribution_removed"].recall >= 0.75);
    assert!(s.kinds["number_changed"].recall >= 0.9);
    // organisations renamed beside a word both keep ("the riders' group
    // ..."): 0.88 when this floor was set
    let m = &s.kinds["name_changed"];
    assert!(
        m.recall >= 0.8 && m.precision >= 0.9,
        "html: name_changed P {:.3} R {:.3}",
        m.precision,
        m.recall
    );
}
