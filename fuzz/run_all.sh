#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for SECONDS each, one after the
# other, one libFuzzer job each (no -fork, no -jobs: one core), and prints
# per target the runs executed and whether it ended clean. Exits non-zero if
# any target found a crash, a timeout or an out-of-memory.
#
#   fuzz/run_all.sh SECONDS [TARGET...]
#   e.g. fuzz/run_all.sh 600            # 7 targets x 10 min: 70 CPU-minutes
#        fuzz/run_all.sh 60 compare http
#
# Needs the nightly toolchain and cargo-fuzz (cargo install cargo-fuzz).
# New corpus entries go to fuzz/corpus/TARGET (ignored by git but the
# seed-* files), crashes to fuzz/artifacts/TARGET, logs to
# fuzz/logs/DATE-PID/TARGET.log (one folder per run: runs may overlap).
# FUZZ_ARGS adds libFuzzer flags (e.g. FUZZ_ARGS=-max_len=65536).
set -u

usage="usage: $0 SECONDS [TARGET...]"
secs=${1:?$usage}
case $secs in '' | *[!0-9]*) echo "$usage" >&2; exit 2 ;; esac
shift
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.." || exit 2

all=(ingest jsonl warc text compare pan_xml http)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all[@]}"); fi

dict_for() {
  case $1 in
    ingest) echo "$here/dicts/html.dict" ;;
    jsonl | http) echo "$here/dicts/json.dict" ;;
    warc) echo "$here/dicts/warc.dict" ;;
    pan_xml) echo "$here/dicts/xml.dict" ;;
  esac
}

# the engine's parallel loops on one thread: one core in all
export RAYON_NUM_THREADS=1

# -a: debug assertions on (integer overflow panics, as in `cargo test`)
echo "building the fuzz targets..."
build_log=$(mktemp)
if ! cargo +nightly fuzz build -a >"$build_log" 2>&1; then
  tail -n 40 "$build_log" >&2
  echo "build failed" >&2
  rm -f "$build_log"
  exit 2
fi
rm -f "$build_log"

logs="$here/logs/$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$logs"
failed=0
printf '%-8s %12s %8s %9s  %s\n' target runs seconds exec/s result
for t in "${targets[@]}"; do
  log="$logs/$t.log"
  mkdir -p "$here/corpus/$t"
  dict=$(dict_for "$t")
  args=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
  [ -n "$dict" ] && args+=(-dict="$dict")
  # shellcheck disable=SC2206
  args+=(${FUZZ_ARGS:-})
  cargo +nightly fuzz run -a "$t" "$here/corpus/$t" -- "${args[@]}" >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  [ -z "$runs" ] && runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
  runs=${runs:-0}
  # the time it took (over SECONDS when loading a large corpus took long)
  took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
  took=${took:-$secs}
  if [ "$rc" -eq 0 ] && ! grep -qE '^(==[0-9]+== ?ERROR|SUMMARY: libFuzzer)' "$log"; then
    result=clean
  else
    failed=1
    kind=$(grep -oE 'deadly signal|timeout|out-of-memory|panicked at [^ ]*' "$log" | head -n 1)
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    result="FAILED (rc $rc${kind:+, $kind}${artifact:+, $artifact}; see $log)"
  fi
  printf '%-8s %12s %8s %9s  %s\n' "$t" "$runs" "$took" "$((runs / (took > 0 ? took : 1)))" "$result"
done
exit "$failed"
