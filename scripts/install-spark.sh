#!/usr/bin/env bash
# Installs what the interoperability tests (tests/interop) need besides the end-to-end
# tests' readers: PySpark and delta-spark from PyPI, and Delta Lake's jars from Maven
# Central (tests/interop/pom.xml) into $TRIBUTARY_SPARK_CACHE (default ~/.cache/tributary)
# /delta-spark-<version>/. Spark's own jars come inside the pyspark wheel. Idempotent.
#
#   install-spark.sh           install (or check) both
#   install-spark.sh jars-dir  print the directory of Delta's jars
#
# Environment: PYTHON (default python3), TRIBUTARY_SPARK_CACHE.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
POM="$ROOT/tests/interop/pom.xml"
DELTA_VERSION="$(sed -n 's:.*<delta.version>\(.*\)</delta.version>.*:\1:p' "$POM")"
SPARK_VERSION=4.0.0
CACHE_ROOT="${TRIBUTARY_SPARK_CACHE:-$HOME/.cache/tributary}"
JARS="$CACHE_ROOT/delta-spark-$DELTA_VERSION"
PYTHON="${PYTHON:-python3}"

die() {
  echo "install-spark.sh: $*" >&2
  exit 1
}

# The marker names the pom's checksum, so editing the pom re-installs.
pom_sum() { sha256sum "$POM" | cut -c1-16; }

install_python() {
  if "$PYTHON" - "$SPARK_VERSION" "$DELTA_VERSION" <<'PY'
import sys
from importlib import metadata
try:
    ok = metadata.version("pyspark") == sys.argv[1] and metadata.version("delta-spark") == sys.argv[2]
except metadata.PackageNotFoundError:
    ok = False
sys.exit(0 if ok else 1)
PY
  then
    echo "install-spark.sh: pyspark $SPARK_VERSION and delta-spark $DELTA_VERSION already installed"
    return 0
  fi
  # Debian's own python3 is "externally managed" (PEP 668), as in install-deps.sh.
  local pip_flags=()
  if "$PYTHON" -c 'import os, sys, sysconfig; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")) else 1)'; then
    pip_flags+=(--break-system-packages)
  fi
  "$PYTHON" -m pip install -q "${pip_flags[@]}" "pyspark==$SPARK_VERSION" "delta-spark==$DELTA_VERSION"
}

install_jars() {
  local marker="$JARS/.installed-$(pom_sum)"
  if [[ -f "$marker" ]]; then
    echo "install-spark.sh: Delta's jars already in $JARS"
    return 0
  fi
  command -v mvn >/dev/null || die "mvn (Maven) is not installed; run scripts/install-deps.sh"
  mkdir -p "$CACHE_ROOT"
  local staging
  staging="$(mktemp -d "$CACHE_ROOT/delta-spark.XXXXXX")"
  echo "install-spark.sh: installing Delta Lake $DELTA_VERSION's jars into $JARS" >&2
  # Scala's library is left out: Spark's (in the pyspark wheel) is the one on the class path.
  if ! mvn -q -B -f "$POM" dependency:copy-dependencies -DincludeScope=runtime \
      -DexcludeGroupIds=org.scala-lang -DoutputDirectory="$staging" >&2; then
    rm -rf "$staging"
    die "mvn dependency:copy-dependencies failed for $POM"
  fi
  for jar in "delta-spark_2.13-$DELTA_VERSION.jar" "delta-storage-$DELTA_VERSION.jar"; do
    [[ -f "$staging/$jar" ]] || { rm -rf "$staging"; die "$jar missing after copy-dependencies"; }
  done
  chmod 755 "$staging"
  touch "$staging/.installed-$(pom_sum)"
  rm -rf "$JARS"
  mv "$staging" "$JARS"
}

case "${1:-install}" in
  install)
    install_python
    install_jars
    ;;
  jars-dir) echo "$JARS" ;;
  *) die "usage: install-spark.sh [install|jars-dir]" ;;
esac
