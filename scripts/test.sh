#!/usr/bin/env bash
# Builds with the `ci` preset (release, warnings as errors) and runs every test: the
# unit tests through ctest and the end-to-end tests (tests/e2e, pytest) against the
# built binary, then the interoperability tests' CI subset (tests/interop -m ci: Spark
# with delta-spark and delta-rs against the same binary). Exits non-zero when anything
# fails.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

cmake --preset ci || exit 1
cmake --build --preset ci -j2 || exit 1

failed=0
ctest --test-dir build/ci --output-on-failure -j2 || failed=1
TRIBUTARY_BIN="$ROOT/build/ci/bin/tributary" python3 -m pytest tests/e2e -q --durations=10 || failed=1
TRIBUTARY_BIN="$ROOT/build/ci/bin/tributary" python3 -m pytest tests/interop -m ci -q --durations=5 || failed=1
if ((failed)); then
  echo "test.sh: FAILED" >&2
  exit 1
fi
echo "test.sh: all tests passed"
