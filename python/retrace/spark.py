"""Checking the texts of a Spark DataFrame against a retrace index.

    from retrace import spark as rspark

    found = rspark.check(df, "/shared/reuters-index", text_col="body", id_col="doc_id", top=5)
    found.filter("verdict = 'derived'").show()

:func:`check` runs :meth:`retrace.Index.check_many` on every Arrow batch of
the DataFrame (``DataFrame.mapInArrow``): each batch's texts are checked in
one call, in parallel, with the GIL released. The index is opened once per
Python worker process and kept open in a module global, so the executors
must reach ``index_path`` on a local or shared file system; they only read
it (no write lock is taken). Needs ``pyspark`` (3.3 or later) and
``pyarrow`` on the driver and the executors, and this package on the
executors.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any, Dict, Iterable, Iterator, List, Optional, Union

from ._retrace import Index, set_threads

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow
    from pyspark.sql import DataFrame

__all__ = ["check", "SCHEMA"]

SCHEMA = "id string, source_id string, score double, verdict string, confidence double, report string"
"""The schema of :func:`check`'s result, as a Spark DDL string."""

# per Python worker process: index path -> the open index
_INDEXES: Dict[str, Index] = {}
_THREADS_SET = False


def _index(path: str) -> Index:
    """The index at ``path``, opened once per process (never created)."""
    ix = _INDEXES.get(path)
    if ix is None:
        ix = Index(path, create=False)
        _INDEXES[path] = ix
    return ix


def _rows(ids: List[Optional[str]], reports: List[str]) -> Dict[str, List[Any]]:
    """One row per reported source of each suspect; a suspect without any
    gets one row with ``source_id`` (and ``score``, ``confidence``) null."""
    cols: Dict[str, List[Any]] = {
        "id": [],
        "source_id": [],
        "score": [],
        "verdict": [],
        "confidence": [],
        "report": [],
    }
    for id_, text in zip(ids, reports):
        report = json.loads(text)
        sources = report["sources"] or [None]
        for s in sources:
            cols["id"].append(id_)
            cols["report"].append(text)
            if s is None:
                cols["source_id"].append(None)
                cols["score"].append(None)
                cols["verdict"].append(report["verdict"])
                cols["confidence"].append(None)
            else:
                cols["source_id"].append(s["id"])
                cols["score"].append(float(s["score"]))
                cols["verdict"].append(s["verdict"])
                cols["confidence"].append(float(s["confidence"]))
    return cols


def check_batches(
    batches: Iterable["pyarrow.RecordBatch"],
    index_path: str,
    top: int = 5,
    all: bool = False,
    min_confidence: float = 0.0,
    threads: Optional[int] = None,
) -> Iterator["pyarrow.RecordBatch"]:
    """The function :func:`check` runs on the executors: record batches with
    columns ``id`` and ``text`` (strings) in, result batches (:data:`SCHEMA`)
    out. Usable without Spark, e.g. on ``pyarrow`` batches of a Parquet
    file."""
    import pyarrow as pa

    global _THREADS_SET
    if threads is not None and not _THREADS_SET:
        _THREADS_SET = True
        try:
            set_threads(threads)
        except Exception:  # the pool already runs (another call set it)
            pass
    schema = pa.schema(
        [
            ("id", pa.string()),
            ("source_id", pa.string()),
            ("score", pa.float64()),
            ("verdict", pa.string()),
            ("confidence", pa.float64()),
            ("report", pa.string()),
        ]
    )
    ix = _index(index_path)
    for batch in batches:
        ids = batch.column("id").to_pylist()
        texts = batch.column("text").to_pylist()
        reports = ix.check_many(
            ["" if i is None else i for i in ids],
            ["" if t is None else t for t in texts],
            top,
            all,
            min_confidence=min_confidence,
            as_json=True,
        )
        yield pa.RecordBatch.from_pydict(_rows(ids, reports), schema=schema)


def check(
    df: "DataFrame",
    index_path: Union[str, "os.PathLike[str]"],
    text_col: str = "text",
    id_col: str = "id",
    top: int = 5,
    all: bool = False,
    min_confidence: float = 0.0,
    threads: Optional[int] = None,
) -> "DataFrame":
    """Checks every text of ``df`` against the index at ``index_path``.

    Returns a DataFrame with the columns of :data:`SCHEMA`: for each
    suspect (``id`` from ``id_col``, cast to a string), one row per reported
    source (``source_id``, ``score``, ``verdict``, ``confidence``), or one
    row with a null ``source_id`` when none is reported; ``report`` holds
    the suspect's whole report as JSON (the ``retrace check --json``
    object), the same on each of its rows. Only ``derived`` sources unless
    ``all=True``; at most ``top`` per suspect; none below
    ``min_confidence``. ``threads`` caps the engine's threads per Python
    worker (default: all cores). Null texts are checked as empty texts.
    """
    from pyspark.sql import functions as F

    path = os.fspath(index_path)
    suspects = df.select(
        F.col(id_col).cast("string").alias("id"),
        F.col(text_col).cast("string").alias("text"),
    )

    def run(batches: Iterable["pyarrow.RecordBatch"]) -> Iterator["pyarrow.RecordBatch"]:
        return check_batches(batches, path, top, all, min_confidence, threads)

    return suspects.mapInArrow(run, SCHEMA)
