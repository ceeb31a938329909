#!/usr/bin/env python3
"""Writes a Delta table with delta-rs for Tributary to append to.

Usage: write_with_deltalake.py <table_path> <expected.jsonl>

Two delta-rs commits (versions 0 and 1) of (id long, name string, part string,
nested struct<x long>) partitioned by `part`, with nulls, and delta.checkpointInterval=2
so that Tributary's next commit (version 2) writes a checkpoint over delta-rs's log.
Appends the rows, in read_back.py's canonical form, to expected.jsonl.
Exit code 2 when a required Python package is missing.
"""
import json
import os
import sys


def main():
    table_path, expected_path = sys.argv[1], sys.argv[2]
    try:
        import deltalake
        import pyarrow as pa
    except ImportError as error:
        print(f"MISSING PYTHON PACKAGE: {error}. Install deltalake and pyarrow "
              "(the project's install script installs them).")
        return 2
    schema = pa.schema([("id", pa.int64()), ("name", pa.string()), ("part", pa.string()),
                        ("nested", pa.struct([("x", pa.int64())]))])
    rows = []
    for commit in range(2):
        batch = []
        for i in range(commit * 10, commit * 10 + 10):
            batch.append({"id": i, "name": None if i % 4 == 0 else f"rs{i}",
                          "part": None if i % 5 == 0 else f"p{i % 3}",
                          "nested": None if i % 6 == 0 else {"x": i * 2}})
        table = pa.Table.from_pylist(batch, schema=schema)
        deltalake.write_deltalake(table_path, table, partition_by=["part"],
                                  mode="append",
                                  configuration={"delta.checkpointInterval": "2"})
        rows.extend(batch)
    with open(expected_path, "a") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
    return 0


# delta-rs (deltalake 1.6.6) often aborts while tearing down its runtime at interpreter
# exit, after the work is done: leave without that teardown.
if __name__ == "__main__":
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
