#!/usr/bin/env bash
# A single-node Apache Kafka broker (KRaft, combined broker and controller) for tests,
# built from Maven Central artifacts only.
#
#   kafka.sh install              copy the broker's jars into the cache (idempotent)
#   kafka.sh start <dir> [port]   start a broker whose data, config and logs live in <dir>;
#                                 prints the bootstrap address (127.0.0.1:<port>) once the
#                                 broker answers Kafka requests
#   kafka.sh stop <dir>           SIGTERM, then SIGKILL after TRIBUTARY_KAFKA_STOP_TIMEOUT s
#   kafka.sh restart <dir>        stop, then start again on the same ports and data
#   kafka.sh bootstrap <dir>      prints the bootstrap address of the broker in <dir>
#
# <dir> holds server.properties, data/ (log.dirs), broker.pid, broker.log (the JVM's
# output), server.log (the broker's log), ports (PLAINTEXT and CONTROLLER ports) and
# bootstrap.txt. Storage is formatted with a random cluster id on the first start only,
# so a restart keeps the topics and their records.
#
# Environment: TRIBUTARY_KAFKA_CACHE (default ~/.cache/tributary), JAVA (default java),
# PYTHON (default python3, needs confluent_kafka), TRIBUTARY_KAFKA_START_TIMEOUT (s, 90),
# TRIBUTARY_KAFKA_STOP_TIMEOUT (s, 30), TRIBUTARY_KAFKA_HEAP (default 512m).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POM="$HERE/pom.xml"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM")"
CACHE_ROOT="${TRIBUTARY_KAFKA_CACHE:-$HOME/.cache/tributary}"
LIBS="$CACHE_ROOT/kafka-$KAFKA_VERSION/libs"
JAVA="${JAVA:-java}"
PYTHON="${PYTHON:-python3}"
START_TIMEOUT="${TRIBUTARY_KAFKA_START_TIMEOUT:-90}"
STOP_TIMEOUT="${TRIBUTARY_KAFKA_STOP_TIMEOUT:-30}"
HEAP="${TRIBUTARY_KAFKA_HEAP:-512m}"

die() {
  echo "kafka.sh: $*" >&2
  exit 1
}

usage() {
  sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# The marker names the pom's checksum, so editing the pom re-installs.
pom_sum() { sha256sum "$POM" | cut -c1-16; }

cmd_install() {
  local marker="$LIBS/.installed-$(pom_sum)"
  if [[ -f "$marker" ]]; then
    return 0
  fi
  command -v mvn >/dev/null || die "install: mvn (Maven) is not installed; run scripts/install-deps.sh"
  local parent staging
  parent="$(dirname "$LIBS")"
  mkdir -p "$parent"
  staging="$(mktemp -d "$parent/libs.XXXXXX")"
  echo "kafka.sh: installing Apache Kafka $KAFKA_VERSION into $LIBS" >&2
  if ! mvn -q -B -f "$POM" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$staging" >&2; then
    rm -rf "$staging"
    die "install: mvn dependency:copy-dependencies failed for $POM"
  fi
  ls "$staging"/kafka_2.13-"$KAFKA_VERSION".jar >/dev/null 2>&1 || {
    rm -rf "$staging"
    die "install: kafka_2.13-$KAFKA_VERSION.jar missing after copy-dependencies"
  }
  touch "$staging/.installed-$(pom_sum)"
  rm -rf "$LIBS"
  mv "$staging" "$LIBS"
}

free_port() {
  "$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

pid_alive() {
  local pid_file="$1/broker.pid"
  [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

# Waits until the broker answers a metadata request, or fails with its log's tail.
wait_ready() {
  local dir="$1" bootstrap="$2"
  local deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! pid_alive "$dir"; then
      tail -n 40 "$dir/broker.log" "$dir/server.log" >&2 2>/dev/null || true
      die "start: the broker in $dir exited during start-up (see $dir/broker.log and $dir/server.log)"
    fi
    if "$PYTHON" - "$bootstrap" <<'PY' 2>/dev/null; then
import sys
from confluent_kafka.admin import AdminClient
admin = AdminClient({"bootstrap.servers": sys.argv[1], "log_level": 0})
metadata = admin.list_topics(timeout=3)
sys.exit(0 if metadata.brokers else 1)
PY
      return 0
    fi
    sleep 0.5
  done
  tail -n 40 "$dir/server.log" >&2 2>/dev/null || true
  die "start: the broker in $dir did not answer on $bootstrap within ${START_TIMEOUT}s"
}

write_config() {
  local dir="$1" port="$2" controller_port="$3"
  cat >"$dir/server.properties" <<EOF
# Written by scripts/kafka/kafka.sh: a single-node test broker.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
delete.topic.enable=true
num.network.threads=2
num.io.threads=2
background.threads=2
log.flush.interval.messages=9223372036854775807
EOF
  cat >"$dir/log4j2.properties" <<EOF
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = $dir/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.apache.name = org.apache.kafka
logger.apache.level = INFO
EOF
}

# A small JVM: the machine running the tests has few cores and little memory to spare.
jvm_args() {
  local dir="$1"
  JVM_ARGS=(-Xmx"$HEAP" -Xms64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$dir/log4j2.properties" -cp "$LIBS/*")
}

cmd_start() {
  [[ $# -ge 1 && $# -le 2 ]] || usage
  local dir port controller_port
  mkdir -p "$1"
  dir="$(cd "$1" && pwd)"
  if pid_alive "$dir"; then
    die "start: a broker is already running in $dir (pid $(cat "$dir/broker.pid"))"
  fi
  cmd_install
  command -v "$JAVA" >/dev/null || die "start: java is not installed; run scripts/install-deps.sh"
  if [[ -f "$dir/ports" ]]; then
    read -r port controller_port <"$dir/ports"
    if [[ $# -eq 2 && "$2" != "$port" ]]; then
      die "start: $dir holds a broker formatted for port $port, not $2"
    fi
  else
    port="${2:-$(free_port)}"
    controller_port="$(free_port)"
    while [[ "$controller_port" == "$port" ]]; do controller_port="$(free_port)"; done
  fi
  write_config "$dir" "$port" "$controller_port"
  if [[ ! -f "$dir/data/meta.properties" ]]; then
    local cluster_id
    # An id starting with '-' would be read by StorageTool as an option: draw again.
    cluster_id="$("$PYTHON" -c 'import base64, uuid
while True:
    i = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
    if not i.startswith("-"):
        print(i)
        break')"
    jvm_args "$dir"
    "$JAVA" "${JVM_ARGS[@]}" kafka.tools.StorageTool format --standalone -t "$cluster_id" \
      -c "$dir/server.properties" >"$dir/format.log" 2>&1 ||
      { cat "$dir/format.log" >&2; die "start: formatting the storage in $dir/data failed"; }
  fi
  echo "$port $controller_port" >"$dir/ports"
  local bootstrap="127.0.0.1:$port"
  echo "$bootstrap" >"$dir/bootstrap.txt"
  # setsid: the broker outlives the shell (and the ctest fixture) that started it.
  jvm_args "$dir"
  setsid "$JAVA" "${JVM_ARGS[@]}" kafka.Kafka "$dir/server.properties" >"$dir/broker.log" 2>&1 </dev/null &
  echo $! >"$dir/broker.pid"
  wait_ready "$dir" "$bootstrap"
  echo "$bootstrap"
}

cmd_stop() {
  [[ $# -eq 1 ]] || usage
  local dir="$1"
  [[ -d "$dir" ]] || return 0
  if ! pid_alive "$dir"; then
    rm -f "$dir/broker.pid"
    return 0
  fi
  local pid
  pid="$(cat "$dir/broker.pid")"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "kafka.sh: broker $pid in $dir did not stop within ${STOP_TIMEOUT}s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$dir/broker.pid"
}

cmd_restart() {
  [[ $# -eq 1 ]] || usage
  cmd_stop "$1"
  cmd_start "$1"
}

cmd_bootstrap() {
  [[ $# -eq 1 ]] || usage
  [[ -f "$1/bootstrap.txt" ]] || die "bootstrap: no broker was started in $1"
  cat "$1/bootstrap.txt"
}

[[ $# -ge 1 ]] || usage
command="$1"
shift
case "$command" in
  install) cmd_install "$@" ;;
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  restart) cmd_restart "$@" ;;
  bootstrap) cmd_bootstrap "$@" ;;
  *) usage ;;
esac
