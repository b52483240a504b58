//! Prints the findings of comparing SUSPECT with SOURCE (lexical similarity).
//! Usage: cargo run --example findings -- SUSPECT SOURCE
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let q = retrace::Document::from_path(std::path::Path::new(&a[1])).expect("suspect");
    let s = retrace::Document::from_path(std::path::Path::new(&a[2])).expect("source");
    let r = retrace::Comparer::new().compare(&q, &[s]);
    for f in &r.sources[0].findings {
        println!(
            "{:<20} q={:?} s={:?}\n    {}",
            f.kind, f.query, f.source, f.detail
        );
    }
}
