"""Type stubs of the extension module ``retrace._retrace`` (re-exported by
``retrace``). The report types are in :mod:`retrace.types`."""

from __future__ import annotations

import os
from typing import Any, Dict, List, Literal, Mapping, Optional, Sequence, Tuple, Union, final, overload

from .types import Report, ScanPair, Stats, StoredDocument

__all__ = ["__version__", "RetraceError", "compare", "set_threads", "Index"]
__version__: str

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

@final
class Index:
    """A retrace corpus index directory: opened, or created when missing or
    empty (``create=False``: existing only), with the built-in sentence
    model (``lexical_only=True``: none; it must match the index's).
    Changes are visible after :meth:`commit`; uncommitted changes are
    discarded when the object goes away."""

    def __new__(
        cls, path: Union[str, os.PathLike[str]], *, create: bool = True, lexical_only: bool = False
    ) -> Index: ...
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
    def scan_template_counts(self) -> Tuple[bytes, bytes]:
        """Part 1 of a distributed scan: template keys and their document
        counts (little-endian u64, u32 bytes)."""
    def scan_term_counts(self, boilerplate: bytes) -> Tuple[int, bytes, bytes]:
        """Part 2: documents, and terms outside ``boilerplate`` with their
        document counts (u64, u32 bytes)."""
    def scan_signatures(self, ctx: "ScanContext") -> Tuple[List[str], List[int], bytes, bytes, bytes]:
        """Part 3: ``(ids, chars, owners, terms, weights)``: every signature
        term with its document's position (u32), hash (u64), IDF (f32)."""
    def scan_align(
        self,
        ctx: "ScanContext",
        a: Sequence[str],
        b: Sequence[str],
        other: Optional["Index"] = None,
        duplicates: bool = False,
        all: bool = False,
        min_confidence: float = 0.0,
        keep_boilerplate: bool = False,
    ) -> List[str]:
        """Part 4: candidate pairs aligned (``a`` here, ``b`` in ``other``);
        reported pairs as ``scan --jsonl`` lines."""
    def stats(self) -> Stats:
        """The ``stats --json`` object of the index's last commit."""
    def get(self, id: str) -> Optional[StoredDocument]:
        """A stored document with its metadata, or None."""

class ScanContext:
    """The collection-wide counts of a distributed scan: documents,
    boilerplate template keys (u64 bytes), terms (u64 bytes) and their
    document counts (u32 bytes)."""

    def __init__(self, documents: int, boilerplate: bytes, terms: bytes, counts: bytes) -> None: ...
    @property
    def documents(self) -> int: ...

def scan_settings() -> Dict[str, float]:
    """The scan's tuned candidate settings: ``terms_per_doc``,
    ``min_shared``, ``min_overlap``, ``partners``, ``boilerplate_docs``."""
