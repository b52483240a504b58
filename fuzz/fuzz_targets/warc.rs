//! WARC/WET ingest: arbitrary bytes read as an (uncompressed) WARC file,
//! every record iterated. Broken records are errors; no panic.
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use retrace::ingest::warc::read_warc_from;
use retrace_fuzz::{capped, check_document};

fuzz_target!(|data: &[u8]| {
    let data = capped(data);
    let mut n = 0usize;
    for r in read_warc_from(Cursor::new(data.to_vec()), "fuzz.warc") {
        n += 1;
        // a record takes at least its header line: the reader never loops
        assert!(n <= data.len() + 1, "more records than bytes");
        if let Ok(sd) = r {
            assert!(sd.input_bytes as usize <= data.len());
            check_document(&sd.doc, data.len());
        }
    }
});
