//! What the scan and shard tests share: a temporary directory, and a small
//! collection written for these tests (a rewrite and its source, unrelated
//! articles, company results in one house template with a footer).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use retrace::Document;

pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!(
            "retrace-test-{}-{name}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&p);
        TempDir(p)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub const SOURCE: &str =
    "GRANTHAM FALLS - The Millbrook Regional Council voted 7 to 2 on Tuesday to \
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

pub const REWRITE: &str = "On Tuesday, councillors in the Millbrook region backed a 48.5 million \
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
pub const OTHERS: &[(&str, &str)] = &[
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
pub type Results = (&'static str, f32, f32, u32, u32, u32, u32, &'static str);

/// Company results in one house template, other names and figures.
pub const RESULTS: &[Results] = &[
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

pub const FOOTER: &str = "Figures are unaudited and were supplied by the company to the Trade \
                      Wire earnings desk.";

pub fn results_item(r: &Results) -> Document {
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

pub fn corpus() -> Vec<Document> {
    let mut docs = vec![Document::from_text("source", SOURCE)];
    docs.extend(OTHERS.iter().map(|(id, t)| Document::from_text(*id, *t)));
    docs.extend(RESULTS.iter().map(results_item));
    // the rewrite in the middle, not next to its source
    docs.insert(4, Document::from_text("rewrite", REWRITE));
    docs
}
