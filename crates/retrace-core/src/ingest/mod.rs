//! Stage 1 of the pipeline: read inputs into [`Document`]s.
//!
//! In: bytes from a file, stdin or a caller, with an optional format hint.
//! Out: a [`Document`] holding UTF-8 text that every later stage and every
//! reported offset refers to.
//!
//! - Plain text and Markdown are taken as they are.
//! - HTML is reduced to its main text: the paragraphs a Readability port
//!   ([`dom_smoothie`]) reads that a trafilatura port ([`rs_trafilatura`])
//!   keeps too (see [`extract_main_text`]); the [`Document::html_anchors`] map
//!   ties positions in the extracted text back to positions in the HTML
//!   source.
//! - Invalid UTF-8 is decoded lossily and a warning is recorded.
//! - Binary data (NUL bytes, known binary signatures, or mostly control
//!   characters) is refused with [`Error::Binary`].
//! - Empty input is a valid, empty document.
//! - Text that arrives as a string (a JSON field, a Python `str`) is text
//!   already: [`Document::from_str_limited`] refuses only a NUL character.

mod html;
pub mod input;
pub mod warc;

use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};

pub use html::extract_main_text;

/// Default upper bound on the size of one input (256 MiB).
pub const DEFAULT_MAX_BYTES: usize = 256 << 20;

/// The kind of input a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text.
    Text,
    /// Markdown (treated as text; headings and list items segment as blocks).
    Markdown,
    /// HTML, reduced to its main content.
    Html,
}

impl Format {
    /// Guesses the format from a file name's extension, if it has a known one.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Markdown),
            "txt" | "text" => Some(Format::Text),
            _ => None,
        }
    }

    /// Guesses the format from the content: HTML if it starts like HTML.
    pub fn sniff(text: &str) -> Format {
        let head: String = text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .chars()
            .take(256)
            .collect();
        let head = head.to_ascii_lowercase();
        if head.starts_with("<!doctype html")
            || head.starts_with("<html")
            || (head.starts_with("<?xml") && head.contains("<html"))
        {
            Format::Html
        } else {
            Format::Text
        }
    }
}

/// An anchor tying a character offset in extracted text to a character
/// offset in the HTML source it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Anchor {
    /// Character offset in [`Document::text`].
    pub text: usize,
    /// Character offset in the original HTML input.
    pub html: usize,
}

/// A text ready for analysis.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// The caller's identifier (a path as given, an index id).
    pub id: String,
    /// The text all offsets refer to (for HTML: the extracted main text).
    pub text: String,
    /// The format the document was read as.
    pub format: Format,
    /// For HTML input: anchors from positions in `text` to positions in the
    /// HTML source, one per extracted block, in increasing order. A text
    /// offset `t` maps to `a.html + (t - a.text)` for the last anchor `a`
    /// with `a.text <= t` (exact within a block unless it holds entities).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub html_anchors: Vec<Anchor>,
    /// Non-fatal problems met while reading (e.g. invalid UTF-8 replaced).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The character encoding the bytes were decoded from (`"UTF-8"`,
    /// `"UTF-16LE"`, `"windows-1252"`, ...).
    pub encoding: String,
}

impl Document {
    /// A document from text already in memory.
    pub fn from_text(id: impl Into<String>, text: impl Into<String>) -> Self {
        Document {
            id: id.into(),
            text: text.into(),
            format: Format::Text,
            html_anchors: Vec::new(),
            warnings: Vec::new(),
            encoding: "UTF-8".to_string(),
        }
    }

    /// A document from raw bytes. `format` overrides detection by content.
    pub fn from_bytes(id: impl Into<String>, bytes: &[u8], format: Option<Format>) -> Result<Self> {
        Self::from_bytes_limited(id, bytes, format, DEFAULT_MAX_BYTES)
    }

    /// Like [`Document::from_bytes`] with an explicit size limit.
    pub fn from_bytes_limited(
        id: impl Into<String>,
        bytes: &[u8],
        format: Option<Format>,
        max_bytes: usize,
    ) -> Result<Self> {
        let id = id.into();
        if bytes.len() > max_bytes {
            return Err(Error::TooLarge {
                id,
                size: bytes.len(),
                limit: max_bytes,
            });
        }
        let mut warnings = Vec::new();
        let (text, encoding) = match decode_unicode_bom(bytes) {
            Some(decoded) => decoded,
            None => {
                if let Some(why) = binary_signature(bytes) {
                    return Err(Error::Binary { id, why });
                }
                match std::str::from_utf8(bytes) {
                    Ok(s) => (s.to_string(), "UTF-8"),
                    Err(_) => decode_legacy(&id, bytes, &mut warnings),
                }
            }
        };
        if let Some(why) = mostly_control(&text) {
            return Err(Error::Binary { id, why });
        }
        Ok(Self::finish(id, text, format, warnings, encoding))
    }

    /// A document from text that arrived as a string (a JSON field, a
    /// Python `str`): decoded already, so no byte signature or share of
    /// control characters marks it as binary; only a NUL character does
    /// (no text holds one). `format` overrides detection by content.
    pub fn from_str_limited(
        id: impl Into<String>,
        text: &str,
        format: Option<Format>,
        max_bytes: usize,
    ) -> Result<Self> {
        let id = id.into();
        if text.len() > max_bytes {
            return Err(Error::TooLarge {
                id,
                size: text.len(),
                limit: max_bytes,
            });
        }
        if let Some(at) = text.find('\0') {
            let at = text[..at].chars().count();
            return Err(Error::Binary {
                id,
                why: format!("a NUL character at character {at}"),
            });
        }
        Ok(Self::finish(
            id,
            text.to_string(),
            format,
            Vec::new(),
            "UTF-8",
        ))
    }

    /// The common end of the constructors: drop a byte-order mark, then
    /// reduce HTML to its main text.
    fn finish(
        id: String,
        text: String,
        format: Option<Format>,
        warnings: Vec<String>,
        encoding: &str,
    ) -> Self {
        let text = text
            .strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text);
        let format = format.unwrap_or_else(|| Format::sniff(&text));
        match format {
            Format::Html => {
                let (extracted, anchors) = extract_main_text(&text);
                Document {
                    id,
                    text: extracted,
                    format,
                    html_anchors: anchors,
                    warnings,
                    encoding: encoding.to_string(),
                }
            }
            _ => Document {
                id,
                text,
                format,
                html_anchors: Vec::new(),
                warnings,
                encoding: encoding.to_string(),
            },
        }
    }

    /// Reads a file; the format comes from the extension, else from content.
    pub fn from_path(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(path.display().to_string(), &bytes, Format::from_path(path))
    }

    /// Number of characters of the text.
    pub fn chars(&self) -> usize {
        self.text.chars().count()
    }
}

/// Text with a byte-order mark: UTF-32 and UTF-16 (either byte order) and
/// UTF-8, decoded (invalid units replaced); `None` without a BOM.
fn decode_unicode_bom(bytes: &[u8]) -> Option<(String, &'static str)> {
    let utf32 = |be: bool| -> String {
        bytes[4..]
            .chunks(4)
            .map(|c| {
                let mut b = [0u8; 4];
                b[..c.len()].copy_from_slice(c);
                let v = if be {
                    u32::from_be_bytes(b)
                } else {
                    u32::from_le_bytes(b)
                };
                char::from_u32(v).unwrap_or('\u{fffd}')
            })
            .collect()
    };
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return Some((utf32(false), "UTF-32LE"));
    }
    if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Some((utf32(true), "UTF-32BE"));
    }
    let (enc, bom_len) = encoding_rs::Encoding::for_bom(bytes)?;
    let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
    Some((text.into_owned(), enc.name()))
}

/// Bytes that are not UTF-8: the legacy encoding they most likely are
/// (chardetng's guess, e.g. windows-1252 for Latin-1 text), decoded, with a
/// warning that names it.
fn decode_legacy(id: &str, bytes: &[u8], warnings: &mut Vec<String>) -> (String, &'static str) {
    // UTF-8 with a few stray bytes (more valid multi-byte characters than
    // invalid bytes) stays UTF-8: decoding it as a legacy encoding would
    // garble every accent and curly quote
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| c.len_utf8() > 1).count();
        invalid += chunk.invalid().len();
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, true);
    let enc = if multibyte > invalid {
        encoding_rs::UTF_8
    } else {
        det.guess(None, true)
    };
    if enc == encoding_rs::UTF_8 {
        let s = String::from_utf8_lossy(bytes).into_owned();
        let bad = s.chars().filter(|&c| c == '\u{fffd}').count();
        warnings.push(format!(
            "{id}: invalid UTF-8, {bad} byte sequence(s) replaced with U+FFFD"
        ));
        return (s, "UTF-8");
    }
    let (text, _, had_errors) = enc.decode(bytes);
    warnings.push(format!(
        "{id}: not UTF-8; decoded as {}{}",
        enc.name(),
        if had_errors {
            " (some bytes replaced)"
        } else {
            ""
        }
    ));
    (text.into_owned(), enc.name())
}

fn binary_signature(bytes: &[u8]) -> Option<String> {
    const SIGS: &[(&[u8], &str)] = &[
        (b"%PDF-", "a PDF file"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"PK\x03\x04", "a ZIP archive (or DOCX/ODT)"),
        (b"\x1f\x8b", "gzip-compressed data"),
        (b"\x7fELF", "an executable"),
        (b"\xd0\xcf\x11\xe0", "an OLE document (e.g. .doc)"),
    ];
    for (sig, what) in SIGS {
        if bytes.starts_with(sig) {
            return Some(what.to_string());
        }
    }
    // text files in the wild hold the odd stray NUL; binary data is full of them
    let head = &bytes[..bytes.len().min(1 << 16)];
    let nuls = head.iter().filter(|&&b| b == 0).count();
    if nuls > 0 && nuls * 100 >= head.len() {
        return Some(format!(
            "{nuls} NUL bytes in the first {} bytes",
            head.len()
        ));
    }
    None
}

fn mostly_control(text: &str) -> Option<String> {
    let sample: Vec<char> = text.chars().take(1 << 16).collect();
    if sample.is_empty() {
        return None;
    }
    let ctrl = sample
        .iter()
        .filter(|&&c| {
            (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) || c == '\u{fffd}'
        })
        .count();
    if ctrl * 4 > sample.len() {
        Some(format!(
            "{ctrl} of the first {} characters are control or undecodable characters",
            sample.len()
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_is_text_unless_it_holds_a_nul() {
        // control characters and a file signature are text when they come as a string
        for s in ["\u{1}\u{2}abc", "%PDF-1.4 a report", "\u{1c}"] {
            let d = Document::from_str_limited("x", s, None, 100).unwrap();
            assert_eq!(d.text, s);
        }
        let err = Document::from_str_limited("x", "ab\0c", None, 100).unwrap_err();
        assert!(
            err.to_string().contains("NUL character at character 2"),
            "{err}"
        );
        assert!(matches!(
            Document::from_str_limited("x", "abcdef", None, 5),
            Err(Error::TooLarge { .. })
        ));
        let d = Document::from_str_limited("x", "<p>Hello there.</p>", Some(Format::Html), 100)
            .unwrap();
        assert_eq!(d.format, Format::Html);
    }

    #[test]
    fn refuses_binary() {
        assert!(matches!(
            Document::from_bytes("x", b"abc\0def", None),
            Err(Error::Binary { .. })
        ));
        assert!(matches!(
            Document::from_bytes("x", b"%PDF-1.4 ...", None),
            Err(Error::Binary { .. })
        ));
        let noise: Vec<u8> = (0..4000u32).map(|i| (i * 7 % 31 + 1) as u8).collect(); // all control characters
        assert!(matches!(
            Document::from_bytes("x", &noise, None),
            Err(Error::Binary { .. })
        ));
    }

    #[test]
    fn a_stray_nul_in_long_text_is_tolerated() {
        let mut t = "A long enough line of ordinary prose. "
            .repeat(10)
            .into_bytes();
        t[100] = 0;
        assert!(Document::from_bytes("x", &t, None).is_ok());
    }

    #[test]
    fn lossy_utf8_warns() {
        // mostly UTF-8 (curly quotes) with one stray Latin-1 byte
        let mut b = "\u{201c}Caf\u{e9}s reopened,\u{201d} she said. \u{201c}At last.\u{201d} "
            .as_bytes()
            .to_vec();
        b.extend_from_slice(b"caf\xe9 au lait is good.");
        let d = Document::from_bytes("x", &b, None).unwrap();
        assert!(
            d.text.ends_with("caf\u{fffd} au lait is good."),
            "{}",
            d.text
        );
        assert!(d.text.starts_with("\u{201c}Caf\u{e9}s"));
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.warnings.len(), 1);
        assert!(d.warnings[0].contains("invalid UTF-8"));
    }

    #[test]
    fn control_chars_in_text_are_kept() {
        // PAN files hold stray control characters; they are text, not binary
        let d =
            Document::from_bytes("x", "It was\u{19}s fine. Really fine.".as_bytes(), None).unwrap();
        assert!(d.text.contains('\u{19}'));
    }

    #[test]
    fn empty_is_fine() {
        let d = Document::from_bytes("x", b"", None).unwrap();
        assert_eq!(d.text, "");
    }

    #[test]
    fn too_large() {
        assert!(matches!(
            Document::from_bytes_limited("x", b"0123456789", None, 5),
            Err(Error::TooLarge { .. })
        ));
    }

    #[test]
    fn unicode_with_a_bom_is_decoded() {
        let text = "Caf\u{e9} prices rose 3% \u{2014} \u{201c}a record\u{201d}, traders said.";
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        let utf32le: Vec<u8> = [0xFF, 0xFE, 0, 0]
            .into_iter()
            .chain(text.chars().flat_map(|c| (c as u32).to_le_bytes()))
            .collect();
        let utf8bom: Vec<u8> = [0xEF, 0xBB, 0xBF].into_iter().chain(text.bytes()).collect();
        for (bytes, name) in [
            (utf16le, "UTF-16LE"),
            (utf16be, "UTF-16BE"),
            (utf32le, "UTF-32LE"),
            (utf8bom, "UTF-8"),
        ] {
            let d = Document::from_bytes("x", &bytes, None).expect(name);
            assert_eq!(d.text, text, "{name}");
            assert_eq!(d.encoding, name);
            assert!(d.warnings.is_empty(), "{name}: {:?}", d.warnings);
        }
    }

    #[test]
    fn legacy_encodings_are_detected_and_named() {
        // Latin-1 / Windows-1252 bytes: e9 = \u{e9}, 93/94 = curly quotes
        let bytes = b"Le caf\xe9 de la gare a rouvert lundi, et les habitu\xe9s sont revenus. \
                      \x93C'est une bonne nouvelle\x94, a dit le maire de la ville.";
        let d = Document::from_bytes("x", bytes, None).unwrap();
        assert!(d.text.contains("caf\u{e9}"), "{}", d.text);
        assert!(d.text.contains('\u{201c}'), "{}", d.text);
        assert_eq!(d.encoding, "windows-1252");
        assert!(d.warnings[0].contains("windows-1252"), "{:?}", d.warnings);
        // plain UTF-8 stays UTF-8
        let d = Document::from_bytes("y", "caf\u{e9}".as_bytes(), None).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.warnings.is_empty());
    }
}
