"""Sharing a table: four writers of three kinds commit to one Delta table at once for
tens of seconds, and one of them is SIGKILLed and restarted on the way:

- two bronze pipelines (`tributary run`, cloudFiles -> Delta append), each from its
  own landing folder;
- one MERGE pipeline (`tributary run`, cloudFiles -> sink.merge) upserting keyed rows;
- a delta-rs writer (deltalake.write_deltalake append in a loop, another process).

Afterwards the table (read by delta-rs, and by pyarrow on its live files) holds exactly
what the writers committed: every appended row once, every merged key with its latest
value; every writer's commits are in the log once each, and the versions run without
a gap. Exactly once while sharing, whatever instant the kill hit."""
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import tributary_e2e as e2e

DURATION = float(os.environ.get("TRIBUTARY_CONCURRENCY_SECONDS", "20"))  # of writing
SCHEMA_DDL = "key STRING, writer STRING, seq BIGINT, value BIGINT"
MERGE_KEYS = [f"m-{k:02d}" for k in range(40)]

DELTA_RS_WRITER = r"""
import os, sys, time
import pyarrow as pa
from deltalake import CommitProperties, write_deltalake
table, stop_file = sys.argv[1], sys.argv[2]
schema = pa.schema([("key", pa.string()), ("writer", pa.string()), ("seq", pa.int64()), ("value", pa.int64())])
batch = 0
while not os.path.exists(stop_file):
    rows = [(f"d-{batch:05d}-{k}", "delta-rs", batch, batch * 10 + k) for k in range(4)]
    data = pa.Table.from_pylist([dict(zip(schema.names, row)) for row in rows], schema=schema)
    try:
        # Blind appends retry as long as the conflicts allow, as Tributary's do.
        write_deltalake(table, data, mode="append",
                        commit_properties=CommitProperties(custom_metadata={"tributary_test_batch": str(batch)},
                                                           max_commit_retries=10000))
        print(f"ok {batch}", flush=True)
    except Exception as error:  # the log says whether it landed anyway
        print(f"failed {batch}: {error}", flush=True)
    batch += 1
    time.sleep(0.05)
sys.stdout.flush()
os._exit(0)
"""


def create_table(path):
    script = (
        "import os, sys, pyarrow as pa\n"
        "from deltalake import write_deltalake\n"
        "schema = pa.schema([('key', pa.string()), ('writer', pa.string()), ('seq', pa.int64()), ('value', pa.int64())])\n"
        f"write_deltalake({str(path)!r}, schema.empty_table())\n"
        "sys.stdout.flush()\nos._exit(0)\n")
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


def bronze_pipeline(root, name, table):
    text = f"""
source:
  format: cloudFiles
  path: ./landing/{name}/
  schema: "{SCHEMA_DDL}"
  options:
    cloudFiles.format: json
    cloudFiles.maxFilesPerTrigger: 2
sink:
  format: delta
  path: {table}
  trigger: {{processingTime: "100 ms"}}
  options: {{checkpointLocation: ./checkpoints/{name}}}
"""
    path = Path(root) / f"{name}.yaml"
    path.write_text(text)
    return path


def merge_pipeline(root, table):
    # Files may be picked up in any order: an update only wins when it is newer.
    text = f"""
source:
  format: cloudFiles
  path: ./landing/merge/
  schema: "{SCHEMA_DDL}"
  options:
    cloudFiles.format: json
    cloudFiles.maxFilesPerTrigger: 2
sink:
  merge:
    into: {table}
    on: "t.key = s.key"
    latestBy: seq
    whenMatched: [{{update: "*", condition: "s.seq > t.seq"}}]
    whenNotMatched: [{{insert: "*"}}]
  trigger: {{processingTime: "100 ms"}}
  options: {{checkpointLocation: ./checkpoints/merge}}
"""
    path = Path(root) / "merge.yaml"
    path.write_text(text)
    return path


class Producer(threading.Thread):
    """Lands a file in `landing` every few tens of milliseconds until `until`."""

    def __init__(self, landing, make_rows, until, rng):
        super().__init__(daemon=True)
        self.landing, self.make_rows, self.until, self.rng = Path(landing), make_rows, until, rng
        self.files = 0
        self.error = None

    def run(self):
        try:
            while time.monotonic() < self.until:
                e2e.write_json_lines(self.landing / f"f-{self.files:05d}.json", self.make_rows(self.files))
                self.files += 1
                time.sleep(self.rng.uniform(0.05, 0.25))
        except Exception as error:  # reported by the test
            self.error = error


def query_id(checkpoint):
    return json.loads((Path(checkpoint) / "metadata").read_text())["id"]


def committed_batches(checkpoint):
    """The batch ids in the checkpoint's commits/ (old ones are purged as in Spark)."""
    return {int(p.name) for p in (Path(checkpoint) / "commits").iterdir() if p.name.isdigit()}


def read_log(table):
    """[(version, commitInfo dict, [txn dicts])] for every commit file, in version order."""
    commits = []
    for path in sorted((Path(table) / "_delta_log").glob("*.json")):
        if not path.stem.isdigit():
            continue
        info, txns = None, []
        for line in path.read_text().splitlines():
            if not line.strip():
                continue
            action = json.loads(line)
            info = action.get("commitInfo", info)
            if "txn" in action:
                txns.append(action["txn"])
        commits.append((int(path.stem), info or {}, txns))
    return commits


def table_rows(read, table):
    return [tuple(row[c] for c in ("key", "writer", "seq", "value")) for row in read(table).to_pylist()]


@pytest.fixture
def reaper():
    """The processes a test starts; those still running when it ends (a failed
    assertion) are killed, so no writer outlives its test."""
    started = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_four_writers_of_three_kinds_share_one_table(tributary_bin, workdir, reaper):
    seed = int(os.environ.get("TRIBUTARY_CONCURRENCY_SEED", str(random.randrange(1 << 30))))
    print(f"concurrency test seed {seed} (set TRIBUTARY_CONCURRENCY_SEED to replay)")
    rng = random.Random(seed)
    table = workdir / "shared"
    create_table(table)
    logs = workdir / "logs"
    logs.mkdir()

    # What each producer wrote: bronze rows by key; merge rows' latest (seq, value) by key.
    bronze_rows = {}
    merge_latest = {}
    merge_seq = [0]
    lock = threading.Lock()

    def bronze_rows_of(writer):
        def make(index):
            rows = [{"key": f"{writer}-{index:05d}-{k}", "writer": writer, "seq": index, "value": index * 100 + k}
                    for k in range(5)]
            with lock:
                bronze_rows.update({r["key"]: (r["key"], writer, r["seq"], r["value"]) for r in rows})
            return rows
        return make

    def merge_rows(index):
        rows = []
        with lock:
            for key in rng.sample(MERGE_KEYS, 8):
                merge_seq[0] += 1
                row = {"key": key, "writer": "merge", "seq": merge_seq[0], "value": merge_seq[0] * 3}
                merge_latest[key] = (key, "merge", row["seq"], row["value"])
                rows.append(row)
        return rows

    pipelines = {name: bronze_pipeline(workdir, name, table) for name in ("a", "b")}
    pipelines["merge"] = merge_pipeline(workdir, table)
    runs = {"a": 0, "b": 0, "merge": 0}
    processes = {}

    def launch(name):
        runs[name] += 1
        processes[name] = e2e.start_logged(tributary_bin, pipelines[name], logs / f"{name}-{runs[name]}.log")
        reaper.append(processes[name])

    for name in pipelines:
        launch(name)
    stop_file = workdir / "stop-delta-rs"
    delta_rs_out = open(logs / "delta-rs.log", "w")
    delta_rs = subprocess.Popen([sys.executable, "-c", DELTA_RS_WRITER, str(table), str(stop_file)],
                                stdout=delta_rs_out, stderr=subprocess.STDOUT)
    reaper.append(delta_rs)

    until = time.monotonic() + DURATION
    producers = [Producer(workdir / "landing" / "a", bronze_rows_of("a"), until, random.Random(rng.random())),
                 Producer(workdir / "landing" / "b", bronze_rows_of("b"), until, random.Random(rng.random())),
                 Producer(workdir / "landing" / "merge", merge_rows, until, random.Random(rng.random()))]
    for producer in producers:
        producer.start()

    def alive_or_fail(name):
        if processes[name].poll() is not None:
            log = (logs / f"{name}-{runs[name]}.log").read_text(errors="replace")
            raise AssertionError(f"writer {name} exited with {processes[name].returncode} while sharing:\n{log[-5000:]}")

    # SIGKILL bronze writer "a" at a random instant once it has committed, and restart it.
    e2e.wait_until(lambda: (workdir / "checkpoints" / "a" / "commits").is_dir() and
                   committed_batches(workdir / "checkpoints" / "a"), DURATION, "writer a's first batch")
    time.sleep(rng.uniform(0.0, DURATION / 2))
    alive_or_fail("a")
    processes["a"].send_signal(signal.SIGKILL)
    processes["a"].wait()
    launch("a")

    for producer in producers:
        producer.join()
        assert producer.error is None, producer.error
    stop_file.touch()
    delta_rs.wait(timeout=120)
    delta_rs_out.close()
    for name in pipelines:
        alive_or_fail(name)

    # Let the pipelines drain their landing folders, then stop them as an operator would.
    def drained():
        rows = table_rows(e2e.read_deltars, table)
        merged = {row[0]: row for row in rows if row[1] == "merge"}
        return set(bronze_rows) <= {row[0] for row in rows} and merged == merge_latest
    e2e.wait_until(drained, 90, "every landed file in the table", interval=0.5)
    for name in pipelines:
        alive_or_fail(name)
        code, _, _ = stop_process(processes[name])
        log = (logs / f"{name}-{runs[name]}.log").read_text(errors="replace")
        assert code == 0, f"writer {name} exited with {code}:\n{log[-5000:]}"

    # The log: versions 0..N without a gap; each commit belongs to exactly one writer,
    # each writer's batch appears once.
    commits = read_log(table)
    versions = [version for version, _, _ in commits]
    assert versions == list(range(len(versions))), f"versions are not 0..{len(versions) - 1}: {versions[:20]}..."
    ids = {name: query_id(workdir / "checkpoints" / name) for name in pipelines}
    txn_versions = {name: [] for name in pipelines}
    delta_rs_batches = []
    retried = 0
    for version, info, txns in commits[1:]:
        if info.get("engineInfo", "").startswith("delta-rs"):
            assert not txns
            delta_rs_batches.append(int(info["tributary_test_batch"]))
            continue
        assert info.get("engineInfo", "").startswith("Tributary"), f"version {version}: unknown writer {info}"
        assert len(txns) == 1, f"version {version}: a Tributary streaming commit carries one txn: {txns}"
        owner = [name for name, qid in ids.items() if qid == txns[0]["appId"]]
        assert len(owner) == 1, f"version {version}: txn of an unknown query {txns[0]}"
        txn_versions[owner[0]].append(txns[0]["version"])
        assert info["txnId"] and info["isolationLevel"] == "WriteSerializable"
        retried += info["readVersion"] < version - 1
    for name in pipelines:
        batches = txn_versions[name]
        assert len(batches) == len(set(batches)), f"writer {name} committed a batch twice: {sorted(batches)}"
        # Every batch of the query, 0 up to the last one its checkpoint records, is in the log.
        last = max(committed_batches(workdir / "checkpoints" / name))
        assert sorted(batches) == list(range(last + 1)), f"writer {name}: batches {sorted(batches)}, last {last}"
        assert len(batches) >= 5, f"writer {name} made only {len(batches)} commits"
    assert len(delta_rs_batches) == len(set(delta_rs_batches)), "a delta-rs batch committed twice"
    reported_ok = {int(line.split()[1]) for line in (logs / "delta-rs.log").read_text().splitlines()
                   if line.startswith("ok ")}
    assert reported_ok <= set(delta_rs_batches), "a delta-rs write that reported success is not in the log"
    assert len(reported_ok) >= 5, (logs / "delta-rs.log").read_text()[-3000:]
    # The writers did contend: commits landed on versions other than the one they read for.
    assert retried > 0, "no Tributary commit had to retry after a concurrent one"

    # The rows: exactly the union of what each writer committed.
    expected = dict(bronze_rows)
    for batch in delta_rs_batches:
        expected.update({f"d-{batch:05d}-{k}": (f"d-{batch:05d}-{k}", "delta-rs", batch, batch * 10 + k)
                         for k in range(4)})
    expected.update(merge_latest)
    for reader in (e2e.read_deltars, e2e.read_parquet_files):
        rows = table_rows(reader, table)
        keys = [row[0] for row in rows]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        assert not duplicates, f"{reader.__name__}: duplicate keys {duplicates[:10]}"
        got = {row[0]: row for row in rows}
        missing = sorted(set(expected) - set(got))
        extra = sorted(set(got) - set(expected))
        assert not missing and not extra, f"{reader.__name__}: missing {missing[:10]} extra {extra[:10]}"
        wrong = [(got[k], expected[k]) for k in expected if got[k] != expected[k]]
        assert not wrong, f"{reader.__name__}: {len(wrong)} rows differ (got, expected): {wrong[:5]}"
    print(f"{len(versions)} versions: bronze a {len(txn_versions['a'])}, b {len(txn_versions['b'])}, "
          f"merge {len(txn_versions['merge'])}, delta-rs {len(delta_rs_batches)} commits; "
          f"{retried} Tributary commits retried; writer a ran {runs['a']} times")


def stop_process(process, timeout=60):
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=timeout)
    return process.returncode, None, None
