//! Choosing the sentence model, and the `embed` and `eval sts` commands.

use std::io::{BufRead, Write};
use std::path::Path;
use std::sync::Arc;

use retrace::embed::{default_embedder, load_model, SentenceEmbedder};
use retrace::Comparer;

use crate::{Failure, ModelArgs};

/// The sentence model the options ask for (`None` for lexical only).
pub fn embedder(m: &ModelArgs) -> Result<Option<Arc<dyn SentenceEmbedder>>, Failure> {
    if m.lexical_only {
        return Ok(None);
    }
    match &m.model {
        Some(dir) => load_model(dir).map(Some).map_err(Failure::input),
        None if !retrace::embed::HAS_EMBEDDED_MODEL => Ok(None),
        None => default_embedder()
            .map(|e| Some(e as Arc<dyn SentenceEmbedder>))
            .map_err(Failure::input),
    }
}

/// A comparer with the model the options ask for.
pub fn comparer(m: &ModelArgs) -> Result<Comparer, Failure> {
    let mut c = Comparer::new();
    if let Some(json) = &m.align_config {
        let cfg: retrace::align::AlignConfig = serde_json::from_str(json)
            .map_err(|e| Failure::input(format!("--align-config: {e}")))?;
        c = c.with_align_config(cfg);
    }
    if let Some(json) = &m.similarity {
        let w: retrace::features::SimilarityWeights =
            serde_json::from_str(json).map_err(|e| Failure::input(format!("--similarity: {e}")))?;
        c = c.with_weights(w);
    }
    Ok(match embedder(m)? {
        Some(e) => c.with_embedder(e),
        None => c,
    })
}

fn model_required(m: &ModelArgs) -> Result<Arc<dyn SentenceEmbedder>, Failure> {
    embedder(m)?
        .ok_or_else(|| Failure::input("this command needs a sentence model; drop --lexical-only"))
}

/// `retrace embed`: one text per line in, one JSON array per line out.
pub fn embed(m: &ModelArgs) -> Result<(), Failure> {
    let model = model_required(m)?;
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut batch: Vec<String> = Vec::new();
    let flush = |batch: &mut Vec<String>, out: &mut dyn Write| -> std::io::Result<()> {
        let refs: Vec<&str> = batch.iter().map(String::as_str).collect();
        for v in model.embed(&refs).map_err(std::io::Error::other)? {
            serde_json::to_writer(&mut *out, &v).map_err(std::io::Error::other)?;
            writeln!(out)?;
        }
        batch.clear();
        Ok(())
    };
    let res = (|| -> std::io::Result<()> {
        for line in stdin.lock().lines() {
            batch.push(line?);
            if batch.len() >= 256 {
                flush(&mut batch, &mut out)?;
            }
        }
        flush(&mut batch, &mut out)?;
        out.flush()
    })();
    match res {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            Err(Failure::input(format!("stdin: {e}")))
        }
        Err(e) => Err(Failure {
            code: 1,
            message: format!("embed: {e}"),
        }),
    }
}

/// `retrace eval sts FILE`: Pearson and Spearman of cosine vs gold.
pub fn eval_sts(file: &Path, json: bool, m: &ModelArgs) -> Result<(), Failure> {
    let model = model_required(m)?;
    let text = std::fs::read_to_string(file)
        .map_err(|e| Failure::input(format!("cannot read {}: {e}", file.display())))?;
    let mut gold = Vec::new();
    let mut a = Vec::new();
    let mut b = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 7 {
            continue;
        }
        let Ok(g) = cols[4].trim().parse::<f64>() else {
            if n == 0 {
                continue; // a header
            }
            return Err(Failure::input(format!(
                "{}:{}: column 5 is not a score",
                file.display(),
                n + 1
            )));
        };
        gold.push(g);
        a.push(cols[5].to_string());
        b.push(cols[6].to_string());
    }
    if gold.is_empty() {
        return Err(Failure::input(format!(
            "{}: no sentence pairs found",
            file.display()
        )));
    }
    let ar: Vec<&str> = a.iter().map(String::as_str).collect();
    let br: Vec<&str> = b.iter().map(String::as_str).collect();
    let ea = model.embed(&ar).map_err(Failure::input)?;
    let eb = model.embed(&br).map_err(Failure::input)?;
    let cos: Vec<f64> = ea
        .iter()
        .zip(&eb)
        .map(|(x, y)| retrace::features::cosine_dense(x, y) as f64)
        .collect();
    let pearson = retrace::eval::stats::pearson(&cos, &gold);
    let spearman = retrace::eval::stats::spearman(&cos, &gold);
    if json {
        println!(
            "{}",
            serde_json::json!({"spearman": spearman, "pearson": pearson, "pairs": gold.len()})
        );
    } else {
        println!(
            "{}: {} pairs, model {}",
            file.display(),
            gold.len(),
            model.id()
        );
        println!("spearman {spearman:.4}");
        println!("pearson  {pearson:.4}");
    }
    Ok(())
}
