"""Helpers of the interoperability tests: the Spark session, reading a Delta table with
Spark, delta-rs and `tributary table show`, and rows in a canonical form that the three
can be compared in, row for row."""
import base64
import datetime
import decimal
import glob
import json
import math
import os
import struct
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
INSTALL_SPARK = REPO / "scripts" / "install-spark.sh"
SHOW_TIMEOUT = 120  # seconds for one `tributary table show`


# ------------------------------------------------------------------------- Spark

def delta_jars():
    """The jars scripts/install-spark.sh put in its cache (Delta's Spark connector)."""
    folder = subprocess.run(["bash", str(INSTALL_SPARK), "jars-dir"], capture_output=True, text=True,
                            check=True).stdout.strip()
    jars = sorted(glob.glob(os.path.join(folder, "*.jar")))
    if not any(os.path.basename(j).startswith("delta-spark_") for j in jars):
        raise RuntimeError(f"no delta-spark jar in {folder}")
    return jars


def start_spark(warehouse):
    """A small local Spark session with Delta Lake: one core, no UI, one shuffle
    partition, UTC; `warehouse` is Spark's (unused) spark.sql.warehouse.dir."""
    import pyspark
    from pyspark.sql import SparkSession
    if pyspark.__version__ != "4.0.0":
        raise RuntimeError(f"pyspark {pyspark.__version__} installed, the tests need 4.0.0")
    builder = (SparkSession.builder.master("local[1]").appName("tributary-interop")
               .config("spark.jars", ",".join(delta_jars()))
               .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
               .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "1")
               .config("spark.default.parallelism", "1")
               .config("spark.databricks.delta.snapshotPartitions", "1")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.driver.memory", "1g")
               .config("spark.driver.extraJavaOptions", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Duser.timezone=UTC")
               .config("spark.sql.warehouse.dir", str(warehouse)))
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def spark_read(spark, path, version=None, timestamp=None):
    reader = spark.read.format("delta")
    if version is not None:
        reader = reader.option("versionAsOf", version)
    if timestamp is not None:
        reader = reader.option("timestampAsOf", timestamp)
    return reader.load(str(path))


def spark_rows(spark, path, version=None, timestamp=None, timestamp_unit=1):
    """(type, canonical sorted rows) of the table read by Spark."""
    frame = spark_read(spark, path, version, timestamp)
    kind = type_of_spark(frame.schema)
    return kind, canonical_rows(kind, [row.asDict(recursive=False) for row in frame.collect()], timestamp_unit)


# ------------------------------------------------------------------------ delta-rs

def deltars_table(path, version=None):
    from deltalake import DeltaTable
    return DeltaTable(str(path), version=version).to_pyarrow_table()


def deltars_rows(path, version=None, kind=None, timestamp_unit=1):
    """(type, canonical sorted rows) of the table read by delta-rs; `kind` (from another
    reader) decides how values are compared, else the Arrow schema does."""
    table = deltars_table(path, version)
    kind = kind or type_of_arrow(table.schema)
    return kind, canonical_rows(kind, table.to_pylist(), timestamp_unit)


# ----------------------------------------------------------------------- Tributary

class TributaryError(AssertionError):
    pass


def tributary_show(tributary_bin, path, version=None, timestamp=None):
    """The rows `tributary table show --format json` prints, as parsed JSON objects."""
    args = [tributary_bin, "table", "show", str(path), "--format", "json"]
    if version is not None:
        args += ["--version", str(version)]
    if timestamp is not None:
        args += ["--timestamp", timestamp]
    completed = subprocess.run(args, capture_output=True, text=True, timeout=SHOW_TIMEOUT, errors="replace")
    if completed.returncode != 0:
        raise TributaryError(f"{' '.join(args)} exited {completed.returncode}:\n{completed.stderr[-4000:]}")
    rows = []
    for number, line in enumerate(completed.stdout.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line, parse_float=decimal.Decimal))
        except ValueError as error:
            raise TributaryError(f"{' '.join(args)}: line {number} is not JSON ({error}): {line[:200]}")
    return rows


# Spark's to_json (and so `table show --format json`) writes timestamps to the
# millisecond (timestampFormat yyyy-MM-dd'T'HH:mm:ss.SSSXXX): rows compared with
# Tributary's are cut to milliseconds on both sides.
TO_JSON_TIMESTAMP_UNIT = 1000


def tributary_rows(tributary_bin, path, kind, version=None, timestamp=None):
    """Canonical sorted rows of the table read by Tributary, under `kind` (the type of
    the table as another reader sees it), timestamps in milliseconds."""
    return canonical_rows(kind, tributary_show(tributary_bin, path, version, timestamp), TO_JSON_TIMESTAMP_UNIT)


# ------------------------------------------------------------------------- types
# A type is a tuple: ("struct", ((name, type), ...)), ("array", element), ("map", key,
# value), ("decimal", scale) or (name,) for the other primitives.

def type_of_spark(data_type):
    from pyspark.sql import types as t
    if isinstance(data_type, t.StructType):
        return ("struct", tuple((f.name, type_of_spark(f.dataType)) for f in data_type.fields))
    if isinstance(data_type, t.ArrayType):
        return ("array", type_of_spark(data_type.elementType))
    if isinstance(data_type, t.MapType):
        return ("map", type_of_spark(data_type.keyType), type_of_spark(data_type.valueType))
    if isinstance(data_type, t.DecimalType):
        return ("decimal", data_type.scale)
    simple = {t.TimestampType: "timestamp", t.TimestampNTZType: "timestamp_ntz", t.DateType: "date",
              t.BinaryType: "binary", t.FloatType: "float", t.DoubleType: "double", t.BooleanType: "boolean",
              t.StringType: "string", t.ByteType: "integer", t.ShortType: "integer", t.IntegerType: "integer",
              t.LongType: "integer"}
    for cls, name in simple.items():
        if isinstance(data_type, cls):
            return (name,)
    raise ValueError(f"no canonical form for Spark type {data_type}")


def type_of_arrow(data_type):
    import pyarrow as pa
    if isinstance(data_type, pa.Schema) or pa.types.is_struct(data_type):
        fields = list(data_type) if isinstance(data_type, pa.Schema) else [data_type.field(i) for i in
                                                                          range(data_type.num_fields)]
        return ("struct", tuple((f.name, type_of_arrow(f.type)) for f in fields))
    if pa.types.is_map(data_type):
        return ("map", type_of_arrow(data_type.key_type), type_of_arrow(data_type.item_type))
    if pa.types.is_list(data_type) or pa.types.is_large_list(data_type) or pa.types.is_list_view(data_type):
        return ("array", type_of_arrow(data_type.value_type))
    if pa.types.is_timestamp(data_type):
        return ("timestamp",) if data_type.tz else ("timestamp_ntz",)
    if pa.types.is_decimal(data_type):
        return ("decimal", data_type.scale)
    if pa.types.is_date(data_type):
        return ("date",)
    if pa.types.is_binary(data_type) or pa.types.is_large_binary(data_type) or pa.types.is_binary_view(data_type):
        return ("binary",)
    if pa.types.is_float32(data_type):
        return ("float",)
    if pa.types.is_floating(data_type):
        return ("double",)
    if pa.types.is_boolean(data_type):
        return ("boolean",)
    if pa.types.is_integer(data_type):
        return ("integer",)
    if pa.types.is_string(data_type) or pa.types.is_large_string(data_type) or pa.types.is_string_view(data_type):
        return ("string",)
    if pa.types.is_dictionary(data_type):
        return type_of_arrow(data_type.value_type)
    raise ValueError(f"no canonical form for Arrow type {data_type}")


# -------------------------------------------------------------------- canonical rows

EPOCH = datetime.datetime(1970, 1, 1)
_WIDE = decimal.Context(prec=80)  # decimal(38, s) needs more than the default 28 digits


def _micros(moment):
    delta = moment - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def _parse_iso_micros(text, with_zone):
    """Spark's to_json timestamps: 2025-01-02T03:04:05.123456Z / +01:00, any number of
    fraction digits (timestamp_ntz has no zone)."""
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00") if with_zone else text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return _micros(moment)


def _floating(value, single):
    if isinstance(value, str):  # to_json writes NaN and infinities as strings
        value = float(value)
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if single and not math.isinf(value):
        value = struct.unpack("<f", struct.pack("<f", value))[0]
    return value


def canonical(kind, value, timestamp_unit=1):
    """`value` as read by any of the readers (Python objects from Spark or pyarrow, or
    parsed JSON from Tributary) in one comparable, hashable form; timestamps in
    microseconds floored to a multiple of `timestamp_unit`."""
    if value is None:
        return None
    name = kind[0]
    if name == "struct":
        if not isinstance(value, dict):
            value = value.asDict(recursive=False)
        return tuple(canonical(field_type, value.get(field_name), timestamp_unit) for field_name, field_type in kind[1])
    if name == "array":
        return tuple(canonical(kind[1], v, timestamp_unit) for v in value)
    if name == "map":
        items = value.items() if isinstance(value, dict) else value
        pairs = []
        for key, item in items:
            if isinstance(key, str) and kind[1][0] != "string":
                key = json.loads(key, parse_float=decimal.Decimal)  # to_json's keys are strings
            pairs.append((canonical(kind[1], key, timestamp_unit), canonical(kind[2], item, timestamp_unit)))
        return tuple(sorted(pairs, key=repr))
    if name == "timestamp":
        if isinstance(value, str):
            micros = _parse_iso_micros(value, True)
        else:
            if value.tzinfo is not None:
                value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
            micros = _micros(value)
        return micros // timestamp_unit * timestamp_unit
    if name == "timestamp_ntz":
        micros = _parse_iso_micros(value, False) if isinstance(value, str) else _micros(value)
        return micros // timestamp_unit * timestamp_unit
    if name == "date":
        return value if isinstance(value, str) else value.isoformat()
    if name == "binary":
        return base64.b64decode(value) if isinstance(value, str) else bytes(value)
    if name == "decimal":
        return str(decimal.Decimal(str(value)).quantize(decimal.Decimal(1).scaleb(-kind[1]), context=_WIDE))
    if name in ("float", "double"):
        return _floating(value, name == "float")
    if name == "integer":
        return int(value)
    if name == "boolean":
        if not isinstance(value, bool):
            raise ValueError(f"not a boolean: {value!r}")
        return value
    return str(value)


def canonical_rows(kind, rows, timestamp_unit=1):
    return sorted((canonical(kind, row, timestamp_unit) for row in rows), key=repr)


def assert_same_rows(expected, actual, what):
    """Two canonical row lists are equal; the message shows the first differences."""
    if expected == actual:
        return
    import collections
    want = collections.Counter(expected)
    got = collections.Counter(actual)
    missing = list((want - got).elements())
    extra = list((got - want).elements())
    raise AssertionError(f"{what}: {len(actual)} rows, expected {len(expected)}; "
                         f"missing {len(missing)}: {missing[:5]}; unexpected {len(extra)}: {extra[:5]}")
