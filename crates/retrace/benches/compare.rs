//! Criterion benchmark: the whole compare of two ~5 KB news articles
//! (analysis, features, alignment, evidence, report), lexical similarity,
//! one thread; and the same without the evidence stage (what findings
//! cost is the difference).

use criterion::{criterion_group, criterion_main, Criterion};
use retrace::{Comparer, Document};

fn texts() -> (String, String) {
    let ex = |n: &str| {
        std::fs::read_to_string(format!("{}/../../examples/{n}", env!("CARGO_MANIFEST_DIR")))
            .expect("example")
    };
    let data = |n: &str| {
        std::fs::read_to_string(format!("{}/tests/data/{n}", env!("CARGO_MANIFEST_DIR")))
            .expect("test data")
    };
    let source = format!(
        "{}\n\n{}\n\n{}\n\n{}",
        ex("article.txt"),
        data("battery_source.txt"),
        ex("unrelated.txt"),
        data("battery_rewrite.txt")
    );
    let suspect = format!(
        "{}\n\n{}\n\n{}\n\n{}",
        ex("rewrite.txt"),
        data("battery_rewrite.txt"),
        ex("unrelated.txt"),
        data("battery_source.txt")
    );
    (suspect, source)
}

fn bench(c: &mut Criterion) {
    let (q, s) = texts();
    let name = format!("compare {} B suspect vs {} B source", q.len(), s.len());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    let comparer = Comparer::new();
    let (qd, sd) = (Document::from_text("q", q), Document::from_text("s", s));
    c.bench_function(&name, |b| {
        b.iter(|| pool.install(|| comparer.compare(&qd, std::slice::from_ref(&sd))))
    });
    let bare = Comparer::new().with_findings(false);
    c.bench_function(&format!("{name}, without evidence"), |b| {
        b.iter(|| pool.install(|| bare.compare(&qd, std::slice::from_ref(&sd))))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
