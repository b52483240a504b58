#!/usr/bin/env python3
"""Build the verdict development pairs (JSON Lines for `retrace eval pairs`).

Development data only (never pan13/test):
- data/dev/reuters-rewrites-*.jsonl: the team's rewrites and summaries of
  Reuters-21578 articles -> `derived` from their article (read by NEWID).
- data/dev/reuters-headline-*.jsonl: articles the team wrote from a Reuters
  headline alone -> `related` to that article.
- ../shared/data/m4: machine text written from the same title/question as the
  human text -> `related` (wikihow is left out: written from the human
  article's step headlines, an outline, not its prose; see the README).
  `russian` is the exception: its prompt asks to rephrase the human text,
  which it holds, so those pairs are `derived`.
- ../shared/data/pan13/train: a sample of each obfuscation type -> `derived`;
  01-no-plagiarism pairs -> `related`.

Each pair gets `split` train or test (the team's sets carry theirs; m4 and
PAN every third pair is test), and `group` (where it came from).

    python3 scripts/verdict_pairs.py OUT_DIR     # writes OUT_DIR/{train,test,all}.jsonl
"""
import glob
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
SHARED = os.environ.get("RETRACE_SHARED_DATA", os.path.join(ROOT, "..", "shared", "data"))
sys.path.insert(0, HERE)
import reuters  # noqa: E402

PAN_PER_TYPE = 120
PAN_NEGATIVES = 300


def team_sets():
    texts = {i: f"{t}\n\n{b}" for i, t, b in reuters.articles()}
    for path in sorted(glob.glob(os.path.join(ROOT, "data", "dev", "reuters-*.jsonl"))):
        for line in open(path, encoding="utf-8"):
            r = json.loads(line)
            yield {
                "id": r["id"],
                "group": f"reuters-{r['kind']}",
                "split": r["split"],
                "label": r["label"],
                "suspect": r["text"],
                "source": texts[r["newid"]],
            }


def m4():
    for path in sorted(glob.glob(os.path.join(SHARED, "m4", "*.jsonl"))):
        name = os.path.basename(path).split("_")[0]
        if name == "wikihow":
            continue
        # russian: the prompt is "rephrase this text" with the human text in
        # it (checked: all 100 prompts hold it), so the machine text is a
        # paraphrase of the human text: derived, despite the data README
        derived = name == "russian"
        for k, line in enumerate(open(path, encoding="utf-8")):
            r = json.loads(line)
            if not r.get("machine_text") or not r.get("human_text"):
                continue
            yield {
                "id": f"m4-{name}-{k}",
                "group": f"m4-{name}",
                "split": "test" if k % 3 == 2 else "train",
                "label": "derived" if derived else "related",
                "suspect": r["machine_text"],
                "source": r["human_text"],
            }


def pan():
    base = os.path.join(SHARED, "pan13", "train")
    rng = random.Random(13)
    for t in sorted(os.listdir(base)):
        pairs = os.path.join(base, t, "pairs")
        if not os.path.isfile(pairs):
            continue
        rows = [l.split() for l in open(pairs) if l.strip()]
        rng.shuffle(rows)
        n = PAN_NEGATIVES if t.startswith("01") else PAN_PER_TYPE
        for k, (susp, src) in enumerate(rows[:n]):
            read = lambda d, f: open(os.path.join(base, d, f), encoding="utf-8", errors="replace").read()
            yield {
                "id": f"pan-{t}-{k}",
                "group": f"pan-{t}",
                "split": "test" if k % 3 == 2 else "train",
                "label": "related" if t.startswith("01") else "derived",
                "suspect": read("susp", susp),
                "source": read("src", src),
            }


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "verdict")
    os.makedirs(out, exist_ok=True)
    rows = list(team_sets()) + list(m4()) + list(pan())
    files = {s: open(os.path.join(out, f"{s}.jsonl"), "w", encoding="utf-8") for s in ("train", "test", "all")}
    for r in rows:
        line = json.dumps(r, ensure_ascii=False) + "\n"
        files[r["split"]].write(line)
        files["all"].write(line)
    counts = {}
    for r in rows:
        k = (r["split"], r["group"], r["label"])
        counts[k] = counts.get(k, 0) + 1
    for k in sorted(counts):
        print(*k, counts[k], sep="\t")


if __name__ == "__main__":
    main()
