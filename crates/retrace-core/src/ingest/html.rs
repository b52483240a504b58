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
    if html_depth(html) > MAX_HTML_DEPTH {
        // hostile or broken markup: the DOM extractor's cost grows with the
        // nesting; read the text between the tags in one linear pass
        let text = tidy_blocks(&strip_tags(html));
        let anchors = anchor_blocks(&text, html);
        return (text, anchors);
    }
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

/// Element nesting beyond which a page is read by [`strip_tags`] instead of
/// the DOM extractor (real pages nest a few dozen levels; the extractor's
/// time grows faster than linearly with depth: 5,000 levels took 4 s).
pub const MAX_HTML_DEPTH: usize = 512;

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// The deepest element nesting of `html`, read in one linear pass over its
/// tags (comments, doctypes, void and self-closing elements skipped).
pub fn html_depth(html: &str) -> usize {
    let b = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(k) = memchr_lt(&b[i..]) {
        let at = i + k;
        if b[at..].starts_with(b"<!--") {
            i = html[at..].find("-->").map_or(b.len(), |e| at + e + 3);
            continue;
        }
        let end = html[at..].find('>').map_or(b.len(), |e| at + e);
        let tag = &html[at + 1..end.min(html.len())];
        if let Some(rest) = tag.strip_prefix('/') {
            if rest.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
                depth = depth.saturating_sub(1);
            }
        } else if tag.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
            let name: String = tag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .map(|c| c.to_ascii_lowercase())
                .collect();
            if !tag.ends_with('/') && !VOID.contains(&name.as_str()) {
                depth += 1;
                max = max.max(depth);
            }
        }
        i = end + 1;
        if i >= b.len() {
            break;
        }
    }
    max
}

fn memchr_lt(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'<')
}

/// The text between the tags of `html`, in one linear pass: script, style
/// and comments left out, block elements as line breaks, the common
/// entities decoded.
pub fn strip_tags(html: &str) -> String {
    const BLOCKS: &[&str] = &[
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "section",
        "article",
        "blockquote",
        "header",
        "footer",
        "title",
    ];
    let mut out = String::with_capacity(html.len() / 2);
    let mut i = 0;
    let lower_at = |at: usize, what: &str| {
        html.get(at..at + what.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(what))
    };
    while i < html.len() {
        let Some(k) = html[i..].find('<') else {
            out.push_str(&html[i..]);
            break;
        };
        out.push_str(&html[i..i + k]);
        let at = i + k;
        if html[at..].starts_with("<!--") {
            i = html[at..].find("-->").map_or(html.len(), |e| at + e + 3);
            continue;
        }
        // (an ASCII case-insensitive search from here: linear in the skip)
        let skip_to = |close: &str| {
            let (hb, nb) = (html.as_bytes(), close.as_bytes());
            (at..hb.len().saturating_sub(nb.len() - 1))
                .find(|&p| hb[p..p + nb.len()].eq_ignore_ascii_case(nb))
                .map_or(html.len(), |p| p + nb.len())
        };
        if lower_at(at, "<script") {
            i = skip_to("</script>");
            continue;
        }
        if lower_at(at, "<style") {
            i = skip_to("</style>");
            continue;
        }
        let end = html[at..].find('>').map_or(html.len(), |e| at + e + 1);
        let name: String = html[at + 1..end.saturating_sub(1).max(at + 1)]
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if BLOCKS.contains(&name.as_str()) {
            out.push_str("\n\n");
        }
        i = end;
    }
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
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

    #[test]
    fn depth_is_read_in_one_pass() {
        assert_eq!(
            html_depth("<html><body><p>a<br>b<img src=x/></p></body></html>"),
            3
        );
        assert_eq!(html_depth("<!-- <div><div> --><div></div>"), 1);
        let deep = format!("{}x{}", "<div>".repeat(20_000), "</div>".repeat(20_000));
        assert_eq!(html_depth(&deep), 20_000);
    }

    #[test]
    fn hostile_nesting_is_read_quickly_as_text() {
        let deep = format!(
            "<html><body>{}<p>The council voted on Monday.</p><script>var x = '<div>';</script>{}</body></html>",
            "<div>".repeat(20_000),
            "</div>".repeat(20_000)
        );
        let t = std::time::Instant::now();
        let (text, _) = extract_main_text(&deep);
        assert!(t.elapsed().as_secs_f32() < 5.0, "{:?}", t.elapsed());
        assert_eq!(text.trim(), "The council voted on Monday.");
    }

    #[test]
    fn strip_tags_keeps_blocks_apart() {
        assert_eq!(
            tidy_blocks(&strip_tags(
                "<h1>Title</h1><p>One &amp; two.</p><style>p{}</style><p>Three</p>"
            ))
            .trim(),
            "Title\n\nOne & two.\n\nThree"
        );
    }

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
