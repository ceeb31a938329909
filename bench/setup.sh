#!/usr/bin/env bash
# Installs the peers of the end-to-end benchmark (not part of CI):
#   - Apache Spark (pyspark) with Delta Lake (delta-spark), from PyPI, in a virtualenv of
#     its own so the benchmark's pins do not fight other tools' Python packages;
#   - delta-rs (deltalake) and pyarrow in the same virtualenv;
#   - Delta's jars for Spark, fetched once from Maven Central into ~/.ivy2 by a tiny
#     Spark session (spark.jars.packages), so timed runs never download anything.
#
# Versions: delta-spark 4.4.1 declares pyspark>=4.0.1,<=4.2.0 and resolves its jar as
# io.delta:delta-spark_<spark major.minor>_2.13:<delta version>, so pyspark is pinned to
# 4.2.0 here. Spark 4 needs Java 17 or newer.
#
# Usage: bench/setup.sh            (venv at $TRIB_BENCH_VENV, default ~/.cache/tributary/bench-venv)
set -euo pipefail

PYSPARK_VERSION="${PYSPARK_VERSION:-4.2.0}"
DELTA_SPARK_VERSION="${DELTA_SPARK_VERSION:-4.4.1}"
VENV="${TRIB_BENCH_VENV:-$HOME/.cache/tributary/bench-venv}"
PYTHON="${PYTHON:-python3}"

if ! command -v java >/dev/null; then
  echo "setup.sh: java not found; Spark 4 needs a JDK 17 or newer" >&2
  exit 1
fi

if [[ ! -x "$VENV/bin/python" ]]; then
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet --upgrade pip
"$VENV/bin/pip" install --quiet \
  "pyspark==${PYSPARK_VERSION}" \
  "delta-spark==${DELTA_SPARK_VERSION}" \
  deltalake pyarrow

# Resolve Delta's jars now (Maven Central through Ivy), so the benchmark's timings do not
# include a download.
"$VENV/bin/python" - <<'PY'
import sys
from pyspark.sql import SparkSession
from delta import configure_spark_with_delta_pip

builder = (SparkSession.builder.master("local[1]").appName("tributary-bench-setup")
           .config("spark.ui.enabled", "false"))
spark = configure_spark_with_delta_pip(builder).getOrCreate()
print("spark", spark.version, "packages", spark.conf.get("spark.jars.packages"))
spark.stop()
PY

echo "bench peers installed in $VENV"
echo "run: $VENV/bin/python bench/run_bench.py --help"
