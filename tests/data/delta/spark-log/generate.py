#!/usr/bin/env python3
"""Generates the Delta log fixtures of tests/tributary/delta/log_fixtures_test.cc.

Run by hand, with the Spark 4.0.0 + delta-spark 4.0.0 virtualenv:
    ~/.cache/tributary/bench-venv/bin/python tests/data/delta/spark-log/generate.py

Each table is a folder next to this script, written by Spark (or delta-rs), with an
`expected.json` holding the rows Spark reads back: {"<version>": ["id|name", ...]}
(sorted, "null" for a null). Every table has two columns, id BIGINT and name STRING.

  v2-json-sidecars      V2 checkpoint (delta.checkpointPolicy=v2), UUID-named, JSON top
                        level, add/remove in _sidecars/*.parquet; commits before it deleted
  v2-parquet-sidecars   the same with a Parquet top-level file
  v2-classic-name       a V2 checkpoint renamed to <v>.checkpoint.parquet (the spec allows a
                        V2 checkpoint under the classic name); no _last_checkpoint
  multi-part            classic checkpoint in parts (spark.databricks.delta.checkpoint.partSize)
  compacted             log compaction files <x>.<y>.compacted.json; delta-spark 4.0.0 reads
                        them (deltaLog.minorCompaction.useForReads) but has no writer, so this
                        script reconciles them as PROTOCOL.md "Log Compaction Files" says and
                        Spark reads the table with them
  delta-rs              written by python deltalake: create_checkpoint, then cleanup_metadata
"""
import glob
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def spark_session():
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from delta import configure_spark_with_delta_pip
    from pyspark.sql import SparkSession

    builder = (SparkSession.builder.master("local[1]").appName("tributary-log-fixtures")
               .config("spark.ui.enabled", "false")
               .config("spark.driver.host", "127.0.0.1")
               .config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.sql.shuffle.partitions", "1")
               .config("spark.databricks.delta.snapshotPartitions", "1")
               .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
               .config("spark.sql.catalog.spark_catalog",
                       "org.apache.spark.sql.delta.catalog.DeltaCatalog")
               .config("spark.databricks.delta.deltaLog.minorCompaction.useForReads", "true"))
    spark = configure_spark_with_delta_pip(builder).getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    return spark


def log_dir(path):
    return os.path.join(path, "_delta_log")


def insert(spark, path, first, count):
    rows = ", ".join(f"({i}, {'NULL' if i % 7 == 3 else repr('n' + str(i))})"
                     for i in range(first, first + count))
    spark.sql(f"INSERT INTO delta.`{path}` VALUES {rows}")


def create(spark, path, properties):
    props = ", ".join(f"'{k}'='{v}'" for k, v in properties.items())
    spark.sql(f"CREATE TABLE delta.`{path}` (id BIGINT, name STRING) USING delta "
              f"TBLPROPERTIES ({props})")


def row_lines(rows):
    def text(value):
        return "null" if value is None else str(value)
    return sorted(f"{text(r['id'])}|{text(r['name'])}" for r in rows)


def delete_commits_before(path, version):
    """Removes commits and .crc files below `version`, as log cleanup would."""
    for name in os.listdir(log_dir(path)):
        stem = name.split(".")[0]
        if stem.isdigit() and int(stem) < version and (name.endswith(".json") or name.endswith(".crc")):
            if ".checkpoint." not in name:
                os.remove(os.path.join(log_dir(path), name))


def write_expected(spark, path, versions):
    expected = {}
    for version in versions:
        reader = spark.read.format("delta")
        if version is not None:
            reader = reader.option("versionAsOf", version)
        rows = reader.load(path).collect()
        key = str(version) if version is not None else "latest"
        expected[key] = row_lines(rows)
    with open(os.path.join(path, "expected.json"), "w") as out:
        json.dump(expected, out, indent=1)
        out.write("\n")


def clear_hadoop_crc(path):
    # Hadoop's local file system leaves .<name>.crc side files; the real tables do not have them.
    for name in glob.glob(os.path.join(path, "**", ".*.crc"), recursive=True):
        os.remove(name)


def fresh(name):
    path = os.path.join(HERE, name)
    shutil.rmtree(path, ignore_errors=True)
    return path


def v2_table(spark, name, top_level):
    path = fresh(name)
    spark.conf.set("spark.databricks.delta.checkpointV2.topLevelFileFormat", top_level)
    spark.conf.set("spark.databricks.delta.checkpoint.partSize", "2")
    create(spark, path, {"delta.checkpointPolicy": "v2", "delta.checkpointInterval": "4"})
    for i in range(4):  # versions 1..4, checkpoint at 4
        insert(spark, path, i * 3, 3)
    spark.sql(f"DELETE FROM delta.`{path}` WHERE id = 4")  # 5
    insert(spark, path, 100, 2)  # 6
    spark.conf.unset("spark.databricks.delta.checkpoint.partSize")
    delete_commits_before(path, 4)
    return path


def generate_v2(spark):
    for name, top_level in (("v2-json-sidecars", "json"), ("v2-parquet-sidecars", "parquet")):
        path = v2_table(spark, name, top_level)
        clear_hadoop_crc(path)
        write_expected(spark, path, [4, 5, 6])
    generate_v2_classic_name(spark)


def generate_v2_classic_name(spark):
    path = v2_table(spark, "v2-classic-name", "parquet")
    (uuid_named,) = glob.glob(os.path.join(log_dir(path), "00000000000000000004.checkpoint.*.parquet"))
    os.rename(uuid_named, os.path.join(log_dir(path), "00000000000000000004.checkpoint.parquet"))
    os.remove(os.path.join(log_dir(path), "_last_checkpoint"))
    spark._jvm.org.apache.spark.sql.delta.DeltaLog.clearCache()  # forget the old file name
    clear_hadoop_crc(path)
    write_expected(spark, path, [4, 6])
    spark.conf.set("spark.databricks.delta.checkpointV2.topLevelFileFormat", "parquet")


def generate_multi_part(spark):
    path = fresh("multi-part")
    spark.conf.set("spark.databricks.delta.checkpoint.partSize", "3")
    create(spark, path, {"delta.checkpointInterval": "5"})
    for i in range(5):  # checkpoint at 5
        insert(spark, path, i * 2, 2)
    insert(spark, path, 50, 1)  # 6
    spark.conf.unset("spark.databricks.delta.checkpoint.partSize")
    delete_commits_before(path, 5)
    clear_hadoop_crc(path)
    write_expected(spark, path, [5, 6])


def reconcile(path, first, last):
    """The actions of commits [first, last] reconciled: the last protocol, metaData and txn
    per appId, the last add or remove per (path, deletion vector), no commitInfo."""
    protocol = metadata = None
    txns, files = {}, {}
    for version in range(first, last + 1):
        with open(os.path.join(log_dir(path), f"{version:020d}.json")) as commit:
            for line in commit:
                if not line.strip():
                    continue
                action = json.loads(line)
                kind, body = next(iter(action.items()))
                if kind == "protocol":
                    protocol = action
                elif kind == "metaData":
                    metadata = action
                elif kind == "txn":
                    txns[body["appId"]] = action
                elif kind in ("add", "remove"):
                    dv = body.get("deletionVector") or {}
                    files[(body["path"], dv.get("pathOrInlineDv"))] = action
    actions = [a for a in (protocol, metadata) if a] + list(txns.values()) + list(files.values())
    name = f"{first:020d}.{last:020d}.compacted.json"
    with open(os.path.join(log_dir(path), name), "w") as out:
        for action in actions:
            out.write(json.dumps(action, separators=(",", ":")) + "\n")


def generate_compacted(spark):
    path = fresh("compacted")
    create(spark, path, {"delta.checkpointInterval": "100"})
    for i in range(3):  # 1..3
        insert(spark, path, i * 2, 2)
    spark.sql(f"DELETE FROM delta.`{path}` WHERE id = 1")  # 4
    insert(spark, path, 20, 2)  # 5
    spark.sql(f"UPDATE delta.`{path}` SET name = 'renamed' WHERE id = 20")  # 6
    insert(spark, path, 30, 1)  # 7
    reconcile(path, 1, 4)
    reconcile(path, 5, 6)
    clear_hadoop_crc(path)
    write_expected(spark, path, [3, 4, 6, 7])


def generate_delta_rs(spark):
    import pyarrow as pa
    from deltalake import DeltaTable, write_deltalake

    path = fresh("delta-rs")

    def batch(first, count):
        ids = list(range(first, first + count))
        return pa.table({"id": pa.array(ids, pa.int64()),
                         "name": pa.array([None if i % 7 == 3 else f"n{i}" for i in ids], pa.string())})

    write_deltalake(path, batch(0, 3), configuration={"delta.logRetentionDuration": "interval 0 days"})
    for i in range(1, 4):
        write_deltalake(path, batch(i * 3, 3), mode="append")
    DeltaTable(path).create_checkpoint()  # version 3
    write_deltalake(path, batch(50, 2), mode="append")  # 4
    DeltaTable(path).cleanup_metadata()  # removes commits 0..2
    clear_hadoop_crc(path)
    write_expected(spark, path, [3, 4])


GENERATORS = {"v2": generate_v2, "v2-classic-name": generate_v2_classic_name, "multi-part": generate_multi_part,
              "compacted": generate_compacted, "delta-rs": generate_delta_rs}


def main():
    """Arguments: the generators to run (all by default), names of GENERATORS."""
    spark = spark_session()
    for name in sys.argv[1:] or GENERATORS:
        GENERATORS[name](spark)
    spark.stop()
    sys.stdout.flush()
    os._exit(0)  # deltalake may abort while tearing down at interpreter exit


if __name__ == "__main__":
    main()
