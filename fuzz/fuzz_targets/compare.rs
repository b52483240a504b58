//! `compare` on arbitrary texts: the input split at 0xFF bytes (never in
//! UTF-8) into a suspect and up to three sources, each decoded lossily,
//! compared with lexical similarity and with the embedded sentence model.
//! Every passage, link and finding span lies inside its text; the numbers
//! are finite.
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use retrace::{Comparer, Document};
use retrace_fuzz::{capped, check_report};

fn comparers() -> &'static [Comparer; 2] {
    static C: OnceLock<[Comparer; 2]> = OnceLock::new();
    C.get_or_init(|| {
        let model = retrace::embed::default_embedder().expect("the embedded model loads");
        [
            Comparer::new(),
            Comparer::new().with_embedder(model as Arc<_>),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let mut parts = capped(data).splitn(5, |&b| b == 0xFF);
    let query = Document::from_text(
        "query",
        String::from_utf8_lossy(parts.next().unwrap_or(b"")),
    );
    let sources: Vec<Document> = parts
        .take(3)
        .enumerate()
        .map(|(i, p)| Document::from_text(format!("s{i}"), String::from_utf8_lossy(p)))
        .collect();
    for c in comparers() {
        let report = c.compare(&query, &sources);
        assert!(report.sources.len() <= sources.len());
        check_report(&report, &query, &sources);
    }
});
