#!/usr/bin/env python3
"""Crash-consistency harness for the retrace index (issue 20).

Kills `retrace index` (JSON Lines and directory inputs) and `retrace serve`
(with writes in flight) with SIGKILL at seeded random times, and checks after
each kill that the index opens, holds exactly the documents of one commit (ids
and text hashes), that `check` answers, and that a rerun (or a restarted
server) completes. Then the special cases: a second writer, a read-only index
directory and a full disk.

    python3 scripts/crash_harness.py --bin target/release/retrace --work /tmp/crash --quick
    python3 scripts/crash_harness.py --bin target/release/retrace --work /tmp/crash --runs 100 --seed 1

(--quick: 6 JSON Lines and 4 directory index runs, 4 serve runs and the
special cases, about a minute on 2 cores; the full run of 100: about 25 min.)

What "a commit" means, from the code: `retrace index` reads its inputs in
order (directories walked depth first, entries sorted by file name, hidden
entries skipped) and hands them to the writer in batches; the writer applies
the documents of a batch one at a time, in input order, and commits as soon as
the bytes of text it stored since the last commit reach `--commit-mb` MiB
(documents already stored with the same text count nothing), and once more at
the end. So after a kill the index must hold exactly the first K documents of
the input, where K is one of those commit points. The server answers a write
only after the commit that holds it, and applies each request whole before it
commits: every acknowledged document must be there, every request that was in
flight must be there whole or not at all, and nothing else.

The special cases: a second writer (`index`, `index --delete`, `serve
--token-file`) while an `index` run holds the lock is refused with a clear
message and the first run completes; on a read-only bind mount of an index
`stats`, `check` and a token-less `serve` work and `index` is refused with one
clear line; `index` into a small tmpfs fails with a clear "No space left on
device" (no panic), the index opens at a commit and, with room again, a rerun
completes; `serve` on a small tmpfs acknowledges writes until the disk is
full, then answers 500 with the cause, keeps every acknowledged document, and
a restarted server accepts writes. Mounting needs root (CAP_SYS_ADMIN); where
it is refused these cases are skipped with the reason.

Documents are read back through `retrace serve` (GET /v1/documents/{id}), the
only read path of the CLI that returns a stored text; `retrace stats --json`
gives the count. The corpus is synthetic: sentences generated from the word
list below with a seeded RNG.

Exit status: 0 when every run and special case held, 1 on any violation (the
details are printed, with the command line that reproduces the run), 2 on bad
usage. `--only KIND:SEED` reruns one run (same --seed and --quick for the same
corpus). Stdlib only (Python 3.11).
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

# --- synthetic corpus ---------------------------------------------------------

NOUNS = (
    "council budget harbour bridge river school hospital market railway station "
    "committee report factory farmer teacher engineer doctor lawyer bank museum "
    "library garden festival storm flood drought harvest mine tunnel airport "
    "tower castle village county province ministry court police union company "
    "contract treaty election survey census archive ledger vessel cargo engine "
    "turbine reservoir canal highway orchard vineyard quarry mill bakery clinic "
    "laboratory telescope satellite glacier forest meadow island peninsula valley"
).split()
VERBS = (
    "approved rejected announced delayed funded opened closed inspected repaired "
    "expanded reviewed measured recorded published questioned defended moved sold "
    "bought rebuilt replaced tested examined described praised criticised shipped "
    "delivered ordered cancelled postponed restored surveyed mapped reported"
).split()
ADJS = (
    "new old northern southern eastern western local regional national rural urban "
    "large small ancient modern busy quiet wooden stone iron coastal inland "
    "private public temporary permanent annual seasonal remote central"
).split()
NAMES = (
    "Amara Okafor|Bruno Lindqvist|Chen Wei|Dalia Haddad|Emil Novak|Farah Qureshi|"
    "Goran Petrovic|Hana Sato|Ivan Morales|Jana Kowalski|Kofi Mensah|Lena Brandt|"
    "Marek Zielinski|Nadia Rahman|Oskar Berg|Priya Nair|Quentin Moreau|Rosa Alves|"
    "Sami Korhonen|Tomas Ruiz|Ulla Jensen|Viktor Horvath|Wen Li|Yara Costa|Zoran Ilic"
).split("|")
PLACES = (
    "Ashford Brackley Calder Dunmore Elsworth Farrowby Glenhaven Harwick Ivybridge "
    "Jarrow Kelso Larkmoor Milbury Northgate Oakridge Penmarch Queensferry Redcliff "
    "Saltmarsh Thornbury Upwell Valemount Westerby Yarrowdale"
).split()
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = "January February March April May June July August September October November December".split()

TEMPLATES = (
    "The {adj} {noun} in {place} was {verb} on {day} after a long debate.",
    "{name} said the {noun} had {verb} the plan for the {adj} {noun2}.",
    "Officials in {place} {verb} {num} new contracts for the {noun} in {month}.",
    "According to {name}, the {adj} {noun} will cost about {num} thousand pounds.",
    "The {noun} was first {verb} in {year}, long before the {noun2} existed.",
    "Residents of {place} {verb} the {adj} {noun} at a meeting on {day}.",
    "A survey of {num} {noun}s found that most were {adj} and well kept.",
    "{name} and {name2} {verb} the {noun} report in {month} {year}.",
    "The {adj} {noun2} near {place} {verb} {num} visitors last {month}.",
    "Work on the {noun} stopped when the {noun2} was {verb} by the court.",
)


def make_text(rng: random.Random, serial: str, sentences: int) -> str:
    """A synthetic document; `serial` makes every text distinct."""
    out = [f"Record {serial}."]
    for i in range(sentences):
        t = rng.choice(TEMPLATES)
        out.append(
            t.format(
                adj=rng.choice(ADJS),
                noun=rng.choice(NOUNS),
                noun2=rng.choice(NOUNS),
                verb=rng.choice(VERBS),
                name=rng.choice(NAMES),
                name2=rng.choice(NAMES),
                place=rng.choice(PLACES),
                day=rng.choice(DAYS),
                month=rng.choice(MONTHS),
                year=rng.randint(1850, 2024),
                num=rng.randint(2, 990),
            )
        )
        if i % 6 == 5:
            out.append("\n\n")
    return " ".join(out).replace(" \n\n ", "\n\n").strip() + "\n"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Corpus:
    kind: str  # "jsonl" or "dir"
    input: str  # the INPUT argument of `retrace index`
    docs: list  # [(id, text)] in the order `retrace index` reads them
    lens: list = field(default_factory=list)  # UTF-8 bytes of each text

    def __post_init__(self):
        self.lens = [len(t.encode("utf-8")) for _, t in self.docs]

    @property
    def n(self) -> int:
        return len(self.docs)

    @property
    def mb(self) -> float:
        return sum(self.lens) / 1e6


def write_jsonl(path: str, docs: list) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for i, (id_, text) in enumerate(docs):
            rec = {"id": id_, "text": text}
            if i % 3 == 0:
                rec["source"] = "harness"
            f.write(json.dumps(rec) + "\n")


def gen_docs(rng: random.Random, prefix: str, n: int, lo: int, hi: int) -> list:
    return [
        (f"{prefix}{i:06d}", make_text(rng, f"{prefix}{i:06d}", rng.randint(lo, hi)))
        for i in range(n)
    ]


def make_jsonl_corpus(root: str, rng: random.Random, n: int, name: str) -> Corpus:
    docs = gen_docs(rng, f"{name}-", n, 8, 30)
    path = os.path.join(root, f"{name}.jsonl")
    write_jsonl(path, docs)
    return Corpus("jsonl", path, docs)


DEFAULT_EXTENSIONS = {
    "txt", "text", "md", "markdown", "html", "htm", "xhtml", "jsonl", "ndjson", "warc", "wet",
}


def walk_order(root: str) -> list:
    """The files `retrace index DIR` reads, in its order (walkdir sorted by
    file name, depth first, hidden entries skipped, default extensions)."""
    out = []

    def rec(d):
        for name in sorted(os.listdir(d), key=os.fsencode):
            if name.startswith("."):
                continue
            p = os.path.join(d, name)
            if os.path.isdir(p) and not os.path.islink(p):
                rec(p)
            elif os.path.isfile(p):
                ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
                if ext in DEFAULT_EXTENSIONS:
                    out.append(p)

    rec(root)
    return out


def make_dir_corpus(root: str, rng: random.Random, n: int) -> Corpus:
    top = os.path.join(root, "corpus-dir")
    shutil.rmtree(top, ignore_errors=True)
    os.makedirs(top)
    subdirs = ["alpha", "beta", "beta/deep", "Gamma", "delta-2", "delta_1"]
    for s in subdirs:
        os.makedirs(os.path.join(top, s))
    texts = {}
    for i in range(n):
        sub = rng.choice(subdirs + [""])
        name = f"doc-{rng.randint(0, 10**6):07d}-{i}.{rng.choice(['txt', 'txt', 'md'])}"
        p = os.path.join(top, sub, name) if sub else os.path.join(top, name)
        text = make_text(rng, f"dir-{i:06d}", rng.randint(8, 30))
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)
        texts[p] = text
    # files the walk skips: hidden ones and other extensions
    with open(os.path.join(top, ".hidden.txt"), "w") as f:
        f.write("hidden, not indexed\n")
    os.makedirs(os.path.join(top, ".git"))
    with open(os.path.join(top, ".git", "x.txt"), "w") as f:
        f.write("hidden dir, not indexed\n")
    with open(os.path.join(top, "alpha", "notes.dat"), "w") as f:
        f.write("not a text extension\n")
    order = walk_order(top)
    assert sorted(order) == sorted(texts), "walk model disagrees with the files written"
    return Corpus("dir", top, [(p, texts[p]) for p in order])


def commit_points(corpus: Corpus, start: int, commit_mb: float) -> set:
    """The document counts the index can hold after a run that started with
    the first `start` documents stored (see the module doc)."""
    limit = int(max(commit_mb, 0.01) * 1048576.0)
    pts = {start, corpus.n}
    acc = 0
    for i in range(start, corpus.n):
        acc += corpus.lens[i]
        if acc >= limit:
            pts.add(i + 1)
            acc = 0
    return pts


# --- processes ----------------------------------------------------------------

LIVE: list = []  # processes to kill if the harness stops


def spawn(args, **kw) -> subprocess.Popen:
    p = subprocess.Popen(args, **kw)
    LIVE.append(p)
    return p


def reap(p: subprocess.Popen) -> None:
    if p in LIVE:
        LIVE.remove(p)


def kill_all() -> None:
    for p in list(LIVE):
        if p.poll() is None:
            try:
                p.kill()
                p.wait(10)
            except Exception:
                pass
        reap(p)


@dataclass
class Result:
    rc: int
    out: str
    err: str
    secs: float


def run(args, timeout=600, stdin=None) -> Result:
    t = time.monotonic()
    p = spawn(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
              stdin=subprocess.DEVNULL if stdin is None else stdin)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        err += f"\n[harness: killed after {timeout} s timeout]"
        return Result(124, out, err, time.monotonic() - t)
    finally:
        reap(p)
    return Result(p.returncode, out, err, time.monotonic() - t)


def panicked(err: str) -> bool:
    # a Rust panic: "thread 'main' panicked at src/...:" (tantivy's own error
    # texts say "... or panicked." without being one)
    return bool(re.search(r"panicked at |stack backtrace|RUST_BACKTRACE", err))


def last_line(err: str) -> str:
    lines = [l for l in err.strip().splitlines() if l.strip()]
    return lines[-1] if lines else ""


class Violation(Exception):
    pass


class Inconclusive(Violation):
    """A scenario whose timing did not test what it meant to (the first
    writer finished before the second tried): tried again."""


class Server:
    """`retrace serve` on a free loopback port."""

    def __init__(self, bin_: str, index: str, logdir: str, token_file: str | None = None,
                 prefix: list | None = None, name: str = "serve"):
        args = list(prefix or []) + [bin_, "serve", "--index", index, "--addr", "127.0.0.1:0"]
        if token_file:
            args += ["--token-file", token_file]
        self.token = open(token_file).read().strip() if token_file else None
        self.errpath = os.path.join(logdir, f"{name}.stderr")
        self.errf = open(self.errpath, "w")
        env = dict(os.environ)
        env.pop("RETRACE_TOKEN", None)
        env.pop("RETRACE_READ_TOKEN", None)
        self.p = spawn(args, stdout=subprocess.PIPE, stderr=self.errf, env=env)
        self.port = None
        deadline = time.monotonic() + 90
        buf = b""
        while time.monotonic() < deadline:
            if self.p.poll() is not None:
                break
            r, _, _ = select.select([self.p.stdout], [], [], 0.2)
            if r:
                chunk = os.read(self.p.stdout.fileno(), 4096)
                if not chunk:
                    break
                buf += chunk
                m = re.search(rb"listening on http://127\.0\.0\.1:(\d+)", buf)
                if m:
                    self.port = int(m.group(1))
                    break
        if self.port is None:
            self.stop(kill=True)
            raise Violation(f"server did not start: {self.stderr().strip()[-2000:]}")
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def stderr(self) -> str:
        if not self.errf.closed:
            self.errf.flush()
        try:
            return open(self.errpath, errors="replace").read()
        except OSError:
            return ""

    def request(self, method, path, body=None, token=None):
        headers = {}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        for attempt in range(3):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                data = r.read()
                return r.status, data
            except (http.client.HTTPException, ConnectionError):
                if attempt == 2:
                    raise
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def get_doc(self, id_: str):
        """(text or None, metadata); None when 404."""
        st, data = self.request("GET", "/v1/documents/" + urllib.parse.quote(id_, safe=""))
        if st == 404:
            return None, None
        if st != 200:
            raise Violation(f"GET {id_!r}: HTTP {st}: {data[:300]!r}")
        v = json.loads(data)
        if v.get("id") != id_:
            raise Violation(f"GET {id_!r} answered id {v.get('id')!r}")
        return v["text"], v.get("metadata")

    def stop(self, kill=False) -> int | None:
        try:
            if self.p.poll() is None:
                if kill:
                    self.p.kill()
                else:
                    self.p.send_signal(signal.SIGTERM)
            rc = self.p.wait(60)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = self.p.wait()
            rc = f"hung on SIGTERM ({rc})"
        reap(self.p)
        self.errf.close()
        try:
            self.p.stdout.close()
        except Exception:
            pass
        return rc


# --- the harness --------------------------------------------------------------


class Harness:
    def __init__(self, args):
        self.a = args
        self.bin = os.path.abspath(args.bin)
        self.work = os.path.abspath(args.work)
        self.violations: list = []
        self.skipped: list = []
        self.lines: list = []
        self.counts: dict = {}
        self.kills = 0
        self.token_file = os.path.join(self.work, "token")

    # logging
    def say(self, s: str) -> None:
        print(s, flush=True)

    def violation(self, what: str, details: str, repro: str) -> None:
        self.violations.append((what, details, repro))
        self.say(f"    VIOLATION: {what}\n      {details}\n      reproduce: {repro}")

    def repro(self, kind: str, seed: int) -> str:
        q = " --quick" if self.a.quick else ""
        t = ""
        if kind != "special" and hasattr(self, "t_full"):
            # the measured run times the kill times were drawn from
            t = " --t-full " + ",".join(
                f"{x:.2f}" for x in (*self.t_full["jsonl"], *self.t_full["dir"], self.t_start))
        return (f"python3 scripts/crash_harness.py --bin {self.a.bin} --work {self.a.work} "
                f"--seed {self.a.seed}{q}{t} --only {kind}:{seed}")

    # set-up
    def setup(self) -> None:
        os.makedirs(self.work, exist_ok=True)
        for name in os.listdir(self.work):
            if name.startswith("run-") or name.startswith("special-"):
                shutil.rmtree(os.path.join(self.work, name), ignore_errors=True)
        with open(self.token_file, "w") as f:
            f.write("harness-token-" + str(self.a.seed) + "\n")
        q = self.a.quick
        rng = random.Random(f"corpus-{self.a.seed}-{q}")
        cdir = os.path.join(self.work, "corpus")
        shutil.rmtree(cdir, ignore_errors=True)
        os.makedirs(cdir)
        t = time.monotonic()
        self.jsonl = make_jsonl_corpus(cdir, rng, self.a.jsonl_docs or (700 if q else 5000), "docs")
        self.dir = make_dir_corpus(cdir, rng, self.a.dir_docs or (400 if q else 1600))
        self.small = make_jsonl_corpus(cdir, rng, 5, "small")
        self.prior = make_jsonl_corpus(cdir, rng, 60, "prior")
        self.say(
            f"corpus: {self.jsonl.n} JSON Lines records ({self.jsonl.mb:.1f} MB), "
            f"{self.dir.n} files ({self.dir.mb:.1f} MB) under {self.dir.input}, "
            f"generated in {time.monotonic() - t:.1f} s"
        )
        v = run([self.bin, "--version"], timeout=30)
        self.say(f"binary: {self.bin} ({(v.out or v.err).strip()})")

    CAL_MB = (0.05, 0.25)

    def calibrate(self) -> None:
        """Whole runs of each corpus at --commit-mb 0.05 and 0.25 (--quick: 0.05
        only): how long a run takes, so that kill times are drawn within it."""
        if hasattr(self, "t_full"):
            return
        if self.a.t_full:
            j1, j2, d1, d2, st = (float(x) for x in self.a.t_full.split(","))
            self.t_full, self.t_start = {"jsonl": (j1, j2), "dir": (d1, d2)}, st
            return
        self.t_full = {}
        for c in (self.jsonl, self.dir):
            secs = []
            for mb in self.CAL_MB[:1] if self.a.quick else self.CAL_MB:
                d = os.path.join(self.work, "run-calibrate-" + c.kind)
                shutil.rmtree(d, ignore_errors=True)
                r = run(self.index_cmd(d, c, mb))
                if r.rc != 0:
                    raise SystemExit(f"calibration run failed (rc {r.rc}): {r.err[-2000:]}")
                st = self.stats(d)
                secs.append(r.secs)
                # a run with nothing to do: the start-up (model, open) and the end
                r2 = run(self.index_cmd(d, c, mb))
                self.t_start = min(getattr(self, "t_start", r2.secs), r2.secs)
                self.say(
                    f"calibration: index {c.kind} --commit-mb {mb}: {r.secs:.1f} s, "
                    f"{st.get('documents')} documents, {st.get('passages')} passages, "
                    f"{st.get('segments')} segments, IVF lists {st.get('ivf_lists')}; "
                    f"a rerun with nothing to add: {r2.secs:.1f} s"
                )
                if st.get("documents") != c.n:
                    raise SystemExit(f"calibration: {st.get('documents')} documents, "
                                     f"expected {c.n}")
                shutil.rmtree(d, ignore_errors=True)
            self.t_full[c.kind] = (secs[0], secs[-1])

    def run_secs(self, kind: str, commit_mb: float) -> float:
        """A whole run's expected time: a + b / commit_mb through the two
        calibration points (the commits cost most)."""
        t1, t2 = self.t_full[kind]
        m1, m2 = self.CAL_MB
        b = (t1 - t2) / (1 / m1 - 1 / m2)
        return max(self.t_start, t1 - b / m1 + b / commit_mb)

    def index_cmd(self, d: str, c: Corpus, commit_mb: float) -> list:
        return [self.bin, "index", "--index", d, c.input, "--commit-mb", f"{commit_mb}"]

    def stats(self, d: str, prefix=None) -> dict:
        r = run(list(prefix or []) + [self.bin, "stats", "--json", "--index", d], timeout=120)
        if r.rc != 0:
            raise Violation(f"stats failed (rc {r.rc}): {last_line(r.err)}")
        if panicked(r.err):
            raise Violation(f"stats panicked: {r.err[-1500:]}")
        return json.loads(r.out)

    # verification of an index against a corpus prefix
    def verify_prefix(self, d: str, c: Corpus, points: set, rundir: str, rng: random.Random,
                      full: bool, expect_n: int | None = None, prefix=None) -> int:
        """Checks that `d` holds exactly the first K documents of `c` with K in
        `points`; returns K. `full`: fetch every stored document (else a
        sample plus the edges)."""
        self.last_ivf = None
        unclaimed = not os.path.isdir(d) or all(
            n.startswith(".retrace-index.json.tmp") for n in os.listdir(d))
        if unclaimed:
            if 0 not in points:
                raise Violation("the index directory is empty or gone after the kill")
            return 0  # killed before the index was created
        st = self.stats(d, prefix)
        k = st["documents"]
        self.last_ivf = st.get("ivf_lists")
        if st.get("duplicates"):
            raise Violation(f"{st['duplicates']} duplicates recorded (all texts differ)")
        if expect_n is not None and k != expect_n:
            raise Violation(f"{k} documents stored, expected {expect_n}")
        if k > c.n:
            raise Violation(f"{k} documents stored, more than the {c.n} of the input")
        srv = Server(self.bin, d, rundir, prefix=prefix, name=f"verify-{time.monotonic_ns()}")
        try:
            if full:
                idx = range(k)
            else:
                idx = sorted(set(rng.sample(range(k), min(k, 150)))
                             | set(range(max(0, k - 5), k)) | set(range(min(k, 5))))
            bad = []
            for i in idx:
                id_, text = c.docs[i]
                got, _ = srv.get_doc(id_)
                if got is None:
                    bad.append(f"#{i} {id_!r} missing")
                elif sha(got) != sha(text):
                    bad.append(f"#{i} {id_!r} text differs (sha256 {sha(got)[:12]} != {sha(text)[:12]})")
                if len(bad) >= 10:
                    break
            for i in range(k, min(c.n, k + 3)):
                got, _ = srv.get_doc(c.docs[i][0])
                if got is not None:
                    bad.append(f"#{i} {c.docs[i][0]!r} present beyond the {k} counted")
            if bad:
                raise Violation(f"{k} documents counted, not the first {k} of the input: "
                                + "; ".join(bad))
        finally:
            rc = srv.stop()
            if panicked(srv.stderr()):
                raise Violation(f"the verifying server panicked: {srv.stderr()[-1500:]}")
            if rc != 0:
                raise Violation(f"the verifying server exited {rc} on SIGTERM: {srv.stderr()[-800:]}")
        if k not in points:
            near = sorted(points, key=lambda p: abs(p - k))[:3]
            raise Violation(f"{k} documents stored: a prefix, but not at a commit point "
                            f"(nearest commit points {near})")
        self.check_answers(d, c.docs[rng.randrange(k)] if k else None, rundir, prefix)
        return k

    def check_answers(self, d: str, doc, rundir: str, prefix=None) -> None:
        """`retrace check` on a stored document finds it (on an empty index:
        answers)."""
        sus = os.path.join(rundir, "suspect.txt")
        with open(sus, "w", encoding="utf-8") as f:
            f.write(doc[1] if doc else make_text(random.Random(1), "nothing", 10))
        r = run(list(prefix or []) + [self.bin, "check", "--json", "--index", d, sus], timeout=300)
        if r.rc != 0 or panicked(r.err):
            raise Violation(f"check failed (rc {r.rc}): {r.err.strip()[-1500:]}")
        if doc:
            ids = [s["id"] for s in json.loads(r.out).get("sources", [])]
            if not ids or ids[0] != doc[0]:
                raise Violation(f"check of the stored document {doc[0]!r} reports {ids[:3]}")

    # one index run: [a kill on a fresh index ->] a kill -> verify -> rerun -> verify
    def index_run(self, kind: str, seed: int, num: str) -> None:
        self.calibrate()
        c = self.jsonl if kind == "index-jsonl" else self.dir
        rng = random.Random(seed)
        rundir = os.path.join(self.work, f"run-{kind}-{seed}")
        shutil.rmtree(rundir, ignore_errors=True)
        os.makedirs(rundir)
        d = os.path.join(rundir, "ix")
        commit_mb = rng.choice([0.05] if self.a.quick else [0.05, 0.05, 0.1, 0.25])
        partial = rng.random() < 0.35
        t_full = self.run_secs(c.kind, commit_mb)
        stored = 0
        phases = ["partial", "kill"] if partial else ["kill"]
        desc = []
        try:
            for ph in phases:
                start = stored
                left = self.t_start + (t_full - self.t_start) * (c.n - start) / c.n
                r = rng.random()
                if r < 0.12:
                    t_kill = rng.uniform(0.0, 0.4)  # start-up: model, create
                elif r < 0.2:
                    t_kill = left * rng.uniform(0.9, 1.1)  # around the end
                else:
                    t_kill = left * rng.uniform(0.05, 0.9)
                errp = os.path.join(rundir, f"index-{ph}.stderr")
                with open(errp, "w") as ef:
                    t0 = time.monotonic()
                    p = spawn(self.index_cmd(d, c, commit_mb), stdout=subprocess.DEVNULL,
                              stderr=ef, stdin=subprocess.DEVNULL)
                    try:
                        p.wait(t_kill)
                        finished = True
                    except subprocess.TimeoutExpired:
                        finished = False
                        os.kill(p.pid, signal.SIGKILL)
                        p.wait()
                    reap(p)
                    ran = time.monotonic() - t0
                self.kills += 0 if finished else 1
                err = open(errp, errors="replace").read()
                if panicked(err):
                    raise Violation(f"index panicked before the kill: {err[-1500:]}")
                if finished and p.returncode != 0:
                    raise Violation(f"index exited {p.returncode} before the kill: {last_line(err)}")
                pts = commit_points(c, start, commit_mb)
                k = self.verify_prefix(d, c, {c.n} if finished else pts, rundir, rng, full=False)
                if k < start:
                    raise Violation(f"{k} documents after the kill, {start} before the run")
                stored = k
                what = "completed before the kill" if finished else "killed"
                desc.append(f"{ph}: start={start} kill={t_kill:.2f}s ({what} at {ran:.2f}s) "
                            f"docs-at-kill={k}/{c.n} ivf={self.last_ivf}")
            # the rerun completes and gives every document
            r = run(self.index_cmd(d, c, commit_mb), timeout=900)
            if r.rc != 0 or panicked(r.err):
                raise Violation(f"rerun failed (rc {r.rc}): {r.err.strip()[-1500:]}")
            m = re.search(r"indexed (\d+) documents.*?: (\d+) added, (\d+) replaced, "
                          r"(\d+) duplicates, (\d+) unchanged", r.err)
            if not m:
                raise Violation(f"rerun: no summary line: {r.err[-500:]}")
            got = tuple(int(x) for x in m.groups())
            want = (c.n, c.n - stored, 0, 0, stored)
            if got != want:
                raise Violation(f"rerun reports {m.group(0)!r}; expected {want[1]} added, "
                                f"{want[4]} unchanged")
            self.verify_prefix(d, c, {c.n}, rundir, rng, full=self.a.full_verify, expect_n=c.n)
            desc.append(f"rerun={c.n}/{c.n} in {r.secs:.1f}s")
            self.pass_(kind, num, seed, f"commit-mb={commit_mb} " + " ".join(desc))
            if not self.a.keep:
                shutil.rmtree(rundir, ignore_errors=True)
        except Violation as e:
            self.fail(kind, num, seed, f"commit-mb={commit_mb} " + " ".join(desc), str(e), rundir)

    # one serve run: writes from 2 threads, kill -9, verify, restart, write
    def serve_run(self, kind: str, seed: int, num: str) -> None:
        rng = random.Random(seed)
        rundir = os.path.join(self.work, f"run-{kind}-{seed}")
        shutil.rmtree(rundir, ignore_errors=True)
        os.makedirs(rundir)
        d = os.path.join(rundir, "ix")
        prior = []
        desc = ""
        try:
            if rng.random() < 0.5:
                # a partially built index: some documents indexed by the CLI
                r = run(self.index_cmd(d, self.prior, 64), timeout=300)
                if r.rc != 0:
                    raise Violation(f"prior index failed (rc {r.rc}): {last_line(r.err)}")
                prior = list(self.prior.docs)
            srv = Server(self.bin, d, rundir, token_file=self.token_file, name="serve-killed")
            lock = threading.Lock()
            acked: dict = {}
            unknown: list = []  # requests in flight at the kill (or answered non-200)
            unsent: list = []  # requests refused before they were sent
            errors: list = []
            stop = threading.Event()
            counts = [0, 0]

            def writer(t: int) -> None:
                wr = random.Random(seed * 7 + t)
                conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=120)
                n = 0
                while not stop.is_set():
                    docs = []
                    for _ in range(wr.randint(1, 6)):
                        id_ = f"s{seed}-t{t}-{n:05d}"
                        docs.append((id_, make_text(wr, id_, wr.randint(4, 24))))
                        n += 1
                    one = len(docs) == 1 and wr.random() < 0.5
                    recs = [{"id": i, "text": x, "thread": t} for i, x in docs]
                    body = json.dumps(recs[0] if one else recs)
                    sent = False
                    try:
                        conn.putrequest("POST", "/v1/documents")
                        conn.putheader("Content-Type", "application/json")
                        conn.putheader("Authorization", f"Bearer {srv.token}")
                        conn.putheader("Content-Length", str(len(body.encode())))
                        conn.endheaders()
                        sent = True  # from here the server may have read it
                        conn.send(body.encode())
                        resp = conn.getresponse()
                        data = resp.read()
                    except (OSError, http.client.HTTPException) as e:
                        with lock:
                            (unknown if sent else unsent).append((docs, repr(e)))
                        return
                    with lock:
                        if resp.status == 200:
                            v = json.loads(data)
                            if v.get("ids") != [i for i, _ in docs] or v.get("added") != len(docs):
                                errors.append(f"POST answered {data[:300]!r}")
                            for i, x in docs:
                                acked[i] = x
                            counts[t] += 1
                        else:
                            unknown.append((docs, f"HTTP {resp.status} {data[:200]!r}"))
                            errors.append(f"POST answered HTTP {resp.status}: {data[:200]!r}")
                            return

            threads = [threading.Thread(target=writer, args=(t,), daemon=True) for t in (0, 1)]
            hi = 1.5 if self.a.quick else 3.0
            t_kill = rng.uniform(0.05, hi)
            t0 = time.monotonic()
            for th in threads:
                th.start()
            time.sleep(t_kill)
            os.kill(srv.p.pid, signal.SIGKILL)
            srv.stop()
            self.kills += 1
            stop.set()
            for th in threads:
                th.join(120)
            if any(th.is_alive() for th in threads):
                raise Violation("a writer thread did not return after the kill")
            if panicked(srv.stderr()):
                raise Violation(f"server panicked: {srv.stderr()[-1500:]}")
            n_unknown = sum(len(x) for x, _ in unknown)
            desc = (f"start={'prior' if prior else 'fresh'}({len(prior)}) kill={t_kill:.2f}s "
                    f"acked={len(acked)} docs in {sum(counts)} requests, in-flight={n_unknown}")
            if errors:
                raise Violation("; ".join(errors[:5]))
            # verify: the index opens; acknowledged = durable; nothing else
            st = self.stats(d)
            k = st["documents"]
            srv = Server(self.bin, d, rundir, token_file=self.token_file, name="serve-restarted")
            try:
                bad = []
                for id_, text in prior + list(acked.items()):
                    got, _ = srv.get_doc(id_)
                    if got is None:
                        bad.append(f"{id_!r} (acknowledged) missing")
                    elif sha(got) != sha(text):
                        bad.append(f"{id_!r} text differs")
                    if len(bad) >= 10:
                        break
                present_unknown = 0
                for docs, why in unknown:
                    here = [srv.get_doc(i)[0] for i, _ in docs]
                    n_here = sum(x is not None for x in here)
                    if n_here not in (0, len(docs)):
                        bad.append(f"a request in flight is half there ({n_here}/{len(docs)}: "
                                   f"{[i for i, _ in docs]})")
                    for (i, x), g in zip(docs, here):
                        if g is not None and sha(g) != sha(x):
                            bad.append(f"{i!r} (in flight) text differs")
                    present_unknown += n_here
                for docs, why in unsent:
                    for i, _ in docs:
                        if srv.get_doc(i)[0] is not None:
                            bad.append(f"{i!r} present, never sent ({why})")
                expected = len(prior) + len(acked) + present_unknown
                if k != expected:
                    bad.append(f"{k} documents counted; {len(prior)} prior + {len(acked)} "
                               f"acknowledged + {present_unknown} of the in-flight = {expected}")
                if bad:
                    raise Violation("; ".join(bad))
                # the restarted server accepts a write, and finds it
                new_id = f"s{seed}-after-restart"
                new_text = make_text(rng, new_id, 12)
                stc, data = srv.request("POST", "/v1/documents",
                                        json.dumps({"id": new_id, "text": new_text}),
                                        token=srv.token)
                if stc != 200:
                    raise Violation(f"restarted server: POST answered HTTP {stc}: {data[:300]!r}")
                got, _ = srv.get_doc(new_id)
                if got is None or sha(got) != sha(new_text):
                    raise Violation("restarted server: the new document is not readable")
            finally:
                rc = srv.stop()
                if rc != 0:
                    raise Violation(f"restarted server exited {rc} on SIGTERM: "
                                    f"{srv.stderr()[-800:]}")
            st2 = self.stats(d)
            if st2["documents"] != k + 1:
                raise Violation(f"{st2['documents']} documents after the restart write, "
                                f"expected {k + 1}")
            sample = (list(acked.items()) + prior)
            self.check_answers(d, rng.choice(sample) if sample else None, rundir)
            desc += f" present-in-flight={present_unknown} docs-at-kill={k} restart-write=ok"
            self.pass_(kind, num, seed, desc)
            if not self.a.keep:
                shutil.rmtree(rundir, ignore_errors=True)
        except Violation as e:
            self.fail(kind, num, seed, desc, str(e), rundir)

    def pass_(self, kind, num, seed, desc) -> None:
        self.counts.setdefault(kind, [0, 0])[0] += 1
        self.say(f"[{num}] {kind} seed={seed} {desc} verdict=ok")

    def fail(self, kind, num, seed, desc, why, rundir) -> None:
        self.counts.setdefault(kind, [0, 0])[1] += 1
        self.say(f"[{num}] {kind} seed={seed} {desc} verdict=VIOLATION")
        self.violation(f"{kind} seed={seed}", f"{why} (files kept in {rundir})",
                       self.repro(kind, seed))

    # --- special cases ----------------------------------------------------------

    def special(self, name: str, fn) -> None:
        rundir = os.path.join(self.work, f"special-{name}")
        shutil.rmtree(rundir, ignore_errors=True)
        os.makedirs(rundir)
        try:
            verdict = fn(rundir)
            if verdict.startswith("skipped"):
                self.skipped.append(f"{name}: {verdict}")
            self.counts.setdefault("special", [0, 0])[0] += 1
            self.say(f"[special] {name}: {verdict}")
            if not self.a.keep and not verdict.startswith("skipped"):
                shutil.rmtree(rundir, ignore_errors=True)
        except Violation as e:
            self.counts.setdefault("special", [0, 0])[1] += 1
            self.say(f"[special] {name}: VIOLATION")
            self.violation(f"special {name}", f"{e} (files kept in {rundir})", self.repro("special", 0)
                           .replace("--only special:0", f"--only special:{name}"))

    def second_writer(self, rundir: str) -> str:
        # (a loaded machine can let the first writer finish before every
        # refusal was tried: that run proves nothing either way, so it is
        # tried again, in a fresh directory)
        for attempt in range(3):
            sub = os.path.join(rundir, f"try{attempt}")
            os.makedirs(sub, exist_ok=True)
            try:
                return self.second_writer_once(sub)
            except Inconclusive as e:
                last = e
        raise Violation(f"{last} (three tries)")

    def second_writer_once(self, rundir: str) -> str:
        c = self.jsonl
        d = os.path.join(rundir, "ix")
        errp = os.path.join(rundir, "first.stderr")
        ef = open(errp, "w")
        first = spawn(self.index_cmd(d, c, 0.05), stdout=subprocess.DEVNULL, stderr=ef)
        try:
            meta = os.path.join(d, "tantivy", "meta.json")
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and first.poll() is None:
                try:
                    if "next_seq" in open(meta).read():
                        break
                except OSError:
                    pass
                time.sleep(0.02)
            if first.poll() is not None:
                raise Inconclusive("the first index run ended before a second writer could try")
            out = []
            # (the server first: its start-up is the slowest of the tries)
            try:
                srv = Server(self.bin, d, rundir, token_file=self.token_file, name="second-serve")
                alive = first.poll() is None
                srv.stop()
                serve_msg = None
            except Violation as e:
                serve_msg = str(e)
                alive = True
            if serve_msg is None and not alive:
                raise Inconclusive("the first index run ended before serve could be refused")
            second = run([self.bin, "index", "--index", d, self.small.input], timeout=120)
            delete = run([self.bin, "index", "--index", d, "--delete", c.docs[0][0]], timeout=120)
            reading = run([self.bin, "stats", "--json", "--index", d], timeout=120)
            # (the refusals are judged only if the first writer ran
            # through all of them: else the run is tried again)
            if first.poll() is not None:
                raise Inconclusive("the first run ended before all refusals were tried")
            for what, r in (("index", second), ("index --delete", delete)):
                msg = last_line(r.err)
                if r.rc == 0 or panicked(r.err) or "another process is writing" not in msg:
                    raise Violation(f"second writer ({what}) not refused clearly: rc {r.rc}: "
                                    f"{r.err.strip()[-800:]}")
                out.append(f"{what}: exit {r.rc}, {msg!r}")
            if serve_msg is None:
                raise Violation("a second writer (serve --token-file) started")
            if "another process is writing" not in serve_msg or panicked(serve_msg):
                raise Violation(f"serve as second writer: unclear refusal: {serve_msg}")
            out.append("serve --token-file: refused at start-up ("
                       + last_line(serve_msg.split("server did not start: ", 1)[-1]) + ")")
            if reading.rc != 0:
                raise Violation(f"stats while a writer runs failed: {last_line(reading.err)}")
            rc = first.wait(900)
            reap(first)
            ef.close()
            if rc != 0:
                raise Violation(f"the first writer failed after the refusals: rc {rc}: "
                                f"{open(errp).read()[-800:]}")
            self.verify_prefix(d, c, {c.n}, rundir, random.Random(5), full=False, expect_n=c.n)
            return "ok; " + "; ".join(out) + f"; the first completed with {c.n} documents"
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
            reap(first)
            if not ef.closed:
                ef.close()

    def read_only(self, rundir: str) -> str:
        c = self.prior
        d = os.path.join(rundir, "ix")
        r = run(self.index_cmd(d, c, 64), timeout=300)
        if r.rc != 0:
            raise Violation(f"building the index failed: {last_line(r.err)}")
        ro = os.path.join(rundir, "ro")
        os.makedirs(ro)
        prefix: list = []
        mounted = False
        m1 = run(["mount", "--bind", d, ro], timeout=30)
        if m1.rc == 0:
            m2 = run(["mount", "-o", "remount,ro,bind", ro], timeout=30)
            if m2.rc == 0:
                mounted = True
            else:
                run(["umount", ro], timeout=30)
        how = "bind mount"
        if not mounted:
            # a private mount namespace for each command
            probe = run(["unshare", "-m", "--map-root-user", "true"], timeout=30)
            if probe.rc != 0:
                return (f"skipped: cannot make a read-only mount (mount: {last_line(m1.err)}; "
                        f"unshare: {last_line(probe.err)})")
            prefix = ["unshare", "-m", "--map-root-user", "sh", "-c",
                      'mount --bind "$0" "$1" && mount -o remount,ro,bind "$1" && shift && exec "$@"',
                      d, ro]
            how = "unshare + bind mount"
        try:
            w = run(prefix + ["touch", os.path.join(ro, "probe")], timeout=30)
            if w.rc == 0:
                return "skipped: the read-only mount accepts writes (not effective here)"
            out = [f"{how}, touch refused ({last_line(w.err)})"]
            problems = []
            try:
                st = self.stats(ro, prefix)
                if st["documents"] != c.n:
                    problems.append(f"stats: {st['documents']} documents, expected {c.n}")
                else:
                    out.append("stats ok")
            except Violation as e:
                problems.append(str(e))
            try:
                self.check_answers(ro, c.docs[3], rundir, prefix)
                out.append("check ok")
            except Violation as e:
                problems.append(str(e))
            r = run(prefix + [self.bin, "index", "--index", ro, self.small.input], timeout=300)
            msg = last_line(r.err)
            if r.rc == 0 or panicked(r.err):
                problems.append(f"index on the read-only index: rc {r.rc}: {r.err.strip()[-800:]}")
            elif "read-only" not in msg.lower() or "another process" in msg:
                problems.append(f"index on the read-only index: unclear error (exit {r.rc}): {msg!r}")
            else:
                out.append(f"index refused: exit {r.rc}, {msg!r}")
            if len(r.err.strip().splitlines()) > 1:
                problems.append(f"index on the read-only index: more than one line: {r.err.strip()!r}")
            try:
                srv = Server(self.bin, ro, rundir, prefix=prefix, name="ro-serve")
                try:
                    got, _ = srv.get_doc(c.docs[0][0])
                    if got is None or sha(got) != sha(c.docs[0][1]):
                        problems.append("serve (no token) on the read-only index: GET failed")
                    else:
                        out.append("serve (read-only) GET ok")
                finally:
                    srv.stop()
            except Violation as e:
                problems.append(f"serve (no token) on the read-only index: {e}")
            if problems:
                raise Violation("; ".join(problems))
            return "ok; " + "; ".join(out)
        finally:
            if mounted:
                run(["umount", ro], timeout=30)

    def disk_full(self, rundir: str) -> str:
        mnt = os.path.join(rundir, "tmpfs")
        os.makedirs(mnt)
        size_mb = 8 if self.a.quick else 16
        m = run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", mnt], timeout=30)
        if m.rc != 0:
            return f"skipped: cannot mount a tmpfs ({last_line(m.err)})"
        try:
            # a corpus whose index does not fit: ~1x the text on disk
            rng = random.Random(f"full-{self.a.seed}")
            big = make_jsonl_corpus(rundir, rng, int(size_mb * 1.6 * 1e6 / 1400), "big")
            d = os.path.join(mnt, "ix")
            commit_mb = 1.0
            r = run(self.index_cmd(d, big, commit_mb), timeout=900)
            err = r.err.strip()
            msg = last_line(err)
            if r.rc == 0:
                st = self.stats(d)
                raise Violation(f"{big.mb:.1f} MB indexed into a {size_mb} MB tmpfs without an "
                                f"error ({st['disk_bytes'] / 1e6:.1f} MB on disk): make the corpus bigger")
            problems = []
            if panicked(err):
                problems.append(f"panic: {err[-1500:]}")
            if "No space left" not in msg and "os error 28" not in msg:
                problems.append(f"the last line does not say the disk is full: {msg!r}")
            if not msg.startswith("retrace:"):
                problems.append(f"the error is not a retrace error line: {msg!r}")
            nlines = len(err.splitlines())
            # the index still opens at a commit
            try:
                k = self.verify_prefix(d, big, commit_points(big, 0, commit_mb), rundir,
                                       random.Random(9), full=False)
            except Violation as e:
                problems.append(f"after the disk filled: {e}")
                k = None
            if problems:
                raise Violation(f"index into a full disk (exit {r.rc}, {nlines} stderr lines): "
                                + "; ".join(problems))
            # with room again, a rerun completes
            run(["mount", "-o", "remount,size=512m", mnt], timeout=30)
            r2 = run(self.index_cmd(d, big, commit_mb), timeout=900)
            if r2.rc != 0:
                raise Violation(f"rerun with room again failed (rc {r2.rc}): {last_line(r2.err)}")
            st = self.stats(d)
            if st["documents"] != big.n:
                raise Violation(f"rerun with room again: {st['documents']} of {big.n} documents")
            return (f"ok; {big.mb:.1f} MB into {size_mb} MB: exit {r.rc} after {r.secs:.1f} s, "
                    f"{nlines} stderr line(s), last {msg!r}; index opens at a commit with {k} "
                    f"documents, check answers; with room again a rerun completes ({big.n})")
        finally:
            run(["umount", "-l", mnt], timeout=30)

    def disk_full_serve(self, rundir: str) -> str:
        mnt = os.path.join(rundir, "tmpfs")
        os.makedirs(mnt)
        size_mb = 4 if self.a.quick else 8
        m = run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", mnt], timeout=30)
        if m.rc != 0:
            return f"skipped: cannot mount a tmpfs ({last_line(m.err)})"
        try:
            d = os.path.join(mnt, "ix")
            rng = random.Random(f"full-serve-{self.a.seed}")
            srv = Server(self.bin, d, rundir, token_file=self.token_file, name="full-serve")
            acked: dict = {}
            failed: list = []  # (docs, status, message)
            n = 0
            t0 = time.monotonic()
            try:
                while len(failed) < 3 and time.monotonic() - t0 < 300:
                    docs = []
                    for _ in range(20):
                        id_ = f"full-{n:06d}"
                        docs.append((id_, make_text(rng, id_, 20)))
                        n += 1
                    st, data = srv.request(
                        "POST", "/v1/documents",
                        json.dumps([{"id": i, "text": x} for i, x in docs]), token=srv.token)
                    if st == 200:
                        if failed:
                            raise Violation("a write succeeded after a failed one (the writer "
                                            "should stop at its first failure)")
                        acked.update(docs)
                        continue
                    try:
                        msg = json.loads(data)["error"]["message"]
                    except (ValueError, KeyError, TypeError):
                        raise Violation(f"HTTP {st} without a JSON error: {data[:300]!r}")
                    failed.append((docs, st, msg))
                if not failed:
                    raise Violation(f"{len(acked)} documents written into a {size_mb} MB tmpfs "
                                    "without an error: write more")
                healthy, _ = srv.request("GET", "/healthz")
                got, _ = srv.get_doc(next(iter(acked))) if acked else (None, None)
            finally:
                rc = srv.stop()
            problems = []
            first_msg = failed[0][2]
            if "No space left" not in first_msg and "os error 28" not in first_msg:
                problems.append(f"the first failed write does not say the disk is full: "
                                f"{first_msg!r}")
            if any(st != 500 for _, st, _ in failed):
                problems.append(f"failed writes answered {[st for _, st, _ in failed]}")
            if panicked(srv.stderr()):
                problems.append(f"server panicked: {srv.stderr()[-1500:]}")
            if healthy != 200 or (acked and got is None):
                problems.append("the server stopped reading after the disk filled")
            # acknowledged = durable; failed requests are whole or absent
            st = self.stats(d)
            srv = Server(self.bin, d, rundir, name="full-serve-verify")
            try:
                bad = [i for i, x in acked.items() if (srv.get_doc(i)[0] or "") != x]
                present = 0
                for docs, _, _ in failed:
                    here = sum(srv.get_doc(i)[0] is not None for i, _ in docs)
                    if here not in (0, len(docs)):
                        problems.append(f"a failed request is half there ({here}/{len(docs)})")
                    present += here
            finally:
                srv.stop()
            if bad:
                problems.append(f"{len(bad)} acknowledged documents missing or changed, "
                                f"e.g. {bad[:3]}")
            if st["documents"] != len(acked) + present:
                problems.append(f"{st['documents']} documents; {len(acked)} acknowledged + "
                                f"{present} of the failed requests")
            if problems:
                raise Violation("; ".join(problems))
            # with room again a restarted server accepts writes
            run(["mount", "-o", "remount,size=256m", mnt], timeout=30)
            srv = Server(self.bin, d, rundir, token_file=self.token_file, name="full-serve-again")
            try:
                st2, data = srv.request("POST", "/v1/documents",
                                        json.dumps({"id": "after", "text": make_text(rng, "x", 9)}),
                                        token=srv.token)
            finally:
                rc2 = srv.stop()
            if st2 != 200 or rc2 != 0:
                raise Violation(f"restarted with room: POST HTTP {st2}, exit {rc2}: {data[:300]!r}")
            return (f"ok; {len(acked)} documents acknowledged, then HTTP {failed[0][1]} "
                    f"{first_msg!r}, later writes refused ({failed[-1][2][:90]!r}...); "
                    f"reads go on; SIGTERM exit {rc}; all acknowledged documents there, "
                    f"{present} of the failed; restarted with room, a write is accepted")
        finally:
            run(["umount", "-l", mnt], timeout=30)

    # --- driver -----------------------------------------------------------------

    def plan(self) -> list:
        rng = random.Random(f"plan-{self.a.seed}")
        n = self.a.runs if self.a.runs is not None else (14 if self.a.quick else 100)
        nj = round(n * 0.4)
        ns = max(1, round(n * 0.3)) if n >= 3 else 0
        nd = n - nj - ns
        if self.a.quick and self.a.runs is None:
            nj, nd, ns = 6, 4, 4
        runs = ([("index-jsonl", rng.randrange(1, 2**31)) for _ in range(nj)]
                + [("index-dir", rng.randrange(1, 2**31)) for _ in range(nd)]
                + [("serve", rng.randrange(1, 2**31)) for _ in range(ns)])
        rng.shuffle(runs)
        return runs

    def main(self) -> int:
        t0 = time.monotonic()
        self.setup()
        specials = {
            "second-writer": self.second_writer,
            "read-only": self.read_only,
            "disk-full": self.disk_full,
            "disk-full-serve": self.disk_full_serve,
        }
        if self.a.only:
            kind, _, s = self.a.only.partition(":")
            if kind == "special":
                if s not in specials:
                    raise SystemExit(f"--only special:NAME: one of {', '.join(specials)}")
                self.special(s, specials[s])
            elif kind in ("index-jsonl", "index-dir"):
                self.index_run(kind, int(s), "1/1")
            elif kind == "serve":
                self.serve_run(kind, int(s), "1/1")
            else:
                raise SystemExit(f"--only: unknown kind {kind!r}")
        else:
            runs = self.plan()
            for i, (kind, seed) in enumerate(runs):
                num = f"{i + 1:3d}/{len(runs)}"
                try:
                    (self.serve_run if kind == "serve" else self.index_run)(kind, seed, num)
                except Exception as e:  # the harness itself (e.g. the host disk filled)
                    self.fail(kind, num, seed, "", f"harness error: {e!r}",
                              os.path.join(self.work, f"run-{kind}-{seed}"))
            if not self.a.no_special:
                for name, fn in specials.items():
                    self.special(name, fn)
        wall = time.monotonic() - t0
        per = ", ".join(f"{k} {v[0] + v[1]} ({v[1]} violations)" for k, v in self.counts.items())
        self.say(
            f"summary: {sum(v[0] + v[1] for k, v in self.counts.items() if k != 'special')} runs, "
            f"{self.kills} kills; {per}; skipped {len(self.skipped)}"
            f"{' (' + '; '.join(self.skipped) + ')' if self.skipped else ''}; "
            f"violations {len(self.violations)}; wall {wall:.1f} s"
        )
        if self.violations:
            self.say("violations:")
            for what, details, repro in self.violations:
                self.say(f"  - {what}: {details}\n    reproduce: {repro}")
            return 1
        return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, help="kill runs in all (40%% index JSON Lines, 30%% "
                    "index directory, 30%% serve; default 100, --quick 14)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bin", default="target/release/retrace", help="the retrace binary")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "retrace-crash"),
                    help="scratch directory (its run-* and special-* entries are replaced)")
    ap.add_argument("--quick", action="store_true",
                    help="a short run for CI: 6 + 4 index runs, 4 serve runs, the special cases")
    ap.add_argument("--only", metavar="KIND:SEED",
                    help="one run: index-jsonl:S, index-dir:S, serve:S or special:NAME")
    ap.add_argument("--no-special", action="store_true", help="skip the special cases")
    ap.add_argument("--full-verify", action="store_true",
                    help="after each rerun fetch every document (default: a sample)")
    ap.add_argument("--keep", action="store_true", help="keep the directories of passed runs")
    ap.add_argument("--t-full", metavar="J1,J2,D1,D2,START",
                    help="seconds of whole JSON Lines runs (--commit-mb 0.05, 0.25), whole "
                    "directory runs (the same) and a run with nothing to add, instead of "
                    "measuring them (kill times are drawn from these; a violation's "
                    "reproduce line gives them)")
    ap.add_argument("--jsonl-docs", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--dir-docs", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if not os.access(a.bin, os.X_OK):
        print(f"crash_harness: {a.bin}: not an executable (build it: cargo build --release "
              f"-p retrace-cli)", file=sys.stderr)
        return 2
    h = Harness(a)
    try:
        return h.main()
    except KeyboardInterrupt:
        return 130
    finally:
        kill_all()


if __name__ == "__main__":
    sys.exit(main())
