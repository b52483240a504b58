//! The PAN XML reader on arbitrary (lossily decoded) text: malformed markup
//! is an error, never a panic; the features it reads, written back as
//! detections, read again the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use retrace_eval::{parse_pan_xml, write_detections_xml};
use retrace_fuzz::capped;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(capped(data));
    let Ok(xml) = parse_pan_xml(&text) else {
        return;
    };
    let Some(first) = xml.features.first() else {
        return;
    };
    let src = first.source_reference.clone();
    let cases: Vec<_> = xml
        .features
        .iter()
        .filter(|f| f.source_reference == src)
        .map(|f| f.case)
        .collect();
    let mut out = Vec::new();
    write_detections_xml(&mut out, &xml.reference, &src, &cases).expect("writes to memory");
    let again = parse_pan_xml(std::str::from_utf8(&out).expect("UTF-8 out"))
        .expect("what the writer wrote reads back");
    assert_eq!(again.reference, xml.reference);
    assert_eq!(again.features.len(), cases.len());
    for (f, c) in again.features.iter().zip(&cases) {
        assert_eq!(f.name, "detected-plagiarism");
        assert_eq!(f.source_reference, src);
        assert_eq!(&f.case, c);
    }
});
