#!/usr/bin/env bash
# One command from a fresh clone to a Delta table: installs the dependencies, builds the
# release binary (build/release/bin/tributary), and runs the bronze example pipeline on
# the bundled sample data, then prints what the table holds (read with delta-rs).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/install-deps.sh
cmake --preset release
# Only what the example needs; scripts/test.sh builds everything.
cmake --build --preset release -j2 --target tributary bronze_json bronze_csv
TRIBUTARY_BIN="$ROOT/build/release/bin/tributary" bash scripts/run_example.sh
