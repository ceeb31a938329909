"""Exactly-once of the silver pipeline (Kafka -> from_json -> MERGE) under crashes: a
producer keeps updating a fixed key space while the pipeline runs; the process is
SIGKILLed at random moments and restarted, the Kafka broker is restarted once in the
middle, and at the end the table holds exactly the newest produced state of every key:
no duplicate key, no lost update, no batch merged twice (DESIGN.md, "Exactly once")."""
import json
import os
import random
import signal
import subprocess
import threading
import time

import tributary_e2e as e2e

KILLS = int(os.environ.get("TRIBUTARY_CRASH_KILLS", "20"))
TABLE = "prod.silver.orders"
CHECKPOINT = "./checkpoints/silver/orders"
KEYS = [f"order-{i:04d}" for i in range(200)]


class OrderProducer(threading.Thread):
    """Produces updates of KEYS (strictly increasing updated_at per key) and now and
    then a malformed value, with an idempotent producer (no reordering, no duplicates,
    so the last produced event of a key is the last one in its partition)."""

    def __init__(self, bootstrap, topic, seed):
        super().__init__(daemon=True)
        from confluent_kafka import Producer
        self.topic = topic
        self.orders = e2e.Orders(partitions=3, seed=seed)
        self.rng = random.Random(seed + 1)
        self.lock = threading.Lock()
        self.produced = {}  # order_id -> {(status, amount, updated_at µs)} of every event
        self.count = 0
        self.errors = []
        self.done = threading.Event()
        self.producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5, "enable.idempotence": True,
                                  "log_level": 2})  # no connection-refused noise during the broker restart

    def _delivered(self, error, _message):
        if error is not None:
            self.errors.append(error)

    def run(self):
        while not self.done.is_set():
            with self.lock:
                if self.count % 101 == 100:
                    key, value, _, partition = self.orders.malformed(self.rng.choice(KEYS), '{"order_id": "x", broken')
                else:
                    order = self.orders.event(self.rng.choice(KEYS))
                    key, value, _, partition = self.orders.record(order)
                    self.produced.setdefault(key, set()).add(
                        (order["status"], float(order["amount"]), e2e.iso_to_micros(order["updated_at"])))
                self.count += 1
            self.producer.produce(self.topic, key=key, value=value, partition=partition, on_delivery=self._delivered)
            self.producer.poll(0)
            time.sleep(0.004)

    def stop(self):
        self.done.set()
        self.join()
        remaining = self.producer.flush(120)
        assert remaining == 0 and not self.errors, f"{remaining} events not delivered, errors {self.errors[:3]}"
        return self.orders.expected_rows()

    def snapshot(self):
        with self.lock:
            return {k: set(v) for k, v in self.produced.items()}


class TableChecks:
    """After every kill: what is committed has no duplicate key, holds only produced
    events, and no key went back to an older event than the table had before."""

    def __init__(self, table, producer):
        self.table = table
        self.producer = producer
        self.seen = {}  # order_id -> newest updated_at seen in the table

    def __call__(self):
        if not e2e.has_commits(self.table):
            return
        state = e2e.order_state(e2e.read_deltars(self.table))  # fails on a duplicate key
        produced = self.producer.snapshot()
        for key, row in state.items():
            assert row in produced.get(key, ()), f"{key}: {row} was never produced"
            assert row[2] >= self.seen.get(key, row[2]), f"{key} went back from {self.seen[key]} to {row[2]}"
            self.seen[key] = row[2]


def wait_for_commit_after(table, version, process, timeout):
    """Waits until the table has a version above `version`; returns False if the
    process exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if e2e.committed_version(table) > version:
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.1)
    raise AssertionError(f"no commit after version {version} within {timeout}s")


def test_sigkill_and_broker_restart_while_orders_keep_arriving(tributary_bin, kafka_broker, tmp_path):
    seed = int(os.environ.get("TRIBUTARY_CRASH_SEED", str(random.randrange(1 << 30))))
    print(f"crash test seed {seed} (set TRIBUTARY_CRASH_SEED to replay)")
    rng = random.Random(seed)
    topic = e2e.unique_topic()
    kafka_broker.create_topic(topic, partitions=3)
    transform = e2e.silver_transform()
    source_options = {"maxOffsetsPerTrigger": 60}
    pipeline = e2e.write_kafka_pipeline(
        tmp_path, kafka_broker.bootstrap, topic, transform,
        e2e.merge_sink(TABLE, trigger={"processingTime": "200 milliseconds"}, checkpoint=CHECKPOINT),
        source_options=source_options)
    table = e2e.table_dir(tmp_path, TABLE)
    logs = tmp_path / "logs"
    logs.mkdir()

    producer = OrderProducer(kafka_broker.bootstrap, topic, seed)
    check = TableChecks(table, producer)
    producer.start()
    broker_behaviour = None
    try:
        kills = attempts = kills_after_commits = 0
        while kills < KILLS:
            attempts += 1
            assert attempts <= KILLS * 4, f"only {kills} kills landed in {attempts} starts"
            log_path = logs / f"run-{attempts:03d}.log"
            version = e2e.committed_version(table)
            process = e2e.start_logged(tributary_bin, pipeline, log_path)
            try:
                if broker_behaviour is None and kills == KILLS // 2:
                    broker_behaviour, process = restart_broker_under(kafka_broker, tributary_bin, pipeline, table,
                                                                     process, logs, attempts)
                    version = e2e.committed_version(table)
                    # Let this (surviving or restarted) run go on a moment, then kill it too.
                returncode = process.wait(timeout=rng.uniform(0.05, 1.5))
                raise AssertionError(f"run {attempts} stopped by itself with exit {returncode} (a processingTime "
                                     f"query runs until stopped):\n{log_path.read_text(errors='replace')[-4000:]}")
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait()
                kills += 1
                kills_after_commits += e2e.committed_version(table) > version
            check()
        print(f"{kills} kills in {attempts} starts, {kills_after_commits} after a commit of their run; "
              f"{producer.count} events produced; broker restart: {broker_behaviour}")
        assert kills_after_commits >= KILLS // 4, f"only {kills_after_commits} kills landed after a commit"
    finally:
        expected = producer.stop()

    # Drain what is left with availableNow, then the table is the newest state of every key.
    drain = e2e.write_kafka_pipeline(tmp_path, kafka_broker.bootstrap, topic, transform,
                                     e2e.merge_sink(TABLE, checkpoint=CHECKPOINT), source_options=source_options,
                                     name="drain.yaml")
    final = e2e.run(tributary_bin, "run", drain, timeout=180)
    assert final.returncode == 0, final
    e2e.assert_order_state(table, expected)
    assert len(expected) == len(KEYS)

    # No batch was merged twice: each MERGE commit carries the next batch id.
    checkpoint = tmp_path / CHECKPOINT
    history = e2e.txn_versions(table, e2e.query_id(checkpoint))
    merged = [txns for _, operation, txns in history if operation == "MERGE"]
    assert all(len(txns) == 1 for txns in merged), history
    batch_ids = [txns[0] for txns in merged]
    assert batch_ids == sorted(set(batch_ids)), f"a batch id committed twice or out of order: {batch_ids}"
    last_batch = e2e.checkpoint_batches(checkpoint)[-1]
    assert batch_ids[-1] == last_batch
    assert e2e.checkpoint_offsets(checkpoint, last_batch) == {
        topic: e2e.end_offsets(kafka_broker.bootstrap, topic, 3)}


def restart_broker_under(kafka_broker, tributary_bin, pipeline, table, process, logs, attempts):
    """Restarts the broker while `process` runs. The pipeline must either survive (it
    commits again once the broker is back) or exit non-zero, in which case it is
    restarted and must then commit. Returns (a description, the process now running)."""
    assert wait_for_commit_after(table, e2e.committed_version(table), process, 60), "the run exited before the restart"
    started = time.monotonic()
    bootstrap = kafka_broker.restart()
    outage = time.monotonic() - started
    assert bootstrap == kafka_broker.bootstrap
    version = e2e.committed_version(table)
    if wait_for_commit_after(table, version, process, 60):
        return f"survived a {outage:.1f} s outage (committed again, still running)", process
    returncode = process.wait()
    log = (logs / f"run-{attempts:03d}.log").read_text(errors="replace")
    assert returncode != 0, f"the run stopped with exit 0 during the broker outage:\n{log[-4000:]}"
    error = next((line for line in reversed(log.splitlines()) if "error" in line.lower()), log[-300:])
    restarted = e2e.start_logged(tributary_bin, pipeline, logs / f"run-{attempts:03d}-after-broker.log")
    assert wait_for_commit_after(table, version, restarted, 60), "the restarted run did not commit"
    return f"exited {returncode} after a {outage:.1f} s outage ({error.strip()[:300]}); restarted and committed", \
        restarted

