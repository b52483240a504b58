#!/usr/bin/env bash
# Reuse discovery side by side: retrace scan and passim 2.0 on the same corpus, one run,
# same machine. Needs Reuters-21578 in ../shared/data and a release build of retrace;
# passim runs only when PASSIM_VENV names a venv with pyspark (see ../shared/peers/RUN-passim.md).
#
#   scripts/bench_scan.sh [WORK_DIR] [ARTICLES] [REWRITES]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/retrace-scan-bench}
articles=${2:-3000}
rewrites=${3:-13}
bin=${RETRACE:-$here/target/release/retrace}
rm -rf "$work" && mkdir -p "$work"
python3 "$here/scripts/scan_corpus.py" "$work" --articles "$articles" --rewrites "$rewrites"
t() { /usr/bin/time -f "%e s wall, %M KB peak RSS" "$@"; }
echo "== retrace index (reported separately)"
t "$bin" index --index "$work/idx" "$work/corpus.jsonl" 2>&1 | tail -2
echo "== retrace scan"
t "$bin" scan --index "$work/idx" --jsonl --clusters "$work/clusters.jsonl" > "$work/retrace.jsonl" 2> "$work/retrace.err"
cat "$work/retrace.err"
python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
want = [json.loads(l) for l in open(f"{w}/planted.jsonl")]
got = [json.loads(l) for l in open(f"{w}/retrace.jsonl")]
by = {frozenset((p["a"], p["b"])): p for p in got}
hit = [by.get(frozenset((x["rewrite"], x["source"]))) for x in want]
linked = sum(1 for p in hit if p and p["passages"] and all(ps["links"] for ps in p["passages"]))
print(json.dumps({"pairs_reported": len(got), "planted": len(want),
                  "planted_found_derived": sum(p is not None for p in hit),
                  "planted_with_sentence_links": linked}))
PY
if [ -n "${PASSIM_VENV:-}" ]; then
  echo "== passim (local[2])"
  export PATH=$PASSIM_VENV/bin:$PATH SPARK_CONF_DIR=$here/../shared/peers/passim/conf
  t spark-submit --master 'local[2]' --driver-memory 4g "$here/../shared/peers/passim/passim/seriatim.py" \
    --all-pairs --fields 'xxhash64(series) as gid' --filterpairs 'gid < gid2' \
    --to-extents --pairwise "$work/corpus.jsonl" "$work/passim" > "$work/passim.log" 2>&1 || { tail -20 "$work/passim.log"; exit 1; }
  tail -1 "$work/passim.log"
  "$PASSIM_VENV/bin/python" "$here/scripts/passim_pairs.py" "$work/corpus.jsonl" "$work/passim" "$work/planted.jsonl" 2>/dev/null
fi
