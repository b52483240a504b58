//! Prints, for each suspect sentence, its best-scoring source sentences.
//! Usage: cargo run --example pair_scores -- SUSPECT SOURCE
use retrace::features::{sentence_terms, PairSimilarity, SimilarityWeights, Vocab};
use retrace::text::Analysis;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let q = std::fs::read_to_string(&args[1]).expect("suspect");
    let s = std::fs::read_to_string(&args[2]).expect("source");
    let (qa, sa) = (Analysis::new(&q), Analysis::new(&s));
    let mut v = Vocab::default();
    let (qt, st) = (sentence_terms(&qa, &mut v), sentence_terms(&sa, &mut v));
    let sim = PairSimilarity::new(&qt, &st, SimilarityWeights::default());
    for (i, qs) in qa.sentences.iter().enumerate() {
        let mut best: Vec<(usize, f32)> = (0..sa.sentences.len())
            .map(|j| (j, sim.score(i..i + 1, j..j + 1)))
            .collect();
        best.sort_by(|a, b| b.1.total_cmp(&a.1));
        let text: String = q[qs.span.start..qs.span.end].chars().take(70).collect();
        let tops: Vec<String> = best
            .iter()
            .take(3)
            .map(|(j, s)| format!("{j}:{s:.2}"))
            .collect();
        println!("q{i:>3} [{}] {text}", tops.join(" "));
    }
}
