#!/usr/bin/env bash
# Installs the peers of the end-to-end benchmark (not part of CI):
#   - Apache Spark (pyspark) with Delta Lake (delta-spark), from PyPI, in a virtualenv of
#     its own so the benchmark's pins do not fight other tools' Python packages;
#   - delta-rs (deltalake), pyarrow and DuckDB (the bronze issue's Parquet baseline) in the
#     same virtualenv;
#   - Delta's jars for Spark, fetched once from Maven Central into ~/.ivy2 by a tiny
#     Spark session (spark.jars.packages), so timed runs never download anything;
#   - for bench/spark, Delta's and Spark's Kafka source's jars, copied by Maven
#     (bench/spark/pom.xml) into ~/.cache/tributary/spark-jars-<pyspark version>.
#
# Versions: the pair must match. delta-spark's pip helper asks Spark for the jar
# io.delta:delta-spark_2.13:<version> (4.0) or io.delta:delta-spark_<spark x.y>_2.13:<version>
# (4.1 and later). Checked on 2026-11-28: PyPI has delta-spark 4.4.1 (pyspark>=4.0.1,<=4.2.0),
# but the Maven Central reachable here served none of delta-spark_4.0/4.1/4.2_2.13:4.4.1,
# while io.delta:delta-spark_2.13:4.0.0 resolves. So: delta-spark 4.0.0, built for Spark
# 4.0, with pyspark 4.0.0. Override with PYSPARK_VERSION / DELTA_SPARK_VERSION where a newer
# pair resolves. Spark 4 needs Java 17 or newer.
#
# Usage: bench/setup.sh            (venv at $TRIB_BENCH_VENV, default ~/.cache/tributary/bench-venv)
set -euo pipefail

PYSPARK_VERSION="${PYSPARK_VERSION:-4.0.0}"
DELTA_SPARK_VERSION="${DELTA_SPARK_VERSION:-4.0.0}"
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
  deltalake pyarrow "duckdb==${DUCKDB_VERSION:-1.5.5}"

# Resolve Delta's jars now (Maven Central through Ivy), so the benchmark's timings do not
# include a download.
"$VENV/bin/python" - <<'PY'
from pyspark.sql import SparkSession
from delta import configure_spark_with_delta_pip

builder = (SparkSession.builder.master("local[1]").appName("tributary-bench-setup")
           .config("spark.ui.enabled", "false"))
spark = configure_spark_with_delta_pip(builder).getOrCreate()
print("spark", spark.version, "packages", spark.conf.get("spark.jars.packages"))
spark.stop()
PY

# bench/spark (Spark side by side, Kafka included) passes its jars as spark.jars instead:
# delta-spark and Spark's Kafka source (spark-sql-kafka-0-10 with kafka-clients and
# commons-pool2), copied from Maven Central by Maven into $SPARK_JARS (bench/spark/pom.xml
# names them), so a timed run does not even resolve packages from the Ivy cache.
SPARK_JARS="${TRIB_BENCH_SPARK_JARS:-$HOME/.cache/tributary/spark-jars-${PYSPARK_VERSION}}"
if ! command -v mvn >/dev/null; then
  echo "setup.sh: mvn (Maven) not found; run scripts/install-deps.sh" >&2
  exit 1
fi
mvn -q -B -f "$(dirname "$0")/spark/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
  -Dspark.version="$PYSPARK_VERSION" -Ddelta.version="$DELTA_SPARK_VERSION" -DoutputDirectory="$SPARK_JARS"
echo "Spark's Delta and Kafka jars in $SPARK_JARS"

echo "bench peers installed in $VENV"
echo "run: $VENV/bin/python bench/run_bench.py --help"
