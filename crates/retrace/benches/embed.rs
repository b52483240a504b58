//! Criterion benchmark: sentences per second of the embedded static model
//! (tokenise + pool + normalise), one thread. Uses STS-B dev sentences when
//! ../shared/data is present, else the example texts' sentences.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use retrace::embed::{SentenceEmbedder, StaticEmbedder};

fn sentences() -> Vec<String> {
    let root = format!("{}/../..", env!("CARGO_MANIFEST_DIR"));
    if let Ok(t) = std::fs::read_to_string(format!("{root}/../shared/data/stsb/sts-dev.csv")) {
        return t
            .lines()
            .flat_map(|l| {
                let c: Vec<&str> = l.split('\t').collect();
                if c.len() >= 7 {
                    vec![c[5].to_string(), c[6].to_string()]
                } else {
                    vec![]
                }
            })
            .collect();
    }
    let mut out = Vec::new();
    for f in ["article.txt", "rewrite.txt", "unrelated.txt"] {
        let t = std::fs::read_to_string(format!("{root}/examples/{f}")).expect("example");
        let a = retrace::text::Analysis::new(&t);
        out.extend(
            a.sentences
                .iter()
                .map(|s| t[s.span.start..s.span.end].to_string()),
        );
    }
    out
}

fn bench(c: &mut Criterion) {
    let m = StaticEmbedder::embedded().expect("model");
    let s = sentences();
    let refs: Vec<&str> = s.iter().map(String::as_str).collect();
    let mut g = c.benchmark_group("embed");
    g.throughput(Throughput::Elements(refs.len() as u64));
    g.bench_function(
        format!("static model, {} sentences, 1 thread", refs.len()),
        |b| b.iter(|| m.embed(&refs).unwrap()),
    );
    g.bench_function("tokenizers crate only (reference)", |b| {
        b.iter(|| {
            refs.iter()
                .map(|t| m.reference_token_ids(t).len())
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
