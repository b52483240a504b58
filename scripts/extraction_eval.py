#!/usr/bin/env python3
"""Score the HTML main text retrace reads against the article-extraction benchmark.

    python3 scripts/extraction_eval.py [--data DIR] [--bin target/release/retrace] [--worst N]

DIR is a copy of scrapinghub/article-extraction-benchmark's layout (`html/<id>.html.gz`,
`ground-truth.json`, `evaluate.py`; default ../shared/data/article-extraction next to the
checkout). The pages are unpacked into a temporary folder, read with one
`retrace extract --json` run, and the texts written as `output/retrace.json` beside a copy of
the ground truth, where the benchmark's own scorer (`evaluate.py`: token-shingle precision,
recall and F1, with bootstrap error bars) scores them. `--worst N` also lists the N pages with
the lowest F1 (precision, recall) for development. Nothing is written into the checkout.
"""
import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/article-extraction")
    ap.add_argument("--bin", type=Path, default=ROOT / "target/release/retrace")
    ap.add_argument("--worst", type=int, default=0, help="list the N pages with the lowest F1")
    ap.add_argument("--n-bootstrap", type=int, default=1000)
    args = ap.parse_args()
    if not (args.data / "ground-truth.json").exists():
        sys.exit(f"no ground-truth.json in {args.data}")
    truth = json.loads((args.data / "ground-truth.json").read_text(encoding="utf8"))
    with tempfile.TemporaryDirectory(prefix="retrace-extraction-") as tmp:
        tmp = Path(tmp)
        (tmp / "html").mkdir()
        (tmp / "output").mkdir()
        paths = {}
        for key in truth:
            src = args.data / "html" / f"{key}.html.gz"
            dst = tmp / "html" / f"{key}.html"
            dst.write_bytes(gzip.decompress(src.read_bytes()))
            paths[str(dst)] = key
        run = subprocess.run(
            [str(args.bin), "extract", "--json", *paths],
            check=True,
            stdout=subprocess.PIPE,
        )
        output = {}
        for line in run.stdout.decode("utf8").splitlines():
            rec = json.loads(line)
            output[paths[rec["id"]]] = {"articleBody": rec["text"]}
        missing = set(truth) - set(output)
        if missing:
            sys.exit(f"retrace extract gave no text for {len(missing)} pages")
        (tmp / "output" / "retrace.json").write_text(
            json.dumps({"version": "retrace", "output": output}), encoding="utf8"
        )
        shutil.copy(args.data / "ground-truth.json", tmp)
        shutil.copy(args.data / "evaluate.py", tmp)
        subprocess.run(
            [sys.executable, "evaluate.py", "--n-bootstrap", str(args.n_bootstrap)],
            cwd=tmp,
            check=True,
        )
        if args.worst:
            sys.path.insert(0, str(tmp))
            import evaluate  # the benchmark's scorer, for per-page figures

            rows = []
            for key, t in truth.items():
                tp, fp, fn = evaluate.string_shingle_matching(
                    true=t.get("articleBody", ""), pred=output[key]["articleBody"]
                )
                p = tp / (tp + fp) if tp + fp else 1.0
                r = tp / (tp + fn) if tp + fn else 1.0
                f = 2 * p * r / (p + r) if p + r else 0.0
                rows.append((f, p, r, key, t.get("url", "")))
            for f, p, r, key, url in sorted(rows)[: args.worst]:
                print(f"{f:.3f} P {p:.3f} R {r:.3f}  {key[:12]}  {url}")


if __name__ == "__main__":
    main()
