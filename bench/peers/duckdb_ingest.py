#!/usr/bin/env python3
"""DuckDB converting the same files to Parquet (not Delta: DuckDB does not write Delta
tables): the baseline named by the bronze issue, `COPY (SELECT * FROM read_json(...)) TO
... (FORMAT parquet)`, with DuckDB's own schema inference. Prints one JSON line."""

import argparse
import json
import os
import sys
import time

import duckdb


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", required=True)
    parser.add_argument("--format", choices=["json", "csv"], required=True)
    parser.add_argument("--output", required=True, help="Parquet file written")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)

    started = time.monotonic()
    con = duckdb.connect()
    con.execute(f"SET threads = {int(args.threads)}")
    pattern = os.path.join(args.input, f"*.{args.format}").replace("'", "''")
    output = args.output.replace("'", "''")
    reader = (f"read_json('{pattern}', format = 'newline_delimited')" if args.format == "json"
              else f"read_csv('{pattern}', header = true)")
    con.execute(f"COPY (SELECT * FROM {reader}) TO '{output}' (FORMAT parquet)")
    finished = time.monotonic()
    rows = con.execute(f"SELECT count(*) FROM read_parquet('{output}')").fetchone()[0]
    print(json.dumps({"copy_s": round(finished - started, 3), "output_rows": rows,
                      "duckdb_version": duckdb.__version__}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
