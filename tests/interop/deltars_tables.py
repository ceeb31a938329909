"""Delta tables written by delta-rs (python deltalake 1.6.6) for Tributary to read: each
function writes one table at `path` and returns the versions worth reading back (the
latest last), after checking the table has what it is about."""
import datetime
import decimal
from pathlib import Path

import pyarrow as pa

SCHEMA = pa.schema([
    ("id", pa.int64()), ("small", pa.int16()), ("ratio", pa.float32()), ("amount", pa.decimal128(12, 3)),
    ("name", pa.string()), ("blob", pa.binary()), ("flag", pa.bool_()), ("day", pa.date32()),
    ("at", pa.timestamp("us", tz="UTC")), ("local", pa.timestamp("us")), ("tags", pa.list_(pa.string())),
    ("attrs", pa.map_(pa.string(), pa.int32())),
    ("point", pa.struct([("x", pa.float64()), ("label", pa.string())])),
    ("region", pa.string()),
])
REGIONS = ["north", "", None, "a b", "x/y", "100%", "k=v", "é"]


def rows(first, count, tag="w"):
    """Rows of SCHEMA whose values depend only on the id (every fifth value null)."""
    base = datetime.datetime(2024, 5, 6, 7, 8, 9, 123456)
    out = []
    for i in range(first, first + count):
        null = i % 5 == 4
        out.append({
            "id": i, "small": None if null else (i * 7) % 30000 - 15000, "ratio": None if null else i / 8,
            "amount": None if null else decimal.Decimal(i * 1234567).scaleb(-3),
            "name": None if null else f"{tag}-{i}", "blob": None if null else bytes([i % 256, 0, 255]),
            "flag": None if null else i % 2 == 0, "day": None if null else datetime.date(2020, 1, 1) +
            datetime.timedelta(days=i),
            "at": None if null else (base + datetime.timedelta(seconds=i * 3601)).replace(tzinfo=datetime.timezone.utc),
            "local": None if null else base - datetime.timedelta(days=i, microseconds=i),
            "tags": None if null else [f"t{i % 3}", tag], "attrs": None if null else [("k", i), ("j", -i)],
            "point": None if null else {"x": i * 0.25, "label": None if i % 3 else f"p{i}"},
            "region": REGIONS[i % len(REGIONS)],
        })
    return pa.Table.from_pylist(out, schema=SCHEMA)


def log_entries(path):
    return sorted(p.name for p in (Path(path) / "_delta_log").iterdir())


def appends(path):
    from deltalake import write_deltalake
    for k in range(3):
        write_deltalake(str(path), rows(k * 20, 20), mode="append")
    return [0, 1, 2]


def overwrite(path):
    from deltalake import write_deltalake
    write_deltalake(str(path), rows(0, 30), mode="append")
    write_deltalake(str(path), rows(100, 10, tag="over"), mode="overwrite")
    write_deltalake(str(path), rows(200, 5), mode="append")
    return [0, 1, 2]


def partitioned(path):
    from deltalake import DeltaTable, write_deltalake
    write_deltalake(str(path), rows(0, 24), partition_by=["region"])
    write_deltalake(str(path), rows(24, 16), mode="append")
    adds = pa.table(DeltaTable(str(path)).get_add_actions(flatten=True))
    regions = set(adds.column("partition.region").to_pylist())
    assert None in regions and "x/y" in regions, regions
    return [0, 1]


def checkpoint_and_cleanup(path):
    from deltalake import DeltaTable, write_deltalake
    for k in range(4):
        write_deltalake(str(path), rows(k * 10, 10), mode="append",
                        configuration={"delta.logRetentionDuration": "interval 0 seconds"} if k == 0 else None)
    table = DeltaTable(str(path))
    table.create_checkpoint()
    table.cleanup_metadata()
    entries = log_entries(path)
    assert "00000000000000000003.checkpoint.parquet" in entries, entries
    assert "00000000000000000000.json" not in entries, f"cleanup_metadata left {entries}"
    write_deltalake(str(path), rows(40, 10), mode="append")
    return [4]


def delete(path):
    from deltalake import DeltaTable, write_deltalake
    write_deltalake(str(path), rows(0, 40), mode="append")
    write_deltalake(str(path), rows(40, 20), mode="append")
    DeltaTable(str(path)).delete("id % 3 = 0")
    DeltaTable(str(path)).delete("name = 'w-41'")
    return [1, 2, 3]


def merge(path):
    from deltalake import DeltaTable, write_deltalake
    write_deltalake(str(path), rows(0, 30), mode="append")
    source = rows(20, 20, tag="merged")
    (DeltaTable(str(path)).merge(source, "t.id = s.id", source_alias="s", target_alias="t")
     .when_matched_update_all().when_not_matched_insert_all().execute())
    deletes = pa.table({"id": pa.array([1, 2, 25], pa.int64())})
    (DeltaTable(str(path)).merge(deletes, "t.id = s.id", source_alias="s", target_alias="t")
     .when_matched_delete().execute())
    return [0, 1, 2]


DELTARS_TABLES = {
    "appends": appends,
    "overwrite": overwrite,
    "partitioned": partitioned,
    "checkpoint_cleanup": checkpoint_and_cleanup,
    "delete": delete,
    "merge": merge,
}
