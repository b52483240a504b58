//! Main-content extraction from HTML with a map back to the source.
//!
//! Two extractors vote on what the main text is. A Readability port
//! ([`dom_smoothie`]) reads the page into lines and paragraphs; a
//! trafilatura port ([`rs_trafilatura`]) gives a second opinion, and a line
//! stays only where the second opinion holds it too (at least half of its
//! word 4-grams). Each extractor leaves in some furniture the other drops
//! (Readability: the headline, bylines, captions, newsletter boxes, author
//! bios, related-article lists inside the story; trafilatura: whole
//! sidebars or category lists on some layouts, and its text runs paragraphs
//! together), so their agreement is cleaner than either: token F1 0.943
//! (Readability alone) and 0.956 (trafilatura alone) against 0.971 on the 88
//! development pages of the article-extraction benchmark
//! (`scripts/extraction_eval.py`). The text and its anchors into the HTML
//! come from the Readability side, so every kept line is text as the page
//! has it, with its paragraph breaks.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

use dom_smoothie::{Config, Readability, TextMode};

use super::Anchor;
use crate::text::CharIndex;

/// Extracts the main text of an HTML page (the article body as paragraphs
/// separated by blank lines, with the title first where both extractors keep
/// it) and anchors from the extracted text back into the HTML source.
///
/// Uses a Readability port; when it finds no article (a fragment, a page
/// with little text) it falls back to all visible text of the body. Where
/// the page is within [`SECOND_OPINION_MAX_ELEMENTS`] and
/// [`SECOND_OPINION_MAX_DEPTH_SUM`], the paragraphs the trafilatura port
/// does not hold are dropped (see the module documentation).
pub fn extract_main_text(html: &str) -> (String, Vec<Anchor>) {
    let shape = html_shape(html);
    if shape.depth > MAX_HTML_DEPTH || shape.depth_sum > MAX_HTML_DEPTH_SUM {
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
    let found_article = !body.trim().is_empty();
    if !found_article {
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
    if found_article
        && shape.elements <= SECOND_OPINION_MAX_ELEMENTS
        && shape.depth_sum <= SECOND_OPINION_MAX_DEPTH_SUM
    {
        if let Some(second) = second_opinion(html) {
            if let Some(agreed) = keep_agreed_lines(&text, &second) {
                text = agreed;
            }
        }
    }
    let anchors = anchor_blocks(&text, html);
    (text, anchors)
}

/// Pages with more elements than this are read by Readability alone: the
/// trafilatura port's time grows faster than linearly with the elements
/// under one parent (links in one paragraph: 10,000 took 0.4 s, 20,000
/// 1 s, 100,000 16 s); the benchmark's articles have under 1,500.
pub const SECOND_OPINION_MAX_ELEMENTS: usize = 10_000;

/// Pages whose elements sum to more nesting levels than this (each element
/// counted at its depth, [`HtmlShape::depth_sum`]) are read by Readability
/// alone: the trafilatura port's time grows with elements times depth
/// (25,000 elements 500 levels deep: 4 s); the benchmark's articles sum to
/// under 20,000.
pub const SECOND_OPINION_MAX_DEPTH_SUM: usize = 400_000;

/// The main text by the trafilatura port, or `None` where it finds none or
/// fails (a panic inside it is caught: the page is then read by Readability
/// alone).
fn second_opinion(html: &str) -> Option<String> {
    let options = rs_trafilatura::Options::default();
    let got = std::panic::catch_unwind(|| rs_trafilatura::extract_with_options(html, &options));
    match got {
        Ok(Ok(r)) if !r.content_text.trim().is_empty() => Some(r.content_text),
        _ => None,
    }
}

/// The lines of `text` the second extractor's text `second` holds too: a
/// line of four or more words when at least half its word 4-grams are in
/// `second`, a shorter line when its words are in `second` in a row (words
/// compared in lower case; lines without words are kept). `None` when the
/// two disagree on where the article is (under a third of the words would
/// stay, or under [`MIN_AGREED_WORDS`]): the text is then kept whole.
fn keep_agreed_lines(text: &str, second: &str) -> Option<String> {
    let theirs = word_hashes(second);
    let mut held: HashSet<u64> = HashSet::with_capacity(theirs.len() * 4);
    for n in 1..=SHINGLE {
        for w in theirs.windows(n) {
            held.insert(shingle(w));
        }
    }
    let (mut out, mut kept_words, mut all_words) = (String::with_capacity(text.len()), 0, 0);
    for line in text.split('\n') {
        let words = word_hashes(line);
        all_words += words.len();
        let keep = if words.is_empty() {
            true
        } else if words.len() < SHINGLE {
            held.contains(&shingle(&words))
        } else {
            let grams = words.len() + 1 - SHINGLE;
            let hits = words
                .windows(SHINGLE)
                .filter(|w| held.contains(&shingle(w)))
                .count();
            2 * hits >= grams
        };
        if keep {
            kept_words += words.len();
            out.push_str(line);
        }
        out.push('\n');
    }
    if kept_words < MIN_AGREED_WORDS || 3 * kept_words < all_words {
        return None;
    }
    Some(tidy_blocks(&out))
}

/// Agreement on fewer words than this is no agreement (the text is kept whole).
const MIN_AGREED_WORDS: usize = 20;

/// The length of the word n-grams two extractors' lines are compared on
/// (the benchmark's scorer compares 4-grams too).
const SHINGLE: usize = 4;

/// A hash per word of `s` (a word: a run of letters, digits and `_`, in
/// lower case).
fn word_hashes(s: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in s.chars().chain(std::iter::once(' ')) {
        if c.is_alphanumeric() || c == '_' {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            let mut h = DefaultHasher::new();
            word.hash(&mut h);
            out.push(h.finish());
            word.clear();
        }
    }
    out
}

fn shingle(words: &[u64]) -> u64 {
    let mut h = DefaultHasher::new();
    words.hash(&mut h);
    h.finish()
}

/// Element nesting beyond which a page is read by [`strip_tags`] instead of
/// the DOM extractor (real pages nest a few dozen levels; the extractor's
/// time grows faster than linearly with depth: 5,000 levels took 4 s).
pub const MAX_HTML_DEPTH: usize = 512;

/// Summed element depth (see [`HtmlShape::depth_sum`]) beyond which a page
/// is read by [`strip_tags`] too: under [`MAX_HTML_DEPTH`], many deep
/// subtrees still add up (200,000 elements 500 levels deep took the
/// Readability port 3 s); a news article sums to under 100,000, a page of
/// 200,000 elements 25 levels deep to 5,000,000.
pub const MAX_HTML_DEPTH_SUM: usize = 5_000_000;

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose content is text, not markup, up to their end tag.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title"];

/// The size of a page's element tree as [`html_shape`] reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HtmlShape {
    /// The deepest element nesting.
    pub depth: usize,
    /// The elements (start tags of non-void elements).
    pub elements: usize,
    /// The sum over the elements of their depth (what a walk that visits
    /// every element's ancestors costs).
    pub depth_sum: usize,
}

/// The deepest element nesting, element count and summed depth of `html`,
/// read in one linear pass over its tags (comments, doctypes, void and
/// self-closing elements skipped, the content of script, style, textarea and
/// title read as text: a script's `a<b` opens no element).
pub fn html_shape(html: &str) -> HtmlShape {
    let b = html.as_bytes();
    let mut shape = HtmlShape::default();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(k) = memchr_lt(&b[i..]) {
        let at = i + k;
        if b[at..].starts_with(b"<!--") {
            i = html[at..].find("-->").map_or(b.len(), |e| at + e + 3);
            continue;
        }
        let mut end = html[at..].find('>').map_or(b.len(), |e| at + e);
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
                shape.depth = shape.depth.max(depth);
                shape.elements += 1;
                shape.depth_sum = shape.depth_sum.saturating_add(depth);
                if RAW_TEXT.contains(&name.as_str()) && end < b.len() {
                    // on to the end tag, read next as a tag
                    let close = format!("</{name}");
                    end =
                        find_ascii_ci(&b[end..], close.as_bytes()).map_or(b.len(), |p| end + p - 1);
                }
            }
        }
        i = end + 1;
        if i >= b.len() {
            break;
        }
    }
    shape
}

/// Where `needle` (ASCII) first occurs in `hay`, ignoring ASCII case.
fn find_ascii_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&p| hay[p..p + needle.len()].eq_ignore_ascii_case(needle))
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
        let depth = |h: &str| html_shape(h).depth;
        assert_eq!(
            depth("<html><body><p>a<br>b<img src=x/></p></body></html>"),
            3
        );
        assert_eq!(depth("<!-- <div><div> --><div></div>"), 1);
        let deep = format!("{}x{}", "<div>".repeat(20_000), "</div>".repeat(20_000));
        assert_eq!(depth(&deep), 20_000);
        // a script's text opens no elements
        let s = "<head><SCRIPT>if (a<b && c<d) { x = '<div><div>'; }</Script></head><div></div>";
        assert_eq!(
            html_shape(s),
            HtmlShape {
                depth: 2,
                elements: 3,
                depth_sum: 4
            }
        );
        assert_eq!(html_shape("<p><script>a<b").depth, 2);
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
        assert!(t.elapsed().as_secs_f32() < 1.0, "{:?}", t.elapsed());
        assert_eq!(text.trim(), "The council voted on Monday.");
        // many deep subtrees, each under the depth limit, add up to the same
        let chain = format!(
            "{}<p>The council voted on Monday.</p>{}",
            "<div>".repeat(500),
            "</div>".repeat(500)
        );
        let wide = format!("<html><body>{}</body></html>", chain.repeat(100));
        assert!(html_shape(&wide).depth_sum > MAX_HTML_DEPTH_SUM);
        let t = std::time::Instant::now();
        let (text, _) = extract_main_text(&wide);
        assert!(t.elapsed().as_secs_f32() < 1.0, "{:?}", t.elapsed());
        assert_eq!(text.matches("The council voted on Monday.").count(), 100);
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

    /// A news page as sites build them (written for this test): navigation,
    /// a photo with its caption, and inside the story's own container, among
    /// its paragraphs, a second captioned photo, a related-articles list, a
    /// newsletter box and the author's bio; then more related stories and a
    /// footer. Readability alone keeps the inline caption, the newsletter box
    /// and the bio.
    const NEWS_PAGE: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>Harbour bridge to close for repairs | Coastal Times</title></head>
<body>
<header><nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<main>
<article class="story">
<h1>Harbour bridge to close for repairs</h1>
<div class="byline">By Ana Ruiz, 3 March 2026</div>
<figure class="lead-image"><img src="/img/bridge.jpg" alt=""><figcaption class="caption">The bridge seen from the north quay. Photo: Coastal Times archive</figcaption></figure>
<div class="story-body">
<p>The harbour bridge will close to all traffic for six weeks from April while engineers replace the corroded cables that hold up its central span, the city council said on Tuesday.</p>
<figure class="inline-image"><img src="/img/quay.jpg" alt=""><figcaption class="caption">Traffic on the bridge at rush hour. Photo: Coastal Times archive</figcaption></figure>
<p>Commuters who cross the bridge every morning will be sent along the ring road, which the council expects to add twenty minutes to a typical journey into the centre at peak hours.</p>
<p>&ldquo;We know this is a burden,&rdquo; said the council's head of transport, Miguel Soto. &ldquo;But the inspection in January found damage that cannot wait another winter.&rdquo;</p>
<div class="related-inline"><h3>You may also like</h3><ul>
<li><a href="/news/ferry-timetable-changes">Ferry timetable changes announced for the spring season</a></li>
<li><a href="/news/ring-road-roadworks">Ring road roadworks to finish ahead of schedule in March</a></li>
<li><a href="/news/bridge-history">A short history of the harbour bridge and its many repairs</a></li>
</ul></div>
<p>Extra ferries will run between the north and south quays every fifteen minutes during the closure, and cyclists will be allowed to use the pedestrian walkway for the first time since the bridge opened.</p>
<div class="newsletter-promo"><p>Get the morning briefing in your inbox every day. <a href="/signup">Sign up now</a></p></div>
<p>Shop owners on the south side said they feared losing customers, and the chamber of commerce asked the council to pay for free parking near the ferry terminals while the work goes on.</p>
<div class="author-bio"><p>Ana Ruiz covers transport and city hall for the Coastal Times. Follow her on social media.</p></div>
</div>
</article>
<aside class="related-articles"><h2>Related stories</h2><ul>
<li><a href="/news/ferry-timetable-changes">Ferry timetable changes announced for the spring season</a></li>
<li><a href="/news/ring-road-roadworks">Ring road roadworks to finish ahead of schedule in March</a></li>
<li><a href="/news/bridge-history">A short history of the harbour bridge and its many repairs</a></li>
</ul></aside>
<div class="newsletter-signup"><p>Get the morning briefing in your inbox every day. <a href="/signup">Sign up now</a></p></div>
</main>
<footer><p>&copy; 2026 Coastal Times. All rights reserved.</p><p><a href="/privacy">Privacy</a> | <a href="/terms">Terms</a></p></footer>
</body></html>"#;

    #[test]
    fn furniture_around_the_article_is_dropped() {
        let (text, anchors) = extract_main_text(NEWS_PAGE);
        for kept in [
            "The harbour bridge will close to all traffic for six weeks",
            "add twenty minutes to a typical journey",
            "\u{201c}We know this is a burden,\u{201d} said the council's head of transport",
            "Extra ferries will run between the north and south quays",
            "free parking near the ferry terminals while the work goes on.",
        ] {
            assert!(text.contains(kept), "{kept:?} missing from {text:?}");
        }
        for dropped in [
            "Sport",
            "Weather",
            "Related stories",
            "Ferry timetable changes announced",
            "Ring road roadworks",
            "A short history of the harbour bridge",
            "Photo: Coastal Times archive",
            "Traffic on the bridge at rush hour",
            "You may also like",
            "morning briefing",
            "covers transport and city hall",
            "Sign up",
            "All rights reserved",
            "Privacy",
        ] {
            assert!(!text.contains(dropped), "{dropped:?} kept in {text:?}");
        }
        // each paragraph's anchor points at its words in the HTML, including
        // the one that starts after an entity
        let html: Vec<char> = NEWS_PAGE.chars().collect();
        let chars: Vec<char> = text.chars().collect();
        let at_html = |t: usize, n: usize| -> String {
            let a = anchors
                .iter()
                .rev()
                .find(|a| a.text <= t)
                .expect("an anchor");
            html[a.html + (t - a.text)..][..n].iter().collect()
        };
        for probe in [
            "The harbour bridge will close",
            "Commuters who cross the bridge",
            "Extra ferries will run",
            "Shop owners on the south side",
        ] {
            let t = text.find(probe).map(|b| text[..b].chars().count()).unwrap();
            assert_eq!(at_html(t, probe.chars().count()), probe);
        }
        for w in anchors.windows(2) {
            assert!(w[0].text < w[1].text && w[0].html < w[1].html, "{w:?}");
        }
        assert!(anchors.iter().all(|a| a.text < chars.len()));
    }

    #[test]
    fn lines_stay_where_the_second_opinion_holds_them() {
        let ours = "Storm floods the coast\n\nA powerful storm flooded dozens of coastal towns on Tuesday.\nRead more: the ten worst storms of the decade ranked\n\nEmergency crews said the water rose faster than at any time in forty years.\n\nMore:\n\n* * *";
        let theirs =
            "A powerful storm flooded dozens of coastal towns on Tuesday. Emergency crews said \
            the water rose faster than at any time in forty years, officials said.";
        let kept = keep_agreed_lines(ours, theirs).unwrap();
        assert_eq!(
            kept,
            "A powerful storm flooded dozens of coastal towns on Tuesday.\n\nEmergency crews said the water rose faster than at any time in forty years.\n\n* * *"
        );
        // in lower case and with different punctuation, a line still agrees
        assert!(
            keep_agreed_lines(ours, &theirs.to_uppercase().replace('.', " ;"))
                .unwrap()
                .contains("dozens of coastal towns")
        );
        // no agreement on where the article is: the text stays whole
        assert_eq!(
            keep_agreed_lines(ours, "Home News Sport Weather Privacy Terms"),
            None
        );
        assert_eq!(keep_agreed_lines(ours, ""), None);
    }

    #[test]
    fn pages_past_the_second_opinions_budget_are_read_by_readability_alone() {
        // the same article with 10,000 empty spans after it
        let big = NEWS_PAGE.replace(
            "<footer>",
            &format!(
                "<div class=\"pad\">{}</div><footer>",
                "<span></span>".repeat(10_000)
            ),
        );
        assert!(html_shape(&big).elements > SECOND_OPINION_MAX_ELEMENTS);
        let (text, anchors) = extract_main_text(&big);
        assert!(
            text.contains("The harbour bridge will close to all traffic"),
            "{text}"
        );
        assert!(!anchors.is_empty());
    }
}
