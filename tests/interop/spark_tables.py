"""Delta tables written by Spark (delta-spark 4.0.0) for Tributary to read: each
function writes one table at `path` and returns the versions worth reading back (the
latest last). Each also checks that the table really has the feature it is about (the
deletion vector files, the sidecars, ...), so a test over it cannot pass vacuously."""
import contextlib
import json
from pathlib import Path

PARTITION_STRINGS = ["plain", "", None, "a b", "x/y", "100%", "k=v", "colon:x", "é ü", "#hash", "quote'\""]


def sql(spark, statement):
    return spark.sql(statement).collect()


def log_entries(path):
    return sorted(p.name for p in (Path(path) / "_delta_log").iterdir())


def commit_actions(path, version):
    text = (Path(path) / "_delta_log" / f"{version:020d}.json").read_text()
    return [json.loads(line) for line in text.splitlines() if line]


@contextlib.contextmanager
def spark_conf(spark, **settings):
    """Session settings for the duration of a block (names with '_' for '.')."""
    previous = {}
    for name, value in settings.items():
        key = "spark.databricks.delta." + name.replace("__", ".")
        previous[key] = spark.conf.get(key, None)
        spark.conf.set(key, value)
    try:
        yield
    finally:
        for key, value in previous.items():
            if value is None:
                spark.conf.unset(key)
            else:
                spark.conf.set(key, value)


def append_rows(spark, path, rows, ddl, merge_schema=False, partition_by=None, files=1):
    frame = spark.createDataFrame(rows, ddl).repartition(files)
    writer = frame.write.format("delta").mode("append")
    if merge_schema:
        writer = writer.option("mergeSchema", "true")
    if partition_by:
        writer = writer.partitionBy(*partition_by)
    writer.save(str(path))


def version_of(spark, path):
    return sql(spark, f"DESCRIBE HISTORY delta.`{path}` LIMIT 1")[0]["version"]


# ------------------------------------------------------------------------------ tables

def all_types(spark, path):
    sql(spark, f"""CREATE TABLE delta.`{path}` (
        b TINYINT, s SMALLINT, i INT, l BIGINT, f FLOAT, d DOUBLE,
        dec_small DECIMAL(5,2), dec_mid DECIMAL(18,6), dec_big DECIMAL(38,10),
        str STRING, bin BINARY, flag BOOLEAN, day DATE, ts TIMESTAMP, ntz TIMESTAMP_NTZ,
        ints ARRAY<INT>, pairs ARRAY<STRUCT<a: STRING, b: DOUBLE>>, counts MAP<STRING, BIGINT>,
        lists MAP<INT, ARRAY<STRING>>, nested STRUCT<x: INT, inner: STRUCT<z: STRING, w: DATE>>) USING delta""")
    sql(spark, f"""INSERT INTO delta.`{path}` VALUES
        (1, 2, 3, 4, 1.5, 2.25, 123.45, 123456789012.123456, 1234567890123456789012345678.0123456789,
         'hello', X'00FF10', true, DATE'2024-02-29', TIMESTAMP'2024-01-02 03:04:05.123456',
         TIMESTAMP_NTZ'2024-01-02 03:04:05.123456', array(1, 2, 3), array(named_struct('a', 'x', 'b', 0.5)),
         map('a', 1L, 'b', 2L), map(1, array('one'), 2, array('two', 'deux')),
         named_struct('x', 7, 'inner', named_struct('z', 'zz', 'w', DATE'2000-01-01'))),
        (-128, -32768, -2147483648, -9223372036854775808, CAST('NaN' AS FLOAT), CAST('Infinity' AS DOUBLE),
         -999.99, -999999999999.999999, -9999999999999999999999999999.9999999999,
         'line\\nbreak "quoted" back\\\\slash ünïcødé 😀', X'', false, DATE'1969-12-31',
         TIMESTAMP'1969-12-31 23:59:59.999999', TIMESTAMP_NTZ'1900-01-01 00:00:00',
         array(), array(), map(), map(), named_struct('x', NULL, 'inner', NULL)),
        (127, 32767, 2147483647, 9223372036854775807, CAST('-Infinity' AS FLOAT), -0.0,
         0.01, 0.000001, 0.0000000001, '', X'DEADBEEF', NULL, DATE'9999-12-31',
         TIMESTAMP'2262-04-11 23:47:16.854775', TIMESTAMP_NTZ'2038-01-19 03:14:08.000001',
         array(NULL, 5), array(named_struct('a', NULL, 'b', NULL)), map('k', NULL),
         map(3, NULL), named_struct('x', 1, 'inner', named_struct('z', NULL, 'w', NULL))),
        (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, NULL, NULL, NULL)""")
    protocol = [a["protocol"] for a in commit_actions(path, 0) if "protocol" in a][0]
    assert "timestampNtz" in protocol.get("readerFeatures", []), protocol
    return [1]


def appends_with_schema_evolution(spark, path):
    append_rows(spark, path, [(i, f"n{i}") for i in range(5)], "id BIGINT, name STRING")
    append_rows(spark, path, [(i, f"n{i}") for i in range(5, 10)], "id BIGINT, name STRING")
    append_rows(spark, path, [(i, f"n{i}", i / 2) for i in range(10, 15)], "id BIGINT, name STRING, score DOUBLE",
                merge_schema=True)
    append_rows(spark, path, [(i, f"n{i}", None, [f"t{i}"], (i, f"i{i}")) for i in range(15, 20)],
                "id BIGINT, name STRING, score DOUBLE, tags ARRAY<STRING>, info STRUCT<a: INT, b: STRING>",
                merge_schema=True)
    append_rows(spark, path, [(i, f"n{i}") for i in range(20, 25)], "id BIGINT, name STRING")
    assert version_of(spark, path) == 4
    return [0, 1, 2, 3, 4]


def partitioned(spark, path):
    rows = []
    for index, region in enumerate(PARTITION_STRINGS):
        for k in range(2):
            day = None if k else f"2024-03-{index + 1:02d}"
            rows.append((index * 10 + k, region, day, f"2024-01-0{1 + k} 0{index % 3}:30:00.25", f"v{index}-{k}"))
    frame = spark.createDataFrame(rows, "id INT, region STRING, day STRING, at STRING, v STRING")
    frame = frame.selectExpr("id", "region", "CAST(day AS DATE) AS day", "CAST(at AS TIMESTAMP_NTZ) AS at", "v")
    frame.write.format("delta").partitionBy("region", "day", "at").save(str(path))
    adds = [a["add"] for a in commit_actions(path, 0) if "add" in a]
    regions = {a["partitionValues"]["region"] for a in adds}
    assert None in regions and "x/y" in regions, regions
    return [0]


def deletion_vectors(spark, path):
    sql(spark, f"""CREATE TABLE delta.`{path}` (id INT, v STRING, grp INT) USING delta
                   TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')""")
    rows = [(i, f"v{i}", i % 4) for i in range(300)]
    append_rows(spark, path, rows, "id INT, v STRING, grp INT", files=2)
    sql(spark, f"DELETE FROM delta.`{path}` WHERE id % 7 = 0")
    sql(spark, f"UPDATE delta.`{path}` SET v = concat(v, '-updated') WHERE id % 5 = 0")
    sql(spark, f"DELETE FROM delta.`{path}` WHERE id BETWEEN 100 AND 180")
    dv_adds = [a["add"] for v in range(2, 5) for a in commit_actions(path, v)
               if "add" in a and a["add"].get("deletionVector")]
    assert dv_adds, "Spark wrote no deletion vector"
    assert version_of(spark, path) == 4
    return [1, 2, 3, 4]


def column_mapping(spark, path, mode):
    sql(spark, f"""CREATE TABLE delta.`{path}` (id INT, first STRING, second STRING,
                   info STRUCT<a: INT, b: STRING>, p STRING) USING delta PARTITIONED BY (p)
                   TBLPROPERTIES ('delta.columnMapping.mode' = '{mode}')""")
    sql(spark, f"""INSERT INTO delta.`{path}` VALUES (1, 'f1', 's1', named_struct('a', 1, 'b', 'b1'), 'x'),
                   (2, 'f2', 's2', named_struct('a', 2, 'b', 'b2'), 'y'), (3, NULL, 's3', NULL, NULL)""")
    sql(spark, f"ALTER TABLE delta.`{path}` RENAME COLUMN first TO renamed")
    sql(spark, f"ALTER TABLE delta.`{path}` RENAME COLUMN info.a TO alpha")
    sql(spark, f"ALTER TABLE delta.`{path}` RENAME COLUMN p TO part")
    sql(spark, f"ALTER TABLE delta.`{path}` DROP COLUMN second")
    sql(spark, f"ALTER TABLE delta.`{path}` ADD COLUMN second STRING")  # a new column under a dropped name
    sql(spark, f"""INSERT INTO delta.`{path}` (id, renamed, info, part, second)
                   VALUES (4, 'f4', named_struct('alpha', 4, 'b', 'b4'), 'x', 'new-s4')""")
    assert version_of(spark, path) == 7
    return [1, 2, 5, 7]


def checkpoints_classic(spark, path):
    sql(spark, f"""CREATE TABLE delta.`{path}` (id INT, v STRING) USING delta
                   TBLPROPERTIES ('delta.checkpointInterval' = '3')""")
    for k in range(8):
        append_rows(spark, path, [(k * 10 + i, f"c{k}") for i in range(3)], "id INT, v STRING")
    sql(spark, f"DELETE FROM delta.`{path}` WHERE id = 31")
    entries = log_entries(path)
    assert "00000000000000000003.checkpoint.parquet" in entries and "00000000000000000009.checkpoint.parquet" \
        in entries, entries
    return [2, 4, 7, 9]


def checkpoints_multipart(spark, path):
    with spark_conf(spark, checkpoint__partSize="2"):
        sql(spark, f"""CREATE TABLE delta.`{path}` (id INT, v STRING) USING delta
                       TBLPROPERTIES ('delta.checkpointInterval' = '2')""")
        for k in range(3):
            append_rows(spark, path, [(k * 10 + i, f"m{k}") for i in range(4)], "id INT, v STRING", files=2)
    parts = [e for e in log_entries(path) if e.startswith("00000000000000000002.checkpoint.0000000001.")]
    assert parts, log_entries(path)
    return [1, 2, 3]


def checkpoints_v2_sidecars(spark, path, top_level="parquet"):
    with spark_conf(spark, checkpoint__partSize="2", checkpointV2__topLevelFileFormat=top_level):
        sql(spark, f"""CREATE TABLE delta.`{path}` (id INT, v STRING) USING delta
                       TBLPROPERTIES ('delta.checkpointPolicy' = 'v2', 'delta.checkpointInterval' = '2')""")
        for k in range(2):
            append_rows(spark, path, [(k * 10 + i, f"s{k}") for i in range(4)], "id INT, v STRING", files=2)
        sql(spark, f"DELETE FROM delta.`{path}` WHERE id = 12")
    entries = log_entries(path)
    assert any(e.startswith("00000000000000000002.checkpoint.") and e.endswith("." + top_level)
               for e in entries), entries
    sidecars = list((Path(path) / "_delta_log" / "_sidecars").glob("*.parquet"))
    assert sidecars, f"no sidecar in {entries}"
    return [1, 2, 3]


def log_compaction(spark, path):
    """Spark commits, then a log compaction file over versions 1..3 (delta-rs writes it:
    Spark 4.0 reads compactions but does not write them)."""
    from deltalake import DeltaTable
    sql(spark, f"CREATE TABLE delta.`{path}` (id INT, v STRING) USING delta")
    for k in range(4):
        append_rows(spark, path, [(k * 10 + i, f"l{k}") for i in range(3)], "id INT, v STRING")
    sql(spark, f"DELETE FROM delta.`{path}` WHERE id = 11")
    DeltaTable(str(path)).compact_logs(1, 3)
    entries = log_entries(path)
    assert "00000000000000000001.00000000000000000003.compacted.json" in entries, entries
    append_rows(spark, path, [(100, "after")], "id INT, v STRING")
    return [3, 5, 6]


def optimize(spark, path):
    for k in range(5):
        append_rows(spark, path, [(k * 10 + i, f"o{k}") for i in range(4)], "id INT, v STRING", files=2)
    sql(spark, f"OPTIMIZE delta.`{path}`")
    actions = commit_actions(path, 5)
    changes = [a.get("add", a.get("remove")) for a in actions if "add" in a or "remove" in a]
    assert changes and all(c["dataChange"] is False for c in changes), actions
    return [4, 5]


SPARK_TABLES = {
    "all_types": all_types,
    "appends_schema_evolution": appends_with_schema_evolution,
    "partitioned": partitioned,
    "deletion_vectors": deletion_vectors,
    "column_mapping_name": lambda spark, path: column_mapping(spark, path, "name"),
    "column_mapping_id": lambda spark, path: column_mapping(spark, path, "id"),
    "checkpoint_classic": checkpoints_classic,
    "checkpoint_multipart": checkpoints_multipart,
    "checkpoint_v2_sidecars": checkpoints_v2_sidecars,
    "checkpoint_v2_json_sidecars": lambda spark, path: checkpoints_v2_sidecars(spark, path, "json"),
    "log_compaction": log_compaction,
    "optimize": optimize,
}
