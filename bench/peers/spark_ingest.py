#!/usr/bin/env python3
"""The bronze pipeline in open-source Apache Spark with Delta Lake, as the benchmark's peer.

Auto Loader (`cloudFiles`) is not open source, so the plain file stream source stands in
for it, doing what Auto Loader does on a first run: infer the schema from the files with a
batch read (Auto Loader samples up to 1000 files), then stream every file into a Delta
table with `trigger(availableNow=True)` and a checkpoint, `maxFilesPerTrigger` 1000 as
Auto Loader's default.

Run by run_bench.py in the benchmark's virtualenv (bench/setup.sh); prints one JSON line
with the phase timings on stdout. Delta's jars must already be in the Ivy cache
(setup.sh puts them there), so no download is timed.
"""

import argparse
import json
import os
import sys
import time


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", required=True, help="folder of input files")
    parser.add_argument("--format", choices=["json", "csv"], required=True)
    parser.add_argument("--table", required=True, help="Delta table path (created)")
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--cores", type=int, default=2, help="local[N]")
    parser.add_argument("--driver-memory", default="2g")
    parser.add_argument("--max-files-per-trigger", type=int, default=1000)
    parser.add_argument("--jars", help="comma list of local jar files for spark.jars (delta-spark and what it "
                        "needs) instead of resolving io.delta's package through Ivy at start")
    args = parser.parse_args(argv)

    started = time.monotonic()
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # everything stays on loopback
    from pyspark.sql import SparkSession
    from delta import configure_spark_with_delta_pip

    builder = (SparkSession.builder.master(f"local[{args.cores}]").appName("tributary-bench-spark")
               .config("spark.driver.memory", args.driver_memory)
               .config("spark.ui.enabled", "false")
               .config("spark.driver.host", "127.0.0.1")
               .config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
               .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog"))
    if args.jars:
        spark = builder.config("spark.jars", args.jars).getOrCreate()
    else:
        spark = configure_spark_with_delta_pip(builder).getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    session_ready = time.monotonic()

    source = args.input  # the folder: Spark lists it and skips names starting with _ or .
    if args.format == "json":
        schema = spark.read.json(source).schema
        stream = spark.readStream.schema(schema).option("maxFilesPerTrigger", args.max_files_per_trigger).json(source)
    else:
        # The generator writes RFC 4180 CSV (a quote inside a quoted value is doubled);
        # Spark's default escape is a backslash, so say so, as the Tributary pipeline does.
        csv_options = {"header": "true", "escape": '"'}
        schema = spark.read.options(**csv_options).option("inferSchema", True).csv(source).schema
        stream = (spark.readStream.schema(schema).options(**csv_options)
                  .option("maxFilesPerTrigger", args.max_files_per_trigger).csv(source))
    inferred = time.monotonic()

    query = (stream.writeStream.format("delta").option("checkpointLocation", args.checkpoint)
             .trigger(availableNow=True).start(args.table))
    query.awaitTermination()
    finished = time.monotonic()
    batches = [p for p in query.recentProgress if p.get("numInputRows", 0) > 0]
    print(json.dumps({
        "spark_version": spark.version,
        "session_s": round(session_ready - started, 3),
        "infer_s": round(inferred - session_ready, 3),
        "stream_s": round(finished - inferred, 3),
        "batches": len(batches),
        "input_rows": sum(p["numInputRows"] for p in batches),
        "columns": len(schema.fields),
        # Spark's own progress records; run_bench.py reads batch phases and the time of the
        # first commit from them, as it does from Tributary's identical records.
        "progress": [{k: p.get(k) for k in ("batchId", "timestamp", "numInputRows", "durationMs")}
                     for p in batches],
    }))
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
