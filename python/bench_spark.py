"""retrace.spark.check throughput: N suspects (every 40th document of a scan corpus, as
new ids) against its index, on a given Spark master.

    PYSPARK_PYTHON=$VENV/bin/python $VENV/bin/python python/bench_spark.py 'local[2]' 2000
        [--corpus /tmp/s100k/corpus.jsonl] [--index /tmp/s100k/idx]

(the corpus and index from scripts/scan_scale_corpus.py and `retrace index`).
"""
import json, sys, time
from pyspark.sql import SparkSession
import retrace.spark as rs
master, n = sys.argv[1], int(sys.argv[2])
CORPUS = sys.argv[sys.argv.index("--corpus") + 1] if "--corpus" in sys.argv else "/tmp/s100k/corpus.jsonl"
INDEX = sys.argv[sys.argv.index("--index") + 1] if "--index" in sys.argv else "/tmp/s100k/idx"
spark = SparkSession.builder.master(master).config("spark.sql.execution.arrow.maxRecordsPerBatch", "256").getOrCreate()
spark.sparkContext.setLogLevel("ERROR")
rows = []
with open(CORPUS) as f:
    for i, line in enumerate(f):
        if i % 40 == 1:
            r = json.loads(line); rows.append((r["id"] + "-q", r["text"]))
        if len(rows) >= n: break
df = spark.createDataFrame(rows, "id string, text string").repartition(int(master[6:-1]) if master.startswith("local[") else 2)
df.cache().count()
t = time.time()
out = rs.check(df, INDEX, top=5).count()
dt = time.time() - t
print(json.dumps({"master": master, "suspects": n, "rows": out, "seconds": round(dt, 2), "suspects_per_s": round(n / dt, 1)}))
