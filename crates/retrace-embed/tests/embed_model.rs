//! The embedded sentence model: it loads from the binary alone, agrees with
//! the reference vectors computed in Python, its fast tokenizer agrees with
//! the `tokenizers` crate, and bad model directories give clear errors.

use retrace_embed::{default_embedder, load_model, SentenceEmbedder, StaticEmbedder};

fn repo(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[test]
fn embedded_model_loads_without_files() {
    let m = default_embedder().expect("embedded model");
    assert_eq!(m.dim(), 256);
    let v = m
        .embed(&[
            "The council approved the budget.",
            "",
            "Lawmakers passed the spending plan.",
        ])
        .unwrap();
    assert_eq!(v.len(), 3);
    assert!((dot(&v[0], &v[0]) - 1.0).abs() < 1e-4);
    assert!(
        v[1].iter().all(|&x| x == 0.0),
        "empty text gives a zero vector"
    );
    let unrelated = m
        .embed(&["Apple growers picked a record crop this autumn."])
        .unwrap();
    assert!(dot(&v[0], &v[2]) > dot(&v[0], &unrelated[0]) + 0.2);
}

#[test]
fn matches_reference_vectors() {
    let text =
        std::fs::read_to_string(repo("model/reference_vectors.json")).expect("reference file");
    let r: serde_json::Value = serde_json::from_str(&text).unwrap();
    let m = StaticEmbedder::embedded().unwrap();
    for s in r["sentences"].as_array().unwrap() {
        let t = s["text"].as_str().unwrap();
        let ids: Vec<u32> = s["student_token_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as u32)
            .collect();
        assert_eq!(m.token_ids(t), ids, "{t}");
        let want: Vec<f32> = s["student"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap() as f32)
            .collect();
        let got = m.embed_one(t);
        assert!(
            dot(&got, &want) > 0.9999,
            "{t}: cosine {}",
            dot(&got, &want)
        );
    }
}

#[test]
fn fast_tokenizer_agrees_with_tokenizers_crate() {
    let m = StaticEmbedder::embedded().unwrap();
    let mut texts: Vec<String> = vec![
        "Zoë's café — “quoted” naïve résumé, coöperate; 3.5% of $1,200!".into(),
        "日本語のテキスト and ﬁve ligatures, Ⅻ, ½, e\u{301}".into(),
        "URLs like https://example.com/a?b=c&d=e and emails a.b@c.org".into(),
        "Tabs\tand\nnewlines\r\nand\u{200b}zero-width\u{feff}marks".into(),
        "supercalifragilisticexpialidocious antidisestablishmentarianism".into(),
        "x".repeat(150),
    ];
    for f in [
        "examples/article.txt",
        "examples/rewrite.txt",
        "examples/unrelated.txt",
    ] {
        let t = std::fs::read_to_string(repo(f)).unwrap();
        texts.extend(t.lines().map(str::to_string));
    }
    // real sentences from the shared benchmark data, when present
    if let Ok(t) = std::fs::read_to_string(repo("../shared/data/stsb/sts-dev.csv")) {
        for l in t.lines().take(1500) {
            let cols: Vec<&str> = l.split('\t').collect();
            if cols.len() >= 7 {
                texts.push(cols[5].into());
                texts.push(cols[6].into());
            }
        }
    }
    let mut differ = 0;
    for t in &texts {
        if m.token_ids(t) != m.reference_token_ids(t) {
            differ += 1;
            eprintln!(
                "differs: {t:?}\n  fast {:?}\n  ref  {:?}",
                m.token_ids(t),
                m.reference_token_ids(t)
            );
        }
    }
    assert_eq!(
        differ,
        0,
        "{differ} of {} texts tokenised differently",
        texts.len()
    );
}

#[test]
fn bad_model_directories_are_refused_clearly() {
    let e = load_model(std::path::Path::new("/no/such/model"))
        .err()
        .expect("must fail")
        .to_string();
    assert!(e.contains("/no/such/model"), "{e}");
    let dir = std::env::temp_dir().join(format!("retrace-bad-model-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let e = load_model(&dir).err().expect("must fail").to_string();
    assert!(e.contains("tokenizer.json"), "{e}");
    std::fs::copy(
        repo("model/retrace-static-v1/tokenizer.json"),
        dir.join("tokenizer.json"),
    )
    .unwrap();
    let e = load_model(&dir).err().expect("must fail").to_string();
    assert!(e.contains("embeddings.safetensors"), "{e}");
    std::fs::write(
        dir.join("embeddings.safetensors"),
        b"not a safetensors file",
    )
    .unwrap();
    let e = load_model(&dir).err().expect("must fail").to_string();
    assert!(e.contains("malformed"), "{e}");
    std::fs::write(dir.join("tokenizer.json"), b"{ not json").unwrap();
    let e = load_model(&dir).err().expect("must fail").to_string();
    assert!(e.contains("tokenizer.json"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_model_directory_loads_like_the_embedded_one() {
    let m = load_model(&repo("model/retrace-static-v1")).unwrap();
    let e = default_embedder().unwrap();
    let s = ["A sentence to embed twice."];
    assert!(dot(&m.embed(&s).unwrap()[0], &e.embed(&s).unwrap()[0]) > 0.99999);
}
