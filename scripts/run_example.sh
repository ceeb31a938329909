#!/usr/bin/env bash
# Runs examples/bronze/pipeline.yaml on the bundled sample data: copies the sample files
# into the example's landing folder (files already there are left alone, so running it
# again ingests nothing new), runs the pipeline, and summarizes the table with delta-rs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXAMPLE="$ROOT/examples/bronze"
TRIBUTARY_BIN="${TRIBUTARY_BIN:-$ROOT/build/release/bin/tributary}"

mkdir -p "$EXAMPLE/landing"
cp -R -n "$EXAMPLE/sample/events" "$EXAMPLE/landing/"
"$TRIBUTARY_BIN" run "$EXAMPLE/pipeline.yaml"

python3 - "$EXAMPLE/warehouse/prod/bronze/raw_events" <<'PY'
import sys
from deltalake import DeltaTable
table = DeltaTable(sys.argv[1])
data = table.to_pyarrow_table()
print(f"table {sys.argv[1]}")
print(f"  version {table.version()}, {data.num_rows} rows, {len(table.file_uris())} data files")
print(f"  schema: {', '.join(f'{f.name} {f.type}' for f in data.schema)}")
print(f"  event types: {dict(sorted(__import__('collections').Counter(data.column('event_type').to_pylist()).items()))}")
# delta-rs often aborts tearing down its runtime at exit; the output is complete by then.
import os
sys.stdout.flush()
os._exit(0)
PY
