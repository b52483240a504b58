#!/usr/bin/env python3
"""Reuters-21578 SGML -> JSON Lines {"id", "text", "title", "topics"} on stdout.

Usage: reuters_to_jsonl.py DATA_DIR > reuters.jsonl
Text: the title, then the body (or, for articles without a <BODY>, the whole <TEXT>);
the collection's literal "&\\t" paragraph marks become blank lines.
"""
import html
import json
import re
import sys
from pathlib import Path

ART = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.S)


def field(tag, s):
    m = re.search(rf"<{tag}>(.*?)</{tag}>", s, re.S)
    return html.unescape(m.group(1)).strip() if m else ""


def main():
    n = 0
    for f in sorted(Path(sys.argv[1]).glob("reut2-*.sgm")):
        raw = f.read_bytes().decode("latin-1")
        for m in ART.finditer(raw):
            newid, a = m.group(1), m.group(2)
            title = field("TITLE", a)
            body = field("BODY", a)
            if not body:
                t = re.search(r"<TEXT[^>]*>(.*?)</TEXT>", a, re.S)
                body = html.unescape(re.sub(r"<[^>]+>", " ", t.group(1))).strip() if t else ""
            body = body.replace("\x03", "").replace("&\\t", "\n").replace(" Reuter\n", "\n").strip()
            text = (title + "\n\n" + body).strip() if title else body
            if not text:
                continue
            topics = re.findall(r"<D>(.*?)</D>", field("TOPICS", a))
            print(json.dumps({"id": f"reuters/{newid}", "text": text, "title": title, "topics": topics}))
            n += 1
    print(f"{n} articles", file=sys.stderr)


if __name__ == "__main__":
    main()
