#!/usr/bin/env python3
"""The bronze pipeline done with delta-rs (the `deltalake` package) and pyarrow: the
benchmark's second peer.

delta-rs has no streaming source, so this does by hand what a small batch job would:
infer one schema over the files (pyarrow's own inference per file, merged; up to
--infer-files files, 1000 as Auto Loader samples), then read the files one at a time with
that schema and stream the batches into `write_deltalake(mode="append")` through a
RecordBatchReader, so memory stays bounded by a file rather than the whole backlog. One
commit for the lot. Prints one JSON line with the phase timings on stdout.
"""

import argparse
import glob
import json
import os
import sys
import time

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.json as pjson
from deltalake import write_deltalake


def read_file(path, fmt, schema=None):
    if fmt == "json":
        parse = pjson.ParseOptions(explicit_schema=schema, unexpected_field_behavior="error") if schema else None
        return pjson.read_json(path, parse_options=parse)
    convert = pcsv.ConvertOptions(column_types=schema) if schema else None
    return pcsv.read_csv(path, convert_options=convert)


def delta_friendly(data_type):
    """Delta has no second/millisecond timestamps or null type: widen them as Delta expects."""
    if pa.types.is_timestamp(data_type):
        return pa.timestamp("us", tz="UTC")
    if pa.types.is_null(data_type):
        return pa.string()
    if pa.types.is_struct(data_type):
        return pa.struct([pa.field(f.name, delta_friendly(f.type)) for f in data_type])
    if pa.types.is_list(data_type):
        return pa.list_(delta_friendly(data_type.value_type))
    return data_type


def merge_schemas(schemas):
    """Union of the files' schemas; a column whose type differs between files becomes a
    string (as Spark's inference does for conflicting scalars)."""
    try:
        merged = pa.unify_schemas(schemas, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        fields = {}
        for schema in schemas:
            for field in schema:
                if field.name in fields and fields[field.name].type != field.type:
                    fields[field.name] = pa.field(field.name, pa.string())
                else:
                    fields.setdefault(field.name, field)
        merged = pa.schema(list(fields.values()))
    return pa.schema([pa.field(f.name, delta_friendly(f.type)) for f in merged])


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", required=True, help="folder of input files")
    parser.add_argument("--format", choices=["json", "csv"], required=True)
    parser.add_argument("--table", required=True, help="Delta table path (created)")
    parser.add_argument("--infer-files", type=int, default=1000)
    args = parser.parse_args(argv)

    started = time.monotonic()
    files = sorted(glob.glob(os.path.join(args.input, f"*.{args.format}")))
    if not files:
        print(f"deltars_ingest: no *.{args.format} files in {args.input}", file=sys.stderr)
        return 2
    schema = merge_schemas([read_file(f, args.format).schema for f in files[:args.infer_files]])
    inferred = time.monotonic()

    rows = 0

    def batches():
        nonlocal rows
        for path in files:
            table = read_file(path, args.format, schema).select(schema.names).cast(schema)
            rows += table.num_rows
            yield from table.to_batches()

    write_deltalake(args.table, pa.RecordBatchReader.from_batches(schema, batches()), mode="append")
    finished = time.monotonic()
    print(json.dumps({"infer_s": round(inferred - started, 3), "write_s": round(finished - inferred, 3),
                      "input_rows": rows, "columns": len(schema)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
