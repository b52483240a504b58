//! Prints the text retrace extracts from an input file (e.g. HTML).
//! Usage: cargo run --example extract -- FILE
fn main() {
    let path = std::env::args().nth(1).expect("usage: extract FILE");
    match retrace::Document::from_path(std::path::Path::new(&path)) {
        Ok(d) => {
            println!("{}", d.text);
            eprintln!("{} anchors", d.html_anchors.len());
        }
        Err(e) => eprintln!("error: {e}"),
    }
}
