//! The findings detectors against a hand-written evidence set
//! (`tests/data/evidence/cases.json`): short news texts and their rewrites,
//! each with the findings a careful reader would report, scored by
//! `retrace::eval::evidence` (the scorer of `retrace eval evidence`).
//!
//! A reported finding matches an expected one when the kinds agree and, on
//! every side the expectation names, the finding's span overlaps the char
//! range of the named substring. Matching is one to one; a finding left
//! unmatched is a false positive, an expectation left unmatched a miss.
//!
//! Run with `--nocapture` to see the per-kind table and every miss and
//! false positive.

use retrace::eval::evidence::{evaluate, load_cases};
use retrace::{Comparer, Document, Finding};

#[test]
fn evidence_set_precision_and_recall() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/evidence/cases.json");
    let cases = load_cases(&path, None).expect("cases.json");
    assert!(cases.len() >= 36, "the set needs at least 36 pairs");
    let summary = evaluate(&cases, &Comparer::new());
    println!("\n{} pairs", summary.cases);
    println!(
        "{:<20} {:>4} {:>4} {:>4} {:>9} {:>7}",
        "kind", "TP", "FP", "FN", "precision", "recall"
    );
    for (k, c) in summary
        .kinds
        .iter()
        .chain(std::iter::once((&"all".to_string(), &summary.all)))
    {
        println!(
            "{:<20} {:>4} {:>4} {:>4} {:>9.3} {:>7.3}",
            k, c.tp, c.fp, c.fn_, c.precision, c.recall
        );
    }
    for l in &summary.log {
        println!("{l}");
    }
    // a number reported changed where none changed is the error a reader
    // notices first
    assert_eq!(
        summary.kinds["number_changed"].fp,
        0,
        "number_changed where no number changed: {:#?}",
        summary
            .log
            .iter()
            .filter(|l| l.contains("number_changed"))
            .collect::<Vec<_>>()
    );
    for (k, c) in &summary.kinds {
        if c.tp + c.fp > 0 {
            assert!(
                c.precision >= 0.95,
                "{k}: precision {:.3} < 0.95",
                c.precision
            );
        }
        if c.tp + c.fn_ > 0 {
            assert!(c.recall >= 0.85, "{k}: recall {:.3} < 0.85", c.recall);
        }
    }
}

// ------------------------------------------------------ focused unit tests

/// Findings of a focused test pair, which must align at all (or a
/// negative test would pass for nothing).
fn checked(source: &str, suspect: &str) -> Vec<Finding> {
    let report = Comparer::new().compare(
        &Document::from_text("suspect", suspect),
        &[Document::from_text("source", source)],
    );
    let s = report.sources.into_iter().next().expect("one source");
    assert!(
        !s.passages.is_empty(),
        "the test pair does not align: {suspect:?}"
    );
    s.findings
}

fn assert_none(source: &str, suspect: &str, kind_prefix: &str) {
    let f = checked(source, suspect);
    assert!(
        !f.iter().any(|f| f.kind.as_str().starts_with(kind_prefix)),
        "unexpected {kind_prefix}: {f:#?}"
    );
}

fn assert_one(source: &str, suspect: &str, kind: &str) {
    let f = checked(source, suspect);
    assert_eq!(
        f.iter().filter(|f| f.kind == kind).count(),
        1,
        "expected one {kind}: {f:#?}"
    );
}

#[test]
fn no_number_change_when_values_kept() {
    let src = "The county hired seven new restaurant inspectors this spring at a cost of $3 million a year. \
               More than 100 restaurants failed their first inspection under the new rules, and 50% of them were fined. \
               The health department said the results would be published online every month.";
    let sus = "At a cost of 3 million dollars a year, the county took on 7 new restaurant inspectors this spring. \
               Over 100 restaurants failed the first inspection under the new rules and 50 percent of those were fined. \
               The results will be published online every month, the health department said.";
    assert_none(src, sus, "number_changed");
}

#[test]
fn no_number_change_for_equivalent_spellings() {
    let src = "Twenty-five workers were evacuated from the Harwick copper mine on Tuesday after a tunnel partly collapsed. \
               The company said the repairs would cost about $4.5 million and take two decades of profits to recover. \
               No one was hurt in the collapse, according to the mine operator.";
    let sus = "On Tuesday, 25 workers were evacuated from the Harwick copper mine after a tunnel partly collapsed. \
               The repairs will cost roughly $4,500,000, the company said, and take twenty years of profits to recover. \
               According to the mine operator, nobody was hurt in the collapse.";
    assert_none(src, sus, "number_changed");
}

#[test]
fn no_number_change_for_derived_values() {
    let src = "Membership of the Orland Rowing Club rose from 120 to 150 last year, the club said on Monday. \
               The club credits a new beginners' program that it launched in the spring with the growth. \
               It plans to add a second weekly training session for new members next year.";
    let sus = "The Orland Rowing Club gained 30 members last year, reaching 150, the club said on Monday. \
               It credits the growth to a new beginners' program that it launched in the spring. \
               The club plans to add a second weekly training session for new members next year.";
    assert_none(src, sus, "number_changed");
}

#[test]
fn number_change_is_reported() {
    let src =
        "The ferry carried 312 passengers when it ran aground near Port Alder on Sunday morning. \
               All of them were taken off safely by the coast guard within four hours. \
               The cause of the grounding is being investigated by the maritime authority.";
    let sus = "The ferry had 321 passengers on board when it ran aground near Port Alder on Sunday morning. \
               The coast guard brought every one of them ashore safely within four hours. \
               The maritime authority is investigating the cause of the grounding.";
    assert_one(src, sus, "number_changed");
}

#[test]
fn no_quote_finding_when_quote_kept_verbatim() {
    let src = "\"We will rebuild this bridge, and we will do it before winter,\" Mayor Hal Breen said on Monday. \
               The old bridge over the Tarn River collapsed after heavy rain last week, cutting the town in two. \
               Engineers have started clearing the debris from the riverbed.";
    let sus = "Mayor Hal Breen promised on Monday: \u{201C}We will rebuild this bridge, and we will do it before winter.\u{201D} \
               Heavy rain brought down the old bridge over the Tarn River last week, cutting the town in two. \
               Engineers have begun clearing the debris from the riverbed.";
    assert_none(src, sus, "quote_");
}

#[test]
fn no_quote_finding_for_partial_elided_or_single_quoted() {
    let src = "\"This is a historic day for our city and for every family that depends on clean water,\" \
               Mayor Hal Breen said after the new treatment plant opened on Friday. \
               The plant cost $40 million and will serve about 60,000 homes across the valley. \
               \"We have waited far too long for this plant, and the wait is finally over,\" said council member Ruth Dale.";
    let sus = "Mayor Hal Breen called Friday's opening of the new treatment plant \"a historic day for our city ... \
               and for every family that depends on clean water.\" \
               The $40 million plant will serve some 60,000 homes across the valley. \
               Council member Ruth Dale said: 'We have waited far too long for this plant, and the wait is finally over.'";
    assert_none(src, sus, "quote_");
}

#[test]
fn no_quote_finding_for_scare_quotes() {
    let src = "Residents of Fenmoor have complained about the council's so-called \"green corridor\" plan for the town centre. \
               The plan would close Dock Street to cars and add cycle lanes along the river. \
               A public meeting on the proposal will be held on Thursday at the town hall.";
    let sus = "People living in Fenmoor have objected to the council's green corridor plan for the town centre. \
               Under the plan, Dock Street would be closed to cars and cycle lanes would be added along the river. \
               The proposal will be discussed at a public meeting at the town hall on Thursday.";
    assert_none(src, sus, "quote_");
}

#[test]
fn altered_quote_is_reported() {
    let src = "\"We are confident the plant will reopen by June,\" plant manager Ada Voss said on Friday. \
               The Kelso chemical plant was badly damaged by a fire in January and has been closed since. \
               About 300 people worked there before the fire.";
    let sus = "\"We are hopeful the plant can reopen by June,\" plant manager Ada Voss said on Friday. \
               A fire badly damaged the Kelso chemical plant in January, and it has been closed ever since. \
               Before the fire, about 300 people worked there.";
    assert_one(src, sus, "quote_altered");
}

#[test]
fn unquoted_quote_is_reported() {
    let src = "\"The bridge is unsafe and must close immediately,\" city engineer Mark Tolan said on Monday. \
               Inspectors found deep cracks in two of the bridge's supports last week. \
               Repairs are expected to take several months and cost about $2 million.";
    let sus = "City engineer Mark Tolan said on Monday that the bridge was unsafe and had to close immediately. \
               Last week inspectors found deep cracks in two of the supports of the bridge. \
               Repairs are expected to take several months and cost about $2 million.";
    assert_one(src, sus, "quote_unquoted");
}

#[test]
fn no_attribution_removed_when_kept_under_other_wording() {
    let src = "The financial regulator will fine Ostrava Bank $20 million for misleading customers about fees, Reuters reported on Monday. \
               The bank declined to comment on the fine when contacted on Monday. \
               It is the largest penalty the regulator has imposed this year.";
    let sus = "According to Reuters, the financial regulator plans to fine Ostrava Bank $20 million for misleading customers about fees. \
               Contacted on Monday, the bank would not comment on the fine. \
               The penalty is the largest the regulator has imposed this year.";
    assert_none(src, sus, "attribution_removed");
}

#[test]
fn no_attribution_removed_for_acronym_surname_or_group() {
    let src = "The World Health Organization said on Tuesday that cases of dengue had doubled in the region this year. \
               Dr. Amina Diallo said hospitals in the capital were struggling to cope with the surge in patients. \
               The new spraying program is too small, Democrats said on Wednesday.";
    let sus = "Dengue cases in the region have doubled this year, the WHO said on Tuesday. \
               Hospitals in the capital are struggling to cope with the surge in patients, Diallo said. \
               Democratic lawmakers said on Wednesday that the new spraying program was too small.";
    assert_none(src, sus, "attribution_removed");
}

#[test]
fn removed_attribution_is_reported() {
    let src = "Senator Paul Whitcombe told CNN on Sunday that he would not support the spending bill in its current form. \
               His opposition leaves party leaders one vote short of the 51 needed to pass the measure. \
               A vote on the bill is expected later this week.";
    let sus = "Senator Paul Whitcombe said on Sunday that he would not back the spending bill as currently written. \
               Without his support, party leaders are one vote short of the 51 needed to pass the measure. \
               The vote on the bill is expected later this week.";
    assert_one(src, sus, "attribution_removed");
}

#[test]
fn no_name_change_when_titles_acronyms_or_aliases_vary() {
    let src = "Sen. Paul Whitcombe met Governor Helen Marsh in Carrow on Thursday to discuss flood relief for St Albans Road. \
               The two agreed to seek emergency funds from the U.N. and from Britain for the repairs. \
               Work on the damaged road could begin within a month.";
    let sus = "On Thursday, Whitcombe met Marsh, the governor, in Carrow to talk about flood relief for Saint Albans Road. \
               They agreed to ask the United Nations and the United Kingdom for emergency funds for the repairs. \
               Work on the damaged road could start within a month.";
    assert_none(src, sus, "name_changed");
}

#[test]
fn name_change_is_reported() {
    let src = "The deal would give Voltera control of a battery factory in Nevada that supplies 300,000 vehicles a year. \
               Voltera shares fell 3% in early trading on Monday. \
               The acquisition still needs the approval of competition regulators.";
    let sus = "The purchase would hand Voltera a battery factory in Arizona that supplies 300,000 vehicles a year. \
               Shares of Voltera slipped 3% in early trading on Monday. \
               Competition regulators must still approve the acquisition.";
    assert_one(src, sus, "name_changed");
}

#[test]
fn no_coverage_findings_for_a_full_rewrite() {
    let src = "The city council approved a new budget on Monday after a four-hour debate.\n\n\
               It raises spending on schools by 12 percent and cuts money for road repairs.\n\n\
               No one objected.\n\n\
               Critics said the plan ignores the needs of commuters in the northern suburbs.";
    let sus = "On Monday, after a four-hour debate, the council of the city passed a new budget.\n\n\
               Spending on schools goes up 12 percent under it, while money for road repairs is cut.\n\n\
               Nobody voted against it.\n\n\
               The plan ignores the needs of commuters in the northern suburbs, critics said.";
    assert_none(src, sus, "content_");
}

#[test]
fn dropped_footer_is_reported() {
    let src = "The city council approved a new budget on Monday after a four-hour debate.\n\n\
               It raises spending on schools by 12 percent and cuts money for road repairs.\n\n\
               Critics said the plan ignores the needs of commuters in the northern suburbs.\n\n\
               Reporting by Jana Kowal; Editing by Peter Lind";
    let sus = "On Monday, after a four-hour debate, the council of the city passed a new budget.\n\n\
               Spending on schools goes up 12 percent under it, while money for road repairs is cut.\n\n\
               The plan ignores the needs of commuters in the northern suburbs, critics said.";
    assert_one(src, sus, "content_dropped");
}

#[test]
fn added_paragraph_is_reported() {
    let src = "The city council approved a new budget on Monday after a four-hour debate.\n\n\
               It raises spending on schools by 12 percent and cuts money for road repairs.\n\n\
               Critics said the plan ignores the needs of commuters in the northern suburbs.";
    let sus = "On Monday, after a four-hour debate, the council of the city passed a new budget.\n\n\
               Spending on schools goes up 12 percent under it, while money for road repairs is cut.\n\n\
               Budget fights have become common in mid-sized cities as pandemic-era federal aid runs out.\n\n\
               The plan ignores the needs of commuters in the northern suburbs, critics said.";
    assert_one(src, sus, "content_added");
}

#[test]
fn a_comparer_without_the_evidence_stage_keeps_passages_and_verdict() {
    let source = "The council approved the new bridge on Monday after a long debate. \
        The bridge will cost 40 million dollars and open in 2027, officials said. \
        Work on the foundations starts next spring along the river bank.";
    let suspect = "The council approved the new bridge on Monday after a long debate. \
        The bridge will cost 45 million dollars and open in 2027, officials said. \
        Work on the foundations starts next spring along the river bank.";
    let (q, s) = (
        Document::from_text("q", suspect),
        Document::from_text("s", source),
    );
    let with = Comparer::new().compare(&q, std::slice::from_ref(&s));
    let without = Comparer::new()
        .with_findings(false)
        .compare(&q, std::slice::from_ref(&s));
    let (a, b) = (&with.sources[0], &without.sources[0]);
    assert!(
        a.findings
            .iter()
            .any(|f: &Finding| f.kind.as_str() == "number_changed"),
        "{:?}",
        a.findings
    );
    assert!(b.findings.is_empty());
    assert_eq!(a.passages.len(), b.passages.len());
    assert_eq!(a.verdict, b.verdict);
    assert_eq!(a.confidence, b.confidence);
}
