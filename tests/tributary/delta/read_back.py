#!/usr/bin/env python3
"""Reads Delta tables written by Tributary with independent readers and compares rows.

Usage: read_back.py <table_path> <expected.jsonl> <expected_version>

Reads the table with delta-rs (the `deltalake` package) and with DuckDB's delta
extension (loaded from the `duckdb_extension_delta` package, no network), turns every
row into a canonical JSON-like form, and compares the rows sorted by `id` with the
expected rows written by the C++ test. Exit code 0 when both readers agree with the
expectation; 1 on a mismatch; 2 when a required Python package is missing.
"""
import datetime
import decimal
import json
import os
import shutil
import sys
import tempfile

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def canonical(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return (value - EPOCH) // datetime.timedelta(microseconds=1)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        if value and all(isinstance(v, tuple) and len(v) == 2 for v in value):
            return sorted([[canonical(k), canonical(v)] for k, v in value])  # a map
        return [canonical(v) for v in value]
    return value


def rows_of(arrow_table):
    rows = [{k: canonical(v) for k, v in row.items()} for row in arrow_table.to_pylist()]
    return sorted(rows, key=lambda r: r["id"])


def compare(reader, actual, expected):
    if len(actual) != len(expected):
        print(f"{reader}: {len(actual)} rows, expected {len(expected)}")
        return False
    for got, want in zip(actual, expected):
        if got != want:
            print(f"{reader}: row id={want.get('id')} differs")
            for key in sorted(set(got) | set(want)):
                if got.get(key, "<missing>") != want.get(key, "<missing>"):
                    print(f"  column {key}: got {got.get(key, '<missing>')!r}, "
                          f"expected {want.get(key, '<missing>')!r}")
            return False
    print(f"{reader}: {len(actual)} rows match")
    return True


def check_readers(deltalake, duckdb, pyarrow, extension, table_path, expected, expected_version,
                  label):
    ok = True
    table = deltalake.DeltaTable(table_path)
    if table.version() != expected_version:
        print(f"deltalake{label}: version {table.version()}, expected {expected_version}")
        ok = False
    # get_add_actions returns an arro3 table; pyarrow takes it through the C stream interface.
    actions = pyarrow.table(table.get_add_actions(flatten=True)).to_pydict()
    stats_rows = sum(actions["num_records"])
    if stats_rows != len(expected):
        print(f"deltalake{label}: add stats numRecords sum to {stats_rows}, expected {len(expected)}")
        ok = False
    ok = compare("deltalake" + label, rows_of(table.to_pyarrow_table()), expected) and ok

    con = duckdb.connect(config={"allow_unsigned_extensions": "true"})
    con.load_extension(extension)
    con.execute("SET TimeZone='UTC'")
    relation = con.sql(f"SELECT * FROM delta_scan('{table_path}')")
    arrow = relation.to_arrow_table() if hasattr(relation, "to_arrow_table") else relation.arrow()
    ok = compare("duckdb" + label, rows_of(arrow), expected) and ok
    ok = check_filters(con, table_path, expected, label) and ok
    return ok


def sql_literal(value):
    return "'" + value.replace("'", "''") + "'"


def check_filters(con, table_path, expected, label):
    """Filtered scans let DuckDB skip files by our stats and partition values: a wrong
    min/max, a truncated bound that is not a bound, or a mis-encoded partition value
    loses rows here."""
    if not expected or "note" not in expected[0]:
        return True
    ok = True
    probe = expected[len(expected) // 2]
    ts = EPOCH + datetime.timedelta(microseconds=probe["ts"])
    ts_literal = ts.strftime("%Y-%m-%d %H:%M:%S.%f") + "+00"
    checks = [
        ("id >= 500", lambda r: r["id"] >= 500),
        (f"note = {sql_literal(probe['note'])}", lambda r: r["note"] == probe["note"]),
        (f"note > {sql_literal(probe['note'])}", lambda r: r["note"] > probe["note"]),
        (f"ts >= TIMESTAMPTZ {sql_literal(ts_literal)}", lambda r: r["ts"] >= probe["ts"]),
        (f"ts <= TIMESTAMPTZ {sql_literal(ts_literal)}", lambda r: r["ts"] <= probe["ts"]),
        ("price < 3.0", lambda r: r["price"] is not None and r["price"] < 3.0),
        ("amount > 1.00", lambda r: decimal.Decimal(r["amount"]) > decimal.Decimal("1.00")),
        ("small = -7", lambda r: r["small"] == -7),
        ("day = DATE '2022-01-08'", lambda r: r["day"] == "2022-01-08"),
        ("country = 'a%b c'", lambda r: r["country"] == "a%b c"),
        ("country = 'FR/x=y'", lambda r: r["country"] == "FR/x=y"),
        ("country IS NULL", lambda r: r["country"] is None),
    ]
    for predicate, keep in checks:
        want = sum(1 for r in expected if keep(r))
        got = con.sql(f"SELECT count(*) FROM delta_scan('{table_path}') WHERE {predicate}").fetchone()[0]
        if got != want:
            print(f"duckdb{label}: WHERE {predicate} counts {got} rows, expected {want}")
            ok = False
    if ok:
        print(f"duckdb{label}: {len(checks)} filtered counts match")
    return ok


def main():
    table_path, expected_path, expected_version = sys.argv[1], sys.argv[2], int(sys.argv[3])
    try:
        import deltalake
        import duckdb
        import duckdb_extension_delta
        import pyarrow
    except ImportError as error:
        print(f"MISSING PYTHON PACKAGE: {error}. The end-to-end Delta test needs deltalake, duckdb "
              "duckdb-extension-delta and pyarrow (pip install deltalake duckdb duckdb-extension-delta pyarrow; "
              "the project's install script installs them).")
        return 2
    with open(expected_path) as f:
        expected = sorted((json.loads(line) for line in f if line.strip()), key=lambda r: r["id"])

    extension = os.path.join(os.path.dirname(duckdb_extension_delta.__file__), "extensions",
                             "v" + duckdb.__version__, "delta.duckdb_extension")
    ok = check_readers(deltalake, duckdb, pyarrow, extension, table_path, expected,
                       expected_version, "")

    # Readers must also manage from the newest checkpoint alone: copy the table without
    # the JSON commits the checkpoint covers and read it again.
    log_dir = os.path.join(table_path, "_delta_log")
    checkpoints = sorted(int(name[:20]) for name in os.listdir(log_dir)
                         if name.endswith(".checkpoint.parquet"))
    if checkpoints:
        with tempfile.TemporaryDirectory() as scratch:
            copy = os.path.join(scratch, "table")
            shutil.copytree(table_path, copy)
            for version in range(checkpoints[-1]):
                os.remove(os.path.join(copy, "_delta_log", f"{version:020d}.json"))
            ok = check_readers(deltalake, duckdb, pyarrow, extension, copy, expected,
                               expected_version, f" (from checkpoint {checkpoints[-1]})") and ok
    return 0 if ok else 1


# delta-rs (deltalake 1.6.6) often aborts while tearing down its runtime at interpreter
# exit, after the work is done: leave without that teardown.
if __name__ == "__main__":
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
