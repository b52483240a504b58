//! End-to-end tests of the `retrace` binary: JSON contract, exit codes and
//! every kind of bad input.

use assert_cmd::Command;
use serde_json::Value;

fn example(name: &str) -> String {
    format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn retrace() -> Command {
    Command::cargo_bin("retrace").expect("binary")
}

fn json_of(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("valid JSON")
}

#[test]
fn compare_json_has_the_documented_shape() {
    let out = retrace()
        .args([
            "compare",
            &example("rewrite.txt"),
            &example("unrelated.txt"),
            &example("article.txt"),
            "--json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json_of(&out);
    assert_eq!(v["query"]["id"], example("rewrite.txt"));
    let text = std::fs::read_to_string(example("rewrite.txt")).unwrap();
    assert_eq!(v["query"]["chars"], text.chars().count());
    let sources = v["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 2);
    assert_eq!(sources[0]["id"], example("article.txt"));
    assert!(sources[0]["score"].as_f64().unwrap() >= sources[1]["score"].as_f64().unwrap());
    for key in ["score", "query_coverage", "source_coverage"] {
        assert!(sources[0][key].is_number(), "{key}");
    }
    assert!(sources[0]["findings"].is_array());
    let p = &sources[0]["passages"][0];
    assert_eq!(p["query"].as_array().unwrap().len(), 2);
    assert_eq!(p["source"].as_array().unwrap().len(), 2);
    assert!(p["similarity"].is_number());
    assert!(["verbatim", "near-verbatim", "paraphrase", "summary"]
        .contains(&p["kind"].as_str().unwrap()));
    let l = &p["links"][0];
    assert_eq!(l["query"].as_array().unwrap().len(), 2);
    assert!(l["similarity"].is_number());
}

#[test]
fn terminal_report_is_readable_and_fits() {
    let out = retrace()
        .args([
            "compare",
            &example("rewrite.txt"),
            &example("article.txt"),
            "--width",
            "80",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let s = String::from_utf8(out).unwrap();
    assert!(s.contains("passage 1"));
    assert!(s.contains("SUSPECT"));
    assert!(
        s.lines().all(|l| l.chars().count() <= 80),
        "a line is wider than 80 columns"
    );
}

#[test]
fn stdin_suspect() {
    let text = std::fs::read_to_string(example("rewrite.txt")).unwrap();
    let out = retrace()
        .args(["compare", "-", &example("article.txt"), "--json"])
        .write_stdin(text)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json_of(&out);
    assert_eq!(v["query"]["id"], "-");
    assert!(!v["sources"][0]["passages"].as_array().unwrap().is_empty());
}

#[test]
fn html_source() {
    let out = retrace()
        .args([
            "compare",
            &example("rewrite.txt"),
            &example("article.html"),
            "--json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json_of(&out);
    assert!(v["sources"][0]["query_coverage"].as_f64().unwrap() > 0.8);
}

#[test]
fn binary_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.bin");
    std::fs::write(&p, b"\x00\x01\x02binary\x00stuff").unwrap();
    retrace()
        .args(["compare", p.to_str().unwrap(), &example("article.txt")])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("binary"));
    let p = dir.path().join("x.pdf");
    std::fs::write(&p, b"%PDF-1.7\n%...").unwrap();
    retrace()
        .args(["compare", &example("article.txt"), p.to_str().unwrap()])
        .assert()
        .code(2);
}

#[test]
fn missing_file_and_directory_are_refused() {
    retrace()
        .args(["compare", "/no/such/file.txt", &example("article.txt")])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot read /no/such/file.txt"));
    retrace()
        .args(["compare", &example(""), &example("article.txt")])
        .assert()
        .code(2);
}

#[test]
fn bad_usage_exits_2() {
    retrace()
        .args(["compare", &example("article.txt")])
        .assert()
        .code(2);
    retrace().args(["frobnicate"]).assert().code(2);
    retrace()
        .args([
            "--threads",
            "0",
            "compare",
            &example("rewrite.txt"),
            &example("article.txt"),
        ])
        .assert()
        .code(2);
}

#[test]
fn empty_input_gives_an_empty_report() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("empty.txt");
    std::fs::write(&p, b"").unwrap();
    let out = retrace()
        .args([
            "compare",
            p.to_str().unwrap(),
            &example("article.txt"),
            "--json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json_of(&out);
    assert_eq!(v["query"]["chars"], 0);
    assert!(v["sources"][0]["passages"].as_array().unwrap().is_empty());
    retrace()
        .args(["compare", p.to_str().unwrap(), &example("article.txt")])
        .assert()
        .success();
}

#[test]
fn invalid_utf8_is_read_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("latin1.txt");
    let mut bytes = std::fs::read(example("article.txt")).unwrap();
    bytes.extend_from_slice(b"\nCaf\xe9 owners agreed.\n");
    std::fs::write(&p, bytes).unwrap();
    retrace()
        .args([
            "compare",
            &example("rewrite.txt"),
            p.to_str().unwrap(),
            "--json",
        ])
        .assert()
        .success()
        // ASCII with one Latin-1 byte: read as windows-1252, and said so
        .stderr(predicates::str::contains(
            "not UTF-8; decoded as windows-1252",
        ));
}

#[test]
fn malformed_html_does_not_crash() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.html");
    std::fs::write(
        &p,
        "<html><body><div><p>Unclosed <b>tags <i>everywhere<p>Mayor Dana Okafor spoke.<<>>",
    )
    .unwrap();
    retrace()
        .args([
            "compare",
            &example("rewrite.txt"),
            p.to_str().unwrap(),
            "--json",
        ])
        .assert()
        .success();
}

#[test]
fn threads_option_is_accepted() {
    retrace()
        .args([
            "--threads",
            "1",
            "compare",
            &example("rewrite.txt"),
            &example("article.txt"),
            "--json",
        ])
        .assert()
        .success();
}

#[test]
fn html_report_is_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("report.html");
    let out = retrace()
        .args([
            "compare",
            &example("rewrite.txt"),
            &example("article.txt"),
            &example("unrelated.txt"),
            "--html",
            p.to_str().unwrap(),
            "--json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report = json_of(&out);
    let h = std::fs::read_to_string(&p).unwrap();
    assert!(h.starts_with("<!DOCTYPE html>"));
    // no external requests: no remote URLs, no external scripts or styles
    for bad in ["http://", "https://", "<link", " src=", "@import", "url("] {
        assert!(!h.contains(bad), "report contains {bad}");
    }
    // the data: the same report as --json, with both texts, escaped so that
    // no text can close the script element
    let open = "<script type=\"application/json\" id=\"retrace-data\">";
    let start = h.find(open).expect("data script") + open.len();
    let end = start + h[start..].find("</script>").unwrap();
    let data = &h[start..end];
    assert!(!data.contains('<') && !data.contains('>'));
    let v: serde_json::Value = serde_json::from_str(data).unwrap();
    assert_eq!(v["query"], report["query"]);
    assert_eq!(v["sources"], report["sources"]);
    let text = |name: &str| std::fs::read_to_string(example(name)).unwrap();
    assert_eq!(v["texts"]["query"], text("rewrite.txt"));
    assert_eq!(
        v["texts"]["sources"][example("article.txt")],
        text("article.txt")
    );
    assert_eq!(
        v["texts"]["sources"][example("unrelated.txt")],
        text("unrelated.txt")
    );
    assert!(v["sources"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["kind"] == "attribution_removed"));
    // the renderer and its style are inline
    assert!(h.contains("RetraceReport") && h.contains("mark.passage"));
    // a file that cannot be written is an error
    retrace()
        .args([
            "compare",
            &example("rewrite.txt"),
            &example("article.txt"),
            "--html",
            "/no/such/dir/report.html",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot write"));
}

#[test]
fn compare_gives_every_source_a_verdict_and_filters_by_confidence() {
    let out = retrace()
        .args(["compare", "--json"])
        .args([
            example("rewrite.txt"),
            example("article.txt"),
            example("unrelated.txt"),
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json_of(&out);
    assert_eq!(v["verdict"], "derived");
    assert!(v["verdict_model"].as_str().unwrap().starts_with("verdict-"));
    let sources = v["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 2, "compare reports every source given");
    assert_eq!(sources[0]["verdict"], "derived");
    assert_eq!(sources[1]["verdict"], "related");
    let out = retrace()
        .args(["compare", "--json", "--min-confidence", "0.5"])
        .args([
            example("rewrite.txt"),
            example("article.txt"),
            example("unrelated.txt"),
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json_of(&out);
    assert_eq!(v["sources"].as_array().unwrap().len(), 1);
    // the terminal report opens with the verdict sentence
    let out = retrace()
        .args(["compare", "--width", "100"])
        .args([example("rewrite.txt"), example("article.txt")])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.lines().nth(1).unwrap().starts_with("Derived from "),
        "{text}"
    );
}

#[test]
fn extract_prints_what_is_compared() {
    let tmp = tempfile::tempdir().unwrap();
    let latin1 = tmp.path().join("latin1.txt");
    std::fs::write(
        &latin1,
        b"Le caf\xe9 de la gare a rouvert lundi, et les habitu\xe9s sont revenus.\n",
    )
    .unwrap();
    let out = retrace()
        .args(["extract", "--json"])
        .arg(example("article.html"))
        .arg(&latin1)
        .assert()
        .success()
        .stderr(predicates::str::contains("decoded as windows-1252"))
        .get_output()
        .stdout
        .clone();
    let lines: Vec<Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["format"], "html");
    // the article body: no headline, byline, navigation or related links
    let text = lines[0]["text"].as_str().unwrap();
    assert!(
        text.starts_with("HARBOR CITY, March 12 (Northern Ledger) - The Harbor City council voted"),
        "{text}"
    );
    assert!(
        text.ends_with("trucks will use through the historic district."),
        "{text}"
    );
    for furniture in [
        "Subscribe",
        "By Elena Marsh",
        "Related coverage",
        "Ferry service resumes",
    ] {
        assert!(!text.contains(furniture), "{furniture}: {text}");
    }
    assert!(!text.contains('<'));
    assert_eq!(lines[1]["encoding"], "windows-1252");
    assert!(lines[1]["text"].as_str().unwrap().contains("caf\u{e9}"));
}
