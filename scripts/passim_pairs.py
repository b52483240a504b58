#!/usr/bin/env python3
"""Map passim's aligned extents back to document ids and count planted pairs.

    python scripts/passim_pairs.py CORPUS.jsonl PASSIM_OUT PLANTED.jsonl   (run with pyspark's python)

passim names documents by xxhash64(id) (`uid`, `uid2` in out/tmp/extents.parquet);
this computes the same hash in Spark for every id of the corpus and prints one JSON
object: extents, document pairs, planted pairs found.
"""
import json
import sys

from pyspark.sql import SparkSession
from pyspark.sql.functions import col, xxhash64

corpus, out, planted = sys.argv[1:4]
spark = SparkSession.builder.master("local[2]").getOrCreate()
spark.sparkContext.setLogLevel("ERROR")
ids = spark.read.json(corpus).select("id").withColumn("uid", xxhash64(col("id")))
uid = {r["uid"]: r["id"] for r in ids.collect()}
ext = spark.read.parquet(f"{out}/tmp/extents.parquet").select("uid", "uid2").collect()
pairs = {frozenset((uid.get(r["uid"]), uid.get(r["uid2"]))) for r in ext}
want = [json.loads(line) for line in open(planted)]
found = sum(frozenset((p["rewrite"], p["source"])) in pairs for p in want)
print(json.dumps({"extents": len(ext), "pairs": len(pairs), "planted": len(want), "planted_found": found}))
