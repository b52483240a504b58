"""The shapes of retrace's reports, as typed dicts (for type checkers and
readers; the engine returns plain dicts and lists). They mirror the JSON the
``retrace`` command line prints: spans are ``[start, end)`` offsets in
Unicode characters."""

from typing import Any, Dict, List, Literal, Optional, TypedDict

__all__ = [
    "Verdict",
    "PassageKind",
    "FindingKind",
    "Span",
    "Link",
    "Passage",
    "Finding",
    "SourceReport",
    "QueryInfo",
    "Report",
    "ScanPair",
    "ModelInfo",
    "Stats",
    "StoredDocument",
]

Verdict = Literal["derived", "related"]
PassageKind = Literal["verbatim", "near-verbatim", "paraphrase", "summary"]
FindingKind = Literal[
    "quote_altered",
    "quote_unquoted",
    "attribution_removed",
    "number_changed",
    "name_changed",
    "content_dropped",
    "content_added",
]
Span = List[int]
"""``[start, end)`` in Unicode characters."""

class Link(TypedDict):
    """A suspect sentence (or run) and the source sentence(s) it came from."""

    query: Span
    source: Span
    similarity: float

class Passage(TypedDict):
    """A maximal reused region, with its sentence links."""

    query: Span
    source: Span
    similarity: float
    kind: PassageKind
    links: List[Link]

class Finding(TypedDict):
    """What the rewrite changed, with spans on both sides (or None)."""

    kind: FindingKind
    source: Optional[Span]
    query: Optional[Span]
    detail: str

class SourceReport(TypedDict):
    """What one source contributed to the suspect."""

    id: str
    score: float
    query_coverage: float
    source_coverage: float
    chars: int
    passages: List[Passage]
    findings: List[Finding]
    verdict: Verdict
    confidence: float

class QueryInfo(TypedDict):
    """The suspect: its id and length in characters."""

    id: str
    chars: int

class Report(TypedDict):
    """The report of ``compare --json`` and ``check --json``."""

    query: QueryInfo
    verdict: Verdict
    verdict_model: str
    headline: str
    sources: List[SourceReport]

class ScanPair(TypedDict):
    """One ``scan --jsonl`` line: ``query`` spans in ``a``, ``source`` spans in ``b``."""

    a: str
    b: str
    score: float
    verdict: Verdict
    confidence: float
    query_coverage: float
    source_coverage: float
    a_chars: int
    b_chars: int
    fact_agreement: Optional[float]
    passages: List[Passage]
    findings: List[Finding]

class ModelInfo(TypedDict):
    """The sentence model an index was built with."""

    id: str
    dim: int
    fingerprint: str

class Stats(TypedDict):
    """The object ``stats --json`` prints."""

    documents: int
    duplicates: int
    passages: int
    text_bytes: int
    disk_bytes: int
    model: Optional[ModelInfo]
    format_version: int
    ivf_lists: int
    segments: int
    index: str

class StoredDocument(TypedDict):
    """A stored document (:meth:`Index.get`)."""

    id: str
    text: str
    metadata: Optional[Dict[str, Any]]
