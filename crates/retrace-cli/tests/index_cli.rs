//! End-to-end tests of `retrace index`, `retrace check` and `retrace stats`:
//! every input format, replace/delete/duplicate, bad inputs, the JSON
//! contract (the same report as `compare`), refusals, and a writer killed
//! mid-run while readers check.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

fn example(name: &str) -> String {
    format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn retrace() -> Command {
    Command::cargo_bin("retrace").expect("binary")
}

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("retrace")
}

fn stats(dir: &Path) -> Value {
    let out = retrace()
        .args(["stats", "--json", "--index"])
        .arg(dir)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("stats JSON")
}

/// A JSON Lines record per distractor document, made of varied sentences.
fn distractor_jsonl(n: usize, seed: u64, bytes_each: usize) -> String {
    const WORDS: &[&str] = &[
        "council",
        "budget",
        "harbor",
        "rain",
        "orchard",
        "bridge",
        "school",
        "tax",
        "river",
        "market",
        "factory",
        "election",
        "museum",
        "railway",
        "hospital",
        "festival",
        "drought",
        "mayor",
        "union",
        "contract",
        "tariff",
        "vaccine",
        "satellite",
        "library",
        "stadium",
    ];
    let mut x = seed;
    let mut next = |m: usize| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((x >> 33) as usize) % m
    };
    let mut out = String::new();
    for i in 0..n {
        let mut t = String::new();
        while t.len() < bytes_each {
            t.push_str(&format!(
                "The {} {} said the {} would cost {} million dollars by {}. ",
                WORDS[next(WORDS.len())],
                WORDS[next(WORDS.len())],
                WORDS[next(WORDS.len())],
                1 + next(500),
                1990 + next(35)
            ));
        }
        out.push_str(
            &serde_json::json!({"id": format!("doc-{i:05}"), "text": t, "n": i}).to_string(),
        );
        out.push('\n');
    }
    out
}

const PLAIN: &str =
    "The harbor wall was rebuilt in 1998 after a storm. Engineers raised it by two meters. \
                     The work cost 14 million dollars and took three years.";
const NESTED: &str =
    "The railway reopened the northern line on Sunday. Trains now run every twenty minutes. \
                      Passenger groups welcomed the change but asked for lower fares.";
const J1: &str = "The museum bought a painting by a local artist for 2 million dollars. \
                  It will hang in the east wing from May. Critics praised the purchase.";
const J2: &str = "The stadium will host the final in June. Tickets sold out within an hour. \
                  Organisers expect 60,000 fans and heavy traffic near the river.";
const S1: &str = "A new vaccine cut infections by 80 percent in a trial of 4,000 adults. \
                  Regulators will review the data this autumn. The maker plans a plant in Ohio.";
const DRAFT: &str = "The tariff on imported steel rises to 25 percent next year. \
                     Car makers warned of higher prices. The ministry said the rule protects jobs.";
const MD: &str = "Growers in the valley picked a record apple crop this autumn. \
                  Drip irrigation helped the trees through the dry summer. Prices fell by 15 percent.";

#[test]
fn index_reads_every_input_format() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let corpus = root.join("corpus");
    std::fs::create_dir_all(corpus.join("sub")).unwrap();
    std::fs::create_dir_all(corpus.join("drafts")).unwrap();
    std::fs::write(corpus.join("a.txt"), PLAIN).unwrap();
    std::fs::write(corpus.join("b.md"), format!("# Heading\n\n{MD}")).unwrap();
    std::fs::copy(example("article.html"), corpus.join("c.html")).unwrap();
    std::fs::write(corpus.join("sub/d.txt"), NESTED).unwrap();
    std::fs::write(corpus.join("drafts/e.txt"), DRAFT).unwrap();
    std::fs::write(corpus.join("notes.log"), "Not a known text extension.").unwrap();
    std::fs::write(
        root.join("data.jsonl"),
        format!(
            "{}\n{}\n",
            serde_json::json!({"id": "j1", "text": J1, "url": "https://a"}),
            serde_json::json!({"id": "j2", "text": J2})
        ),
    )
    .unwrap();
    let out = retrace()
        .current_dir(root)
        .args([
            "index",
            "--index",
            "ix",
            "corpus",
            "--exclude",
            "drafts/**",
            "data.jsonl",
            "-",
        ])
        .write_stdin(format!("{}\n", serde_json::json!({"id": "s1", "text": S1})))
        .assert()
        .success()
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    // the summary line: documents, MB, seconds, MB/s
    assert!(err.contains("indexed 7 documents"), "{err}");
    assert!(err.contains("MB/s"), "{err}");
    assert!(out.stdout.is_empty());
    let s = stats(&root.join("ix"));
    assert_eq!(s["documents"], 7, "{s}");
    assert_eq!(s["duplicates"], 0);
    assert_eq!(s["format_version"], 1);
    assert_eq!(s["model"]["id"], "retrace-static-v1");
    assert!(s["disk_bytes"].as_u64().unwrap() > 0);

    // ids: the JSONL id, or the path as given
    let check = |suspect: &str| -> Value {
        let out = retrace()
            .current_dir(root)
            .args(["check", "--index", "ix", "-", "--jsonl"])
            .write_stdin(format!(
                "{}\n",
                serde_json::json!({"id": "q", "text": suspect})
            ))
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out).unwrap()
    };
    assert_eq!(check(PLAIN)["sources"][0]["id"], "corpus/a.txt");
    assert_eq!(check(NESTED)["sources"][0]["id"], "corpus/sub/d.txt");
    assert_eq!(check(J1)["sources"][0]["id"], "j1");
    assert_eq!(check(S1)["sources"][0]["id"], "s1");
    let html = std::fs::read_to_string(example("article.txt")).unwrap();
    assert_eq!(check(&html)["sources"][0]["id"], "corpus/c.html");
    assert!(check(DRAFT)["sources"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["id"] != "corpus/drafts/e.txt"));

    // --include picks files by glob
    retrace()
        .current_dir(root)
        .args(["index", "--index", "ix2", "corpus", "--include", "*.md"])
        .assert()
        .success();
    assert_eq!(stats(&root.join("ix2"))["documents"], 1);
}

#[test]
fn replace_duplicate_delete() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(
        root.join("a.txt"),
        "The first text, about harbors and walls.",
    )
    .unwrap();
    std::fs::write(
        root.join("copy.txt"),
        "The first text, about harbors and walls.",
    )
    .unwrap();
    let run = |args: &[&str]| -> String {
        let out = retrace()
            .current_dir(root)
            .args(args)
            .assert()
            .success()
            .get_output()
            .clone();
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let e = run(&["index", "--index", "ix", "a.txt", "copy.txt"]);
    assert!(e.contains("1 added") && e.contains("1 duplicates"), "{e}");
    let s = stats(&root.join("ix"));
    assert_eq!(
        (s["documents"].as_u64(), s["duplicates"].as_u64()),
        (Some(1), Some(1))
    );
    let e = run(&["index", "--index", "ix", "a.txt"]);
    assert!(e.contains("1 unchanged"), "{e}");
    std::fs::write(root.join("a.txt"), "A new text about orchards instead.").unwrap();
    let e = run(&["index", "--index", "ix", "a.txt"]);
    assert!(e.contains("1 replaced"), "{e}");
    let s = stats(&root.join("ix"));
    assert_eq!(
        (s["documents"].as_u64(), s["duplicates"].as_u64()),
        (Some(2), Some(0))
    );
    let e = run(&["index", "--index", "ix", "--delete", "a.txt", "nope"]);
    assert!(e.contains("deleted 1") && e.contains("\"nope\""), "{e}");
    assert_eq!(stats(&root.join("ix"))["documents"], 1);
}

#[test]
fn bad_inputs_are_reported_and_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("good.txt"), "A good text about bridges.").unwrap();
    std::fs::write(root.join("bin.txt"), b"\x7fELF\x02\x01\x01\0\0\0\0\0").unwrap();
    std::fs::write(
        root.join("d.jsonl"),
        "{\"id\": \"ok\", \"text\": \"Fine line.\"}\n{\"id\": \"broken\", \"text\": \n{\"text\": \"no id\"}\n",
    )
    .unwrap();
    let out = retrace()
        .current_dir(root)
        .args([
            "index",
            "--index",
            "ix",
            "good.txt",
            "bin.txt",
            "d.jsonl",
            "missing.txt",
        ])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bin.txt") && err.contains("binary"), "{err}");
    assert!(err.contains("d.jsonl:2: invalid JSON"), "{err}");
    assert!(err.contains("d.jsonl:3: missing \"id\""), "{err}");
    assert!(err.contains("missing.txt"), "{err}");
    assert!(err.contains("4 skipped"), "{err}");
    // the good documents are in, and the index is whole
    assert_eq!(stats(&root.join("ix"))["documents"], 2);
}

#[test]
fn check_gives_the_compare_report() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("d.jsonl"), distractor_jsonl(150, 3, 1500)).unwrap();
    retrace()
        .args(["index", "--index"])
        .arg(root.join("ix"))
        .arg(root.join("d.jsonl"))
        .args([example("article.txt"), example("unrelated.txt")])
        .assert()
        .success();
    let json = |args: &[String]| -> Value {
        let out = retrace()
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out).unwrap()
    };
    let ix = root.join("ix").display().to_string();
    let checked = json(&[
        "check".into(),
        "--index".into(),
        ix.clone(),
        example("rewrite.txt"),
        "--json".into(),
    ]);
    let compared = json(&[
        "compare".into(),
        example("rewrite.txt"),
        example("article.txt"),
        example("unrelated.txt"),
        "--json".into(),
    ]);
    assert_eq!(checked["query"], compared["query"]);
    assert_eq!(checked["sources"][0]["id"], example("article.txt"));
    assert_eq!(checked["sources"][0], compared["sources"][0]);
    let n = checked["sources"].as_array().unwrap().len();
    assert!((1..=5).contains(&n));
    assert!(checked["sources"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| !s["passages"].as_array().unwrap().is_empty()));

    // --top, --min-score
    let one = json(&[
        "check".into(),
        "--index".into(),
        ix.clone(),
        example("rewrite.txt"),
        "--json".into(),
        "--top".into(),
        "1".into(),
        "--min-score".into(),
        "0.3".into(),
    ]);
    assert_eq!(one["sources"].as_array().unwrap().len(), 1);

    // several suspects: one report per line
    let out = retrace()
        .args(["check", "--index", &ix, "--jsonl"])
        .args([example("rewrite.txt"), example("unrelated.txt")])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines: Vec<Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["sources"][0], compared["sources"][0]);
    assert_eq!(lines[1]["sources"][0]["id"], example("unrelated.txt"));
    // --json with several suspects is refused
    retrace()
        .args(["check", "--index", &ix, "--json"])
        .args([example("rewrite.txt"), example("unrelated.txt")])
        .assert()
        .code(2);
    // JSON Lines suspects on stdin, streamed out
    let rewrite = std::fs::read_to_string(example("rewrite.txt")).unwrap();
    let out = retrace()
        .args(["check", "--index", &ix, "-", "--jsonl"])
        .write_stdin(format!(
            "{}\n{}\n",
            serde_json::json!({"id": "r", "text": rewrite}),
            serde_json::json!({"id": "x", "text": "Nothing in common at all."})
        ))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines: Vec<Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["query"]["id"], "r");
    assert_eq!(
        lines[0]["sources"][0]["passages"],
        compared["sources"][0]["passages"]
    );
    assert_eq!(lines[1]["query"]["id"], "x");
    // the terminal report
    let out = retrace()
        .args(["check", "--index", &ix, "--width", "100"])
        .arg(example("rewrite.txt"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("suspect:") && text.contains(&example("article.txt")),
        "{text}"
    );
}

#[test]
fn refusals() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let a = example("article.txt");
    // an index built without a model is not checked with one
    retrace()
        .args(["index", "--lexical-only", "--index"])
        .arg(root.join("lex"))
        .arg(&a)
        .assert()
        .success();
    let out = retrace()
        .args(["check", "--index"])
        .arg(root.join("lex"))
        .arg(&a)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("without a sentence model"), "{err}");
    retrace()
        .args(["check", "--lexical-only", "--index"])
        .arg(root.join("lex"))
        .arg(&a)
        .assert()
        .success();
    // nor extended with one
    retrace()
        .args(["index", "--index"])
        .arg(root.join("lex"))
        .arg(example("unrelated.txt"))
        .assert()
        .code(2);
    // a foreign directory is left alone
    std::fs::create_dir_all(root.join("mine")).unwrap();
    std::fs::write(root.join("mine/notes.txt"), "mine").unwrap();
    let out = retrace()
        .args(["index", "--index"])
        .arg(root.join("mine"))
        .arg(&a)
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a retrace index"));
    assert_eq!(std::fs::read_dir(root.join("mine")).unwrap().count(), 1);
    // an unknown format version
    let m = root.join("lex/retrace-index.json");
    let good = std::fs::read_to_string(&m).unwrap();
    std::fs::write(&m, good.replace("\"version\": 1", "\"version\": 7")).unwrap();
    let out = retrace()
        .args(["stats", "--index"])
        .arg(root.join("lex"))
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("version 7"));
    // a damaged one
    std::fs::write(&m, "{{{").unwrap();
    let out = retrace()
        .args(["check", "--lexical-only", "--index"])
        .arg(root.join("lex"))
        .arg(&a)
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("damaged"));
    // no index at all
    retrace()
        .args(["stats", "--index"])
        .arg(root.join("none"))
        .assert()
        .code(2);
}

/// `retrace index` is killed (SIGKILL) after its first commits while
/// `check` runs against it: the index opens and holds exactly a committed
/// prefix of the input, and indexing again completes it.
#[test]
fn killed_writer_leaves_the_last_commit_and_readers_keep_working() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let n = 800;
    let input = root.join("big.jsonl");
    std::fs::write(&input, distractor_jsonl(n, 9, 1200)).unwrap();
    let ix = root.join("ix");
    let mut child = std::process::Command::new(bin())
        .args(["index", "--commit-mb", "0.05", "--index"])
        .arg(&ix)
        .arg(&input)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // wait for a commit that holds documents, checking meanwhile
    let start = Instant::now();
    let mut checks = 0;
    loop {
        assert!(start.elapsed() < Duration::from_secs(60), "no commit seen");
        if let Ok(meta) = std::fs::read_to_string(ix.join("tantivy/meta.json")) {
            if meta.contains("next_seq") {
                let out = std::process::Command::new(bin())
                    .args(["check", "--jsonl", "--index"])
                    .arg(&ix)
                    .arg(example("rewrite.txt"))
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "check during indexing: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                checks += 1;
                if checks >= 2 {
                    break;
                }
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let s = stats(&ix);
    let committed = s["documents"].as_u64().unwrap() as usize;
    assert!(committed > 0, "{s}");
    // every committed document is whole: indexing the same input again
    // finds exactly the committed ones unchanged and adds the rest
    let out = retrace()
        .args(["index", "--index"])
        .arg(&ix)
        .arg(&input)
        .assert()
        .success()
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    if committed < n {
        assert!(
            err.contains(&format!("{} added", n - committed))
                && err.contains(&format!("{committed} unchanged")),
            "{committed} committed; {err}"
        );
    }
    assert_eq!(stats(&ix)["documents"], n as u64);
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&input)
        .unwrap();
    writeln!(f).unwrap();
}

/// The embedded data of a standalone report.
fn report_data(path: &Path) -> Value {
    let h = std::fs::read_to_string(path).unwrap();
    assert!(h.starts_with("<!DOCTYPE html>"));
    for bad in ["http://", "https://", "<link", " src="] {
        assert!(!h.contains(bad), "report contains {bad}");
    }
    let open = "<script type=\"application/json\" id=\"retrace-data\">";
    let start = h.find(open).expect("data script") + open.len();
    let end = start + h[start..].find("</script>").unwrap();
    serde_json::from_str(&h[start..end]).unwrap()
}

#[test]
fn check_writes_html_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let ix = root.join("ix");
    retrace()
        .args(["index", "--index"])
        .arg(&ix)
        .args([example("article.txt"), example("unrelated.txt")])
        .assert()
        .success();
    // one suspect: FILE itself, the same report as --json, texts from the index
    let page = root.join("report.html");
    let out = retrace()
        .args(["check", "--json", "--index"])
        .arg(&ix)
        .arg(example("rewrite.txt"))
        .arg("--html")
        .arg(&page)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    let v = report_data(&page);
    assert_eq!(v["query"], report["query"]);
    assert_eq!(v["sources"], report["sources"]);
    let text = |name: &str| std::fs::read_to_string(example(name)).unwrap();
    assert_eq!(v["texts"]["query"], text("rewrite.txt"));
    assert_eq!(v["sources"][0]["id"], example("article.txt"));
    assert_eq!(
        v["texts"]["sources"][example("article.txt")],
        text("article.txt")
    );
    for s in v["sources"].as_array().unwrap() {
        assert!(v["texts"]["sources"][s["id"].as_str().unwrap()].is_string());
    }
    // several suspects: one numbered file each, in input order
    retrace()
        .args(["check", "--jsonl", "--index"])
        .arg(&ix)
        .args([example("rewrite.txt"), example("unrelated.txt")])
        .arg("--html")
        .arg(root.join("many.html"))
        .assert()
        .success();
    assert!(!root.join("many.html").exists());
    let first = report_data(&root.join("many-1.html"));
    let second = report_data(&root.join("many-2.html"));
    assert_eq!(first["query"]["id"], example("rewrite.txt"));
    assert_eq!(second["query"]["id"], example("unrelated.txt"));
    assert_eq!(second["texts"]["query"], text("unrelated.txt"));
}

#[test]
fn check_lists_derived_sources_unless_all() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    retrace()
        .args(["index", "--index"])
        .arg(root.join("ix"))
        .args([example("article.txt"), example("unrelated.txt")])
        .assert()
        .success();
    let check = |extra: &[&str]| -> Value {
        let out = retrace()
            .args(["check", "--json", "--index"])
            .arg(root.join("ix"))
            .arg(example("rewrite.txt"))
            .args(extra)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out).unwrap()
    };
    let plain = check(&[]);
    assert_eq!(plain["verdict"], "derived");
    let sources = plain["sources"].as_array().unwrap();
    assert!(!sources.is_empty());
    assert!(sources.iter().all(|s| s["verdict"] == "derived"));
    assert!(plain["headline"]
        .as_str()
        .unwrap()
        .starts_with("Derived from"));
    // a confidence nobody reaches: nothing listed, and the report says so
    let none = check(&["--min-confidence", "1.01"]);
    assert!(none["sources"].as_array().unwrap().is_empty());
    assert_eq!(none["verdict"], "related");
    let all = check(&["--all"]);
    assert!(all["sources"].as_array().unwrap().len() >= sources.len());
}

#[test]
fn eval_pairs_scores_labelled_pairs() {
    let tmp = tempfile::tempdir().unwrap();
    let read = |n: &str| std::fs::read_to_string(example(n)).unwrap();
    let lines = [
        serde_json::json!({"suspect": read("rewrite.txt"), "source": read("article.txt"), "label": "derived"}),
        serde_json::json!({"suspect": read("rewrite.txt"), "source": read("unrelated.txt"), "label": "related"}),
        serde_json::json!({"suspect": read("unrelated.txt"), "source": read("article.txt"), "label": "related"}),
    ];
    let file = tmp.path().join("pairs.jsonl");
    let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&file, body).unwrap();
    let out = retrace()
        .args(["eval", "pairs", "--json"])
        .arg(&file)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["pairs"], 3);
    assert_eq!(v["positives"], 1);
    assert_eq!(v["true_positives"], 1);
    assert_eq!(v["false_positives"], 0);
    assert_eq!(v["roc_auc"], 1.0);
    assert_eq!(v["reliability"].as_array().unwrap().len(), 10);
    // a bad label is one clear error, exit 2
    std::fs::write(
        &file,
        "{\"suspect\": \"a\", \"source\": \"b\", \"label\": \"maybe\"}\n",
    )
    .unwrap();
    retrace()
        .args(["eval", "pairs"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("\"label\" must be"));
}

#[test]
fn strict_stops_at_the_first_bad_record_and_names_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let good = serde_json::json!({"id": "a", "text": "The council approved the budget on Monday after a long debate."});
    let good2 = serde_json::json!({"id": "c", "text": "Farmers planted more corn this spring than in any year since 1987."});
    std::fs::write(
        root.join("in.jsonl"),
        format!("{good}\n{{\"id\": \"b\", \"text\": \n{good2}\n"),
    )
    .unwrap();
    // default: the bad line is skipped (named with its line), the rest indexed, exit 2
    retrace()
        .args(["index", "--index"])
        .arg(root.join("ix"))
        .arg(root.join("in.jsonl"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("in.jsonl:2"));
    assert_eq!(stats(&root.join("ix"))["documents"], 2);
    // --strict: stops at line 2, nothing of the run committed
    retrace()
        .args(["index", "--strict", "--index"])
        .arg(root.join("ix2"))
        .arg(root.join("in.jsonl"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("in.jsonl:2"))
        .stderr(predicates::str::contains("--strict"));
    let out = retrace()
        .args(["stats", "--json", "--index"])
        .arg(root.join("ix2"))
        .output()
        .unwrap();
    if out.status.success() {
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["documents"], 0);
    }
}

// ---- retrace scan -------------------------------------------------------

/// A news item written for these tests, and a rewrite of it in other words
/// (same facts, same order).
const SCAN_SOURCE: &str = "HOLLISTER - Nurses at St. Aldric General Hospital will strike for 48 \
hours from Thursday after talks with the hospital board broke down late on Sunday, the Northern \
Nurses Union said. The union, which represents about 1,350 staff at the hospital, is seeking a \
pay rise of 9 percent over two years and limits on mandatory overtime. The board has offered 4.5 \
percent. \"Our members are exhausted, and patients are paying the price,\" union president Marisol \
Quintero said in a statement. Hospital chief executive Graham Whitcombe said emergency and \
maternity services would stay open, but that about 300 planned operations would be postponed. \
\"We remain ready to return to the table at any hour,\" Whitcombe said. The last strike at St. \
Aldric, in 2017, lasted three days and ended with a 6 percent settlement. Health minister Oluwaseun \
Bright urged both sides to accept independent mediation.";

const SCAN_REWRITE: &str = "The Northern Nurses Union announced that nurses at St. Aldric \
General Hospital will walk out for 48 hours starting Thursday, after negotiations with the board \
collapsed on Sunday night. Representing roughly 1,350 workers at the hospital, the union wants a \
9 percent raise spread over two years as well as a cap on compulsory overtime, while the board \
has put 4.5 percent on the table. \"Our members are exhausted, and patients are paying the \
price,\" Marisol Quintero, the union's president, said in a statement. According to chief \
executive Graham Whitcombe, emergency and maternity care will remain available, although some 300 \
scheduled operations are being pushed back. \"We remain ready to return to the table at any \
hour,\" he added. The hospital's previous strike, in 2017, went on for three days before a 6 \
percent deal was reached. Oluwaseun Bright, the health minister, called on the two sides to agree \
to independent mediation.";

/// JSON Lines of the scan corpus: the source, its rewrite and unrelated
/// items, with the id and text in the given fields.
fn scan_corpus(id_field: &str, text_field: &str) -> String {
    let docs = [
        ("strike-source", SCAN_SOURCE),
        ("plain", PLAIN),
        ("nested", NESTED),
        ("strike-rewrite", SCAN_REWRITE),
        ("j1", J1),
        ("j2", J2),
        ("s1", S1),
        ("draft", DRAFT),
        ("md", MD),
    ];
    docs.iter()
        .map(|(id, text)| {
            let mut o = serde_json::Map::new();
            o.insert(id_field.into(), Value::from(*id));
            o.insert(text_field.into(), Value::from(*text));
            format!("{}\n", Value::Object(o))
        })
        .collect()
}

/// JSON objects, one a line.
fn json_lines(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn is_strike_pair(v: &Value) -> bool {
    let (a, b) = (v["a"].as_str().unwrap(), v["b"].as_str().unwrap());
    matches!(
        (a, b),
        ("strike-source", "strike-rewrite") | ("strike-rewrite", "strike-source")
    )
}

/// `retrace scan` of an index built from JSON Lines: the JSON Lines
/// contract, the table, clusters, the page, and restarts of --out.
#[test]
fn scan_finds_the_rewrite_in_an_index() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("corpus.jsonl"), scan_corpus("id", "text")).unwrap();
    retrace()
        .current_dir(root)
        .args(["index", "--index", "ix", "corpus.jsonl"])
        .assert()
        .success();
    assert_eq!(stats(&root.join("ix"))["documents"], 9);
    let scan = |args: &[&str]| -> std::process::Output {
        retrace()
            .current_dir(root)
            .args(["scan", "--index", "ix"])
            .args(args)
            .assert()
            .success()
            .get_output()
            .clone()
    };

    // --jsonl: one flat object a line, the derived pair among them
    let out = scan(&["--jsonl"]);
    let lines = json_lines(&out.stdout);
    assert!(
        !lines.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for v in &lines {
        for k in [
            "a",
            "b",
            "score",
            "verdict",
            "confidence",
            "passages",
            "findings",
        ] {
            assert!(v.get(k).is_some(), "{k} missing in {v}");
        }
        assert_ne!(v["a"], v["b"]);
        assert!(v["passages"].is_array() && v["findings"].is_array(), "{v}");
    }
    let pair: Vec<&Value> = lines.iter().filter(|v| is_strike_pair(v)).collect();
    assert_eq!(pair.len(), 1, "{lines:?}");
    let p = pair[0];
    assert_eq!(p["verdict"], "derived", "{p}");
    assert!(!p["passages"].as_array().unwrap().is_empty());
    let a_chars = p["a_chars"].as_u64().unwrap();
    let b_chars = p["b_chars"].as_u64().unwrap();
    assert!(a_chars <= b_chars, "{p}");
    for ps in p["passages"].as_array().unwrap() {
        assert!(ps["query"][1].as_u64().unwrap() <= a_chars, "{ps}");
        assert!(ps["source"][1].as_u64().unwrap() <= b_chars, "{ps}");
    }
    // no pair twice
    let mut seen = std::collections::HashSet::new();
    for v in &lines {
        let (a, b) = (v["a"].as_str().unwrap(), v["b"].as_str().unwrap());
        assert!(
            seen.insert((a.min(b).to_string(), a.max(b).to_string())),
            "{lines:?}"
        );
    }
    // the summary goes to stderr
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("scanned 9 documents"), "{err}");

    // the table
    let out = scan(&[]);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("strike-source") && table.contains("strike-rewrite"),
        "{table}"
    );
    assert!(table.contains("derived"), "{table}");

    // --clusters: the pair is one cluster of two, with spans
    let out = scan(&["--clusters", "clusters.jsonl"]);
    assert!(!String::from_utf8_lossy(&out.stdout).is_empty());
    let clusters = json_lines(&std::fs::read(root.join("clusters.jsonl")).unwrap());
    assert!(!clusters.is_empty());
    for (k, c) in clusters.iter().enumerate() {
        assert_eq!(c["cluster"], k, "{c}");
        let members = c["members"].as_array().unwrap();
        assert_eq!(c["size"], members.len(), "{c}");
        for m in members {
            assert!(m["id"].is_string(), "{m}");
            assert!(m["spans"].is_array(), "{m}");
        }
    }
    let strike = clusters
        .iter()
        .find(|c| {
            c["members"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["id"] == "strike-rewrite")
        })
        .expect("a cluster with the rewrite");
    assert_eq!(strike["size"], 2, "{strike}");
    let members = strike["members"].as_array().unwrap();
    let mut ids: Vec<&str> = members.iter().map(|m| m["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["strike-rewrite", "strike-source"]);
    for m in members {
        let spans = m["spans"].as_array().unwrap();
        assert!(!spans.is_empty(), "{m}");
        for s in spans {
            let (x, y) = (s[0].as_u64().unwrap(), s[1].as_u64().unwrap());
            assert!(x < y, "{m}");
        }
    }

    // --html: one self-contained page naming both
    scan(&["--jsonl", "--html", "page.html"]);
    let page = std::fs::read_to_string(root.join("page.html")).unwrap();
    assert!(page.starts_with("<!doctype html>"), "{}", &page[..80]);
    assert!(page.contains("strike-source") && page.contains("strike-rewrite"));
    assert!(page.contains("Our members are exhausted"));
    assert!(page.trim_end().ends_with("</html>"));

    // --out: the same pairs as stdout, and a restart point
    let out = scan(&["--jsonl", "--out", "pairs.jsonl"]);
    let streamed = String::from_utf8_lossy(&out.stdout).into_owned();
    let written = std::fs::read_to_string(root.join("pairs.jsonl")).unwrap();
    assert_eq!(written, streamed);
    let state: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("pairs.jsonl.state")).unwrap())
            .unwrap();
    assert_eq!(state["bytes"], written.len(), "{state}");
    assert!(state["done"].as_u64().unwrap() >= 1, "{state}");
    assert!(!root.join("pairs.jsonl.state.tmp").exists());

    // --resume after a finished run: nothing redone, the file unchanged;
    // the table and the clusters still cover the pairs found before
    let out = scan(&[
        "--out",
        "pairs.jsonl",
        "--resume",
        "--clusters",
        "resumed.jsonl",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("resuming after"), "{err}");
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("strike-source"), "{table}");
    let resumed = std::fs::read_to_string(root.join("resumed.jsonl")).unwrap();
    assert!(resumed.contains("strike-rewrite"), "{resumed}");
    assert_eq!(
        std::fs::read_to_string(root.join("pairs.jsonl")).unwrap(),
        written
    );

    // --resume after an interruption: the pairs past the restart point are
    // cut and written again, once
    let mut early = state.clone();
    early["done"] = Value::from(0);
    early["bytes"] = Value::from(0);
    std::fs::write(root.join("pairs.jsonl.state"), early.to_string()).unwrap();
    std::fs::write(
        root.join("pairs.jsonl"),
        format!("{written}{{\"a\": \"half a li"),
    )
    .unwrap();
    scan(&["--out", "pairs.jsonl", "--resume"]);
    assert_eq!(
        std::fs::read_to_string(root.join("pairs.jsonl")).unwrap(),
        written
    );
    // and a fresh --out run replaces the file
    std::fs::write(root.join("pairs.jsonl"), "old\n").unwrap();
    scan(&["--out", "pairs.jsonl"]);
    assert_eq!(
        std::fs::read_to_string(root.join("pairs.jsonl")).unwrap(),
        written
    );

    // a restart point of another scan (other options) is refused
    let out = retrace()
        .current_dir(root)
        .args([
            "scan",
            "--index",
            "ix",
            "--all",
            "--out",
            "pairs.jsonl",
            "--resume",
        ])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("another scan"), "{err}");
    assert_eq!(
        std::fs::read_to_string(root.join("pairs.jsonl")).unwrap(),
        written,
        "a refused resume leaves the file alone"
    );

    // --resume with nothing to resume: one line, exit 2
    let out = retrace()
        .current_dir(root)
        .args(["scan", "--index", "ix", "--out", "never.jsonl", "--resume"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.starts_with("retrace: ") && err.contains("never.jsonl.state"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    assert!(!root.join("never.jsonl").exists());
    // --resume needs --out
    retrace()
        .current_dir(root)
        .args(["scan", "--index", "ix", "--resume"])
        .assert()
        .code(2);
    // no index
    retrace()
        .current_dir(root)
        .args(["scan", "--index", "nothing-here"])
        .assert()
        .code(2);
}

/// `retrace scan --against`: outside documents against the index, `a` the
/// outside document's id.
#[test]
fn scan_against_outside_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    // the index without the rewrite
    let corpus: String = scan_corpus("id", "text")
        .lines()
        .filter(|l| !l.contains("strike-rewrite"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(root.join("corpus.jsonl"), corpus).unwrap();
    retrace()
        .current_dir(root)
        .args(["index", "--index", "ix", "corpus.jsonl"])
        .assert()
        .success();
    std::fs::write(
        root.join("suspect.jsonl"),
        format!(
            "{}\n{}\n",
            serde_json::json!({"id": "suspect-1", "text": SCAN_REWRITE}),
            serde_json::json!({"id": "suspect-2", "text": "Completely unrelated words about \
                knitting patterns and wool from highland sheep farms."}),
        ),
    )
    .unwrap();
    let out = retrace()
        .current_dir(root)
        .args([
            "scan",
            "--index",
            "ix",
            "--jsonl",
            "--against",
            "suspect.jsonl",
            "--out",
            "against.jsonl",
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let lines = json_lines(&out.stdout);
    assert!(
        lines.iter().any(|v| v["a"] == "suspect-1"
            && v["b"] == "strike-source"
            && v["verdict"] == "derived"),
        "{lines:?}"
    );
    assert!(lines.iter().all(|v| v["a"] == "suspect-1"), "{lines:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("scanned 2 documents against the index"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("against.jsonl")).unwrap(),
        String::from_utf8_lossy(&out.stdout)
    );
    // the suspects are not added
    assert_eq!(stats(&root.join("ix"))["documents"], 8);
    // from stdin
    let out = retrace()
        .current_dir(root)
        .args(["scan", "--index", "ix", "--jsonl", "--against", "-"])
        .write_stdin(format!(
            "{}\n",
            serde_json::json!({"id": "from-stdin", "text": SCAN_REWRITE})
        ))
        .assert()
        .success()
        .get_output()
        .clone();
    let lines = json_lines(&out.stdout);
    assert!(
        lines
            .iter()
            .any(|v| v["a"] == "from-stdin" && v["b"] == "strike-source"),
        "{lines:?}"
    );
    // --resume is for scans of the index itself
    retrace()
        .current_dir(root)
        .args([
            "scan",
            "--index",
            "ix",
            "--against",
            "suspect.jsonl",
            "--out",
            "against.jsonl",
            "--resume",
        ])
        .assert()
        .code(2);
}

/// `--text-field` and `--id-field` name the JSON Lines fields for `index`
/// and for `scan --against`.
#[test]
fn index_and_scan_with_other_field_names() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("corpus.jsonl"), scan_corpus("key", "body")).unwrap();
    // the default fields are missing: every record is refused
    retrace()
        .current_dir(root)
        .args(["index", "--index", "plain", "corpus.jsonl"])
        .assert()
        .code(2);
    retrace()
        .current_dir(root)
        .args([
            "index",
            "--index",
            "ix",
            "--text-field",
            "body",
            "--id-field",
            "key",
            "corpus.jsonl",
        ])
        .assert()
        .success();
    assert_eq!(stats(&root.join("ix"))["documents"], 9);
    let out = retrace()
        .current_dir(root)
        .args(["scan", "--index", "ix", "--jsonl"])
        .assert()
        .success()
        .get_output()
        .clone();
    let lines = json_lines(&out.stdout);
    assert!(
        lines
            .iter()
            .any(|v| is_strike_pair(v) && v["verdict"] == "derived"),
        "{lines:?}"
    );
    std::fs::write(
        root.join("suspect.jsonl"),
        format!(
            "{}\n",
            serde_json::json!({"key": "other-suspect", "body": SCAN_REWRITE})
        ),
    )
    .unwrap();
    let out = retrace()
        .current_dir(root)
        .args([
            "scan",
            "--index",
            "ix",
            "--jsonl",
            "--text-field",
            "body",
            "--id-field",
            "key",
            "--against",
            "suspect.jsonl",
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let lines = json_lines(&out.stdout);
    assert!(
        lines
            .iter()
            // an exact copy of the indexed rewrite: found as such (check
            // attributes each passage to one source)
            .any(|v| v["a"] == "other-suspect" && v["b"] == "strike-rewrite"),
        "{lines:?}"
    );
}

/// `index --shards N`: a sharded index directory that check, scan and stats
/// read as one index, with the same scan as the unsharded index; later runs
/// route to the shards; another shard count is refused.
#[test]
fn a_sharded_index_checks_and_scans_as_one() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("corpus.jsonl"), scan_corpus("id", "text")).unwrap();
    for (dir, extra) in [("one", &[][..]), ("sh", &["--shards", "3"][..])] {
        retrace()
            .current_dir(root)
            .args(["index", "--index", dir, "corpus.jsonl"])
            .args(extra)
            .assert()
            .success();
    }
    assert!(root.join("sh/retrace-shards.json").is_file());
    assert!(root.join("sh/shard-0002").is_dir());
    assert_eq!(stats(&root.join("sh"))["documents"], 9);
    let scan = |dir: &str| -> Vec<(String, String, String)> {
        let out = retrace()
            .current_dir(root)
            .args(["scan", "--all", "--jsonl", "--index", dir])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let mut v: Vec<_> = json_lines(&out)
            .iter()
            .map(|p| {
                let (a, b) = (p["a"].as_str().unwrap(), p["b"].as_str().unwrap());
                let (a, b) = if a < b { (a, b) } else { (b, a) };
                (a.to_string(), b.to_string(), p["verdict"].to_string())
            })
            .collect();
        v.sort();
        v
    };
    let sharded = scan("sh");
    assert_eq!(scan("one"), sharded);
    assert!(sharded
        .iter()
        .any(|(a, b, v)| a == "strike-rewrite" && b == "strike-source" && v == "\"derived\""));

    // check over the shards; a later run (no --shards) routes by id
    std::fs::write(root.join("rw.txt"), SCAN_REWRITE).unwrap();
    retrace()
        .current_dir(root)
        .args(["index", "--index", "sh", "--delete", "strike-rewrite"])
        .assert()
        .success();
    assert_eq!(stats(&root.join("sh"))["documents"], 8);
    let out = retrace()
        .current_dir(root)
        .args(["check", "--json", "--index", "sh", "rw.txt"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["sources"][0]["id"], "strike-source");
    retrace()
        .current_dir(root)
        .args(["index", "--index", "sh", "--shards", "4", "corpus.jsonl"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("has 3 shards, not 4"));
    retrace()
        .current_dir(root)
        .args(["index", "--index", "one", "--shards", "2", "corpus.jsonl"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not a sharded index"));
}
