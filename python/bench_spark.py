"""retrace.spark throughput on a given Spark master.

check: N suspects against an index, the suspects either every 40th document of the index's
corpus (as new ids) or the first N records of a JSON Lines file ({"id", "text"}):

    PYSPARK_PYTHON=$VENV/bin/python $VENV/bin/python python/bench_spark.py 'local[2]' 2000
        [--corpus /tmp/s100k/corpus.jsonl] [--index /tmp/s100k/idx] [--suspects FILE]

scan: the pairs of a sharded index (`retrace index --shards N`) found on Spark:

    ... python/bench_spark.py 'local[2]' scan --index /tmp/s100k/sh4

(the corpora from scripts/scan_scale_corpus.py, the indexes from `retrace index`). Prints one
JSON line.
"""
import json
import os
import sys
import time

# run from the repository: import the installed package, not python/retrace (no extension there)
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != HERE]

from pyspark.sql import SparkSession

import retrace.spark as rs


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


master, what = sys.argv[1], sys.argv[2]
CORPUS = arg("--corpus", "/tmp/s100k/corpus.jsonl")
INDEX = arg("--index", "/tmp/s100k/idx")
SUSPECTS = arg("--suspects", None)
workers = int(master[6:-1]) if master.startswith("local[") else 2
spark = (
    SparkSession.builder.master(master)
    .config("spark.sql.execution.arrow.maxRecordsPerBatch", "256")
    .config("spark.sql.shuffle.partitions", str(2 * workers))
    .config("spark.driver.memory", "4g")
    .getOrCreate()
)
spark.sparkContext.setLogLevel("ERROR")

if what == "scan":
    t = time.time()
    out = rs.scan(INDEX, spark).cache()
    rows = out.count()
    derived = out.where("verdict = 'derived'").count()
    dt = time.time() - t
    if "--out" in sys.argv:
        with open(arg("--out", None), "w") as f:
            for r in out.select("pair").collect():
                f.write(r["pair"] + "\n")
    print(json.dumps({"master": master, "shards": len(rs.shard_paths(INDEX)), "pairs": rows, "derived": derived, "seconds": round(dt, 2)}))
    sys.exit(0)

n = int(what)
if SUSPECTS:
    df = (
        spark.read.json(SUSPECTS).select("id", "text").limit(n)
    )
else:
    rows = []
    with open(CORPUS) as f:
        for i, line in enumerate(f):
            if i % 40 == 1:
                r = json.loads(line)
                rows.append((r["id"] + "-q", r["text"]))
            if len(rows) >= n:
                break
    df = spark.createDataFrame(rows, "id string, text string")
df = df.repartition(4 * workers).cache()
n = df.count()
t = time.time()
out = rs.check(df, INDEX, top=5).count()
dt = time.time() - t
print(json.dumps({"master": master, "suspects": n, "rows": out, "seconds": round(dt, 2), "suspects_per_s": round(n / dt, 1)}))
