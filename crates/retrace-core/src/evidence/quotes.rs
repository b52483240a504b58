//! Direct quotations: where they are in a text.

use crate::text::Span;

/// A direct quotation: the span of its words (without the marks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quote {
    /// Byte span of the quoted words, marks excluded.
    pub inner: Span,
    /// Byte span including the quotation marks.
    pub outer: Span,
}

/// Byte offsets where a paragraph starts (after the first): a blank line,
/// or a line that opens with wire markup or indentation (`&\t`, a tab, two
/// or more spaces), as Reuters-style copy marks its paragraphs.
fn paragraph_starts(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(k) = text[i..].find('\n') {
        let nl = i + k;
        let rest = &text[nl + 1..];
        let blank = rest.find('\n').is_some_and(|e| rest[..e].trim().is_empty());
        // (Reuters-21578 writes its mark as the four characters `&\t`
        // or with a real tab)
        let marked = rest.starts_with("&\t")
            || rest.trim_start_matches(' ').starts_with("&\\t")
            || rest.starts_with('\t')
            || rest.starts_with("  ")
            || rest.starts_with("& ");
        if blank || marked {
            out.push(nl + 1);
        }
        i = nl + 1;
        if i >= bytes.len() {
            break;
        }
    }
    out
}

/// Whether byte `b` can start a double quotation mark as [`find_quotes`]
/// reads them (see [`find_mark`]).
pub(super) fn may_start_mark(b: u8) -> bool {
    b == b'"' || b == 0xC2 || b == 0xE2
}

/// The first byte offset in `text[from..to]` of a double quotation mark
/// that `mark` accepts: a straight one, or one whose UTF-8 form starts
/// with byte 0xC2 (U+0080-U+00BF: guillemets) or 0xE2 (U+2000-U+2FFF:
/// curly and low marks). Only the bytes that can start such a mark are
/// looked at, not every character of the text.
fn find_mark(text: &str, from: usize, to: usize, mark: impl Fn(char) -> bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while let Some(k) = bytes[i..to].iter().position(|&b| may_start_mark(b)) {
        let at = i + k;
        // (those bytes never continue a character: `at` is a boundary)
        if text[at..].chars().next().is_some_and(&mark) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// How a straight double quote reads in its context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Open,
    Close,
    Either,
}

fn straight_side(prev: char, next: char) -> Side {
    let opening_prev = |c: char| c.is_whitespace() || "([{-\u{2013}\u{2014}/&:".contains(c);
    let closing_next = |c: char| c.is_whitespace() || ".,;:!?)]}-\u{2013}\u{2014}".contains(c);
    match (opening_prev(prev), closing_next(next)) {
        (true, false) => Side::Open,
        (false, true) => Side::Close,
        // `said: "We`: both sides read as open; a mark between two words
        // (`word"word`) or alone (`" `) is decided by what is open
        (true, true) if next.is_whitespace() && !prev.is_whitespace() => Side::Close,
        _ => Side::Either,
    }
}

/// Finds the top-level double-quoted passages of `text` (straight or curly
/// marks, guillemets, „…“), including multi-sentence quotations and
/// quotations continued after an attribution ("..." she said. "..."): each
/// part is its own quote. Nested single quotes stay inside their parent.
///
/// Robust to text as it comes: a straight mark opens or closes by what
/// stands on its two sides (so `said:"We`, `("`, `&\t"` and line wraps
/// read right), a stray closing mark is skipped instead of flipping every
/// pair after it, and a quotation left open (news style opens each
/// paragraph of a long quotation and closes only the last; a typo drops a
/// mark) ends at its paragraph, so one bad mark never spoils the rest.
pub fn find_quotes(text: &str) -> Vec<Quote> {
    let mut out = Vec::new();
    let para = paragraph_starts(text);
    // the first paragraph start after byte `b` (the starts are in order)
    let next_para = |b: usize| {
        para.get(para.partition_point(|&p| p <= b))
            .copied()
            .unwrap_or(text.len())
    };
    // the character before byte `b`, markup read as the space it stands
    // for (Reuters' literal `&\t` paragraph mark)
    let before = |b: usize| -> char {
        if b == 0 || text[..b].ends_with("&\\t") {
            ' '
        } else {
            text[..b].chars().next_back().unwrap_or(' ')
        }
    };
    // the character after the one at byte `b`
    let after = |b: usize| -> char { text[b..].chars().nth(1).unwrap_or(' ') };
    let opening = |c: char| matches!(c, '"' | '\u{201C}' | '\u{201E}' | '\u{00AB}');
    let mut pos = 0;
    while let Some(b) = find_mark(text, pos, text.len(), opening) {
        let c = text[b..].chars().next().unwrap_or(' ');
        let from = b + c.len_utf8();
        let (prev, next) = (before(b), after(b));
        let close = match c {
            '\u{201C}' => '\u{201D}',
            '\u{201E}' => '\u{201C}',
            '\u{00AB}' => '\u{00BB}',
            '"' if straight_side(prev, next) != Side::Close && !next.is_whitespace() => '"',
            _ => {
                pos = from;
                continue;
            }
        };
        // the quotation ends at its closing mark, or at its paragraph's end
        let limit = next_para(b);
        let closing = |cj: char| {
            cj == close || (c == '"' && cj == '\u{201D}') || (c == '\u{201C}' && cj == '"')
        };
        let mut end = None;
        let mut stop = limit;
        if let Some(at) = find_mark(text, from, limit, closing) {
            let cj = text[at..].chars().next().unwrap_or(' ');
            // a mark that can only open starts a new quotation: this one
            // was left open (its paragraph mark lost)
            if cj == '"' && c == '"' && straight_side(before(at), after(at)) == Side::Open {
                stop = at;
            } else {
                end = Some((at, cj));
            }
        }
        let (inner_end, outer_end, resume) = match end {
            Some((e, cj)) => (e, e + cj.len_utf8(), e + cj.len_utf8()),
            None => {
                // left open: up to the paragraph's end (or the next opening mark)
                let trimmed = text[..stop].trim_end().len().max(from);
                (trimmed, trimmed, stop)
            }
        };
        let inner = Span::new(from, inner_end);
        let outer = Span::new(b, outer_end);
        let words = text[inner.start..inner.end].split_whitespace().count();
        if words >= 2 {
            out.push(Quote { inner, outer });
        }
        pos = resume.max(from);
    }
    out
}

/// Finds quotations in single marks, as British style writes them
/// ('We will win,' she said.), outside any double-quoted passage. A mark
/// opens only at a word start and closes only at a word end, so
/// apostrophes ("don't", "workers' pay") do not count; a quotation needs
/// three words or more and ends at the paragraph break at the latest.
pub fn find_single_quotes(text: &str) -> Vec<Quote> {
    single_quotes_outside(text, &find_quotes(text))
}

/// [`find_single_quotes`] of `text`, whose double-quoted passages
/// ([`find_quotes`]) are `doubles`.
pub(super) fn single_quotes_outside(text: &str, doubles: &[Quote]) -> Vec<Quote> {
    let inside = |b: usize| {
        doubles
            .iter()
            .any(|q| q.outer.start <= b && b < q.outer.end)
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let is_mark = |c: char| c == '\'' || c == '\u{2018}' || c == '\u{2019}';
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (b, c) = chars[i];
        let prev = if i > 0 { chars[i - 1].1 } else { ' ' };
        let next = chars.get(i + 1).map_or(' ', |x| x.1);
        if !(c == '\'' || c == '\u{2018}')
            || prev.is_alphanumeric()
            || !next.is_alphabetic()
            || inside(b)
        {
            i += 1;
            continue;
        }
        let mut end = None;
        let mut j = i + 1;
        while j < chars.len() {
            let cj = chars[j].1;
            if cj == '\n' && text[chars[j].0..].starts_with("\n\n") {
                break;
            }
            let before = chars[j - 1].1;
            let after = chars.get(j + 1).map_or(' ', |x| x.1);
            if is_mark(cj)
                && !after.is_alphanumeric()
                && (before.is_alphanumeric() || ".,!?;:".contains(before))
            {
                // "workers' pay": a plural possessive, not the end
                if !(before == 's'
                    && after == ' '
                    && chars.get(j + 2).is_some_and(|x| x.1.is_lowercase()))
                {
                    end = Some(j);
                    break;
                }
            }
            j += 1;
        }
        let Some(e) = end else {
            i += 1;
            continue;
        };
        let inner = Span::new(b + c.len_utf8(), chars[e].0);
        let outer = Span::new(b, chars[e].0 + chars[e].1.len_utf8());
        if text[inner.start..inner.end].split_whitespace().count() >= 3 {
            out.push(Quote { inner, outer });
        }
        i = e + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Vec<&str> {
        find_quotes(text)
            .iter()
            .map(|q| &text[q.inner.start..q.inner.end])
            .collect()
    }

    #[test]
    fn straight_curly_and_multi_sentence() {
        assert_eq!(
            q("He said \"we will win this.\" Then left."),
            vec!["we will win this."]
        );
        assert_eq!(
            q("She said: \u{201C}It is over. We lost.\u{201D}"),
            vec!["It is over. We lost."]
        );
        assert_eq!(
            q("\"We lost everything,\" she said. \"If it works, it will save us.\""),
            vec!["We lost everything,", "If it works, it will save us."]
        );
    }

    #[test]
    fn nested_single_quotes_stay_inside() {
        assert_eq!(
            q("He said \u{201C}they called it \u{2018}a disaster\u{2019} at once\u{201D} today."),
            vec!["they called it \u{2018}a disaster\u{2019} at once"]
        );
    }

    #[test]
    fn unclosed_quote_ends_at_paragraph() {
        assert_eq!(
            q("\"This is the first part of it.\n\nNext paragraph."),
            vec!["This is the first part of it."]
        );
    }

    #[test]
    fn wire_copy_marks_and_wraps() {
        // Reuters-21578 style: `&\t` paragraph marks, hard-wrapped lines,
        // marks glued to punctuation
        let t = "Prices rose, traders said.\n&\t\"We expect more of the\nsame next week,\" one dealer said.\n\
                 &\tHe added:\"It is a good market.\" Others disagreed.";
        assert_eq!(
            q(t),
            vec![
                "We expect more of the\nsame next week,",
                "It is a good market."
            ]
        );
    }

    #[test]
    fn a_stray_mark_does_not_flip_the_rest() {
        // a closing mark with no opening one, then two good quotations
        let t = "The index fell 3 pct\" on the day.\n\n\"Sales are weak,\" he said. \"We will cut costs.\"";
        assert_eq!(q(t), vec!["Sales are weak,", "We will cut costs."]);
        // an opening mark never closed ends at its paragraph
        let t = "\"The plan is dead, he said.\n&\tOthers said \"it will pass soon\" anyway.";
        assert_eq!(
            q(t),
            vec!["The plan is dead, he said.", "it will pass soon"]
        );
    }

    #[test]
    fn a_quotation_continued_over_literal_wire_marks() {
        // Reuters-21578 writes its paragraph mark as the characters `&\t`:
        // the mark opening the next paragraph opens a quotation, it does
        // not close the one left open
        let t = "&\\t \"We know the boats were used to attack ships...\n\
                 &\\t\"Its loss will help the safety of the fleet,\" he said.";
        assert_eq!(
            q(t),
            vec![
                "We know the boats were used to attack ships...",
                "Its loss will help the safety of the fleet,"
            ]
        );
    }

    #[test]
    fn news_multi_paragraph_quotation() {
        let t =
            "\"We lost the first round of talks.\n\n\"But we will be back next month,\" she said.";
        assert_eq!(
            q(t),
            vec![
                "We lost the first round of talks.",
                "But we will be back next month,"
            ]
        );
    }

    #[test]
    fn guillemets_and_low_high_marks() {
        assert_eq!(
            q("Er sagte \u{201E}wir kommen wieder\u{201C} heute."),
            vec!["wir kommen wieder"]
        );
        assert_eq!(
            q("Il a dit \u{00AB} nous reviendrons \u{00BB} hier."),
            vec![" nous reviendrons "]
        );
    }

    #[test]
    fn inch_marks_and_single_words_are_not_quotes() {
        assert!(q("A 12\" pipe and a \"word\" here.").is_empty());
    }

    fn sq(text: &str) -> Vec<&str> {
        find_single_quotes(text)
            .iter()
            .map(|q| &text[q.inner.start..q.inner.end])
            .collect()
    }

    #[test]
    fn british_single_quotes() {
        assert_eq!(
            sq("She told them: 'High streets are the heart of our towns.' Then she left."),
            vec!["High streets are the heart of our towns."]
        );
        assert_eq!(
            sq("\u{2018}We will not back down,\u{2019} he said, \u{2018}not now.\u{2019}"),
            vec!["We will not back down,"]
        );
    }

    #[test]
    fn apostrophes_and_nested_marks_are_not_single_quotes() {
        assert!(
            sq("The workers' pay won't rise, and the union's chief isn't happy about it.")
                .is_empty()
        );
        assert!(sq("He said \"they called it 'a total disaster' at once\" today.").is_empty());
        assert!(sq("It was the '90s and rock 'n' roll was everywhere in the town.").is_empty());
    }
}
