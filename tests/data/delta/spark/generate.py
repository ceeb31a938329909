"""Generates the Delta tables under tests/data/delta/spark/ with Spark, and the rows
Spark reads from each (<table>.expected.json), for tests/tributary/delta/spark_tables_test.cc.

Run by hand (the tables are committed; tests never run Spark):

    ~/.cache/tributary/bench-venv/bin/python tests/data/delta/spark/generate.py

The virtualenv holds pyspark 4.0.0 and delta-spark 4.0.0 (Delta's jars from ~/.ivy2*).
Each table directory is deleted and written again. Spark runs in local[1] with the UTC
session time zone, so timestamps are the same on every machine.

Expected rows: {"columns": [...], "rows": [[...], ...]} with rows sorted by their JSON
text. Values: null, booleans, numbers for integers, strings for strings, decimals
(their plain text), dates ("YYYY-MM-DD"), binary (upper-case hex), timestamp and
timestamp_ntz as microseconds since the epoch (UTC, or wall clock for ntz), structs as
objects in field order.
"""

import base64
import datetime
import decimal
import glob
import json
import os
import shutil
import struct
import sys

os.environ["TZ"] = "UTC"
HERE = os.path.dirname(os.path.abspath(__file__))


def spark_session():
    from delta import configure_spark_with_delta_pip
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master("local[1]")
        .appName("tributary-fixtures")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.databricks.delta.snapshotPartitions", "1")
        .config("spark.sql.sources.parallelPartitionDiscovery.parallelism", "1")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.databricks.delta.stats.collect", "true")
    )
    return configure_spark_with_delta_pip(builder).getOrCreate()


EPOCH = datetime.datetime(1970, 1, 1)


def canonical(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        naive = value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(
            datetime.timezone.utc).replace(tzinfo=None)
        return (naive - EPOCH) // datetime.timedelta(microseconds=1)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex().upper()
    if hasattr(value, "asDict"):
        return {k: canonical(v) for k, v in value.asDict(recursive=False).items()}
    if isinstance(value, list):
        return [canonical(v) for v in value]
    raise TypeError(f"no canonical form for {type(value)}")


def write_expected(spark, name):
    path = os.path.join(HERE, name)
    frame = spark.read.format("delta").load(path)
    rows = [json.dumps([canonical(v) for v in row], separators=(",", ":"), ensure_ascii=False)
            for row in frame.collect()]
    rows.sort()
    with open(os.path.join(HERE, name + ".expected.json"), "w", encoding="utf-8") as out:
        out.write('{"columns":' + json.dumps(frame.columns) + ',"rows":[\n')
        out.write(",\n".join(rows))
        out.write("\n]}\n")
    print(f"{name}: {len(rows)} rows")


def fresh(name):
    path = os.path.join(HERE, name)
    shutil.rmtree(path, ignore_errors=True)
    return path


def tidy(path):
    # Spark's checksum side files (.crc of data files) are not part of a Delta table.
    for crc in glob.glob(os.path.join(path, "**", ".*.crc"), recursive=True):
        os.remove(crc)


def deletion_vectors(spark, name, extra_properties=""):
    path = fresh(name)
    spark.sql(f"""CREATE TABLE delta.`{path}` (id INT, name STRING, amount DECIMAL(10,2), part INT)
                  USING delta PARTITIONED BY (part)
                  TBLPROPERTIES ('delta.enableDeletionVectors' = 'true' {extra_properties})""")
    spark.sql(f"""INSERT INTO delta.`{path}`
                  SELECT id, concat('n', id), CAST(id * 1.25 AS DECIMAL(10,2)), id % 2
                  FROM range(0, 40)""")
    spark.sql(f"DELETE FROM delta.`{path}` WHERE id % 5 = 0")
    spark.sql(f"UPDATE delta.`{path}` SET name = 'updated' WHERE id = 7 OR id = 8")
    spark.sql(f"DELETE FROM delta.`{path}` WHERE id = 33")
    tidy(path)
    write_expected(spark, name)


# Z85 (ZeroMQ RFC 32), as Delta encodes inline deletion vectors.
Z85 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"


def z85_encode(data):
    data = data + b"\0" * (-len(data) % 4)
    out = []
    for i in range(0, len(data), 4):
        value = struct.unpack(">I", data[i:i + 4])[0]
        chunk = []
        for _ in range(5):
            chunk.append(Z85[value % 85])
            value //= 85
        out.extend(reversed(chunk))
    return "".join(out)


def roaring_bitmap_array(rows):
    """Delta's RoaringBitmapArray: magic, one bucket (high 32 bits 0) holding a 32-bit
    Roaring bitmap in the portable format with array containers (no run containers)."""
    containers = {}
    for row in sorted(rows):
        containers.setdefault(row >> 16, []).append(row & 0xFFFF)
    keys = sorted(containers)
    bitmap = struct.pack("<II", 12346, len(keys))
    for key in keys:
        bitmap += struct.pack("<HH", key, len(containers[key]) - 1)
    offset = len(bitmap) + 4 * len(keys)
    for key in keys:
        bitmap += struct.pack("<I", offset)
        offset += 2 * len(containers[key])
    for key in keys:
        bitmap += b"".join(struct.pack("<H", v) for v in containers[key])
    return struct.pack("<IqI", 1681511377, 1, 0) + bitmap


def inline_deletion_vector(spark, name):
    """Spark writes DVs to files; this table's DV is inline, written by hand per the
    protocol (an add with the same path and an inline deletionVector, and the remove
    of the file without one)."""
    path = fresh(name)
    spark.sql(f"""CREATE TABLE delta.`{path}` (id LONG, label STRING) USING delta
                  TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')""")
    spark.range(0, 20).selectExpr("id", "concat('row', id) AS label").coalesce(1) \
        .write.format("delta").mode("append").save(path)
    tidy(path)
    log = os.path.join(path, "_delta_log")
    with open(os.path.join(log, "00000000000000000001.json")) as f:
        add = next(json.loads(line)["add"] for line in f if '"add"' in line)
    deleted = [0, 3, 4, 7, 11, 18, 19]
    serialized = roaring_bitmap_array(deleted)
    dv = {"storageType": "i", "pathOrInlineDv": z85_encode(serialized),
          "sizeInBytes": len(serialized), "cardinality": len(deleted)}
    remove = {"path": add["path"], "deletionTimestamp": add["modificationTime"] + 1,
              "dataChange": True, "extendedFileMetadata": True,
              "partitionValues": add["partitionValues"], "size": add["size"]}
    new_add = dict(add, deletionVector=dv)
    commit_info = {"timestamp": add["modificationTime"] + 1, "operation": "DELETE",
                   "operationParameters": {}, "isBlindAppend": False}
    with open(os.path.join(log, "00000000000000000002.json"), "w") as f:
        for action in ({"commitInfo": commit_info}, {"remove": remove}, {"add": new_add}):
            f.write(json.dumps(action, separators=(",", ":")) + "\n")
    write_expected(spark, name)


def column_mapping(spark, name, mode):
    path = fresh(name)
    spark.sql(f"""CREATE TABLE delta.`{path}`
                  (id INT, name STRING, info STRUCT<a: INT, b: STRING>, dropped STRING, region STRING)
                  USING delta PARTITIONED BY (region)
                  TBLPROPERTIES ('delta.columnMapping.mode' = '{mode}',
                                 'delta.minReaderVersion' = '2', 'delta.minWriterVersion' = '5')""")
    spark.sql(f"""INSERT INTO delta.`{path}` VALUES
                  (1, 'one', named_struct('a', 10, 'b', 'x'), 'd1', 'eu'),
                  (2, 'two', named_struct('a', 20, 'b', 'y'), 'd2', 'us'),
                  (3, NULL, NULL, 'd3', 'eu')""")
    spark.sql(f"ALTER TABLE delta.`{path}` RENAME COLUMN name TO full_name")
    spark.sql(f"ALTER TABLE delta.`{path}` RENAME COLUMN info.a TO alpha")
    spark.sql(f"ALTER TABLE delta.`{path}` DROP COLUMN dropped")
    spark.sql(f"ALTER TABLE delta.`{path}` ADD COLUMNS (name STRING)")
    spark.sql(f"""INSERT INTO delta.`{path}` (id, full_name, info, region, name) VALUES
                  (4, 'four', named_struct('alpha', 40, 'b', 'z'), 'us', 'new-name'),
                  (5, 'five', named_struct('alpha', 50, 'b', 'w'), 'ap', NULL)""")
    tidy(path)
    write_expected(spark, name)


def column_mapping_id_by_field_id(spark, name):
    """Column mapping id mode where the Parquet column names are not the physical names
    (as a converted or foreign writer may leave them): only field ids match. Written with
    pyarrow and a hand-made log; Spark resolves by field id, so its rows are the truth.
    Field id 4 is in the schema but in no file: its column reads as nulls."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = fresh(name)
    os.makedirs(os.path.join(path, "_delta_log"))

    def field(name, type, field_id):
        return pa.field(name, type, metadata={b"PARQUET:field_id": str(field_id).encode()})

    inner = pa.struct([field("inner_file_x", pa.int32(), 3)])
    schema = pa.schema([field("file_a", pa.int64(), 1), field("file_b", pa.string(), 2),
                        field("file_s", inner, 5)])
    table = pa.table({"file_a": [1, 2, 3], "file_b": ["x", None, "z"],
                      "file_s": [{"inner_file_x": 7}, None, {"inner_file_x": 9}]}, schema=schema)
    data = "part-00000-by-field-id.parquet"
    pq.write_table(table, os.path.join(path, data))

    def delta_field(name, type, field_id, physical):
        return {"name": name, "type": type, "nullable": True,
                "metadata": {"delta.columnMapping.id": field_id,
                             "delta.columnMapping.physicalName": physical}}

    struct_type = {"type": "struct", "fields": [delta_field("x", "integer", 3, "col-x")]}
    delta_schema = {"type": "struct", "fields": [
        delta_field("a", "long", 1, "col-a"), delta_field("b", "string", 2, "col-b"),
        delta_field("s", struct_type, 5, "col-s"), delta_field("missing", "string", 4, "col-m")]}
    actions = [
        {"protocol": {"minReaderVersion": 2, "minWriterVersion": 5}},
        {"metaData": {"id": "6c1f5a5e-0000-4000-8000-000000000001", "format": {"provider": "parquet", "options": {}},
                      "schemaString": json.dumps(delta_schema), "partitionColumns": [],
                      "configuration": {"delta.columnMapping.mode": "id", "delta.columnMapping.maxColumnId": "5"},
                      "createdTime": 1700000000000}},
        {"add": {"path": data, "partitionValues": {}, "size": os.path.getsize(os.path.join(path, data)),
                 "modificationTime": 1700000000000, "dataChange": True}},
    ]
    with open(os.path.join(path, "_delta_log", "00000000000000000000.json"), "w") as f:
        for action in actions:
            f.write(json.dumps(action, separators=(",", ":")) + "\n")
    write_expected(spark, name)


def timestamp_ntz(spark, name):
    path = fresh(name)
    spark.sql(f"""CREATE TABLE delta.`{path}` (id INT, ntz TIMESTAMP_NTZ, ts TIMESTAMP, day DATE)
                  USING delta""")
    spark.sql(f"""INSERT INTO delta.`{path}` VALUES
                  (1, TIMESTAMP_NTZ'2024-02-29 23:59:59.123456', TIMESTAMP'2024-02-29 23:59:59.5', DATE'2024-02-29'),
                  (2, TIMESTAMP_NTZ'1969-12-31 00:00:01', TIMESTAMP'1900-01-01 00:00:00', DATE'1900-01-01'),
                  (3, NULL, NULL, NULL)""")
    tidy(path)
    write_expected(spark, name)


def partition_strings(spark, name):
    path = fresh(name)
    spark.sql(f"CREATE TABLE delta.`{path}` (id INT, s STRING) USING delta PARTITIONED BY (s)")
    values = [None, "", "plain", "a b", "a/b", "50%", "k=v", "c:d", "ünï", "x%2Fy", "#?&"]
    rows = ", ".join(f"({i}, {'NULL' if v is None else repr(v)})" for i, v in enumerate(values))
    spark.sql(f"INSERT INTO delta.`{path}` VALUES {rows}")
    tidy(path)
    write_expected(spark, name)


def partition_types(spark, name):
    path = fresh(name)
    spark.sql(f"""CREATE TABLE delta.`{path}`
                  (id INT, p_date DATE, p_int INT, p_bool BOOLEAN, p_dec DECIMAL(7,2),
                   p_ts TIMESTAMP, p_ntz TIMESTAMP_NTZ)
                  USING delta PARTITIONED BY (p_date, p_int, p_bool, p_dec, p_ts, p_ntz)""")
    spark.sql(f"""INSERT INTO delta.`{path}` VALUES
                  (1, DATE'2024-01-31', 7, true, 12.5, TIMESTAMP'2024-01-31 10:20:30.123456',
                   TIMESTAMP_NTZ'2024-01-31 10:20:30'),
                  (2, DATE'1999-12-31', -3, false, -0.01, TIMESTAMP'1999-12-31 23:59:59',
                   TIMESTAMP_NTZ'1999-12-31 23:59:59.999'),
                  (3, NULL, NULL, NULL, NULL, NULL, NULL)""")
    tidy(path)
    write_expected(spark, name)


def partition_binary(spark, name):
    path = fresh(name)
    spark.sql(f"CREATE TABLE delta.`{path}` (id INT, b BINARY) USING delta PARTITIONED BY (b)")
    spark.sql(f"INSERT INTO delta.`{path}` VALUES (1, X'414243'), (2, X''), (3, NULL)")
    tidy(path)
    write_expected(spark, name)


def main():
    spark = spark_session()
    only = set(sys.argv[1:])
    tables = {
        "deletion_vectors": lambda n: deletion_vectors(spark, n),
        "deletion_vectors_prefixed": lambda n: deletion_vectors(
            spark, n, ", 'delta.randomizeFilePrefixes' = 'true'"),
        "deletion_vector_inline": lambda n: inline_deletion_vector(spark, n),
        "column_mapping_name": lambda n: column_mapping(spark, n, "name"),
        "column_mapping_id": lambda n: column_mapping(spark, n, "id"),
        "column_mapping_id_by_field_id": lambda n: column_mapping_id_by_field_id(spark, n),
        "timestamp_ntz": lambda n: timestamp_ntz(spark, n),
        "partition_strings": lambda n: partition_strings(spark, n),
        "partition_types": lambda n: partition_types(spark, n),
        "partition_binary": lambda n: partition_binary(spark, n),
    }
    for name, make in tables.items():
        if not only or name in only:
            make(name)
    spark.stop()


if __name__ == "__main__":
    main()
