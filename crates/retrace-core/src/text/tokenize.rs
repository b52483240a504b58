//! Word tokens with normalised forms, stems, stop-word flags and numbers.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use super::Span;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A word made of letters.
    Word,
    /// A number ("1,200", "3.5", "seven"); its `norm` is the canonical digits.
    Number,
}

/// One word of the input.
#[derive(Debug, Clone)]
pub struct Token {
    /// Byte span in the original text.
    pub span: Span,
    /// NFKC-normalised, lower-cased form (numbers: canonical digits).
    pub norm: String,
    /// The stem used for matching (numbers: same as `norm`).
    pub stem: String,
    /// Word or number.
    pub kind: TokenKind,
    /// Whether the word is a stop word (function word).
    pub stop: bool,
    /// Whether the original starts with an upper-case letter.
    pub capitalized: bool,
    /// Byte end including punctuation glued to the word ("June." -> after
    /// the period, "over\u{201D}" -> after the quotation mark).
    pub glued_end: usize,
}

fn stemmer() -> &'static Stemmer {
    static S: OnceLock<Stemmer> = OnceLock::new();
    S.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// English stop words (function words that carry little content).
pub const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "s",
    "t",
    "said",
    "says",
    "say",
    "told",
    "according",
    "would",
    "may",
    "might",
    "must",
    "shall",
    "also",
    "however",
    "although",
    "though",
    "yet",
    "upon",
    "onto",
    "within",
    "without",
    "among",
    "via",
    "per",
    "us",
    "let",
    "whether",
    "since",
    "mr",
    "mrs",
    "ms",
];

/// Whether `w` (lower-case) is a stop word.
pub fn is_stop_word(w: &str) -> bool {
    // (the Fx hash: probed for every word read, where SipHash showed in
    // profiles; as `lang`'s lists)
    static SET: OnceLock<rustc_hash::FxHashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
        .contains(w)
}

/// Maps number words to digits ("seven" -> "7"); `None` for other words.
pub fn number_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "zero" => "0",
        "one" => "1",
        "two" => "2",
        "three" => "3",
        "four" => "4",
        "five" => "5",
        "six" => "6",
        "seven" => "7",
        "eight" => "8",
        "nine" => "9",
        "ten" => "10",
        "eleven" => "11",
        "twelve" => "12",
        "thirteen" => "13",
        "fourteen" => "14",
        "fifteen" => "15",
        "sixteen" => "16",
        "seventeen" => "17",
        "eighteen" => "18",
        "nineteen" => "19",
        "twenty" => "20",
        "thirty" => "30",
        "forty" => "40",
        "fifty" => "50",
        "sixty" => "60",
        "seventy" => "70",
        "eighty" => "80",
        "ninety" => "90",
        "hundred" => "100",
        "dozen" => "12",
        _ => return None,
    })
}

/// Normalises one raw word: NFKC, lower case, curly apostrophes straightened,
/// possessive "'s" removed.
pub fn normalize_word(raw: &str) -> String {
    let mut s: String = raw
        .nfkc()
        .flat_map(|c| c.to_lowercase())
        .map(|c| {
            if c == '\u{2019}' || c == '\u{2018}' {
                '\''
            } else {
                c
            }
        })
        .collect();
    if s.ends_with("'s") {
        s.truncate(s.len() - 2);
    } else if s.ends_with('\'') {
        s.pop();
    }
    s
}

fn canonical_number(s: &str) -> Option<String> {
    if !s.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    let mut t: String = s.chars().filter(|&c| c != ',').collect();
    if t.contains('.') {
        while t.ends_with('0') {
            t.pop();
        }
        if t.ends_with('.') {
            t.pop();
        }
    }
    Some(t)
}

/// A word glued to a literal escape left in the text (`\tEarlier`, a lone
/// `\t` after the `&` that marks Reuters-21578's paragraphs): the word
/// without the escape letter (empty for a lone escape); `None` when `raw`
/// follows no backslash. A lower-case rest stays as it is: `\the` may be
/// meant.
fn strip_escape<'a>(before: &str, raw: &'a str) -> Option<&'a str> {
    if !before.ends_with('\\') {
        return None;
    }
    let rest = raw.strip_prefix(['t', 'n', 'r'])?;
    match rest.chars().next() {
        None => Some(rest),
        Some(c) if c.is_uppercase() || c.is_numeric() => Some(rest),
        _ => None,
    }
}

/// Splits `text` into word tokens. Offsets are byte offsets into `text`
/// shifted by `base`.
pub fn tokenize(text: &str, base: usize) -> Vec<Token> {
    tokenize_with(text, base, true)
}

/// [`tokenize`] without stems (each token's `stem` left empty): for
/// readers that compare normalised words only, at a fraction of the cost.
pub fn tokenize_unstemmed(text: &str, base: usize) -> Vec<Token> {
    tokenize_with(text, base, false)
}

fn tokenize_with(text: &str, base: usize, stems: bool) -> Vec<Token> {
    let mut out = Vec::new();
    for (off, raw) in text.split_word_bound_indices() {
        if !raw.chars().any(|c| c.is_alphanumeric()) {
            continue;
        }
        let (off, raw) = match strip_escape(&text[..off], raw) {
            Some("") => continue,
            Some(rest) => (off + raw.len() - rest.len(), rest),
            None => (off, raw),
        };
        let norm = normalize_word(raw);
        if norm.is_empty() {
            continue;
        }
        let capitalized = raw.chars().next().is_some_and(|c| c.is_uppercase());
        let span = Span::new(base + off, base + off + raw.len());
        let glued = text[off + raw.len()..]
            .char_indices()
            .find(|&(_, c)| c.is_whitespace() || c.is_alphanumeric())
            .map_or(text.len() - off - raw.len(), |(i, _)| i);
        let glued_end = span.end + glued;
        if let Some(num) = canonical_number(&norm) {
            out.push(Token {
                span,
                stem: num.clone(),
                norm: num,
                kind: TokenKind::Number,
                stop: false,
                capitalized,
                glued_end,
            });
            continue;
        }
        if let Some(num) = number_word(&norm) {
            out.push(Token {
                span,
                stem: num.to_string(),
                norm: num.to_string(),
                kind: TokenKind::Number,
                stop: false,
                capitalized,
                glued_end,
            });
            continue;
        }
        let stop = is_stop_word(&norm);
        let stem = if stems {
            stemmer().stem(&norm).into_owned()
        } else {
            String::new()
        };
        out.push(Token {
            span,
            norm,
            stem,
            kind: TokenKind::Word,
            stop,
            capitalized,
            glued_end,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_escapes_are_not_words() {
        let t = "&\\tEarlier today, \\t the bill.\\n2 votes; \\the end";
        let toks = tokenize(t, 0);
        let words: Vec<(&str, &str)> = toks
            .iter()
            .map(|w| (&t[w.span.start..w.span.end], w.norm.as_str()))
            .collect();
        assert_eq!(
            words,
            [
                ("Earlier", "earlier"),
                ("today", "today"),
                ("the", "the"),
                ("bill", "bill"),
                ("2", "2"),
                ("votes", "votes"),
                ("the", "the"),
                ("end", "end")
            ]
        );
    }

    #[test]
    fn words_numbers_and_stems() {
        let t = "The officials' reports said 1,200 people ran; seven were running.";
        let toks = tokenize(t, 0);
        let norms: Vec<&str> = toks.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(
            norms,
            vec![
                "the",
                "officials",
                "reports",
                "said",
                "1200",
                "people",
                "ran",
                "7",
                "were",
                "running"
            ]
        );
        assert!(toks[0].stop);
        assert_eq!(toks[4].kind, TokenKind::Number);
        assert_eq!(toks[7].kind, TokenKind::Number);
        assert_eq!(toks[9].stem, "run");
        assert_eq!(&t[toks[4].span.start..toks[4].span.end], "1,200");
    }

    #[test]
    fn unicode_normalization_and_possessives() {
        let toks = tokenize("Ｒeuters’s ﬁnal cafe\u{0301}", 0);
        let norms: Vec<&str> = toks.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(norms, vec!["reuters", "final", "café"]);
    }

    #[test]
    fn decimals_are_canonical() {
        let toks = tokenize("3.50 and 3.5 and 2.0", 0);
        assert_eq!(toks[0].norm, "3.5");
        assert_eq!(toks[2].norm, "3.5");
        assert_eq!(toks[4].norm, "2");
    }
}
