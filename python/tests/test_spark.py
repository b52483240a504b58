"""retrace.spark on a local Spark (local[2]); skipped where pyspark, pyarrow
or Java is missing."""

import json
import os
import shutil
import sys

import pytest

pytest.importorskip("pyspark")
pa = pytest.importorskip("pyarrow")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("no Java for Spark", allow_module_level=True)

import retrace  # noqa: E402
from retrace import spark as rspark  # noqa: E402
from texts import FERRY, FERRY_REWRITE, LIBRARY, LIBRARY_OTHER, LIBRARY_REWRITE, UNRELATED  # noqa: E402


@pytest.fixture(scope="module")
def index_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("spark") / "ix"
    ix = retrace.Index(path)
    ix.add("library", LIBRARY)
    ix.add("ferry", FERRY)
    ix.add("county", LIBRARY_OTHER)
    ix.commit()
    return str(path)


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # the Python workers run this interpreter (where retrace is installed)
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("retrace-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        # small Arrow batches: several check_many calls per partition
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_check_batches_without_spark(index_path):
    batch = pa.RecordBatch.from_pydict({"id": ["s1", None], "text": [FERRY_REWRITE, None]})
    out = list(rspark.check_batches([batch], index_path))
    rows = out[0].to_pylist()
    assert [(r["id"], r["source_id"], r["verdict"]) for r in rows] == [
        ("s1", "ferry", "derived"),
        (None, None, "related"),
    ]
    assert json.loads(rows[0]["report"])["query"]["id"] == "s1"


def test_spark_check_finds_the_sources(spark, index_path):
    df = spark.createDataFrame(
        [
            (1, LIBRARY_REWRITE),
            (2, FERRY_REWRITE),
            (3, UNRELATED),
            (4, LIBRARY_REWRITE.replace("Saturday", "Sunday")),
            (5, None),
        ],
        "doc_id int, body string",
    ).repartition(2)
    out = rspark.check(df, index_path, text_col="body", id_col="doc_id", top=3)
    assert out.schema.simpleString() == (
        "struct<id:string,source_id:string,score:double,verdict:string,confidence:double,report:string>"
    )
    rows = {r["id"]: r for r in out.collect()}
    assert set(rows) == {"1", "2", "3", "4", "5"}
    assert rows["1"]["source_id"] == "library" and rows["1"]["verdict"] == "derived"
    assert rows["2"]["source_id"] == "ferry" and rows["2"]["verdict"] == "derived"
    assert rows["4"]["source_id"] == "library"
    assert rows["3"]["source_id"] is None and rows["3"]["verdict"] == "related"
    assert rows["5"]["source_id"] is None
    assert rows["1"]["confidence"] > 0.5 and rows["1"]["score"] > 0.3
    report = json.loads(rows["2"]["report"])
    assert report["query"]["id"] == "2"
    assert report["sources"][0]["id"] == "ferry"


def test_spark_check_missing_index_fails(spark, tmp_path):
    df = spark.createDataFrame([("a", "some text")], "id string, text string")
    with pytest.raises(Exception, match="RetraceError|index"):
        rspark.check(df, str(tmp_path / "missing")).collect()


def _collection():
    """Rewrites with their sources, other articles, and twelve notices in
    one house template with a footer (boilerplate)."""
    docs = [
        ("library", LIBRARY),
        ("library-rw", LIBRARY_REWRITE),
        ("ferry", FERRY),
        ("ferry-rw", FERRY_REWRITE),
        ("county", LIBRARY_OTHER),
        ("other", UNRELATED),
    ]
    towns = ["Ashby", "Brill", "Corran", "Dunlow", "Eskdale", "Fenny", "Garth", "Holt", "Ivel", "Jarrow", "Kells", "Lisle"]
    for k, town in enumerate(towns):
        docs.append(
            (
                "notice-%d" % k,
                "The %s water board said supplies would be interrupted on %d May between %d and %d "
                "hours while crews replace %d metres of main.\n\nNotices are issued by the regional "
                "utilities desk and carried as received." % (town, k + 3, 8 + k % 3, 14 + k % 4, 120 + 15 * k),
            )
        )
    return docs


def _pairs(found):
    return sorted(json.dumps(p, sort_keys=True) for p in found)


def test_spark_scan_of_shards_is_the_scan_of_one_index(spark, tmp_path):
    docs = _collection()
    one = retrace.Index(tmp_path / "one")
    for id_, text in docs:
        one.add(id_, text)
    one.commit()
    want = _pairs(one.scan(all=True))
    assert any({p["a"], p["b"]} == {"library", "library-rw"} and p["verdict"] == "derived" for p in one.scan())
    paths = []
    for k in range(3):
        ix = retrace.Index(tmp_path / ("shard-%d" % k))
        for id_, text in docs[k::3]:
            ix.add(id_, text)
        ix.commit()
        paths.append(str(tmp_path / ("shard-%d" % k)))
    out = rspark.scan(paths, spark, all=True)
    assert out.schema.simpleString() == (
        "struct<a:string,b:string,score:double,verdict:string,confidence:double,pair:string>"
    )
    rows = out.collect()
    assert _pairs(json.loads(r["pair"]) for r in rows) == want
    derived = {frozenset((r["a"], r["b"])) for r in rows if r["verdict"] == "derived"}
    assert frozenset(("library", "library-rw")) in derived
    assert frozenset(("ferry", "ferry-rw")) in derived
    assert not any(r["a"].startswith("notice") and r["verdict"] == "derived" for r in rows)


def test_spark_scan_of_a_dataframe(spark, tmp_path):
    df = spark.createDataFrame(_collection(), "id string, body string").repartition(2)
    out = rspark.scan(df, work_dir=str(tmp_path / "parts"), text_col="body")
    got = {frozenset((r["a"], r["b"])) for r in out.collect()}
    assert frozenset(("library", "library-rw")) in got
    assert frozenset(("ferry", "ferry-rw")) in got
    assert len(rspark.shard_paths([tmp_path / "parts" / "part-00000", tmp_path / "parts" / "part-00001"])) == 2
