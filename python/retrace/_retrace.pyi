"""Type stubs of the extension module ``retrace._retrace`` (re-exported by
``retrace``). The report types mirror the JSON the ``retrace`` command line
prints: spans are ``[start, end)`` offsets in Unicode characters."""

from __future__ import annotations

import os
from typing import Any, List, Literal, Mapping, Optional, Sequence, TypedDict, Union, overload

__version__: str

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
    metadata: Optional[dict[str, Any]]

class RetraceError(Exception):
    """An error of the retrace engine (unreadable or binary input, a model,
    an unusable index directory), with the engine's message."""

def compare(
    suspect: str,
    sources: Union[Sequence[str], Mapping[str, str]],
    *,
    id: str = "suspect",
    min_confidence: float = 0.0,
    lexical_only: bool = False,
) -> Report:
    """Aligns ``suspect`` with ``sources`` (a list of texts, ids "0", "1",
    ...; or a dict id -> text) and returns the ``compare --json`` report.
    Uses the built-in sentence model (``lexical_only=True``: none)."""

def set_threads(n: int) -> None:
    """Sets the engine's worker threads (default: all cores); call once,
    before any other call."""

class Index:
    """A retrace corpus index directory: opened, or created when missing or
    empty (``create=False``: existing only), with the built-in sentence
    model (``lexical_only=True``: none; it must match the index's).
    Changes are visible after :meth:`commit`; uncommitted changes are
    discarded when the object goes away."""

    def __init__(
        self, path: Union[str, os.PathLike[str]], *, create: bool = True, lexical_only: bool = False
    ) -> None: ...
    @property
    def path(self) -> str:
        """The index directory, as given."""
    def add(self, id: str, text: str, **metadata: Any) -> Literal["added", "replaced", "duplicate", "unchanged"]:
        """Adds (or replaces) a plain-text document; keyword arguments are
        kept as its JSON metadata."""
    def delete(self, id: str) -> bool:
        """Removes a document; returns whether it was there."""
    def commit(self) -> None:
        """Makes the changes durable and visible, releases the write lock and
        moves this object's view to the latest commit."""
    def reload(self) -> None:
        """Moves this object's view to the latest commit."""
    def check(
        self, text: str, top: int = 5, all: bool = False, id: str = "suspect", *, min_confidence: float = 0.0
    ) -> Report:
        """The ``check --json`` report of ``text`` against the index."""
    @overload
    def check_many(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        top: int = 5,
        all: bool = False,
        *,
        min_confidence: float = 0.0,
        as_json: Literal[False] = False,
    ) -> List[Report]: ...
    @overload
    def check_many(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        top: int = 5,
        all: bool = False,
        *,
        min_confidence: float = 0.0,
        as_json: Literal[True],
    ) -> List[str]: ...
    def scan(self, all: bool = False, min_confidence: float = 0.0, keep_boilerplate: bool = False) -> List[ScanPair]:
        """The pairs of documents with reuse (``scan --jsonl`` objects)."""
    def stats(self) -> Stats:
        """The ``stats --json`` object of the index's last commit."""
    def get(self, id: str) -> Optional[StoredDocument]:
        """A stored document with its metadata, or None."""
