//! Numbers: `number_changed`.
//!
//! In: the two sides, the (widened) passages and their links. The numbers
//! of each aligned sentence pair are read as values ([`numbers_in`]:
//! "seven" = 7, "twenty-five" = 25, "$3 million" = "3 million dollars" =
//! the wire's "3 mln dlrs", "two decades" = 20 years, percentages marked),
//! with the words they count. Out: a `number_changed` finding for each
//! value lost on one side against one gained on the other, paired through
//! what they count where a sentence changes several; a value stated at
//! another precision or with a scale left out, arithmetic on kept values
//! ("from 120 to 150" / "gained 30") or a value moved within the passage is
//! no change.

use super::common::{clip, span_tokens};
use super::kinds;
use super::Side;
use crate::align::{AlignedLink, AlignedPassage};
use crate::report::Finding;
use crate::text::{lang, Span, TokenKind};

/// A number as read from a text, with what it counts.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Num {
    /// Its value, scale words folded in ("3 million" = 3e6).
    pub(super) value: f64,
    /// Whether a scale word was folded in ("3 million").
    scaled: bool,
    /// Digits after the decimal point as written ("22.25": 2).
    decimals: u32,
    /// Whether it is a percentage ("22%", "22 per cent", "22 pct").
    percent: bool,
    /// Byte span of the number and its scale word.
    span: Span,
    /// Stem of the first content word after the number ("18,500 runners"):
    /// what it counts.
    unit: Option<String>,
    /// Stem of the word right before it ("March 3", "Highway 9").
    prev: Option<String>,
}

/// The text of span `s`, lower-cased.
fn raw_lower(text: &str, s: Span) -> String {
    text[s.start..s.end].to_lowercase()
}

/// Whether a number is written as a word ("seven", not "7").
fn is_word_number(raw: &str) -> bool {
    raw.chars().all(|c| c.is_alphabetic())
}

/// The numbers of `text[span]` with their values: scale words folded in
/// ("3 million", "two hundred", "two decades" = 20 years), compound number
/// words joined ("twenty-five"), percentages marked.
pub(super) fn numbers_in(side: &Side, span: Span) -> Vec<Num> {
    let text = side.text;
    let toks = span_tokens(side.analysis, span);
    let mut out = Vec::new();
    let mut k = 0;
    while k < toks.len() {
        let t = &toks[k];
        let raw = raw_lower(text, t.span);
        // "one" is mostly a pronoun ("the next one"); "a dozen" is vague
        let Ok(mut value) = t.norm.parse::<f64>() else {
            k += 1;
            continue;
        };
        if t.kind != TokenKind::Number || lang::NOT_FIGURES.contains(&raw.as_str()) {
            k += 1;
            continue;
        }
        let mut last = k;
        let mut scaled = false;
        let decimals = raw.split_once('.').map_or(0, |(_, d)| {
            d.chars().take_while(|c| c.is_ascii_digit()).count() as u32
        });
        // "twenty-five"
        if is_word_number(&raw) && (20.0..=90.0).contains(&value) && value % 10.0 == 0.0 {
            if let Some(n) = toks.get(k + 1) {
                let nraw = raw_lower(text, n.span);
                let unit: f64 = n.norm.parse().unwrap_or(0.0);
                if n.kind == TokenKind::Number
                    && is_word_number(&nraw)
                    && (1.0..=9.0).contains(&unit)
                    && text[t.span.end..n.span.start].trim() == "-"
                {
                    value += unit;
                    last = k + 1;
                }
            }
        }
        if let Some(next) = toks.get(last + 1) {
            let scale = lang::scale_word(&raw_lower(text, next.span)).unwrap_or(1.0);
            if scale > 1.0 && text[toks[last].span.end..next.span.start].trim().is_empty() {
                value *= scale;
                scaled = scale >= 1e3;
                last += 1;
            }
        }
        let end = toks[last].span.end;
        // (only the next few characters matter: "%", "percent", "per cent")
        let rest: String = text[end..span.end]
            .trim_start()
            .chars()
            .take(8)
            .flat_map(char::to_lowercase)
            .collect();
        let percent = lang::PERCENT_MARKS.iter().any(|m| rest.starts_with(m));
        // what it counts: the next content word, unless another number
        // comes first
        let unit = toks[last + 1..]
            .iter()
            .take(3)
            .take_while(|x| x.kind == TokenKind::Word)
            .find(|x| !x.stop)
            .map(|x| x.stem.clone());
        let prev = (k > 0 && toks[k - 1].kind == TokenKind::Word && !toks[k - 1].stop)
            .then(|| toks[k - 1].stem.clone());
        out.push(Num {
            value,
            scaled,
            decimals,
            percent,
            span: Span::new(t.span.start, end),
            unit,
            prev,
        });
        k = last + 1;
    }
    out
}

/// A number as written, for a finding's detail line.
fn fmt_num(text: &str, n: &Num) -> String {
    clip(&text[n.span.start..n.span.end], 30)
}

/// Whether two numbers state the same value (both percentages or
/// neither).
pub(super) fn same_num(a: &Num, b: &Num) -> bool {
    (a.value - b.value).abs() < 1e-9 * a.value.abs().max(1.0) && a.percent == b.percent
}

/// Whether two differing numbers state the same value at another
/// precision or with a scale one side leaves out: "22.25" / "22.3",
/// "170" / "170 million" (the wire's "170 mln" is the same).
fn same_value_loosely(a: &Num, b: &Num) -> bool {
    let close = |x: f64, y: f64| (x - y).abs() < 1e-9 * x.abs().max(1.0);
    if a.scaled != b.scaled {
        let (plain, big) = if a.scaled { (b, a) } else { (a, b) };
        if [1e3, 1e6, 1e9, 1e12]
            .iter()
            .any(|m| close(plain.value * m, big.value))
        {
            return true;
        }
    }
    // rounding: the less precise side is the other rounded to its digits
    let (fine, coarse) = if a.decimals >= b.decimals {
        (a, b)
    } else {
        (b, a)
    };
    if fine.decimals > coarse.decimals && coarse.value != 0.0 {
        let unit = 10f64.powi(-(coarse.decimals as i32));
        let scale = if coarse.scaled && fine.scaled {
            // "1.25 billion" / "1.3 billion": compare in the scale's units
            [1e3, 1e6, 1e9, 1e12]
                .into_iter()
                .rev()
                .find(|m| coarse.value.abs() >= *m)
                .unwrap_or(1.0)
        } else {
            1.0
        };
        return (fine.value / scale - coarse.value / scale).abs() <= unit / 2.0 + 1e-9;
    }
    false
}

/// Whether two equal figures may be the same mention: they count the same
/// thing, or one of them says nothing about what it counts.
fn comparable(a: &Num, b: &Num) -> bool {
    let known = |n: &Num| n.unit.is_some() || n.prev.is_some();
    !known(a) || !known(b) || same_context(a, b)
}

/// Whether two numbers count the same thing: same word after them, or the
/// same word before them ("March 3" / "March 13").
fn same_context(a: &Num, b: &Num) -> bool {
    (a.unit.is_some() && a.unit == b.unit) || (a.prev.is_some() && a.prev == b.prev)
}

/// The changed numbers of one aligned link: pairs (source number, suspect
/// number). A single value lost against a single value gained is a pair;
/// with several, values are paired through what they count, and only where
/// that pairing is unambiguous.
fn changed_numbers<'a>(sn: &'a [Num], qn: &'a [Num], sim: f32) -> Vec<(&'a Num, &'a Num)> {
    let lost: Vec<&Num> = sn
        .iter()
        .filter(|a| !qn.iter().any(|b| same_num(a, b)))
        .collect();
    let new: Vec<&Num> = qn
        .iter()
        .filter(|b| !sn.iter().any(|a| same_num(a, b)))
        .collect();
    let mut out = Vec::new();
    if lost.len() == 1 && new.len() == 1 {
        let (a, b) = (lost[0], new[0]);
        // a loosely aligned pair needs the numbers to count the same thing
        if sim >= 0.3 || (sim >= 0.15 && same_context(a, b)) {
            out.push((a, b));
        }
        return out;
    }
    if sim < 0.3 {
        return out;
    }
    for a in &lost {
        let Some(unit) = &a.unit else { continue };
        let ours: Vec<&&Num> = lost
            .iter()
            .filter(|x| x.unit.as_ref() == Some(unit))
            .collect();
        let theirs: Vec<&&Num> = new
            .iter()
            .filter(|x| x.unit.as_ref() == Some(unit))
            .collect();
        if ours.len() == 1 && theirs.len() == 1 {
            out.push((*a, *theirs[0]));
        }
    }
    out
}

/// Whether one side of a change is arithmetic on the other and a value
/// both sides keep: "rose from 120 to 150" told as "gained 30, reaching
/// 150" is no change.
fn derived(a: &Num, b: &Num, sn: &[Num], qn: &[Num]) -> bool {
    let close = |x: f64, v: f64| (x - v).abs() < 1e-9 * v.abs().max(1.0);
    sn.iter()
        .filter(|y| qn.iter().any(|z| same_num(y, z)))
        .any(|y| {
            close((a.value - y.value).abs(), b.value)
                || close(a.value + y.value, b.value)
                || close((b.value - y.value).abs(), a.value)
                || close(b.value + y.value, a.value)
        })
}

/// Runs the detector: a `number_changed` finding for each changed number of
/// each aligned link (see [`changed_numbers`]), in link order; not where one
/// side is the other rounded or rescaled, arithmetic on a kept value, a
/// percentage against a plain number, or a value found elsewhere in the
/// other side's passage (moved, not changed).
pub(super) fn number_findings(
    q: &Side,
    s: &Side,
    passages: &[AlignedPassage],
    links: &[&AlignedLink],
    out: &mut Vec<Finding>,
) {
    // the numbers of each passage, read once
    let mut passage_numbers: Vec<Option<(Vec<Num>, Vec<Num>)>> = vec![None; passages.len()];
    let none = (Vec::new(), Vec::new());
    for l in links {
        let sn = numbers_in(s, l.source_span);
        let qn = numbers_in(q, l.query_span);
        if sn.is_empty() || qn.is_empty() {
            continue;
        }
        let passage = passages
            .iter()
            .position(|p| p.links.iter().any(|x| x.source_span == l.source_span));
        let (p_sn, p_qn) = match passage {
            Some(k) => &*passage_numbers[k].get_or_insert_with(|| {
                (
                    numbers_in(s, passages[k].source_span),
                    numbers_in(q, passages[k].query_span),
                )
            }),
            None => &none,
        };
        for (a, b) in changed_numbers(&sn, &qn, l.similarity) {
            if a.percent != b.percent || derived(a, b, &sn, &qn) || same_value_loosely(a, b) {
                continue;
            }
            // a value moved from elsewhere is not a change: the new value
            // must not occur in the source passage, nor the old one in the
            // suspect's
            // (the same figure counting the same thing: "17" elsewhere as
            // "$17 a share" does not explain "April 17" -> "April 27")
            let moved = |x: &Num, y: &Num| same_num(x, y) && comparable(x, y);
            if p_sn.iter().any(|x| moved(x, b)) || p_qn.iter().any(|x| moved(x, a)) {
                continue;
            }
            out.push(Finding {
                kind: kinds::NUMBER_CHANGED,
                source: Some(s.span(a.span)),
                query: Some(q.span(b.span)),
                detail: format!(
                    "source says \"{}\"; the rewrite says \"{}\"",
                    fmt_num(s.text, a),
                    fmt_num(q.text, b)
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::testing::Pair;

    /// The number findings of `q` against `s`, sentence `i` linked with
    /// sentence `i`, all in one passage.
    fn run(q: &str, s: &str) -> (Pair, Vec<Finding>) {
        let p = Pair::new(q, s);
        let passage = crate::evidence::testing::passage(p.diagonal(0.6));
        let links: Vec<&AlignedLink> = passage.links.iter().collect();
        let mut out = Vec::new();
        number_findings(
            &p.q(),
            &p.s(),
            std::slice::from_ref(&passage),
            &links,
            &mut out,
        );
        (p, out)
    }

    /// The values of the numbers of `text`, and whether each is a
    /// percentage.
    fn values(text: &str) -> Vec<(f64, bool)> {
        let p = Pair::new(text, text);
        numbers_in(&p.s(), Span::new(0, text.len()))
            .iter()
            .map(|n| (n.value, n.percent))
            .collect()
    }

    #[test]
    fn numbers_are_read_as_values() {
        assert_eq!(values("seven boats"), [(7.0, false)]);
        assert_eq!(values("twenty-five boats"), [(25.0, false)]);
        assert_eq!(values("$3 million"), [(3e6, false)]);
        assert_eq!(values("15 mln dlrs"), [(15e6, false)]);
        assert_eq!(values("two decades"), [(20.0, false)]);
        assert_eq!(
            values("up 22 pct, or 5 per cent"),
            [(22.0, true), (5.0, true)]
        );
        // "one" is a pronoun, "a dozen" vague
        assert!(values("the next one, a dozen").is_empty());
    }

    #[test]
    fn a_number_changed_is_a_finding() {
        let s = "Sales rose 5 percent to $3 million in March.";
        let q = "Sales rose 7 percent to $3 million in March.";
        let (p, out) = run(q, s);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].kind, kinds::NUMBER_CHANGED);
        assert_eq!(p.s_at(&out[0]), "5");
        assert_eq!(p.q_at(&out[0]), "7");
    }

    #[test]
    fn a_number_reformatted_is_no_change() {
        let s = "Sales rose 5 percent to $3 million in March.";
        let q = "In March, sales climbed five per cent to 3 million dollars.";
        assert!(run(q, s).1.is_empty());
        // the wire's spelling of the same amount
        let q = "Sales rose 5 pct to 3 mln dlrs in March.";
        assert!(run(q, s).1.is_empty());
    }

    #[test]
    fn rounding_and_a_scale_left_out_are_no_change() {
        let s = "The index closed at 22.25 points.";
        assert!(run("The index closed at 22.3 points.", s).1.is_empty());
        assert_eq!(run("The index closed at 22.9 points.", s).1.len(), 1);
        let s = "The bank lent 170 mln dlrs.";
        assert!(run("The bank lent 170 dlrs.", s).1.is_empty());
    }

    #[test]
    fn arithmetic_on_kept_values_is_no_change() {
        let s = "Shares rose from 120 to 150 on Monday.";
        let q = "Shares gained 30 on Monday, reaching 150.";
        assert!(run(q, s).1.is_empty());
    }

    #[test]
    fn several_changes_are_paired_through_what_they_count() {
        let s = "The firm hired 40 engineers and 12 lawyers.";
        let q = "The firm hired 45 engineers and 10 lawyers.";
        let (p, out) = run(q, s);
        let pairs: Vec<(String, String)> = out.iter().map(|f| (p.s_at(f), p.q_at(f))).collect();
        assert_eq!(
            pairs,
            [("40".into(), "45".into()), ("12".into(), "10".into())]
        );
    }

    #[test]
    fn a_value_moved_within_the_passage_is_no_change() {
        let s = "The ship carried 300 tons.\n\nIts crew was 40.";
        let q = "The ship carried 40 tons.\n\nIts crew was 300.";
        assert!(run(q, s).1.is_empty());
    }

    #[test]
    fn a_date_changed_though_its_day_appears_elsewhere_as_a_price() {
        let src = "Harlow Tools shares rose to 17 dlrs on Monday after a rival offered to buy the \
                   maker of machine parts for cash.\n\nThe company urged shareholders to take no \
                   action while its board studies the offer with its advisers.\n\nThe board \
                   will make a recommendation by April 17, the company said in a statement.";
        let sus = "Harlow Tools stock climbed to $17 on Monday after a competitor offered to buy \
                   the machine parts maker for cash.\n\nThe company told shareholders to take no \
                   action while its board reviews the offer with its advisers.\n\nThe board \
                   will make a recommendation by April 27, the company said in a statement.";
        let r = crate::Comparer::new().compare(
            &crate::Document::from_text("q", sus),
            &[crate::Document::from_text("s", src)],
        );
        let f: Vec<_> = r.sources[0]
            .findings
            .iter()
            .filter(|f| f.kind == crate::FindingKind::NumberChanged)
            .collect();
        assert_eq!(f.len(), 1, "{:?}", r.sources[0].findings);
        assert!(
            f[0].detail.contains("April 27") || f[0].detail.contains("27"),
            "{}",
            f[0].detail
        );
    }
}
