"""retrace on Spark: checking a DataFrame's texts against an index, and
scanning a collection split into index shards.

    from retrace import spark as rspark

    found = rspark.check(df, "/shared/reuters-index", text_col="body", id_col="doc_id", top=5)
    found.filter("verdict = 'derived'").show()

:func:`check` runs :meth:`retrace.Index.check_many` on every Arrow batch of
the DataFrame (``DataFrame.mapInArrow``): each batch's texts are checked in
one call, in parallel, with the GIL released. The index is opened once per
Python worker process and kept open in a module global, so the executors
must reach ``index_path`` on a local or shared file system; they only read
it (no write lock is taken). Needs ``pyspark`` (3.3 or later),
``pyarrow`` and ``pandas`` (which pyspark requires for ``mapInArrow``) on
the driver and the executors, and this package on the
executors.

:func:`scan` finds which documents of a collection reuse which, for a
collection split into index shards (``retrace index --shards N``, or one
index per DataFrame partition with :func:`index_partitions`). It is the
scan one index holding every document would give (the same pairs: the
test suite checks it), in four distributed steps: each shard's sentence
templates counted (boilerplate: a template in many documents), its terms
counted outside boilerplate, its documents' signatures (their rarest
shared terms) written out, candidate pairs found by a join on signature
terms in Spark SQL, and each candidate pair aligned on an executor that
opens the two shards. Only the collection's counts reach the driver (the
boilerplate keys and the terms in two documents or more).
"""

from __future__ import annotations

import json
import os
import uuid
from typing import TYPE_CHECKING, Any, Dict, Iterable, Iterator, List, Optional, Union

from ._retrace import Index, ScanContext, scan_settings, set_threads

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow
    from pyspark.sql import DataFrame

__all__ = ["check", "SCHEMA", "scan", "SCAN_SCHEMA", "index_partitions", "shard_paths"]

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


SCAN_SCHEMA = "a string, b string, score double, verdict string, confidence double, pair string"
"""The schema of :func:`scan`'s result: the two documents (``a`` the
shorter, the suspect side), the pair's score, verdict and confidence, and
the whole pair as JSON (the ``retrace scan --jsonl`` object)."""

SHARDS_FILE = "retrace-shards.json"

# per Python worker process: scan token -> the collection's counts
_CONTEXTS: Dict[str, ScanContext] = {}


def shard_paths(shards: Union[str, "os.PathLike[str]", Iterable[Union[str, "os.PathLike[str]"]]]) -> List[str]:
    """The index directories of ``shards``: a sharded index directory
    (``retrace index --shards N``: its ``shard-0000``, ...), one index
    directory, or a list of index directories."""
    if isinstance(shards, (str, os.PathLike)):
        d = os.fspath(shards)
        manifest = os.path.join(d, SHARDS_FILE)
        if os.path.isfile(manifest):
            with open(manifest) as f:
                n = int(json.load(f)["shards"])
            return [os.path.join(d, "shard-%04d" % k) for k in range(n)]
        return [d]
    return [os.fspath(p) for p in shards]


def index_partitions(
    df: "DataFrame",
    out_dir: Union[str, "os.PathLike[str]"],
    text_col: str = "text",
    id_col: str = "id",
) -> List[str]:
    """Writes one index per partition of ``df`` under ``out_dir`` (on the
    executors: ``out_dir`` must be shared storage they all reach), named
    ``part-00000``, ...; returns their paths. A rerun (or a retried task)
    adds to the index already there: the same ids and texts are unchanged.
    Ids must be distinct across the DataFrame."""
    from pyspark.sql import functions as F

    out = os.fspath(out_dir)
    rows = df.select(
        F.col(id_col).cast("string").alias("id"),
        F.col(text_col).cast("string").alias("text"),
    )

    def build(pid: int, it: Iterable[Any]) -> Iterator[str]:
        path = os.path.join(out, "part-%05d" % pid)
        ix = Index(path, create=True)
        for r in it:
            if r["id"] is not None:
                ix.add(r["id"], r["text"] or "")
        ix.commit()
        yield path

    return sorted(rows.rdd.mapPartitionsWithIndex(build).collect())


def _i64(b: bytes) -> "pyarrow.Array":
    import pyarrow as pa

    return pa.Array.from_buffers(pa.int64(), len(b) // 8, [None, pa.py_buffer(b)])


def _i32(b: bytes) -> "pyarrow.Array":
    import pyarrow as pa

    return pa.Array.from_buffers(pa.int32(), len(b) // 4, [None, pa.py_buffer(b)])


def _f32(b: bytes) -> "pyarrow.Array":
    import pyarrow as pa

    return pa.Array.from_buffers(pa.float32(), len(b) // 4, [None, pa.py_buffer(b)])


def _to_bytes(col: "pyarrow.ChunkedArray", width: int) -> bytes:
    """The values of a non-null integer column as little-endian bytes."""
    import pyarrow as pa

    out = bytearray()
    for a in col.chunks:
        if len(a) == 0:
            continue
        a = a.cast(pa.int64() if width == 8 else pa.int32())
        buf = a.buffers()[1]
        out += buf.to_pybytes()[a.offset * width : (a.offset + len(a)) * width]
    return bytes(out)


def _collect(df: "DataFrame") -> "pyarrow.Table":
    """A DataFrame on the driver as an Arrow table (Spark 4's ``toArrow``;
    Spark 3's ``_collect_as_arrow``)."""
    import pyarrow as pa

    if hasattr(df, "toArrow"):
        return df.toArrow()
    batches = df._collect_as_arrow()  # pragma: no cover - Spark 3
    if batches:
        return pa.Table.from_batches(batches)
    return pa.Table.from_pylist([], schema=pa.schema([(f.name, pa.int64()) for f in df.schema]))


def _context(token: str, bc: Any) -> ScanContext:
    """The scan's counts, built once per Python worker process."""
    ctx = _CONTEXTS.get(token)
    if ctx is None:
        documents, boiler, terms, counts = bc.value
        ctx = ScanContext(documents, boiler, terms, counts)
        _CONTEXTS[token] = ctx
    return ctx


def scan(
    shards: Union["DataFrame", str, "os.PathLike[str]", Iterable[Union[str, "os.PathLike[str]"]]],
    spark: Optional[Any] = None,
    work_dir: Optional[Union[str, "os.PathLike[str]"]] = None,
    text_col: str = "text",
    id_col: str = "id",
    all: bool = False,
    min_confidence: float = 0.0,
    keep_boilerplate: bool = False,
    align_partitions: Optional[int] = None,
) -> "DataFrame":
    """Finds which documents of a collection reuse which, on Spark.

    ``shards``: a sharded index directory (``retrace index --shards N``),
    one index directory or a list of them (every one an index the
    executors reach; ids distinct across them), or a DataFrame of the
    collection (``text_col``, ``id_col``), first written as one index per
    partition under ``work_dir`` (:func:`index_partitions`).

    Returns a DataFrame of :data:`SCAN_SCHEMA`, one row per pair with
    reuse: the pairs :meth:`retrace.Index.scan` gives for one index holding
    every document (only ``derived`` pairs unless ``all=True``; none below
    ``min_confidence``; boilerplate blanked unless ``keep_boilerplate``).
    The collection's counts are computed when this is called; the
    signatures, the candidate join and the alignment when the result is
    used (``cache()`` it to use it twice). ``align_partitions``: tasks for
    the alignment (default: twice the default parallelism).
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyspark import StorageLevel
    from pyspark.sql import SparkSession, Window
    from pyspark.sql import functions as F

    if hasattr(shards, "rdd") and hasattr(shards, "sparkSession"):
        if work_dir is None:
            raise ValueError("scan of a DataFrame needs work_dir: where its partition indexes go")
        spark = shards.sparkSession
        paths = index_partitions(shards, work_dir, text_col=text_col, id_col=id_col)
    else:
        paths = shard_paths(shards)  # type: ignore[arg-type]
        if spark is None:
            spark = SparkSession.builder.getOrCreate()
    if not paths:
        raise ValueError("no shards to scan")
    sc = spark.sparkContext
    settings = scan_settings()
    shards_df = sc.parallelize(list(enumerate(paths)), len(paths)).toDF("shard int, path string")

    # 1. sentence templates, counted over the collection: boilerplate
    def templates(batches: Iterable["pyarrow.RecordBatch"]) -> Iterator["pyarrow.RecordBatch"]:
        for batch in batches:
            for path in batch.column("path").to_pylist():
                keys, counts = _index(path).scan_template_counts()
                yield pa.RecordBatch.from_arrays([_i64(keys), _i32(counts)], names=["key", "n"])

    if keep_boilerplate:
        boiler = b""
    else:
        least = max(int(settings["boilerplate_docs"]), 2)
        tdf = (
            shards_df.mapInArrow(templates, "key long, n int")
            .groupBy("key")
            .agg(F.sum("n").alias("n"))
            .where(F.col("n") >= least)
            .select("key")
        )
        boiler = _to_bytes(_collect(tdf).column("key"), 8)

    # 2. terms outside boilerplate, counted: documents and df >= 2
    def terms(batches: Iterable["pyarrow.RecordBatch"]) -> Iterator["pyarrow.RecordBatch"]:
        for batch in batches:
            for path in batch.column("path").to_pylist():
                n, t, c = _index(path).scan_term_counts(boiler)
                yield pa.RecordBatch.from_arrays([_i64(t), _i32(c)], names=["term", "n"])
                # the shard's document count, as a row without a term
                yield pa.RecordBatch.from_arrays(
                    [pa.array([None], pa.int64()), pa.array([n], pa.int32())], names=["term", "n"]
                )

    df_counts = _collect(
        shards_df.mapInArrow(terms, "term long, n int")
        .groupBy("term")
        .agg(F.sum("n").alias("n"))
        .where(F.col("term").isNull() | (F.col("n") >= 2))
    )
    is_doc = df_counts.column("term").is_null()
    documents = int(pc.sum(df_counts.filter(is_doc).column("n")).as_py() or 0)
    kept = df_counts.filter(pc.invert(is_doc))
    token = uuid.uuid4().hex
    bc = sc.broadcast((documents, boiler, _to_bytes(kept.column("term"), 8), _to_bytes(kept.column("n"), 4)))

    # 3. signatures, and candidate pairs by a join on their terms
    def signatures(batches: Iterable["pyarrow.RecordBatch"]) -> Iterator["pyarrow.RecordBatch"]:
        ctx = _context(token, bc)
        for batch in batches:
            for shard, path in zip(batch.column("shard").to_pylist(), batch.column("path").to_pylist()):
                ids, _chars, owners, t, w = _index(path).scan_signatures(ctx)
                own = _i32(owners)
                yield pa.RecordBatch.from_arrays(
                    [
                        pa.array([shard] * len(own), pa.int32()),
                        pa.array(ids, pa.string()).take(own),
                        _i64(t),
                        _f32(w).cast(pa.float64()),
                    ],
                    names=["shard", "id", "term", "w"],
                )

    # used three times below (document weights and both sides of the join):
    # computed once
    sigs = shards_df.mapInArrow(signatures, "shard int, id string, term long, w double").persist(
        StorageLevel.MEMORY_AND_DISK
    )
    docs = sigs.groupBy("shard", "id").agg(F.count("*").alias("nt"), F.sum("w").alias("wt"))
    x = sigs.select(F.col("shard").alias("sx"), F.col("id").alias("x"), "term", "w")
    y = sigs.select(F.col("shard").alias("sy"), F.col("id").alias("y"), "term")
    shared = (
        x.join(y, "term")
        .where((F.col("sx") != F.col("sy")) | (F.col("x") != F.col("y")))
        .groupBy("sx", "x", "sy", "y")
        .agg(F.sum("w").alias("w"), F.count("*").alias("c"))
    )
    dx = docs.select(F.col("shard").alias("sx"), F.col("id").alias("x"), F.col("nt").alias("nx"), F.col("wt").alias("wx"))
    dy = docs.select(F.col("shard").alias("sy"), F.col("id").alias("y"), F.col("nt").alias("ny"), F.col("wt").alias("wy"))
    # the rule of retrace_index::scan::candidate_pairs: enough shared rare
    # terms (half the smaller signature will do, at least two) carrying
    # enough of the smaller signature's weight; each document's best partners
    fewest = F.greatest(F.ceil(F.least("nx", "ny") / 2), F.lit(2))
    share = F.col("w") / F.greatest(F.least("wx", "wy"), F.lit(1e-6))
    cand = (
        shared.join(dx, ["sx", "x"])
        .join(dy, ["sy", "y"])
        .withColumn("share", share)
        .where((F.col("c") >= F.least(F.lit(int(settings["min_shared"])), fewest)) & (F.col("share") >= float(settings["min_overlap"])))
    )
    best = Window.partitionBy("sx", "x").orderBy(F.desc("share"), "sy", "y")
    top = cand.withColumn("r", F.row_number().over(best)).where(F.col("r") <= int(settings["partners"]))
    first = (F.col("sx") < F.col("sy")) | ((F.col("sx") == F.col("sy")) & (F.col("x") < F.col("y")))
    pairs = top.select(
        F.when(first, F.col("sx")).otherwise(F.col("sy")).alias("sa"),
        F.when(first, F.col("x")).otherwise(F.col("y")).alias("a"),
        F.when(first, F.col("sy")).otherwise(F.col("sx")).alias("sb"),
        F.when(first, F.col("y")).otherwise(F.col("x")).alias("b"),
    ).distinct()

    # 4. each candidate pair aligned where both shards are open
    by_shard = dict(enumerate(paths))

    def rows(found: List[str]) -> "pyarrow.RecordBatch":
        cols: Dict[str, List[Any]] = {k: [] for k in ("a", "b", "score", "verdict", "confidence", "pair")}
        for text in found:
            p = json.loads(text)
            cols["a"].append(p["a"])
            cols["b"].append(p["b"])
            cols["score"].append(float(p["score"]))
            cols["verdict"].append(p["verdict"])
            cols["confidence"].append(float(p["confidence"]))
            cols["pair"].append(text)
        schema = pa.schema(
            [("a", pa.string()), ("b", pa.string()), ("score", pa.float64()), ("verdict", pa.string()), ("confidence", pa.float64()), ("pair", pa.string())]
        )
        return pa.RecordBatch.from_pydict(cols, schema=schema)

    def align(batches: Iterable["pyarrow.RecordBatch"]) -> Iterator["pyarrow.RecordBatch"]:
        ctx = _context(token, bc)
        for batch in batches:
            groups: Dict[Any, List[Any]] = {}
            for sa, a, sb, b in zip(*(batch.column(c).to_pylist() for c in ("sa", "a", "sb", "b"))):
                g = groups.setdefault((sa, sb), ([], []))
                g[0].append(a)
                g[1].append(b)
            for (sa, sb), (a, b) in sorted(groups.items()):
                other = None if sa == sb else _index(by_shard[sb])
                found = _index(by_shard[sa]).scan_align(
                    ctx, a, b, other=other, all=all, min_confidence=min_confidence, keep_boilerplate=keep_boilerplate
                )
                yield rows(found)

    def duplicates(batches: Iterable["pyarrow.RecordBatch"]) -> Iterator["pyarrow.RecordBatch"]:
        ctx = _context(token, bc)
        for batch in batches:
            for path in batch.column("path").to_pylist():
                found = _index(path).scan_align(
                    ctx, [], [], duplicates=True, all=all, min_confidence=min_confidence, keep_boilerplate=keep_boilerplate
                )
                yield rows(found)

    tasks = align_partitions or max(2 * sc.defaultParallelism, 1)
    aligned = pairs.repartition(tasks).mapInArrow(align, SCAN_SCHEMA)
    return shards_df.mapInArrow(duplicates, SCAN_SCHEMA).unionByName(aligned)
