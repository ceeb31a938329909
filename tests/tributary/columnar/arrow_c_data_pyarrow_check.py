"""Imports a batch exported by Tributary's ExportRecordBatch into pyarrow.

Usage: arrow_c_data_pyarrow_check.py <path to libtributary_arrow_probe.so>
Checks the schema (types, names, nullability), every value, pyarrow's full
validation, and that dropping the pyarrow batch runs the release callbacks.
"""
import ctypes
import datetime
import decimal
import gc
import sys

import pyarrow as pa

ARROW_SCHEMA_SIZE = 72  # 9 eight-byte members
ARROW_ARRAY_SIZE = 80  # 10 eight-byte members


def main(library_path):
    probe = ctypes.CDLL(library_path)
    schema_struct = ctypes.create_string_buffer(ARROW_SCHEMA_SIZE)
    array_struct = ctypes.create_string_buffer(ARROW_ARRAY_SIZE)
    assert probe.tributary_probe_export(schema_struct, array_struct) == 0
    batch = pa.RecordBatch._import_from_c(ctypes.addressof(array_struct), ctypes.addressof(schema_struct))
    batch.validate(full=True)

    expected_schema = pa.schema([
        pa.field("id", pa.int64(), nullable=False),
        ("b", pa.bool_()),
        ("i8", pa.int8()),
        ("i16", pa.int16()),
        ("i32", pa.int32()),
        ("f32", pa.float32()),
        ("f64", pa.float64()),
        ("dec", pa.decimal128(10, 2)),
        ("s", pa.string()),
        ("bin", pa.binary()),
        ("d", pa.date32()),
        ("ts", pa.timestamp("us", tz="UTC")),
        ("ntz", pa.timestamp("us")),
        ("st", pa.struct([pa.field("x", pa.int32()), pa.field("y", pa.string(), nullable=False)])),
        ("arr", pa.list_(pa.field("element", pa.int32()))),
        ("m", pa.map_(pa.string(), pa.int64())),
    ])
    assert batch.schema.equals(expected_schema), f"schema:\n{batch.schema}\nexpected:\n{expected_schema}"

    utc = datetime.timezone.utc
    expected = {
        "id": [0, 1, 2],
        "b": [True, None, False],
        "i8": [-8, None, -8],
        "i16": [-16, None, -16],
        "i32": [32, None, 34],
        "f32": [1.5, None, 1.5],
        "f64": [-0.25, None, -0.25],
        "dec": [decimal.Decimal("-123.45"), None, decimal.Decimal("-123.45")],
        "s": ["caf\u00e9", None, ""],
        "bin": [b"\x00\xff", None, b"\x00\xff"],
        "d": [datetime.date(1969, 12, 31), None, datetime.date(1969, 12, 31)],
        "ts": [datetime.datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=utc), None,
               datetime.datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=utc)],
        "ntz": [datetime.datetime(1970, 1, 1, 0, 0, 1, 500000), None,
                datetime.datetime(1970, 1, 1, 0, 0, 1, 500000)],
        "st": [{"x": 0, "y": "y"}, None, {"x": 2, "y": "y"}],
        "arr": [[0, None], None, [0, 1, 2, None]],
        "m": [[("k", 0)], None, [("k", 20)]],
    }
    actual = batch.to_pydict()
    for name, values in expected.items():
        assert actual[name] == values, f"column {name}: {actual[name]} != {values}"
    assert batch.column(1).null_count == 1

    assert probe.tributary_probe_watched_alive() == 1
    del batch, actual
    gc.collect()
    assert probe.tributary_probe_watched_alive() == 0, "release callbacks did not drop the columns"
    print("pyarrow imported the exported batch: schema, values and release OK")


if __name__ == "__main__":
    main(sys.argv[1])
