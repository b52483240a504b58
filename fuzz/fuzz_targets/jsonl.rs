//! JSON Lines ingest: arbitrary bytes read as records `{"id", "text", ...}`
//! with the default fields and with others. Bad lines are errors and
//! reading goes on; no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use retrace::ingest::input::{read_jsonl, Fields};
use retrace_fuzz::{capped, check_document};

fuzz_target!(|data: &[u8]| {
    let data = capped(data);
    let lines = data.split(|&b| b == b'\n').count();
    let mut n = 0;
    for r in read_jsonl(data, "fuzz") {
        n += 1;
        assert!(n <= lines, "more records than lines");
        if let Ok(sd) = r {
            assert!(!sd.doc.id.is_empty(), "a record with an empty id");
            assert!(sd.input_bytes as usize <= data.len());
            check_document(&sd.doc, data.len());
        }
    }
    let fields = Fields {
        id: "url".into(),
        text: "content".into(),
    };
    for sd in read_jsonl(data, "fuzz").with_fields(fields).flatten() {
        check_document(&sd.doc, data.len());
    }
});
