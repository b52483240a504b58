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
