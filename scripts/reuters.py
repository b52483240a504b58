#!/usr/bin/env python3
"""Read Reuters-21578 articles from ../shared/data/reuters21578 by NEWID.

An article's text is its title, a blank line, then its body exactly as the
collection has it (wire formatting, `&\\t` paragraph markers and hard-wrapped
lines kept), with HTML entities decoded. Nothing of the collection is copied
into the repository: data sets here name articles by NEWID.

    python3 scripts/reuters.py titles            # NEWID<TAB>title, articles with a body
    python3 scripts/reuters.py show NEWID        # the article's text
    python3 scripts/reuters.py overlap NEWID F   # share of F's word n-grams (n=3,5) in the article
"""
import functools
import html
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get(
    "RETRACE_REUTERS", os.path.join(HERE, "..", "..", "shared", "data", "reuters21578")
)

_ART = re.compile(r'<REUTERS [^>]*NEWID="(\d+)"[^>]*>(.*?)</REUTERS>', re.S)
_TITLE = re.compile(r"<TITLE>(.*?)</TITLE>", re.S)
_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.S)
_TOPICS = re.compile(r"<TOPICS>(.*?)</TOPICS>", re.S)


def topics():
    """{newid: [topic, ...]} for every article with a title and a body."""
    out = {}
    for name in sorted(os.listdir(DATA)):
        if not name.endswith(".sgm"):
            continue
        with open(os.path.join(DATA, name), encoding="latin-1") as f:
            raw = f.read()
        for m in _ART.finditer(raw):
            t = _TOPICS.search(m.group(2))
            out[int(m.group(1))] = re.findall(r"<D>(.*?)</D>", t.group(1)) if t else []
    return out


def articles():
    """Yield (newid, title, body) for every article with a title and a body."""
    for name in sorted(os.listdir(DATA)):
        if not name.endswith(".sgm"):
            continue
        with open(os.path.join(DATA, name), encoding="latin-1") as f:
            raw = f.read()
        for m in _ART.finditer(raw):
            t, b = _TITLE.search(m.group(2)), _BODY.search(m.group(2))
            if not t or not b:
                continue
            body = b.group(1)
            body = re.sub(r"\s*Reuter\s*&#3;\s*$", "", body)
            body = body.replace("&#3;", "")
            yield int(m.group(1)), html.unescape(t.group(1)).strip(), html.unescape(body).strip()


@functools.lru_cache(maxsize=1)
def all_texts():
    """{newid: text} of every article (read once per process)."""
    return {i: f"{t}\n\n{b}" for i, t, b in articles()}


def text(newid):
    return all_texts()[newid]


def words(s):
    return re.findall(r"[a-z0-9]+", s.lower())


def overlap(src, sus, n):
    a, b = words(src), words(sus)
    grams = {tuple(a[i : i + n]) for i in range(len(a) - n + 1)}
    sg = [tuple(b[i : i + n]) for i in range(len(b) - n + 1)]
    return sum(g in grams for g in sg) / max(1, len(sg))


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "titles":
        for i, t, b in articles():
            print(f"{i}\t{t}\t{len(b)}")
    elif cmd == "show":
        print(text(int(sys.argv[2])))
    elif cmd == "overlap":
        src = text(int(sys.argv[2]))
        sus = open(sys.argv[3], encoding="utf-8").read()
        print(f"3-grams {overlap(src, sus, 3):.3f}  5-grams {overlap(src, sus, 5):.3f}  "
              f"words {len(words(sus))} vs {len(words(src))}")
    else:
        print(__doc__)
        sys.exit(2)
