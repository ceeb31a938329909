#!/usr/bin/env bash
# Installs what building and testing Tributary needs: Debian packages (compiler, CMake,
# the libraries of cmake/dependencies.cmake) and the Python readers of the end-to-end
# tests. Idempotent: packages already present are not fetched again.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

DEBIAN_PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libsimdjson-dev librocksdb-dev libyaml-cpp-dev libcli11-dev libspdlog-dev libfmt-dev
  libre2-dev librdkafka-dev libbenchmark-dev libzstd-dev libsnappy-dev liblz4-dev libbz2-dev zlib1g-dev
  libroaring-dev
  libgtest-dev libgmock-dev
  python3 python3-pip
  default-jre-headless maven
)

SUDO=""
if [[ "$(id -u)" != "0" ]]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "install-deps: not root and no sudo; install these Debian packages yourself: ${DEBIAN_PACKAGES[*]}" >&2
    exit 1
  fi
fi

missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "install-deps: Debian packages already installed"
fi

# Python readers. Debian's own python3 is "externally managed" (PEP 668) and needs
# --break-system-packages; a pyenv or venv python does not (and older pips reject it).
PYTHON="${PYTHON:-python3}"
if "$PYTHON" - "$ROOT/tests/e2e/requirements.txt" <<'PY'
import sys
from importlib import metadata
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    name, version = line.split("==")
    try:
        if metadata.version(name) != version:
            sys.exit(1)
    except metadata.PackageNotFoundError:
        sys.exit(1)
PY
then
  echo "install-deps: Python packages already installed"
else
  pip_flags=()
  if "$PYTHON" -c 'import os, sys, sysconfig; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")) else 1)'; then
    pip_flags+=(--break-system-packages)
  fi
  "$PYTHON" -m pip install -q "${pip_flags[@]}" -r "$ROOT/tests/e2e/requirements.txt"
fi

# The Apache Kafka broker of the Kafka tests (Maven Central jars in ~/.cache/tributary).
"$ROOT/scripts/kafka/kafka.sh" install

# PySpark, delta-spark and Delta's jars of the interoperability tests (tests/interop).
PYTHON="$PYTHON" "$ROOT/scripts/install-spark.sh"
