#!/usr/bin/env bash
# Runs the silver example (examples/silver/pipeline.yaml: Kafka -> from_json -> MERGE into
# a Delta table) against a local Apache Kafka broker: starts a broker in a temporary
# folder (scripts/kafka/kafka.sh), creates orders_topic with 3 partitions, produces sample
# orders with updates and a few malformed values (examples/silver/produce_sample.py),
# runs a copy of the pipeline pointed at the broker with trigger availableNow, prints the
# resulting table, and stops the broker.
#
#   scripts/run_silver_example.sh [path/to/tributary]   (default build/release/bin/tributary)
#
# Needs Java (the broker), python3 with confluent_kafka and deltalake. The work folder is
# kept when TRIBUTARY_KEEP_WORK=1 (its path is printed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXAMPLE="$ROOT/examples/silver"
TRIBUTARY_BIN="${1:-${TRIBUTARY_BIN:-$ROOT/build/release/bin/tributary}}"
[[ -x "$TRIBUTARY_BIN" ]] || { echo "run_silver_example.sh: no tributary binary at $TRIBUTARY_BIN (build it, or pass its path)" >&2; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tributary-silver.XXXXXX")"
cleanup() {
  "$ROOT/scripts/kafka/kafka.sh" stop "$WORK/broker" >/dev/null 2>&1 || true
  if [[ "${TRIBUTARY_KEEP_WORK:-0}" == 1 ]]; then echo "work folder kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

echo "starting a Kafka broker in $WORK/broker"
BOOTSTRAP="$("$ROOT/scripts/kafka/kafka.sh" start "$WORK/broker" | tail -n 1)"
echo "broker at $BOOTSTRAP"

python3 - "$BOOTSTRAP" <<'PY'
import sys
from confluent_kafka.admin import AdminClient, NewTopic
admin = AdminClient({"bootstrap.servers": sys.argv[1]})
admin.create_topics([NewTopic("orders_topic", num_partitions=3, replication_factor=1)])["orders_topic"].result(30)
PY
python3 "$EXAMPLE/produce_sample.py" "$BOOTSTRAP" orders_topic

# The example pipeline, pointed at this broker and run once over what is there: a text
# edit of a copy (a YAML 1.1 round trip would turn the key `on:` into a boolean). Its
# relative paths (warehouse, checkpoint) resolve against the copy's folder.
python3 - "$EXAMPLE/pipeline.yaml" "$WORK/pipeline.yaml" "$BOOTSTRAP" <<'PY'
import re
import sys
source, target, bootstrap = sys.argv[1:]
text = open(source).read()
text, servers = re.subn(r'(kafka\.bootstrap\.servers:\s*)"[^"]*"', lambda m: f'{m.group(1)}"{bootstrap}"', text)
text, triggers = re.subn(r"trigger:\s*\{[^}]*\}", "trigger: {availableNow: true}", text)
if servers != 1 or triggers != 1:
    sys.exit(f"run_silver_example.sh: cannot find the bootstrap servers and the trigger in {source}")
open(target, "w").write(text)
PY
"$TRIBUTARY_BIN" run "$WORK/pipeline.yaml"

python3 - "$WORK/warehouse/prod/silver/orders" <<'PY'
import sys
from deltalake import DeltaTable
table = DeltaTable(sys.argv[1])
data = table.to_pyarrow_table().sort_by("order_id")
print(f"table prod.silver.orders ({sys.argv[1]})")
print(f"  version {table.version()}, {data.num_rows} rows (one per order), "
      f"operations: {[h['operation'] for h in reversed(table.history())]}")
for row in data.slice(0, 5).to_pylist():
    print(f"  {row['order_id']}  {row['status']:<10} {row['amount']:>8.2f}  {row['updated_at']}")
# delta-rs often aborts tearing down its runtime at exit; the output is complete by then.
import os
sys.stdout.flush()
os._exit(0)
PY
