#!/usr/bin/env python3
"""Write a large reuse-discovery corpus for the cost curve of `retrace scan`.

    python3 scripts/scan_scale_corpus.py OUT_DIR --docs 100000 [--seed 7]

Distractors are generated, not copied: a word-trigram model of the Reuters-21578 bodies
writes each one sentence by sentence, so the collection has Reuters' vocabulary, names,
numbers and stock phrases. The team's 64 development rewrites and their
Reuters sources are planted among them (those sources are left out of the model). A
trigram model copies runs of its training articles, so distractors do share sentences
with each other: reuse the scan rightly reports. OUT_DIR gets corpus.jsonl ({"id", "text"}) and
planted.jsonl as scripts/scan_corpus.py writes them.
"""
import argparse
import glob
import json
import os
import random
import re
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import reuters  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--docs", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    texts = reuters.all_texts()
    rows = []
    for path in sorted(glob.glob(os.path.join(HERE, "..", "data", "dev", "reuters-rewrites-*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            rows += [json.loads(line) for line in f if line.strip()]
    sources = {r["newid"] for r in rows}
    model = defaultdict(list)
    starts = []
    # the planted sources stay out of the model: a trigram model copies long
    # runs of its training text, which would make their sentences common
    for nid, t in texts.items():
        if nid in sources:
            continue
        body = t.split("\n\n", 1)[-1]
        words = re.sub(r"&\t", " ", body).split()
        prev = ("<s>", "<s>")
        for w in words:
            if prev == ("<s>", "<s>"):
                starts.append(w)
            model[prev].append(w)
            prev = ("<s>", "<s>") if w.endswith(".") else (prev[1], w)
    os.makedirs(a.out, exist_ok=True)
    every = max(1, a.docs // (2 * len(rows) + 1))
    planted = []
    for r in rows:
        planted.append({"id": f"reuters-{r['newid']}", "text": texts[r["newid"]]})
        planted.append({"id": r["id"], "text": r["text"]})
    with open(os.path.join(a.out, "corpus.jsonl"), "w", encoding="utf-8") as f:
        for n in range(a.docs):
            if n % every == 0 and planted:
                f.write(json.dumps(planted.pop()) + "\n")
            sents = []
            for _ in range(rng.randint(3, 14)):
                prev, out = ("<s>", "<s>"), []
                while len(out) < 60:
                    nxt = model.get(prev)
                    if not nxt:
                        break
                    w = rng.choice(nxt)
                    out.append(w)
                    if w.endswith("."):
                        break
                    prev = (prev[1], w)
                sents.append(" ".join(out))
            title = " ".join(rng.choice(starts) for _ in range(rng.randint(4, 8))).upper()
            f.write(json.dumps({"id": f"gen-{n}", "text": title + "\n\n" + "\n".join(sents)}) + "\n")
            if n % 20000 == 0 and sys.stderr.isatty():
                print(f"{n} documents", file=sys.stderr)
        for p in planted:
            f.write(json.dumps(p) + "\n")
    with open(os.path.join(a.out, "planted.jsonl"), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps({"rewrite": r["id"], "source": f"reuters-{r['newid']}", "kind": r["kind"]}) + "\n")


if __name__ == "__main__":
    main()
