//! Reading inputs named on the command line.

use std::io::Read;
use std::path::Path;

use retrace::{Document, Format};

use crate::Failure;

/// Reads a path (or `-` for stdin) into a document.
pub fn read_document(path: &str) -> Result<Document, Failure> {
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::input(format!("cannot read stdin: {e}")))?;
        return Document::from_bytes("-", &bytes, None).map_err(Failure::input);
    }
    let p = Path::new(path);
    if p.is_dir() {
        return Err(Failure::input(format!("{path} is a directory, not a file")));
    }
    let bytes = std::fs::read(p).map_err(|e| Failure::input(format!("cannot read {path}: {e}")))?;
    Document::from_bytes(path, &bytes, Format::from_path(p)).map_err(Failure::input)
}
