"""scripts/run_silver_example.sh: a broker of its own, sample orders, the example
pipeline, the table summarized, and the broker stopped on exit."""
import json
import os
import re
import subprocess
import sys

import tributary_e2e as e2e

sys.path.insert(0, str(e2e.REPO / "examples" / "silver"))
import produce_sample  # noqa: E402


def test_run_silver_example_script(tributary_bin, tmp_path):
    env = dict(os.environ, TMPDIR=str(tmp_path), TRIBUTARY_KEEP_WORK="1")
    result = subprocess.run([str(e2e.REPO / "scripts" / "run_silver_example.sh"), tributary_bin], env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    out = result.stdout
    assert "produced 324 events to orders_topic: 320 order events for 120 orders, 4 malformed values" in out, out
    assert "done after 1 batches, 324 rows" in out, out
    assert "version 1, 120 rows (one per order), operations: ['CREATE TABLE', 'MERGE']" in out, out
    work = re.search(r"work folder kept: (\S+)", out).group(1)
    assert not os.path.exists(os.path.join(work, "broker", "broker.pid")), "the broker was not stopped"
    table = os.path.join(work, "warehouse", "prod", "silver", "orders")
    latest = {}
    for key, value in produce_sample.sample_events():
        if not key.startswith("bad-"):
            latest[key] = json.loads(value)
    expected = {k: (o["status"], o["amount"], e2e.iso_to_micros(o["updated_at"])) for k, o in latest.items()}
    assert len(expected) == 120
    e2e.assert_order_state(table, expected, readers=("delta-rs", "duckdb"))
