#!/usr/bin/env python3
"""A bounded soak of `retrace serve` on loopback: mixed reads and writes for a fixed time, with the
server's memory, errors and latency per minute.

    python3 scripts/soak.py --bin target/release/retrace --minutes 30 [--clients 4] [--seed 1]
        [--work /tmp/soak] [--docs 2000] [--json FILE]

Builds an index of generated documents (sentences drawn from a word list with a seeded RNG:
nothing third-party), starts `retrace serve` on it, and runs `--clients` threads, each sending
one request after another: 70% `POST /v1/check` (a stored document lightly edited, or a new
text), 15% `POST /v1/documents` (a new or replaced document), 10% `GET /v1/documents/{id}`,
5% `DELETE /v1/documents/{id}`. Every minute: requests, errors (any 5xx, any unexpected 4xx,
any connection failure), p50/p99 latency per kind, and the server's resident memory (VmRSS).
Exit 1 when there was any error, when RSS grew more than 25% from the end of minute 3 to the
end, or when the last third's p99 of check is over twice the first third's (after minute 1).
Python 3 standard library only.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

WORDS = (
    "council harbour ferry budget timber copper station bridge festival orchard tunnel library "
    "market glacier reservoir clinic mayor minister engineers inspectors residents traders "
    "approved rejected delayed announced funded reopened closed expanded reviewed criticised "
    "north south river valley coastal regional municipal federal annual quarterly new old "
    "contract plan report vote survey project grant levy tariff dispute agreement schedule"
).split()


def sentence(rng):
    n = rng.randint(8, 18)
    words = [rng.choice(WORDS) for _ in range(n)]
    words.insert(rng.randint(1, n - 1), str(rng.randint(2, 9999)))
    return " ".join(words).capitalize() + "."


def document(rng, sentences=None):
    return " ".join(sentence(rng) for _ in range(sentences or rng.randint(6, 30)))


def edit(rng, text):
    """A light rewrite: some words dropped, some sentences left out."""
    out = []
    for s in text.split(". "):
        if rng.random() < 0.2:
            continue
        out.append(" ".join(w for w in s.split() if rng.random() > 0.1))
    return ". ".join(out) or text


class Client:
    def __init__(self, base, token):
        self.base, self.token = base, token

    def call(self, method, path, body=None, write=False):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if write:
            req.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                r.read()
                return r.status
        except urllib.error.HTTPError as e:
            e.read()
            return e.code


def rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def pct(v, p):
    if not v:
        return None
    v = sorted(v)
    return v[min(len(v) - 1, int(p * len(v)))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/retrace")
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", default="/tmp/retrace-soak")
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--json", help="write the per-minute figures here")
    a = ap.parse_args()

    rng = random.Random(a.seed)
    os.makedirs(a.work, exist_ok=True)
    idx = os.path.join(a.work, "idx")
    subprocess.run(["rm", "-rf", idx], check=True)
    corpus = os.path.join(a.work, "corpus.jsonl")
    texts = {}
    with open(corpus, "w") as f:
        for k in range(a.docs):
            t = document(rng)
            texts["d%d" % k] = t
            f.write(json.dumps({"id": "d%d" % k, "text": t}) + "\n")
    subprocess.run([a.bin, "index", "--index", idx, corpus], check=True, stderr=subprocess.DEVNULL)
    token = "soak-token-%d" % a.seed
    tok = os.path.join(a.work, "token")
    with open(tok, "w") as f:
        f.write(token)
    srv = subprocess.Popen(
        [a.bin, "serve", "--index", idx, "--addr", "127.0.0.1:0", "--token-file", tok],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = srv.stdout.readline()
    base = line.strip().split("listening on ")[-1]
    if not base.startswith("http"):
        print("server did not start: %r" % line, file=sys.stderr)
        sys.exit(1)
    client = Client(base, token)
    lock = threading.Lock()
    ids = list(texts)
    stop = time.time() + a.minutes * 60
    minute = {"n": 0}
    stats = []  # per minute: {kind: [latencies]}, errors

    def bucket():
        m = int((time.time() - start) // 60)
        with lock:
            while len(stats) <= m:
                stats.append({"lat": {}, "errors": 0, "requests": 0, "rss_kb": None})
            return stats[m]

    def worker(wid):
        r = random.Random(a.seed * 1000 + wid)
        n = 0
        while time.time() < stop:
            n += 1
            x = r.random()
            with lock:
                pick = r.choice(ids) if ids else None
            if x < 0.70:
                kind = "check"
                text = edit(r, texts.get(pick) or document(r)) if r.random() < 0.7 else document(r)
                t = time.time()
                st = client.call("POST", "/v1/check", {"text": text, "top": 5})
                ok = st == 200
            elif x < 0.85:
                kind = "write"
                new = "w%d-%d" % (wid, n) if r.random() < 0.7 or not pick else pick
                text = document(r)
                t = time.time()
                st = client.call("POST", "/v1/documents", {"id": new, "text": text}, write=True)
                ok = st == 200
                if ok:
                    with lock:
                        if new not in texts:
                            ids.append(new)
                        texts[new] = text
            elif x < 0.95:
                kind = "get"
                t = time.time()
                st = client.call("GET", "/v1/documents/" + (pick or "none"))
                ok = st in (200, 404)  # another client may have deleted it
            else:
                kind = "delete"
                t = time.time()
                st = client.call("DELETE", "/v1/documents/" + (pick or "none"), write=True)
                ok = st in (200, 404)
                if st == 200:
                    with lock:
                        texts.pop(pick, None)
                        if pick in ids:
                            ids.remove(pick)
            dt = time.time() - t
            b = bucket()
            with lock:
                b["requests"] += 1
                b["lat"].setdefault(kind, []).append(dt)
                if not ok:
                    b["errors"] += 1
                    if b["errors"] <= 3:
                        print("error: %s -> %s" % (kind, st), file=sys.stderr)

    start = time.time()
    threads = [threading.Thread(target=worker, args=(w,), daemon=True) for w in range(a.clients)]
    for t in threads:
        t.start()
    tty = sys.stderr.isatty()
    while time.time() < stop:
        time.sleep(min(5, max(0.1, stop - time.time())))
        b = bucket()
        with lock:
            b["rss_kb"] = rss_kb(srv.pid)
        if tty:
            m = len(stats)
            print("\rminute %d/%d: %d requests, rss %s KB" % (m, int(a.minutes), b["requests"], b["rss_kb"]), end="", file=sys.stderr)
    for t in threads:
        t.join(timeout=180)
    if tty:
        print(file=sys.stderr)
    alive = srv.poll() is None
    srv.terminate()
    try:
        srv.wait(timeout=60)
    except subprocess.TimeoutExpired:
        srv.kill()

    rows = []
    for m, b in enumerate(stats[: int(a.minutes)]):
        row = {"minute": m + 1, "requests": b["requests"], "errors": b["errors"], "rss_mb": round((b["rss_kb"] or 0) / 1024, 1)}
        for kind, v in sorted(b["lat"].items()):
            row[kind + "_p50_ms"] = round(1000 * pct(v, 0.5), 1)
            row[kind + "_p99_ms"] = round(1000 * pct(v, 0.99), 1)
        rows.append(row)
    print("| minute | requests | errors | RSS MB | check p50 ms | check p99 ms | write p99 ms | get p99 ms |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| %d | %d | %d | %.1f | %s | %s | %s | %s |" % (
            r["minute"], r["requests"], r["errors"], r["rss_mb"], r.get("check_p50_ms"),
            r.get("check_p99_ms"), r.get("write_p99_ms"), r.get("get_p99_ms")))
    errors = sum(r["errors"] for r in rows)
    fails = []
    if errors or not alive:
        fails.append("%d errors%s" % (errors, "" if alive else ", server died"))
    if len(rows) >= 6:
        base_rss = rows[2]["rss_mb"] or 1
        if rows[-1]["rss_mb"] > 1.25 * base_rss:
            fails.append("RSS grew from %.1f MB (minute 3) to %.1f MB" % (base_rss, rows[-1]["rss_mb"]))
        third = max(1, (len(rows) - 1) // 3)
        first = [x for b in stats[1 : 1 + third] for x in b["lat"].get("check", [])]
        last = [x for b in stats[len(rows) - third : len(rows)] for x in b["lat"].get("check", [])]
        p_first, p_last = pct(first, 0.99), pct(last, 0.99)
        if p_first and p_last and p_last > 2 * p_first:
            fails.append("check p99 rose from %.0f ms to %.0f ms" % (1000 * p_first, 1000 * p_last))
    summary = {
        "minutes": len(rows),
        "clients": a.clients,
        "requests": sum(r["requests"] for r in rows),
        "errors": errors,
        "rss_mb_first": rows[0]["rss_mb"] if rows else None,
        "rss_mb_min3": rows[2]["rss_mb"] if len(rows) > 2 else None,
        "rss_mb_last": rows[-1]["rss_mb"] if rows else None,
        "ok": not fails,
        "failures": fails,
    }
    print(json.dumps(summary))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"summary": summary, "minutes": rows}, f, indent=1)
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
