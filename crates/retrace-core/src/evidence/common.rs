//! Shared helpers of the detectors.
//!
//! In: the two [`Side`]s, their aligned passages and links, spans of their
//! texts. Out: what every detector reads them with: character spans and
//! slices of a side, links widened to whole sentences
//! ([`widen_passage`]), the tokens inside a span (and their words and
//! content stems), what a side reads once per comparison (its sentence
//! starts, word set, and each sentence's names and numbers: [`SideCache`]),
//! word lists and their overlap ([`dice`]), and [`clip`] for quoting text
//! in a finding's detail line.

use std::cell::OnceCell;
// (the Fx hash: sets of short words built and probed per comparison,
// where the default SipHash showed in the evidence stage's profile)
use rustc_hash::FxHashSet as HashSet;

use super::names::{names_into, Name};
use super::numbers::{numbers_into, Num};
use super::Side;
use crate::align::{AlignedLink, AlignedPassage};
use crate::report::CharSpan;
use crate::text::{Analysis, Span, Token};

/// What the detectors read of one side more than once (each worked out
/// on first use, once per comparison).
#[derive(Default)]
pub(super) struct SideCache<'a> {
    starts: OnceCell<HashSet<usize>>,
    words: OnceCell<HashSet<&'a str>>,
    names: OnceCell<PerSentence<Name<'a>>>,
    numbers: OnceCell<PerSentence<Num<'a>>>,
}

/// What each sentence of a side holds (its names, its numbers), in one
/// list in text order: the items of a run of sentences are one slice.
struct PerSentence<T> {
    items: Vec<T>,
    /// Where each sentence's items end in `items`.
    ends: Vec<usize>,
}

impl<T> PerSentence<T> {
    /// What `read` pushes for each sentence of `a`, in order.
    fn new(a: &Analysis, mut read: impl FnMut(Span, &mut Vec<T>)) -> Self {
        let mut items = Vec::new();
        let ends = a
            .sentences
            .iter()
            .map(|x| {
                read(x.span, &mut items);
                items.len()
            })
            .collect();
        PerSentence { items, ends }
    }

    /// The items of sentences `r`.
    fn over(&self, r: std::ops::Range<usize>) -> &[T] {
        if r.is_empty() {
            return &[];
        }
        let lo = if r.start == 0 {
            0
        } else {
            self.ends[r.start - 1]
        };
        &self.items[lo..self.ends[r.end - 1]]
    }
}

impl<'a> Side<'a> {
    /// Byte offsets where its sentences start.
    pub(super) fn starts(&self) -> &HashSet<usize> {
        self.cache
            .starts
            .get_or_init(|| sentence_starts(self.analysis))
    }

    /// Its normalised words, as a set.
    pub(super) fn words(&self) -> &HashSet<&'a str> {
        self.cache.words.get_or_init(|| word_set(self.analysis))
    }

    /// The names of its sentences ([`names_into`] of each, read once), in
    /// text order.
    pub(super) fn all_names(&self) -> &[Name<'a>] {
        &self.names().items
    }

    fn names(&self) -> &PerSentence<Name<'a>> {
        self.cache
            .names
            .get_or_init(|| PerSentence::new(self.analysis, |x, out| names_into(self, x, out)))
    }

    /// The names of the sentences lying inside `span` (a sentence, or a
    /// run of them).
    pub(super) fn names_over(&self, span: Span) -> &[Name<'a>] {
        self.names().over(self.sentences_in(span))
    }

    /// The numbers of the sentences lying inside `span` ([`numbers_in`]
    /// of each sentence, read once).
    pub(super) fn numbers_over(&self, span: Span) -> &[Num<'a>] {
        self.cache
            .numbers
            .get_or_init(|| PerSentence::new(self.analysis, |x, out| numbers_into(self, x, out)))
            .over(self.sentences_in(span))
    }

    /// The indices of the sentences lying inside `span`.
    fn sentences_in(&self, span: Span) -> std::ops::Range<usize> {
        let sents = &self.analysis.sentences;
        let lo = sents.partition_point(|x| x.span.start < span.start);
        let hi = lo + sents[lo..].partition_point(|x| x.span.end <= span.end);
        lo..hi
    }

    /// The character span of byte span `s` (as reports give spans).
    pub(super) fn span(&self, s: Span) -> CharSpan {
        let c = self.analysis.chars.span(s);
        CharSpan(c.start, c.end)
    }
    /// The text of byte span `s`.
    pub(super) fn slice(&self, s: Span) -> &str {
        &self.text[s.start..s.end]
    }
}

/// The span of sentences `r` of `a`, joined with `span`.
fn sentence_cover(a: &Analysis, r: &std::ops::Range<usize>, span: Span) -> Span {
    a.sentences
        .get(r.clone())
        .and_then(|x| cover(x.iter().map(|x| x.span)))
        .map_or(span, |c| c.cover(&span))
}

/// A passage whose links (and spans) cover their sentences whole.
pub(super) fn widen_passage(q: &Side, s: &Side, p: &AlignedPassage) -> AlignedPassage {
    let mut p = p.clone();
    for l in &mut p.links {
        l.query_span = sentence_cover(q.analysis, &l.query, l.query_span);
        l.source_span = sentence_cover(s.analysis, &l.source, l.source_span);
        p.query_span = p.query_span.cover(&l.query_span);
        p.source_span = p.source_span.cover(&l.source_span);
    }
    p
}

/// Shortens `s` to at most `n` characters on a word boundary, one line.
pub(super) fn clip(s: &str, n: usize) -> String {
    // the words joined by single spaces, up to the first n + 1 characters
    // (enough to know whether it must be cut, and where)
    let mut flat = String::new();
    let mut count = 0;
    for w in s.split_whitespace() {
        if count > n {
            break;
        }
        if !flat.is_empty() {
            flat.push(' ');
            count += 1;
        }
        flat.push_str(w);
        count += w.chars().count();
    }
    if count <= n {
        return flat;
    }
    let mut cut: String = flat.chars().take(n).collect();
    if let Some(sp) = cut.rfind(' ') {
        if sp > n / 2 {
            cut.truncate(sp);
        }
    }
    format!("{cut}\u{2026}")
}

/// Dice overlap of two word lists, as sets (0 when either is empty).
pub(super) fn dice<T: Eq + std::hash::Hash>(a: &[T], b: &[T]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let sb: HashSet<&T> = b.iter().collect();
    let sa: HashSet<&T> = a.iter().collect();
    let common = sa.iter().filter(|w| sb.contains(*w)).count();
    2.0 * common as f32 / (sa.len() + sb.len()) as f32
}

/// Levenshtein distance of two words, in characters.
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Whether two words are one edit apart (Levenshtein distance 1: a
/// character added, dropped or replaced), without a distance table.
pub(super) fn one_edit_apart(a: &str, b: &str) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la == lb {
        return a.chars().zip(b.chars()).filter(|(x, y)| x != y).count() == 1;
    }
    if la.abs_diff(lb) != 1 {
        return false;
    }
    let (short, long) = if la < lb { (a, b) } else { (b, a) };
    // the long word with its first differing character left out
    let p: usize = short
        .chars()
        .zip(long.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    let skip = long[p..].chars().next().map_or(0, char::len_utf8);
    short[p..] == long[p + skip..]
}

/// Whether `needle` occurs in `hay` as a run of consecutive words.
pub(super) fn contains_seq<A: PartialEq<B>, B>(hay: &[A], needle: &[B]) -> bool {
    !needle.is_empty()
        && hay
            .windows(needle.len())
            .any(|w| w.iter().zip(needle).all(|(a, b)| a == b))
}

/// The links whose source span overlaps `span`.
pub(super) fn links_over_source<'a>(links: &[&'a AlignedLink], span: Span) -> Vec<&'a AlignedLink> {
    links
        .iter()
        .copied()
        .filter(|l| l.source_span.overlap(&span) > 0)
        .collect()
}

/// The smallest span covering all `spans` (`None` for none).
pub(super) fn cover(spans: impl Iterator<Item = Span>) -> Option<Span> {
    spans.reduce(|a, b| a.cover(&b))
}

/// The analysed tokens lying inside `span` (the texts were tokenised once,
/// sentence by sentence; spans here are sentence or token aligned).
pub(super) fn span_tokens(a: &Analysis, span: Span) -> &[Token] {
    let lo = a.tokens.partition_point(|t| t.span.start < span.start);
    let hi = lo + a.tokens[lo..].partition_point(|t| t.span.end <= span.end);
    &a.tokens[lo..hi]
}

/// The normalised words of the analysed tokens inside `span`.
pub(super) fn span_norms(a: &Analysis, span: Span) -> impl Iterator<Item = &str> {
    span_tokens(a, span).iter().map(|t| t.norm.as_str())
}

/// The stems of the content words (no stop words) of the analysed tokens
/// inside `span`.
pub(super) fn span_content_stems(a: &Analysis, span: Span) -> impl Iterator<Item = &str> {
    span_tokens(a, span)
        .iter()
        .filter(|t| !t.stop)
        .map(|t| t.stem.as_str())
}

/// Byte offsets where the sentences of `a` start.
fn sentence_starts(a: &Analysis) -> HashSet<usize> {
    a.sentences.iter().map(|s| s.span.start).collect()
}

/// The normalised words of `a`, as a set.
fn word_set(a: &Analysis) -> HashSet<&str> {
    // (sized for every token: no rehash while it fills)
    let mut set = HashSet::with_capacity_and_hasher(a.tokens.len(), Default::default());
    set.extend(a.tokens.iter().map(|t| t.norm.as_str()));
    set
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::testing::Pair;

    #[test]
    fn clip_cuts_on_a_word_boundary_on_one_line() {
        assert_eq!(clip("a short\n line", 40), "a short line");
        assert_eq!(
            clip("the quick brown fox jumps over", 18),
            "the quick brown\u{2026}"
        );
    }

    #[test]
    fn one_edit_apart_is_edit_distance_one() {
        let words = [
            "artic",
            "arctic",
            "devlopment",
            "development",
            "cafe",
            "caf\u{e9}",
            "kitten",
            "sitten",
            "sitting",
            "a",
            "",
            "ab",
            "ba",
            "abc",
            "abcd",
            "xbcd",
            "\u{e9}t\u{e9}",
        ];
        for a in words {
            for b in words {
                assert_eq!(one_edit_apart(a, b), edit_distance(a, b) == 1, "{a} / {b}");
            }
        }
    }

    #[test]
    fn clip_keeps_what_fits_whole() {
        assert_eq!(clip("  one\ttwo  ", 7), "one two");
        assert_eq!(clip("one two", 6), "one tw\u{2026}");
        assert_eq!(clip("", 5), "");
    }

    #[test]
    fn dice_counts_shared_words_once() {
        let w = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert_eq!(dice(&w("a b c"), &w("b c d")), 2.0 * 2.0 / 6.0);
        assert_eq!(dice(&w("a a b"), &w("a b")), 1.0);
        assert_eq!(dice(&[], &w("a")), 0.0);
        assert!(contains_seq(&w("a b c d"), &w("b c")));
        assert!(!contains_seq(&w("a b c d"), &w("c b")));
    }

    #[test]
    fn links_are_widened_to_their_sentences() {
        let p = Pair::new("One two three. Four five six.", "Seven eight nine. Ten.");
        let mut l = p.link(0..1, 0..1, 0.5);
        // the aligner trimmed the link to shared words
        l.query_span = Span::new(4, 13);
        l.source_span = Span::new(6, 11);
        let wide = widen_passage(&p.q(), &p.s(), &crate::evidence::testing::passage(vec![l]));
        assert_eq!(wide.links[0].query_span, Span::new(0, 14));
        assert_eq!(wide.links[0].source_span, Span::new(0, 17));
        assert_eq!(wide.query_span, Span::new(0, 14));
    }

    #[test]
    fn tokens_in_a_span_and_char_spans() {
        let p = Pair::new("Caf\u{e9} au lait. Then tea.", "x");
        let q = p.q();
        let second = q.analysis.sentences[1].span;
        let words: Vec<&str> = span_tokens(q.analysis, second)
            .iter()
            .map(|t| t.norm.as_str())
            .collect();
        assert_eq!(words, ["then", "tea"]);
        assert_eq!(q.slice(second), "Then tea.");
        // byte 15 is character 14 (the accented e takes two bytes)
        assert_eq!(second.start, 15);
        assert_eq!(q.span(second), CharSpan(14, 23));
        assert_eq!(sentence_starts(q.analysis).len(), 2);
    }
}
