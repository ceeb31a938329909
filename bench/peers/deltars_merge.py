#!/usr/bin/env python3
"""The silver MERGE benchmark's delta-rs side (bench/run_silver_bench.py runs it):
pyarrow reads the source batch from its Parquet file, then

    DeltaTable(table).merge(source=batch, predicate="t.order_id = s.order_id",
                            source_alias="s", target_alias="t")
        .when_matched_update_all().when_not_matched_insert_all().execute()

with deltalake's defaults (streamed_exec=True). Prints one JSON line: delta-rs's merge
metrics and the times of reading the source and merging, in milliseconds.
"""

import argparse
import json
import time

started = time.monotonic()
import pyarrow.parquet as pq  # noqa: E402
from deltalake import DeltaTable  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--table", required=True)
    parser.add_argument("--source", required=True)
    args = parser.parse_args()
    read_start = time.monotonic()
    source = pq.read_table(args.source)
    read_ms = (time.monotonic() - read_start) * 1000
    merge_start = time.monotonic()
    metrics = (DeltaTable(args.table)
               .merge(source=source, predicate="t.order_id = s.order_id", source_alias="s", target_alias="t")
               .when_matched_update_all().when_not_matched_insert_all().execute())
    merge_ms = (time.monotonic() - merge_start) * 1000
    out = {k: v for k, v in metrics.items() if isinstance(v, (int, float, str))}
    out.update(read_source_ms=round(read_ms, 1), merge_ms=round(merge_ms, 1),
               total_ms=round((time.monotonic() - started) * 1000, 1))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
