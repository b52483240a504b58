#!/usr/bin/env bash
# Runs schemathesis (PyPI) against a `retrace serve` on loopback: every check,
# every operation, stateful links included. Issue 20; figures in
# crates/retrace-server/README.md.
#
#   scripts/schemathesis/run.sh [--bin target/debug/retrace] [--examples N] [--venv DIR]
#
# Builds nothing: give the retrace binary (default target/debug/retrace).
# Installs schemathesis into the venv (default target/schemathesis-venv) when
# it is missing. Exits with schemathesis's status (0: no failures).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=target/debug/retrace
examples=100
venv=target/schemathesis-venv
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) bin="$2"; shift 2 ;;
        --examples) examples="$2"; shift 2 ;;
        --venv) venv="$2"; shift 2 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
bin="$(realpath "$bin")"
if [ ! -x "$venv/bin/schemathesis" ]; then
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --no-cache-dir --disable-pip-version-check 'schemathesis>=4,<5'
fi
work="$(mktemp -d)"
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work" || true
}
trap 'rc=$?; cleanup; exit $rc' EXIT
"$bin" index --index "$work/index" examples/article.txt examples/unrelated.txt >/dev/null
echo "schemathesis-token" > "$work/token"
"$bin" serve --index "$work/index" --addr 127.0.0.1:0 --token-file "$work/token" --threads 1 \
    > "$work/serve.log" 2>&1 &
server=$!
addr=""
for _ in $(seq 1 100); do
    addr="$(grep -oE '127\.0\.0\.1:[0-9]+' "$work/serve.log" | head -1 || true)"
    [ -n "$addr" ] && break
    sleep 0.1
done
[ -n "$addr" ] || { echo "retrace serve did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }
echo "== schemathesis $("$venv/bin/schemathesis" --version | awk '{print $NF}') against http://$addr/openapi.json, $examples examples per operation"
SCHEMATHESIS_HOOKS=hooks PYTHONPATH="$PWD/scripts/schemathesis" \
    "$venv/bin/schemathesis" run "http://$addr/openapi.json" \
    -H "Authorization: Bearer schemathesis-token" \
    --checks all --max-examples "$examples" --workers 1 --seed "${SEED:-20}" \
    --no-color
