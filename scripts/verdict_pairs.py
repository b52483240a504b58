#!/usr/bin/env python3
"""Build the verdict development pairs (JSON Lines for `retrace eval pairs`).

Development data only (never pan13/test):
- data/dev/reuters-rewrites-*.jsonl: the team's rewrites and summaries of
  Reuters-21578 articles -> `derived` from their article (read by NEWID).
- data/dev/reuters-headline-*.jsonl: articles the team wrote from a Reuters
  headline alone -> `related` to that article.
- data/dev/short-answers.jsonl: the team's short answers to a question on an
  encyclopedia-style article the team wrote: cut, lightly and heavily revised
  answers -> `derived`; answers written without the article -> `related`.
- ../shared/data/m4: machine text written from the same title/question as the
  human text -> `related` (wikihow is left out: written from the human
  article's step headlines, an outline, not its prose; see the README).
  `russian` is the exception: its prompt asks to rephrase the human text,
  which it holds, so those pairs are `derived`.
- ../shared/data/pan13/train: a sample of each obfuscation type -> `derived`;
  01-no-plagiarism pairs -> `related`.

- same-topic negatives: each of the team's suspects against 4 other
  Reuters-21578 articles (body >= 800 characters) that share a TOPICS tag
  with its own article (seeded; near-copies of the own article left out)
  -> `related`.
- with `--retrace BIN`: the check scenario. The team's suspects are checked
  (`check --all --top 5`) against an index of all Reuters-21578 articles
  built with BIN; every candidate that is not the suspect's own article is a
  `related` pair (a same-story article: the hardest negatives a user meets),
  except near-copies of the own article (>= 50% of its word 5-grams), which
  are left out as ambiguous.

Each pair gets `split` train or test (the team's sets carry theirs; m4 and
PAN every third pair is test), and `group` (where it came from).

    python3 scripts/verdict_pairs.py OUT_DIR [--retrace target/release/retrace]
    # writes OUT_DIR/{train,test,all}.jsonl
"""
import glob
import json
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
SHARED = os.environ.get("RETRACE_SHARED_DATA", os.path.join(ROOT, "..", "shared", "data"))
sys.path.insert(0, HERE)
import reuters  # noqa: E402

PAN_PER_TYPE = 120
PAN_NEGATIVES = 300


def team_sets():
    texts = reuters.all_texts()
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


TOPIC_NEGATIVES = 4


def topic_negatives():
    texts = reuters.all_texts()
    tops = reuters.topics()
    by_topic = {}
    for i, ts in tops.items():
        if i in texts and len(texts[i]) >= 800:
            for t in ts:
                by_topic.setdefault(t, []).append(i)
    rng = random.Random(21578)
    for path in sorted(glob.glob(os.path.join(ROOT, "data", "dev", "reuters-*.jsonl"))):
        for line in open(path, encoding="utf-8"):
            r = json.loads(line)
            own = texts[r["newid"]]
            pool = sorted({i for t in tops.get(r["newid"], []) for i in by_topic.get(t, [])} - {r["newid"]})
            rng.shuffle(pool)
            taken = 0
            for nid in pool:
                if taken == TOPIC_NEGATIVES:
                    break
                if reuters.overlap(own, texts[nid], 5) >= 0.5:
                    continue
                taken += 1
                yield {
                    "id": f"{r['id']}-topic-{nid}",
                    "group": f"reuters-topic-other-{r['kind']}",
                    "split": r["split"],
                    "label": "related",
                    "suspect": r["text"],
                    "source": texts[nid],
                }


def check_negatives(out, binary):
    texts = reuters.all_texts()
    corpus = os.path.join(out, "reuters.jsonl")
    index = os.path.join(out, "reuters-index")
    if not os.path.isdir(index):
        with open(corpus, "w", encoding="utf-8") as f:
            for i, t in texts.items():
                f.write(json.dumps({"id": f"reuters-{i}", "text": t}) + "\n")
        subprocess.run([binary, "index", "--index", index, corpus], check=True, stdout=subprocess.DEVNULL)
    items = []
    for path in sorted(glob.glob(os.path.join(ROOT, "data", "dev", "reuters-*.jsonl"))):
        items += [json.loads(l) for l in open(path, encoding="utf-8")]
    by_id = {r["id"]: r for r in items}
    inp = "".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in items)
    res = subprocess.run(
        [binary, "check", "--index", index, "--all", "--top", "5", "--jsonl", "-"],
        input=inp, capture_output=True, text=True, check=True,
    )
    for line in res.stdout.splitlines():
        rep = json.loads(line)
        r = by_id[rep["query"]["id"]]
        own = texts[r["newid"]]
        for s in rep["sources"]:
            nid = int(s["id"].split("-")[1])
            if nid == r["newid"] or reuters.overlap(own, texts[nid], 5) >= 0.5:
                continue
            yield {
                "id": f"{r['id']}-vs-{nid}",
                "group": f"reuters-check-other-{r['kind']}",
                "split": r["split"],
                "label": "related",
                "suspect": r["text"],
                "source": texts[nid],
            }


def short_answers():
    path = os.path.join(ROOT, "data", "dev", "short-answers.jsonl")
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        yield {
            "id": r["id"],
            "group": f"answers-{r['kind']}",
            "split": r["split"],
            "label": r["label"],
            "suspect": r["text"],
            "source": r["source"],
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
    args = sys.argv[1:]
    binary = None
    if "--retrace" in args:
        k = args.index("--retrace")
        binary = args[k + 1]
        del args[k : k + 2]
    out = args[0] if args else os.path.join(ROOT, "target", "verdict")
    os.makedirs(out, exist_ok=True)
    rows = list(team_sets()) + list(short_answers()) + list(m4()) + list(pan()) + list(topic_negatives())
    if binary:
        rows += list(check_negatives(out, binary))
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
