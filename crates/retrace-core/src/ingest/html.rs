//! Main-content extraction from HTML with a map back to the source.

use dom_smoothie::{Config, Readability, TextMode};

use super::Anchor;
use crate::text::CharIndex;

/// Extracts the main text of an HTML page (title, then the article body as
/// paragraphs separated by blank lines) and anchors from the extracted text
/// back into the HTML source.
///
/// Uses a Readability port; when it finds no article (a fragment, a page
/// with little text) it falls back to all visible text of the body.
pub fn extract_main_text(html: &str) -> (String, Vec<Anchor>) {
    let cfg = Config {
        text_mode: TextMode::Formatted,
        max_elements_to_parse: 0,
        ..Default::default()
    };
    let mut title = String::new();
    let mut body = String::new();
    if let Ok(mut r) = Readability::new(html, None, Some(cfg)) {
        if let Ok(article) = r.parse() {
            title = article.title.trim().to_string();
            body = article.text_content.to_string();
        }
    }
    if body.trim().is_empty() {
        // fall back to every text node, without cleaning heuristics
        let cfg = Config {
            text_mode: TextMode::Formatted,
            max_elements_to_parse: 0,
            ..Default::default()
        };
        if let Ok(mut r) = Readability::new(html, None, Some(cfg)) {
            if let Ok(article) = r.parse_with_policy(dom_smoothie::ParsePolicy::Raw) {
                body = article.text_content.to_string();
                if title.is_empty() {
                    title = article.title.trim().to_string();
                }
            }
        }
    }
    let body = tidy_blocks(&body);
    let mut text = String::new();
    let first_line = body.lines().next().unwrap_or("").trim();
    if !title.is_empty() && first_line != title {
        text.push_str(&title);
        text.push_str("\n\n");
    }
    text.push_str(&body);
    let anchors = anchor_blocks(&text, html);
    (text, anchors)
}

/// Trims each line, collapses runs of blank lines to one blank line.
fn tidy_blocks(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = false;
    for line in s.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            blank = true;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        out.push_str(&line);
    }
    out
}

/// For each line of `text`, finds where it starts in `html` (searching
/// forward from the previous anchor) and records an anchor.
fn anchor_blocks(text: &str, html: &str) -> Vec<Anchor> {
    let tix = CharIndex::new(text);
    let hix = CharIndex::new(html);
    let mut anchors = Vec::new();
    let mut cursor = 0usize; // byte offset in html
    let mut pos = 0usize; // byte offset in text
    for line in text.split('\n') {
        let start = pos;
        pos += line.len() + 1;
        if line.trim().is_empty() {
            continue;
        }
        // probe with the longest prefix (up to 40 bytes, on a char boundary) that is found
        let mut probe_end = line.len().min(40);
        while !line.is_char_boundary(probe_end) {
            probe_end -= 1;
        }
        let mut found = None;
        while probe_end >= 3 {
            let probe = &line[..probe_end];
            if let Some(off) = html[cursor..].find(probe) {
                found = Some(cursor + off);
                break;
            }
            // shorten to the previous word boundary
            match probe.trim_end().rfind(' ') {
                Some(sp) if sp >= 3 => probe_end = sp,
                _ => break,
            }
        }
        if let Some(h) = found {
            anchors.push(Anchor {
                text: tix.char_of(start),
                html: hix.char_of(h),
            });
            cursor = h;
        }
    }
    anchors
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html><head><title>Storm floods the coast</title></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Storm floods the coast</h1>
<p>A powerful storm flooded dozens of coastal towns on Tuesday, forcing thousands of residents to leave their homes before dawn.</p>
<p>Emergency crews said the water rose faster than at any time in the past forty years, and several bridges were closed.</p>
<p>The regional governor asked people to stay away from the beaches until the weekend at the earliest.</p>
</article><footer>Copyright 2026 Example News. All rights reserved.</footer></body></html>"#;

    #[test]
    fn extracts_article_and_anchors() {
        let (text, anchors) = extract_main_text(PAGE);
        assert!(text.contains("A powerful storm flooded dozens"), "{text}");
        assert!(text.contains("stay away from the beaches"));
        assert!(!text.contains("Copyright"), "{text}");
        assert!(!text.contains("Home"), "{text}");
        // every anchor points at the same words in the HTML
        let html_chars: Vec<char> = PAGE.chars().collect();
        let text_chars: Vec<char> = text.chars().collect();
        assert!(anchors.len() >= 3);
        for a in &anchors {
            let t: String = text_chars[a.text..(a.text + 10).min(text_chars.len())]
                .iter()
                .collect();
            let h: String = html_chars[a.html..a.html + t.chars().count()]
                .iter()
                .collect();
            assert_eq!(t, h);
        }
    }

    #[test]
    fn malformed_html_does_not_panic() {
        for s in [
            "<html><body><p>unclosed <b>bold <i>text",
            "<<<>>><p>",
            "<html>",
            "<p>Just one line.</p>",
        ] {
            let _ = extract_main_text(s);
        }
        let (t, _) =
            extract_main_text("<html><body><p>Just one short line of text here.</p></body></html>");
        assert!(t.contains("Just one short line"), "{t}");
    }
}
