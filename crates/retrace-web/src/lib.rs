//! The static assets of the retrace web UI, compiled into the binary.
//!
//! This is a stub: the real UI replaces this crate, keeping [`asset`].

const INDEX_HTML: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>retrace</title></head>\n<body><h1>retrace</h1></body></html>\n";

/// A static asset of the web UI: (content type, bytes), for "index.html" and files under assets/.
pub fn asset(path: &str) -> Option<(&'static str, &'static [u8])> {
    match path {
        "index.html" => Some(("text/html; charset=utf-8", INDEX_HTML.as_bytes())),
        _ => None,
    }
}
