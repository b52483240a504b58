#!/usr/bin/env python3
"""Write a reuse-discovery corpus: Reuters-21578 articles with planted rewrites.

    python3 scripts/scan_corpus.py OUT_DIR [--articles 3000] [--rewrites 13] [--seed 7]

OUT_DIR gets:
- corpus.jsonl: one {"id", "series", "text"} per line (series = id, the form passim
  reads to compare every pair): N distractor articles drawn at random (seeded) from
  Reuters-21578, the sources of the planted rewrites, and the rewrites;
- planted.jsonl: one {"rewrite", "source", "kind"} per planted pair.

The rewrites are the team's own (data/dev/reuters-rewrites-*.jsonl, development data),
taken in file order; their sources are read from ../shared/data/reuters21578 by NEWID
(never copied into the repository). Articles are named reuters-NEWID.
"""
import argparse
import glob
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import reuters  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--rewrites", type=int, default=13)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    texts = reuters.all_texts()
    rows = []
    for path in sorted(glob.glob(os.path.join(HERE, "..", "data", "dev", "reuters-rewrites-*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            rows += [json.loads(line) for line in f if line.strip()]
    planted = rows[: a.rewrites]
    sources = {r["newid"] for r in planted}
    pool = sorted(i for i in texts if i not in sources)
    random.Random(a.seed).shuffle(pool)
    chosen = sorted(pool[: a.articles]) + sorted(sources)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "corpus.jsonl"), "w", encoding="utf-8") as f:
        for nid in chosen:
            i = f"reuters-{nid}"
            f.write(json.dumps({"id": i, "series": i, "text": texts[nid]}) + "\n")
        for r in planted:
            f.write(json.dumps({"id": r["id"], "series": r["id"], "text": r["text"]}) + "\n")
    with open(os.path.join(a.out, "planted.jsonl"), "w", encoding="utf-8") as f:
        for r in planted:
            f.write(json.dumps({"rewrite": r["id"], "source": f"reuters-{r['newid']}", "kind": r["kind"]}) + "\n")
    print(f"{a.out}: {len(chosen) + len(planted)} documents, {len(planted)} planted pairs", file=sys.stderr)


if __name__ == "__main__":
    main()
