//! `retrace eval pairs FILE`: the verdict on labelled (suspect, source)
//! pairs: precision, recall, ROC-AUC and the reliability table.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use rayon::prelude::*;
use retrace::eval::pairs::{summarize, PairsSummary, ScoredPair};
use retrace::{Comparer, Document};

use crate::Failure;

/// Options of `eval pairs`.
pub struct PairsOptions {
    pub file: PathBuf,
    pub index: Option<PathBuf>,
    pub json: bool,
    pub features_out: Option<PathBuf>,
    pub verdict_model: Option<PathBuf>,
    /// The sentence model the index was built with (for `--index`).
    pub embedder: Option<std::sync::Arc<dyn retrace::embed::SentenceEmbedder>>,
}

struct Pair {
    id: String,
    group: String,
    suspect: String,
    source: String,
    derived: bool,
}

fn read_pairs(o: &PairsOptions) -> Result<Vec<Pair>, Failure> {
    let f = std::fs::File::open(&o.file)
        .map_err(|e| Failure::input(format!("cannot read {}: {e}", o.file.display())))?;
    let index = match &o.index {
        Some(dir) => {
            Some(retrace::index::Index::open(dir, o.embedder.clone()).map_err(Failure::input)?)
        }
        None => None,
    };
    let mut out = Vec::new();
    for (n, line) in std::io::BufReader::new(f).lines().enumerate() {
        let at = format!("{}:{}", o.file.display(), n + 1);
        let line = line.map_err(|e| Failure::input(format!("{at}: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| Failure::input(format!("{at}: {e}")))?;
        let text = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        let suspect =
            text("suspect").ok_or_else(|| Failure::input(format!("{at}: no \"suspect\" text")))?;
        let source = match (text("source"), text("source_id"), &index) {
            (Some(s), _, _) => s,
            (None, Some(id), Some(ix)) => {
                ix.document(&id)
                    .map_err(Failure::input)?
                    .ok_or_else(|| {
                        Failure::input(format!("{at}: no document {id:?} in the index"))
                    })?
                    .text
            }
            (None, Some(_), None) => {
                return Err(Failure::input(format!(
                    "{at}: \"source_id\" needs --index DIR"
                )))
            }
            _ => {
                return Err(Failure::input(format!(
                    "{at}: no \"source\" text or \"source_id\""
                )))
            }
        };
        let derived = match text("label").as_deref() {
            Some("derived") => true,
            Some("related") => false,
            other => {
                return Err(Failure::input(format!(
                    "{at}: \"label\" must be \"derived\" or \"related\", not {other:?}"
                )))
            }
        };
        out.push(Pair {
            id: text("id").unwrap_or_else(|| format!("line-{}", n + 1)),
            group: text("group").unwrap_or_default(),
            suspect,
            source,
            derived,
        });
    }
    if out.is_empty() {
        return Err(Failure::input(format!("{}: no pairs", o.file.display())));
    }
    Ok(out)
}

/// Runs `eval pairs`.
pub fn run(o: PairsOptions, comparer: &Comparer) -> Result<(), Failure> {
    let comparer = match &o.verdict_model {
        Some(p) => {
            let json = std::fs::read_to_string(p)
                .map_err(|e| Failure::input(format!("cannot read {}: {e}", p.display())))?;
            let m = retrace::verdict::VerdictModel::from_json(&json).map_err(Failure::input)?;
            comparer.clone().with_verdict_model(m)
        }
        None => comparer.clone(),
    };
    let pairs = read_pairs(&o)?;
    let results: Vec<(ScoredPair, Vec<f32>)> = pairs
        .par_iter()
        .map(|p| {
            let q = Document::from_text("suspect", p.suspect.clone());
            let s = Document::from_text("source", p.source.clone());
            let r = comparer.compare(&q, &[s]);
            let src = &r.sources[0];
            (
                ScoredPair {
                    confidence: src.confidence,
                    predicted: src.verdict == retrace::Verdict::Derived,
                    derived: p.derived,
                },
                src.verdict_features.clone(),
            )
        })
        .collect();
    if let Some(path) = &o.features_out {
        let mut f = std::io::BufWriter::new(
            std::fs::File::create(path)
                .map_err(|e| Failure::input(format!("cannot write {}: {e}", path.display())))?,
        );
        for (p, (s, feats)) in pairs.iter().zip(&results) {
            let line = serde_json::json!({
                "id": p.id, "group": p.group,
                "label": if p.derived { "derived" } else { "related" },
                "confidence": s.confidence, "features": feats,
            });
            writeln!(f, "{line}")
                .map_err(|e| Failure::input(format!("{}: {e}", path.display())))?;
        }
    }
    let scored: Vec<ScoredPair> = results.iter().map(|r| r.0).collect();
    let summary = summarize(&scored);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let res = if o.json {
        serde_json::to_writer(&mut out, &summary)
            .map_err(std::io::Error::other)
            .and_then(|_| writeln!(out))
    } else {
        write_table(
            &mut out,
            &summary,
            comparer.verdict_model().version.as_str(),
        )
    };
    res.map_err(|e| Failure {
        code: 1,
        message: format!("cannot write output: {e}"),
    })
}

fn write_table(out: &mut dyn Write, s: &PairsSummary, model: &str) -> std::io::Result<()> {
    writeln!(
        out,
        "verdict model {model}: {} pairs ({} derived, {} related)",
        s.pairs, s.positives, s.negatives
    )?;
    writeln!(
        out,
        "precision {:.3}  recall {:.3}  ROC-AUC {:.3}  ECE {:.3}  (tp {}, fp {}, fn {})",
        s.precision,
        s.recall,
        s.roc_auc,
        s.ece,
        s.true_positives,
        s.false_positives,
        s.false_negatives
    )?;
    writeln!(out, "confidence   pairs  derived  share  mean conf")?;
    for b in &s.reliability {
        let f = |x: Option<f32>| x.map_or("   -".to_string(), |v| format!("{v:.2}"));
        writeln!(
            out,
            "{:.1}-{:.1}   {:>6}  {:>7}  {:>5}  {:>9}",
            b.lo,
            b.hi,
            b.pairs,
            b.derived,
            f(b.share_derived),
            f(b.mean_confidence)
        )?;
    }
    Ok(())
}
