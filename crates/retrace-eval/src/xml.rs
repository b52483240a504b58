//! The PAN XML format: gold cases and detections of one document pair.
//!
//! ```text
//! <document reference="suspicious-document00001.txt">
//! <feature name="plagiarism" this_offset="1412" this_length="269"
//!          source_reference="source-document00560.txt" source_offset="1084" source_length="402"/>
//! </document>
//! ```
//!
//! The format is simple enough for a small hand-written reader: it reads
//! the `reference` of `<document>` and the attributes of every `<feature>`,
//! and skips everything else (declarations, comments, text).

use super::Case;
use retrace_core::error::{Error, Result};
use std::io::Write;

/// One `<feature>` of a PAN XML file that annotates a passage pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The `name` attribute (`plagiarism` for gold cases,
    /// `detected-plagiarism` for detections).
    pub name: String,
    /// The `source_reference` attribute: the source document's file name.
    pub source_reference: String,
    /// The two ranges, from the offset and length attributes.
    pub case: Case,
}

/// A parsed PAN XML file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PanXml {
    /// The `reference` attribute of `<document>`: the suspicious
    /// document's file name (empty if absent).
    pub reference: String,
    /// Every `<feature>` that carries offsets, in file order. Features
    /// without any offset attribute (PAN's `about` and `md5`) are skipped.
    pub features: Vec<Feature>,
}

/// Parses a PAN XML file's text. Errors ([`Error::Format`]) on malformed
/// markup and on a feature with some but not all of `this_offset`,
/// `this_length`, `source_reference`, `source_offset`, `source_length`, or
/// with an offset or length that is not a number.
pub fn parse_pan_xml(text: &str) -> Result<PanXml> {
    parse(text).map_err(Error::Format)
}

/// Writes the detections of one document pair in the PAN XML format that
/// PAN's official evaluator reads: a `<document reference="SUSP">` holding
/// one `<feature name="detected-plagiarism" .../>` per detection.
pub fn write_detections_xml(
    out: &mut impl Write,
    susp: &str,
    src: &str,
    detections: &[Case],
) -> std::io::Result<()> {
    writeln!(out, "<document reference=\"{}\">", escape(susp))?;
    let src = escape(src);
    for d in detections {
        let (ts, te) = d.susp;
        let (ss, se) = d.src;
        writeln!(
            out,
            "<feature name=\"detected-plagiarism\" this_offset=\"{ts}\" this_length=\"{}\" \
             source_reference=\"{src}\" source_offset=\"{ss}\" source_length=\"{}\"/>",
            te.saturating_sub(ts),
            se.saturating_sub(ss),
        )?;
    }
    writeln!(out, "</document>")
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn unescape(s: &str) -> Result<String, String> {
    if !s.contains('&') {
        return Ok(s.to_string());
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let j = after
            .find(';')
            .ok_or_else(|| format!("unterminated entity in {s:?}"))?;
        let ent = &after[..j];
        let ch = match ent {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = ent.strip_prefix("#x").or(ent.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = ent.strip_prefix('#') {
                    dec.parse().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32)
                    .ok_or_else(|| format!("unknown entity &{ent}; in {s:?}"))?
            }
        };
        out.push(ch);
        rest = &after[j + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A tag: its name (with a leading `/` for closing tags) and attributes.
type Tag<'a> = (&'a str, Vec<(&'a str, String)>);

/// Reads the tag starting right after a `<` at `text[i..]`; returns the tag
/// and the offset after its `>`.
fn read_tag(text: &str, mut i: usize) -> Result<(Tag<'_>, usize), String> {
    let b = text.as_bytes();
    let start = i;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    if i == start && i < b.len() && b[i] == b'/' {
        // A closing tag: skip to '>'.
        let end = text[i..]
            .find('>')
            .ok_or_else(|| "unterminated closing tag".to_string())?;
        return Ok((("/", Vec::new()), i + end + 1));
    }
    let name = &text[start..i];
    if name.is_empty() {
        return Err(format!("tag without a name at byte {start}"));
    }
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            return Err(format!("unterminated <{name}> tag"));
        }
        if b[i] == b'>' {
            return Ok(((name, attrs), i + 1));
        }
        if b[i] == b'/' {
            if b.get(i + 1) == Some(&b'>') {
                return Ok(((name, attrs), i + 2));
            }
            return Err(format!("stray '/' in <{name}> tag"));
        }
        let a = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'>' {
            i += 1;
        }
        let key = &text[a..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            return Err(format!("attribute {key:?} of <{name}> has no value"));
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let quote = match b.get(i) {
            Some(&q) if q == b'"' || q == b'\'' => q,
            _ => return Err(format!("attribute {key:?} of <{name}> is not quoted")),
        };
        let v0 = i + 1;
        let len = b[v0..]
            .iter()
            .position(|&c| c == quote)
            .ok_or_else(|| format!("unterminated value of attribute {key:?} in <{name}>"))?;
        attrs.push((key, unescape(&text[v0..v0 + len])?));
        i = v0 + len + 1;
    }
}

fn parse(text: &str) -> Result<PanXml, String> {
    let mut doc = PanXml::default();
    let mut i = 0;
    while let Some(off) = text[i..].find('<') {
        i += off + 1;
        let rest = &text[i..];
        // Declarations, comments, doctype: skip to their end.
        let skip = if rest.starts_with("!--") {
            Some(("-->", "comment"))
        } else if rest.starts_with('?') {
            Some(("?>", "declaration"))
        } else if rest.starts_with('!') {
            Some((">", "declaration"))
        } else {
            None
        };
        if let Some((end, what)) = skip {
            let e = rest
                .find(end)
                .ok_or_else(|| format!("unterminated {what}"))?;
            i += e + end.len();
            continue;
        }
        let ((name, attrs), next) = read_tag(text, i)?;
        i = next;
        match name {
            "document" => {
                if let Some((_, v)) = attrs.into_iter().find(|(k, _)| *k == "reference") {
                    doc.reference = v;
                }
            }
            "feature" => {
                if let Some(f) = feature(attrs)? {
                    doc.features.push(f);
                }
            }
            _ => {}
        }
    }
    Ok(doc)
}

const OFFSET_KEYS: [&str; 5] = [
    "this_offset",
    "this_length",
    "source_reference",
    "source_offset",
    "source_length",
];

fn feature(attrs: Vec<(&str, String)>) -> Result<Option<Feature>, String> {
    let get = |k: &str| attrs.iter().find(|(a, _)| *a == k).map(|(_, v)| v.as_str());
    let name = get("name").unwrap_or("").to_string();
    let present: Vec<&str> = OFFSET_KEYS
        .iter()
        .copied()
        .filter(|k| get(k).is_some())
        .collect();
    if present.is_empty() {
        return Ok(None);
    }
    if present.len() < OFFSET_KEYS.len() {
        let missing: Vec<&str> = OFFSET_KEYS
            .iter()
            .copied()
            .filter(|k| get(k).is_none())
            .collect();
        return Err(format!(
            "feature {name:?} lacks attribute(s) {}",
            missing.join(", ")
        ));
    }
    let num = |k: &str| -> Result<usize, String> {
        let v = get(k).unwrap_or("");
        v.trim()
            .parse()
            .map_err(|_| format!("feature {name:?}: {k}={v:?} is not a non-negative integer"))
    };
    let case = Case::from_offsets(
        num("this_offset")?,
        num("this_length")?,
        num("source_offset")?,
        num("source_length")?,
    )
    .ok_or_else(|| format!("feature {name:?}: offset + length overflows"))?;
    Ok(Some(Feature {
        source_reference: get("source_reference").unwrap_or("").to_string(),
        name,
        case,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eval_xml_parses_pan_gold() {
        let text = r#"<document  reference="suspicious-document00001.txt">
	<feature  name="about" authors="DUC2006" title="news" language="en" />
	<feature  name="md5" value="ef01e3ac7317258de2bd5c201ab81404" language="en" />
	<feature  name="plagiarism" type="artificial" obfuscation="summary" this_language="en" this_offset="3822" this_length="593" source_reference="source-document00305.txt" source_language="en" source_offset="0" source_length="5861" />
<feature name="plagiarism" obfuscation="none" source_length="698" source_offset="1300" source_reference="source-document00305.txt" this_length="698" this_offset="3593" type="artificial" />
</document>"#;
        let doc = parse_pan_xml(text).unwrap();
        assert_eq!(doc.reference, "suspicious-document00001.txt");
        assert_eq!(doc.features.len(), 2);
        assert_eq!(doc.features[0].name, "plagiarism");
        assert_eq!(doc.features[0].source_reference, "source-document00305.txt");
        assert_eq!(doc.features[0].case, Case::new((3822, 4415), (0, 5861)));
        assert_eq!(doc.features[1].case, Case::new((3593, 4291), (1300, 1998)));
    }

    #[test]
    fn eval_xml_roundtrip() {
        let dets = [
            Case::new((0, 10), (5, 25)),
            Case::new((100, 350), (0, 250)),
            Case::new((7, 7), (3, 4)),
        ];
        let mut out = Vec::new();
        write_detections_xml(&mut out, "susp & <1>.txt", "src \"2\".txt", &dets).unwrap();
        let text = String::from_utf8(out).unwrap();
        let doc = parse_pan_xml(&text).unwrap();
        assert_eq!(doc.reference, "susp & <1>.txt");
        assert_eq!(doc.features.len(), 3);
        for (f, d) in doc.features.iter().zip(&dets) {
            assert_eq!(f.name, "detected-plagiarism");
            assert_eq!(f.source_reference, "src \"2\".txt");
            assert_eq!(f.case, *d);
        }
        // An empty detection list is still a valid document.
        let mut out = Vec::new();
        write_detections_xml(&mut out, "a.txt", "b.txt", &[]).unwrap();
        let doc = parse_pan_xml(std::str::from_utf8(&out).unwrap()).unwrap();
        assert_eq!(doc.reference, "a.txt");
        assert!(doc.features.is_empty());
    }

    #[test]
    fn eval_xml_skips_declarations_and_rejects_bad_features() {
        let ok = "<?xml version=\"1.0\"?><!-- a > b --><document reference='x'>\
                  <feature name='plagiarism' this_offset='1' this_length='2' \
                  source_reference='y' source_offset='3' source_length='4'/></document>";
        let doc = parse_pan_xml(ok).unwrap();
        assert_eq!(doc.reference, "x");
        assert_eq!(doc.features[0].case, Case::new((1, 3), (3, 7)));
        for bad in [
            r#"<document><feature name="plagiarism" this_offset="1" this_length="2"/></document>"#,
            r#"<document><feature name="plagiarism" this_offset="-1" this_length="2" source_reference="y" source_offset="3" source_length="4"/></document>"#,
            r#"<document><feature name="plagiarism" this_offset=1/></document>"#,
            r#"<document reference="x"><feature name="plagiarism" this_offset="1""#,
        ] {
            let err = parse_pan_xml(bad).unwrap_err();
            assert!(matches!(err, Error::Format(_)), "{bad}: {err}");
        }
    }
}
