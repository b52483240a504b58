//! Classifies an aligned passage by how much of its wording survived.

use std::collections::HashMap;

use super::AlignedLink;
use crate::report::PassageKind;
use crate::text::Analysis;
use crate::tuning::classify::{
    NEAR_VERBATIM_BIGRAM_DICE, NEAR_VERBATIM_WORD_DICE, SUMMARY_LENGTH_RATIO,
    SUMMARY_MIN_SOURCE_SENTENCES,
};

fn words(a: &Analysis, sents: std::ops::Range<usize>) -> Vec<&str> {
    sents
        .flat_map(|i| a.sentence_tokens(i).iter().map(|t| t.norm.as_str()))
        .collect()
}

fn dice<T: std::hash::Hash + Eq>(a: &[T], b: &[T]) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let mut m: HashMap<&T, i32> = HashMap::new();
    for x in a {
        *m.entry(x).or_insert(0) += 1;
    }
    let mut common = 0;
    for x in b {
        if let Some(c) = m.get_mut(x) {
            if *c > 0 {
                *c -= 1;
                common += 1;
            }
        }
    }
    2.0 * common as f32 / (a.len() + b.len()) as f32
}

/// Word-bigram Dice coefficient and word Dice coefficient of two word lists.
pub fn overlap(a: &[&str], b: &[&str]) -> (f32, f32) {
    let bi = |w: &[&str]| -> Vec<(String, String)> {
        w.windows(2)
            .map(|p| (p[0].to_string(), p[1].to_string()))
            .collect()
    };
    (dice(&bi(a), &bi(b)), dice(a, b))
}

/// Classifies a passage from its links (a passage without links, or with
/// links outside the analyses, is a `paraphrase`: nothing says more).
pub fn classify(q: &Analysis, s: &Analysis, links: &[AlignedLink]) -> PassageKind {
    let in_bounds = |l: &AlignedLink| {
        l.query.end <= q.sentences.len()
            && l.source.start < s.sentences.len()
            && l.source.end <= s.sentences.len()
            && l.source.end >= 1
    };
    if links.is_empty() || !links.iter().all(in_bounds) {
        return PassageKind::Paraphrase;
    }
    let mut qw: Vec<&str> = Vec::new();
    let mut sw: Vec<&str> = Vec::new();
    let mut identical = true;
    for l in links {
        let a = words(q, l.query.clone());
        let b = words(s, l.source.clone());
        if a != b {
            identical = false;
        }
        qw.extend(a);
        sw.extend(b);
    }
    // summary: the suspect side is much shorter than the source stretch it
    // covers, and that stretch spans several sentences
    let q_len: usize = links.iter().map(|l| l.query_span.len()).sum();
    let s_first = links.iter().map(|l| l.source.start).min().unwrap_or(0);
    let s_last = links.iter().map(|l| l.source.end).max().unwrap_or(0);
    let s_len = s.sentences[s_first]
        .span
        .cover(&s.sentences[s_last - 1].span)
        .len();
    if s_last - s_first >= SUMMARY_MIN_SOURCE_SENTENCES
        && (q_len as f32) < SUMMARY_LENGTH_RATIO * s_len as f32
    {
        // (copied sentences picked from across a long stretch included)
        return PassageKind::Summary;
    }
    if identical && !qw.is_empty() {
        return PassageKind::Verbatim;
    }
    let (bigram, unigram) = overlap(&qw, &sw);
    if bigram >= NEAR_VERBATIM_BIGRAM_DICE && unigram >= NEAR_VERBATIM_WORD_DICE {
        return PassageKind::NearVerbatim;
    }
    PassageKind::Paraphrase
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::testing::{link, sentence_link};

    fn kind(
        q: &str,
        s: &str,
        links: &[(std::ops::Range<usize>, std::ops::Range<usize>)],
    ) -> PassageKind {
        let (qa, sa) = (Analysis::new(q), Analysis::new(s));
        let links: Vec<AlignedLink> = links
            .iter()
            .map(|(a, b)| sentence_link(&qa, &sa, a.clone(), b.clone(), 0.5))
            .collect();
        classify(&qa, &sa, &links)
    }

    const S: &str = "Volcanic ash grounded flights across northern Europe for days. \
        Airlines cancelled thousands of departures while the cloud drifted south. \
        Passengers slept in terminals waiting for news about their journeys. \
        Hotels near the airports ran out of rooms within hours.";

    #[test]
    fn the_same_words_are_verbatim() {
        assert_eq!(kind(S, S, &[(0..2, 0..2)]), PassageKind::Verbatim);
        // case and punctuation do not count
        let q = "VOLCANIC ASH grounded flights across northern Europe for days!";
        assert_eq!(kind(q, S, &[(0..1, 0..1)]), PassageKind::Verbatim);
    }

    #[test]
    fn a_light_edit_is_near_verbatim_and_a_rewording_a_paraphrase() {
        let q = "Volcanic ash grounded all flights across northern Europe for several days.";
        assert_eq!(kind(q, S, &[(0..1, 0..1)]), PassageKind::NearVerbatim);
        let q = "For days, planes could not take off in the north of Europe because of the ash.";
        assert_eq!(kind(q, S, &[(0..1, 0..1)]), PassageKind::Paraphrase);
    }

    #[test]
    fn a_short_suspect_side_over_a_long_stretch_is_a_summary() {
        let q = "Ash from the volcano stranded travellers.";
        assert_eq!(kind(q, S, &[(0..1, 0..4)]), PassageKind::Summary);
        // over two source sentences it is not
        assert_eq!(kind(q, S, &[(0..1, 0..2)]), PassageKind::Paraphrase);
    }

    #[test]
    fn no_links_or_links_outside_the_texts_are_a_paraphrase() {
        let a = Analysis::new(S);
        assert_eq!(classify(&a, &a, &[]), PassageKind::Paraphrase);
        let mut l = link((0, 10), (0, 10));
        l.source = 3..9;
        assert_eq!(classify(&a, &a, &[l]), PassageKind::Paraphrase);
    }

    #[test]
    fn overlap_is_bigram_and_word_dice() {
        let a = ["the", "quick", "brown", "fox"];
        let b = ["the", "quick", "red", "fox"];
        let (bigram, unigram) = overlap(&a, &b);
        // bigrams: 1 of 3 shared each side; words: 3 of 4
        assert!((bigram - 1.0 / 3.0).abs() < 1e-6);
        assert!((unigram - 0.75).abs() < 1e-6);
        assert_eq!(overlap(&[], &[]), (1.0, 1.0));
    }
}
