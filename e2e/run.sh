#!/usr/bin/env bash
# End-to-end browser test of the web UI (see e2e/README.md).
# Installs what is missing (node + npm and chromium from Debian, playwright-core
# from npm), builds retrace unless RETRACE_BIN is set, and runs e2e/web_ui.test.mjs.
#   RETRACE_BIN  a built retrace binary (default: build target/debug/retrace)
#   CHROMIUM     the Chromium binary (default: /usr/bin/chromium)
#   E2E_OUT      where the screenshots go (default: target/e2e/)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi
apt_updated=0
apt_install() {
    if [ "$apt_updated" -eq 0 ]; then
        "${SUDO[@]}" apt-get update
        apt_updated=1
    fi
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ -z "${CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then missing+=(chromium fonts-liberation); fi
if [ "${#missing[@]}" -gt 0 ]; then
    echo "== e2e: installing ${missing[*]} (apt-get)"
    apt_install "${missing[@]}"
fi
echo "== e2e: node $(node --version), npm $(npm --version), $("${CHROMIUM:-/usr/bin/chromium}" --version 2>/dev/null || echo 'chromium ?')"

echo "== e2e: npm ci (playwright-core)"
(cd e2e && npm ci --no-audit --no-fund)

if [ -z "${RETRACE_BIN:-}" ]; then
    echo "== e2e: cargo build -p retrace-cli --locked"
    cargo build -p retrace-cli --locked
    RETRACE_BIN="${CARGO_TARGET_DIR:-$root/target}/debug/retrace"
fi
export RETRACE_BIN

echo "== e2e: node e2e/web_ui.test.mjs (retrace: $RETRACE_BIN)"
node e2e/web_ui.test.mjs
