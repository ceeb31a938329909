#!/usr/bin/env python3
"""The seed's silver pipeline in open-source Apache Spark with Delta Lake, as the peer of
bench/spark/run_spark_bench.py:

    spark.readStream.format("kafka") ... .load()
        .select(from_json(col("value").cast("string"), order_schema).alias("data"),
                col("timestamp").alias("kafka_ts"))
        .select("data.*", "kafka_ts")
        .writeStream.foreachBatch(upsert_to_silver)   # DeltaTable MERGE by order_id
        .option("checkpointLocation", ...).trigger(availableNow=True).start()

The seed reads from "latest" and runs forever; the benchmark reads a topic produced
beforehand, so it starts at "earliest" and stops when the backlog is merged
(availableNow), in batches of --max-offsets-per-trigger messages. The target table
must exist (the seed's DeltaTable.forName does not create it): the runner creates it,
empty, before the timed run. Run in the benchmark's virtualenv (bench/setup.sh) with
the jars it copies (--jars); prints one JSON line with phase timings on stdout.
"""

import argparse
import json
import os
import sys
import time

ORDER_DDL = "order_id STRING, customer_id BIGINT, status STRING, amount DOUBLE, updated_at TIMESTAMP"


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--table", required=True, help="path of the existing target Delta table")
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--max-offsets-per-trigger", type=int, required=True)
    parser.add_argument("--jars", required=True, help="comma list of delta-spark and Kafka source jars")
    parser.add_argument("--cores", type=int, default=2, help="local[N]")
    parser.add_argument("--driver-memory", default="2g")
    args = parser.parse_args(argv)

    started = time.monotonic()
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession
    from pyspark.sql.functions import col, from_json
    from delta.tables import DeltaTable

    spark = (SparkSession.builder.master(f"local[{args.cores}]").appName("tributary-bench-spark-silver")
             .config("spark.driver.memory", args.driver_memory)
             .config("spark.ui.enabled", "false")
             .config("spark.driver.host", "127.0.0.1")
             .config("spark.driver.bindAddress", "127.0.0.1")
             .config("spark.jars", args.jars)
             .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
             .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
             .getOrCreate())
    spark.sparkContext.setLogLevel("WARN")
    session_ready = time.monotonic()

    stream = (spark.readStream.format("kafka")
              .option("kafka.bootstrap.servers", args.bootstrap)
              .option("subscribe", args.topic)
              .option("startingOffsets", "earliest")
              .option("maxOffsetsPerTrigger", args.max_offsets_per_trigger)
              .load()
              .select(from_json(col("value").cast("string"), ORDER_DDL).alias("data"),
                      col("timestamp").alias("kafka_ts"))
              .select("data.*", "kafka_ts"))

    def upsert_to_silver(micro_batch_df, batch_id):
        target = DeltaTable.forPath(spark, args.table)
        (target.alias("t").merge(micro_batch_df.alias("s"), "t.order_id = s.order_id")
         .whenMatchedUpdateAll().whenNotMatchedInsertAll().execute())

    query = (stream.writeStream.foreachBatch(upsert_to_silver)
             .option("checkpointLocation", args.checkpoint)
             .trigger(availableNow=True)
             .start())
    query.awaitTermination()
    finished = time.monotonic()
    batches = [p for p in query.recentProgress if p.get("numInputRows", 0) > 0]
    print(json.dumps({
        "spark_version": spark.version,
        "session_s": round(session_ready - started, 3),
        "stream_s": round(finished - session_ready, 3),
        "batches": len(batches),
        "input_rows": sum(p["numInputRows"] for p in batches),
    }))
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
