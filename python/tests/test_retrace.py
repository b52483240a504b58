"""Tests of the retrace Python package (the extension built by maturin)."""

import json
import threading

import pytest

import retrace
from texts import FERRY, FERRY_REWRITE, LIBRARY, LIBRARY_OTHER, LIBRARY_REWRITE, UNRELATED

REPORT_FIELDS = {"query", "verdict", "verdict_model", "headline", "sources"}
SOURCE_FIELDS = {
    "id",
    "score",
    "query_coverage",
    "source_coverage",
    "chars",
    "passages",
    "findings",
    "verdict",
    "confidence",
}
PAIR_FIELDS = {
    "a",
    "b",
    "score",
    "verdict",
    "confidence",
    "query_coverage",
    "source_coverage",
    "a_chars",
    "b_chars",
    "fact_agreement",
    "passages",
    "findings",
}
STATS_FIELDS = {
    "documents",
    "duplicates",
    "passages",
    "text_bytes",
    "disk_bytes",
    "model",
    "format_version",
    "ivf_lists",
    "segments",
    "index",
}


@pytest.fixture
def index(tmp_path):
    """An index of the two stories and the same-topic text, committed."""
    ix = retrace.Index(tmp_path / "ix")
    assert ix.add("library", LIBRARY, url="https://example.invalid/library", year=2024) == "added"
    assert ix.add("ferry", FERRY) == "added"
    assert ix.add("county", LIBRARY_OTHER) == "added"
    ix.commit()
    return ix


def test_module_surface():
    assert issubclass(retrace.RetraceError, Exception)
    assert isinstance(retrace.__version__, str)
    for thing in (retrace, retrace.compare, retrace.Index, retrace.Index.check, retrace.Index.scan):
        assert thing.__doc__, thing


def test_compare_finds_the_source_of_a_rewrite():
    report = retrace.compare(LIBRARY_REWRITE, {"library": LIBRARY, "ferry": FERRY})
    assert set(report) == REPORT_FIELDS
    assert report["query"] == {"id": "suspect", "chars": len(LIBRARY_REWRITE)}
    assert report["verdict"] == "derived"
    best = report["sources"][0]
    assert set(best) == SOURCE_FIELDS
    assert best["id"] == "library"
    assert best["verdict"] == "derived"
    assert best["confidence"] > 0.5
    assert best["query_coverage"] > 0.5
    assert best["passages"], "reused passages"
    p = best["passages"][0]
    assert set(p) == {"query", "source", "similarity", "kind", "links"}
    start, end = p["query"]
    assert 0 <= start < end <= len(LIBRARY_REWRITE)
    assert report["headline"].startswith("Derived from library")
    # the distractor is not derived (if it is reported at all)
    for s in report["sources"][1:]:
        assert s["verdict"] == "related"


def test_compare_list_sources_get_positional_ids():
    report = retrace.compare(FERRY_REWRITE, [LIBRARY, FERRY], id="mine")
    assert report["query"]["id"] == "mine"
    assert report["sources"][0]["id"] == "1"
    assert {s["id"] for s in report["sources"]} <= {"0", "1"}


def test_compare_matches_the_json_the_engine_writes():
    # the dict is json.loads of the engine's JSON: serialising it again and
    # reading it back changes nothing, and floats are the short f32 forms
    report = retrace.compare(LIBRARY_REWRITE, [LIBRARY])
    assert json.loads(json.dumps(report)) == report
    score = report["sources"][0]["score"]
    assert len(repr(score)) <= 12


def test_compare_lexical_only_and_min_confidence():
    report = retrace.compare(LIBRARY_REWRITE, [LIBRARY, FERRY], lexical_only=True)
    assert report["sources"][0]["id"] == "0"
    kept = retrace.compare(LIBRARY_REWRITE, [LIBRARY, FERRY], min_confidence=0.5)
    assert [s["id"] for s in kept["sources"]] == ["0"]


def test_compare_rejects_bad_sources():
    with pytest.raises(TypeError):
        retrace.compare(LIBRARY_REWRITE, LIBRARY)
    with pytest.raises(retrace.RetraceError, match="binary"):
        retrace.compare("text\x00with a NUL" * 50, [LIBRARY])


def test_index_add_commit_check(index):
    report = index.check(LIBRARY_REWRITE)
    assert set(report) == REPORT_FIELDS
    assert report["query"]["id"] == "suspect"
    assert [s["id"] for s in report["sources"]] == ["library"]
    assert report["sources"][0]["verdict"] == "derived"
    ferry = index.check(FERRY_REWRITE, top=3, id="f")
    assert ferry["query"]["id"] == "f"
    assert ferry["sources"][0]["id"] == "ferry"
    # a text derived from nothing in the index: no source reported
    unrelated = index.check(UNRELATED)
    assert unrelated["sources"] == []
    assert unrelated["verdict"] == "related"
    assert unrelated["headline"] == "No source found."


def test_check_all_lists_related_sources(index):
    strict = index.check(LIBRARY_REWRITE, all=False)
    loose = index.check(LIBRARY_REWRITE, all=True)
    assert len(loose["sources"]) >= len(strict["sources"])
    assert loose["sources"][0]["id"] == "library"


def test_changes_are_visible_after_commit_only(tmp_path):
    ix = retrace.Index(tmp_path / "ix")
    ix.add("library", LIBRARY)
    assert ix.check(LIBRARY_REWRITE)["sources"] == []
    assert ix.stats()["documents"] == 0
    ix.commit()
    assert ix.check(LIBRARY_REWRITE)["sources"][0]["id"] == "library"


def test_check_many(index):
    reports = index.check_many(["r1", "r2"], [LIBRARY_REWRITE, FERRY_REWRITE])
    assert [r["query"]["id"] for r in reports] == ["r1", "r2"]
    assert [r["sources"][0]["id"] for r in reports] == ["library", "ferry"]
    assert reports[0] == index.check(LIBRARY_REWRITE, id="r1")
    lines = index.check_many(["r1"], [LIBRARY_REWRITE], as_json=True)
    assert isinstance(lines[0], str) and json.loads(lines[0]) == reports[0]
    assert index.check_many([], []) == []
    with pytest.raises(ValueError):
        index.check_many(["a", "b"], [LIBRARY_REWRITE])


def test_check_from_threads(index):
    # the GIL is released during engine work: checks from several threads
    results = {}

    def work(i):
        results[i] = index.check(FERRY_REWRITE if i % 2 else LIBRARY_REWRITE)["sources"][0]["id"]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {0: "library", 1: "ferry", 2: "library", 3: "ferry"}


def test_scan_reports_the_pair(index):
    index.add("library-rewrite", LIBRARY_REWRITE)
    index.add("ferry-rewrite", FERRY_REWRITE)
    index.commit()
    pairs = index.scan()
    assert pairs, "pairs found"
    for p in pairs:
        assert set(p) == PAIR_FIELDS
        assert p["verdict"] == "derived"
    found = {frozenset((p["a"], p["b"])) for p in pairs}
    assert frozenset(("library", "library-rewrite")) in found
    assert frozenset(("ferry", "ferry-rewrite")) in found
    assert frozenset(("library", "ferry")) not in found
    assert len(index.scan(all=True)) >= len(pairs)
    assert index.scan(min_confidence=1.01) == []


def test_delete(index):
    assert index.delete("ferry") is True
    assert index.delete("no-such-id") is False
    index.commit()
    assert index.stats()["documents"] == 2
    assert index.get("ferry") is None
    assert all(s["id"] != "ferry" for s in index.check(FERRY_REWRITE)["sources"])
    assert index.check(LIBRARY_REWRITE)["sources"][0]["id"] == "library"


def test_add_outcomes_and_metadata(index):
    assert index.add("library", LIBRARY) == "unchanged"
    assert index.add("library-copy", LIBRARY) == "duplicate"
    assert index.add("ferry", FERRY + "\nUpdated on Friday.") == "replaced"
    index.commit()
    doc = index.get("library")
    assert doc == {
        "id": "library",
        "text": LIBRARY,
        "metadata": {"url": "https://example.invalid/library", "year": 2024},
    }
    assert index.get("ferry")["metadata"] is None
    with pytest.raises(TypeError):
        index.add("x", "some text", when=object())


def test_stats_counts_documents(index, tmp_path):
    s = index.stats()
    assert set(s) == STATS_FIELDS
    assert s["documents"] == 3
    assert s["duplicates"] == 0
    assert s["passages"] >= 3
    assert s["text_bytes"] == len((LIBRARY + FERRY + LIBRARY_OTHER).encode())
    assert s["model"]["id"]
    assert s["index"] == str(tmp_path / "ix")
    assert index.path == str(tmp_path / "ix")


def test_reopen_sees_committed_documents(index, tmp_path):
    again = retrace.Index(str(tmp_path / "ix"), create=False)
    assert again.stats()["documents"] == 3
    assert again.check(LIBRARY_REWRITE)["sources"][0]["id"] == "library"


def test_errors_raise_retrace_error(tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not an index")
    with pytest.raises(retrace.RetraceError) as e:
        retrace.Index(a_file)
    assert str(a_file) in str(e.value)
    with pytest.raises(retrace.RetraceError):
        retrace.Index(tmp_path / "missing", create=False)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "data.bin").write_bytes(b"\x00\x01")
    with pytest.raises(retrace.RetraceError):
        retrace.Index(foreign)
    # an index built without a model cannot be opened with the built-in one
    retrace.Index(tmp_path / "lexical", lexical_only=True)
    with pytest.raises(retrace.RetraceError, match="model"):
        retrace.Index(tmp_path / "lexical")


def test_one_writer_at_a_time(index, tmp_path):
    index.add("x", FERRY_REWRITE)  # holds the write lock until commit
    other = retrace.Index(tmp_path / "ix")
    with pytest.raises(retrace.RetraceError, match="writ"):
        other.add("y", LIBRARY_REWRITE)
    index.commit()
    assert other.add("y", LIBRARY_REWRITE) == "added"
    other.commit()
    index.reload()
    assert index.stats()["documents"] == 5
