#!/usr/bin/env bash
# The load run of `retrace serve`: index the Reuters-21578 articles (21,577
# texts), serve the index, and POST /v1/check with a ~5 KB article at 1, 8 and
# 64 concurrent connections for 20 s each (wrk; its request timeout raised
# from 2 s to 60 s so that no client gives up on a slow answer and retries
# while the server still works on the first), with --max-concurrency 64, then
# 64 connections against the default cap of 4 per core (503 load shedding:
# wrk retries at once, ignoring Retry-After).
#
# Usage (from anywhere; needs python3, wrk and a release build:
#   cargo build --release -p retrace-cli):
#   crates/retrace-server/bench/load.sh [WORK_DIR]
# Environment: RETRACE_BIN (default $CARGO_TARGET_DIR/release/retrace or
# target/release/retrace), REUTERS_DIR (default ../shared/data/reuters21578),
# DURATION (default 20s), PORT (default 18080), MODEL_ARGS (e.g. --lexical-only).
# The data is read where it lies; nothing is copied into the repository.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
BIN=${RETRACE_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/retrace}
DATA=${REUTERS_DIR:-$ROOT/../shared/data/reuters21578}
WORK=${1:-/tmp/retrace-load}
DURATION=${DURATION:-20s}
PORT=${PORT:-18080}
MODEL_ARGS=${MODEL_ARGS:-}
mkdir -p "$WORK"

python3 "$HERE/reuters_to_jsonl.py" "$DATA" > "$WORK/reuters.jsonl"
if [ ! -e "$WORK/idx/retrace-index.json" ]; then
  # shellcheck disable=SC2086
  "$BIN" index --index "$WORK/idx" "$WORK/reuters.jsonl" $MODEL_ARGS
fi
"$BIN" stats --index "$WORK/idx"

# the suspect: Reuters article 335 (4.9 KB), as a check request
python3 - "$WORK/reuters.jsonl" "$WORK/body.json" <<'PY'
import json, sys
docs = {d["id"]: d for d in map(json.loads, open(sys.argv[1]))}
text = docs["reuters/335"]["text"]
json.dump({"text": text, "id": "suspect"}, open(sys.argv[2], "w"))
print(f"suspect: {len(text.encode())} bytes", file=sys.stderr)
PY

SERVER=
trap '[ -n "$SERVER" ] && kill -TERM "$SERVER" 2>/dev/null || true' EXIT

serve() {
  # shellcheck disable=SC2086
  "$BIN" serve --index "$WORK/idx" --addr "127.0.0.1:$PORT" $MODEL_ARGS "$@" > "$WORK/serve.out" 2> "$WORK/serve.err" &
  SERVER=$!
  for _ in $(seq 1 200); do
    curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "server did not start" >&2; cat "$WORK/serve.err" >&2; exit 1
}
stop() {
  kill -TERM "$SERVER"
  wait "$SERVER" && echo "server exited 0 on SIGTERM"
  SERVER=
}
run() { # CONNECTIONS LABEL
  local c=$1 t=$(( $1 < 2 ? 1 : 2 ))
  # work left by the previous run's clients (cut off at its end) still holds
  # slots: wait for it, so that each run starts on an idle server
  for _ in $(seq 1 300); do
    curl -s "http://127.0.0.1:$PORT/metrics" | grep -q '^retrace_concurrency_slots_busy 0$' && break
    sleep 0.1
  done
  echo "== $2: $c connection(s), $t thread(s), $DURATION"
  BODY_FILE="$WORK/body.json" wrk -t "$t" -c "$c" -d "$DURATION" --timeout 60s --latency \
    -s "$HERE/check.lua" "http://127.0.0.1:$PORT/v1/check" | tee "$WORK/wrk-$c-$2.txt" | grep RESULT
}

serve --max-concurrency 64
curl -s "http://127.0.0.1:$PORT/v1/stats"; echo
curl -s -H 'Content-Type: application/json' --data @"$WORK/body.json" \
  "http://127.0.0.1:$PORT/v1/check" | head -c 300 || true; echo
for c in 1 8 64; do run "$c" cap64; done
stop

serve # the default cap: 4 per core
run 64 default-cap
stop
