//! `retrace eval evidence FILE...`: findings precision and recall per kind
//! on labelled rewrites (see `retrace::eval::evidence`).

use std::io::Write;
use std::path::PathBuf;

use retrace::eval::evidence::{evaluate, load_cases, EvidenceSummary};
use retrace::eval::reuters::Reuters;
use retrace::Comparer;

use crate::Failure;

/// Runs `eval evidence`.
pub fn run(
    files: &[PathBuf],
    reuters: Option<&PathBuf>,
    json: bool,
    verbose: bool,
    comparer: &Comparer,
) -> Result<(), Failure> {
    let reuters = match reuters {
        Some(dir) => Some(Reuters::open(dir).map_err(Failure::input)?),
        None => None,
    };
    let mut cases = Vec::new();
    for f in files {
        cases.extend(load_cases(f, reuters.as_ref()).map_err(Failure::input)?);
    }
    let summary = evaluate(&cases, comparer);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let res = if json {
        serde_json::to_writer(&mut out, &summary)
            .map_err(std::io::Error::other)
            .and_then(|_| writeln!(out))
    } else {
        table(&mut out, &summary, verbose)
    };
    res.map_err(|e| Failure {
        code: 1,
        message: format!("cannot write output: {e}"),
    })
}

fn table(out: &mut dyn Write, s: &EvidenceSummary, verbose: bool) -> std::io::Result<()> {
    writeln!(out, "{} cases", s.cases)?;
    writeln!(
        out,
        "{:<20} {:>4} {:>4} {:>4} {:>9} {:>7}",
        "kind", "TP", "FP", "FN", "precision", "recall"
    )?;
    for (k, c) in s
        .kinds
        .iter()
        .chain(std::iter::once((&"all".to_string(), &s.all)))
    {
        writeln!(
            out,
            "{:<20} {:>4} {:>4} {:>4} {:>9.3} {:>7.3}",
            k, c.tp, c.fp, c.fn_, c.precision, c.recall
        )?;
    }
    if verbose {
        for l in &s.log {
            writeln!(out, "{l}")?;
        }
    }
    Ok(())
}
