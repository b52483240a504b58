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

fn opens(c: char) -> Option<char> {
    match c {
        '\u{201C}' => Some('\u{201D}'),
        '\u{201E}' => Some('\u{201C}'),
        '\u{00AB}' => Some('\u{00BB}'),
        '"' => Some('"'),
        _ => None,
    }
}

/// Finds the top-level double-quoted passages of `text` (straight or curly
/// marks, guillemets), including multi-sentence quotations and quotations
/// continued after an attribution ("..." she said. "..."): each part is its
/// own quote. Nested single quotes stay inside their parent. Unbalanced
/// marks (a quotation opened in one paragraph and never closed, as news
/// style does for multi-paragraph quotes) end at the paragraph break.
pub fn find_quotes(text: &str) -> Vec<Quote> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (b, c) = chars[i];
        let Some(close) = opens(c) else {
            i += 1;
            continue;
        };
        // a straight quote opens only at a word start
        if c == '"' {
            let prev = if i > 0 { chars[i - 1].1 } else { ' ' };
            if prev.is_alphanumeric() {
                i += 1;
                continue;
            }
        }
        let mut j = i + 1;
        let mut end = None;
        while j < chars.len() {
            let cj = chars[j].1;
            if cj == close || (c == '"' && cj == '\u{201D}') {
                end = Some(j);
                break;
            }
            if cj == '\n' && j + 1 < chars.len() && text[chars[j].0..].starts_with("\n\n") {
                end = Some(j);
                break;
            }
            j += 1;
        }
        let Some(e) = end else { break };
        let closed = chars[e].1 != '\n';
        let inner = Span::new(chars[i].0 + c.len_utf8(), chars[e].0);
        let outer = Span::new(
            b,
            if closed {
                chars[e].0 + chars[e].1.len_utf8()
            } else {
                chars[e].0
            },
        );
        let words = text[inner.start..inner.end].split_whitespace().count();
        if words >= 2 {
            out.push(Quote { inner, outer });
        }
        i = e + 1;
    }
    out
}

/// Finds quotations in single marks, as British style writes them
/// ('We will win,' she said.), outside any double-quoted passage. A mark
/// opens only at a word start and closes only at a word end, so
/// apostrophes ("don't", "workers' pay") do not count; a quotation needs
/// three words or more and ends at the paragraph break at the latest.
pub fn find_single_quotes(text: &str) -> Vec<Quote> {
    let doubles = find_quotes(text);
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
