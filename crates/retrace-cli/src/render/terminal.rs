//! The human-readable terminal report: sources ranked, coverage, and the
//! aligned passages side by side, trimmed to the terminal's width.

use std::io::{self, Write};

use retrace::{CharSpan, Document, Report};

/// The terminal's width, or 100 columns when not on a terminal.
pub fn terminal_width() -> usize {
    terminal_size::terminal_size()
        .map(|(w, _)| w.0 as usize)
        .unwrap_or(100)
        .clamp(60, 240)
}

fn slice(chars: &[char], s: CharSpan) -> String {
    let a = s.0.min(chars.len());
    let b = s.1.min(chars.len());
    chars[a..b]
        .iter()
        .map(|&c| {
            if c.is_whitespace() || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
}

/// Word-wraps `text` to `width` columns, at most `max_lines` lines (the last
/// one ends with an ellipsis when text was cut).
fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let wl = word.chars().count();
        let cl = cur.chars().count();
        if cl > 0 && cl + 1 + wl > width {
            lines.push(std::mem::take(&mut cur));
        }
        if wl > width {
            let w: String = word.chars().take(width).collect();
            cur = w;
            continue;
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        let last = lines.last_mut().expect("max_lines > 0");
        let keep: String = last.chars().take(width.saturating_sub(1)).collect();
        *last = format!("{keep}\u{2026}");
    }
    lines
}

fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n >= width {
        s.chars().take(width).collect()
    } else {
        format!("{s}{}", " ".repeat(width - n))
    }
}

/// Writes the report for people; no line is wider than `width`.
pub fn write_report(
    out: &mut impl Write,
    report: &Report,
    suspect: &Document,
    sources: &[Document],
    width: usize,
) -> io::Result<()> {
    let mut buf: Vec<u8> = Vec::new();
    write_body(&mut buf, report, suspect, sources, width)?;
    let text = String::from_utf8_lossy(&buf);
    for line in text.lines() {
        if line.chars().count() > width {
            let cut: String = line.chars().take(width.saturating_sub(1)).collect();
            writeln!(out, "{cut}\u{2026}")?;
        } else {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

fn write_body(
    out: &mut impl Write,
    report: &Report,
    suspect: &Document,
    sources: &[Document],
    width: usize,
) -> io::Result<()> {
    let qchars: Vec<char> = suspect.text.chars().collect();
    writeln!(
        out,
        "suspect: {} ({} characters)",
        report.query.id, report.query.chars
    )?;
    if report.query.chars == 0 {
        writeln!(out, "the suspect is empty: nothing to align")?;
        return Ok(());
    }
    for line in wrap(&report.headline, width.max(20), usize::MAX) {
        writeln!(out, "{line}")?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "  rank  verdict  confidence  score  suspect covered  source covered  passages  source"
    )?;
    for (i, s) in report.sources.iter().enumerate() {
        writeln!(
            out,
            "  {:>4}  {:<7}  {:>10.2}  {:>5.2}  {:>14.1}%  {:>13.1}%  {:>8}  {}",
            i + 1,
            s.verdict.as_str(),
            s.confidence,
            s.score,
            s.query_coverage * 100.0,
            s.source_coverage * 100.0,
            s.passages.len(),
            s.id
        )?;
    }
    let col = (width.saturating_sub(7)) / 2;
    for s in &report.sources {
        if s.passages.is_empty() {
            continue;
        }
        let Some(doc) = sources.iter().find(|d| d.id == s.id) else {
            continue;
        };
        let schars: Vec<char> = doc.text.chars().collect();
        writeln!(out)?;
        writeln!(out, "{}", "=".repeat(width.min(200)))?;
        writeln!(
            out,
            "source: {}  score {:.2}, {:.0}% of the suspect, {:.0}% of the source",
            s.id,
            s.score,
            s.query_coverage * 100.0,
            s.source_coverage * 100.0
        )?;
        for (pi, p) in s.passages.iter().enumerate() {
            writeln!(out)?;
            writeln!(
                out,
                "passage {}: {} (similarity {:.2})  suspect [{}, {})  source [{}, {})",
                pi + 1,
                p.kind.as_str(),
                p.similarity,
                p.query.0,
                p.query.1,
                p.source.0,
                p.source.1
            )?;
            writeln!(out, "  {} | SOURCE", pad("SUSPECT", col))?;
            for l in &p.links {
                let left = wrap(&slice(&qchars, l.query), col, 4);
                let right = wrap(&slice(&schars, l.source), col, 4);
                let n = left.len().max(right.len());
                writeln!(
                    out,
                    "  {}-+-{}",
                    "-".repeat(col),
                    "-".repeat(col.min(width.saturating_sub(col + 5)))
                )?;
                for k in 0..n {
                    let a = left.get(k).map(String::as_str).unwrap_or("");
                    let b = right.get(k).map(String::as_str).unwrap_or("");
                    writeln!(out, "  {} | {}", pad(a, col), b)?;
                }
            }
        }
        if !s.findings.is_empty() {
            writeln!(out)?;
            writeln!(out, "findings:")?;
            for f in &s.findings {
                writeln!(out, "  - {}: {}", f.kind, f.detail)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_limits_lines_and_width() {
        let t = "one two three four five six seven eight nine ten eleven twelve";
        let w = wrap(t, 10, 3);
        assert_eq!(w.len(), 3);
        assert!(w.iter().all(|l| l.chars().count() <= 10));
        assert!(w[2].ends_with('\u{2026}'));
    }
}
