"""The silver pipeline end to end: order events on a real Kafka broker, parsed with
from_json and upserted by order_id into a Delta table (MERGE, latest row per key), run
through the real binary (`tributary run pipeline.yaml`) and read back with delta-rs,
DuckDB and pyarrow. Also: from_json's FAILFAST and PERMISSIVE modes, a plain Kafka ->
Delta append, and commitOffsetsToGroup."""
import random

import tributary_e2e as e2e

TABLE = "prod.silver.orders"
CHECKPOINT = "checkpoints/silver/orders"


def batch_ids(progress):
    return [p["batchId"] for p in progress]


def input_rows(progress):
    return sum(p["numInputRows"] for p in progress)


def offsets_as_ints(offsets, topic):
    return {int(p): o for p, o in offsets[topic].items()}


def test_merge_keeps_the_latest_state_of_every_key(tributary_bin, kafka_broker, tmp_path):
    topic = e2e.unique_topic()
    kafka_broker.create_topic(topic, partitions=3)
    orders = e2e.Orders(partitions=3, seed=1)
    rng = random.Random(7)
    keys = [f"order-{i:04d}" for i in range(60)]

    # Round 1: every key inserted, then 120 updates; values that are not orders mixed in.
    records = [orders.record(orders.event(key)) for key in keys]
    records += [orders.record(orders.event(rng.choice(keys))) for _ in range(120)]
    not_orders = [
        orders.malformed(keys[3], '{"order_id": "order-0003", "status": "CANCELLED", "amount": 1.0'),  # cut off
        orders.malformed(keys[10], "not json at all"),
        orders.malformed(keys[20], "[1, 2, 3]"),
        orders.malformed(keys[30], ""),
        orders.malformed(keys[40], None),  # a tombstone
        orders.malformed(keys[50], '{"status": "LOST", "amount": 3.5}'),  # no order_id
    ]
    for index, record in enumerate(not_orders):  # half in the middle, half after the last update of their key
        records.insert(len(records) if index % 2 else 90 + index, record)
    e2e.produce_records(kafka_broker.bootstrap, topic, records)
    assert {partition for *_, partition in records} == {0, 1, 2}

    pipeline = e2e.write_kafka_pipeline(
        tmp_path, kafka_broker.bootstrap, topic, e2e.silver_transform(),
        e2e.merge_sink(TABLE, checkpoint="./" + CHECKPOINT), source_options={"maxOffsetsPerTrigger": 40})
    table = e2e.table_dir(tmp_path, TABLE)
    checkpoint = tmp_path / CHECKPOINT

    first = e2e.run(tributary_bin, "run", pipeline)
    assert first.returncode == 0, first
    progress = first.progress()
    assert batch_ids(progress) == list(range(len(progress))) and len(progress) >= 4, progress
    assert input_rows(progress) == len(records), first
    assert all(p["numInputRows"] <= 40 for p in progress), [p["numInputRows"] for p in progress]
    end = e2e.end_offsets(kafka_broker.bootstrap, topic, 3)
    assert offsets_as_ints(progress[-1]["sources"][0]["endOffset"], topic) == end
    assert e2e.checkpoint_batches(checkpoint) == batch_ids(progress)
    assert e2e.checkpoint_batches(checkpoint, "commits") == batch_ids(progress)
    assert e2e.checkpoint_offsets(checkpoint, progress[-1]["batchId"]) == {topic: end}

    assert e2e.read_deltars(table).column_names == ["order_id", "status", "amount", "updated_at", "kafka_ts"]
    e2e.assert_order_state(table, orders.expected_rows())
    assert all(row["kafka_ts"] is not None for row in e2e.read_deltars(table).to_pylist())

    # Round 2: updates of existing keys, new keys, more bad values; only these are read.
    more = [orders.record(orders.event(rng.choice(keys))) for _ in range(50)]
    more += [orders.record(orders.event(f"order-{i:04d}")) for i in range(60, 70)]
    more += [orders.record(orders.event(rng.choice(keys))) for _ in range(20)]
    more.insert(30, orders.malformed(keys[5], "{broken"))
    e2e.produce_records(kafka_broker.bootstrap, topic, more)

    second = e2e.run(tributary_bin, "run", pipeline)
    assert second.returncode == 0, second
    progress2 = second.progress()
    assert batch_ids(progress2) == list(range(len(progress), len(progress) + len(progress2))), progress2
    assert progress2[0]["sources"][0]["startOffset"] == progress[-1]["sources"][0]["endOffset"]
    assert input_rows(progress2) == len(more), second
    end2 = e2e.end_offsets(kafka_broker.bootstrap, topic, 3)
    assert e2e.checkpoint_offsets(checkpoint, progress2[-1]["batchId"]) == {topic: end2}
    e2e.assert_order_state(table, orders.expected_rows())
    assert len(orders.expected_rows()) == 70

    # Every batch is one MERGE commit carrying txn(query id, batch id); the table was
    # created by the first one's CREATE TABLE commit.
    batches = len(progress) + len(progress2)
    history = e2e.txn_versions(table, e2e.query_id(checkpoint))
    assert history[0][:2] == (0, "CREATE TABLE"), history[0]
    assert history[1:] == [(batch + 1, "MERGE", [batch]) for batch in range(batches)], history
    from deltalake import DeltaTable
    operations = [entry["operation"] for entry in DeltaTable(str(table)).history()]
    assert sorted(operations) == sorted(["CREATE TABLE"] + ["MERGE"] * batches), operations

    # A run with nothing new commits nothing.
    version = e2e.delta_version(table)
    third = e2e.run(tributary_bin, "run", pipeline)
    assert third.returncode == 0, third
    assert input_rows(third.progress()) == 0, third
    assert e2e.delta_version(table) == version
    e2e.assert_order_state(table, orders.expected_rows())


def test_latest_by_keeps_the_newest_row_of_a_batch(tributary_bin, kafka_broker, tmp_path):
    """Within one micro-batch the row with the greatest updated_at wins, whatever the
    order of the records in the topic."""
    topic = e2e.unique_topic()
    kafka_broker.create_topic(topic, partitions=1)

    def order(key, status, amount, ms):
        return {"order_id": key, "status": status, "amount": amount, "updated_at": e2e.iso_ms(e2e.EPOCH_MS + ms)}

    events = [
        order("a", "NEW", 1.0, 1000), order("a", "SHIPPED", 3.0, 3000), order("a", "PAID", 2.0, 2000),  # late arrival
        order("b", "NEW", 5.0, 1000), order("b", "PAID", 6.0, 2000),
        order("c", "PAID", 8.0, 5000), order("c", "NEW", 7.0, 4000),
    ]
    import json
    e2e.produce_records(kafka_broker.bootstrap, topic, [(o["order_id"], json.dumps(o), None, 0) for o in events])
    pipeline = e2e.write_kafka_pipeline(tmp_path, kafka_broker.bootstrap, topic, e2e.silver_transform(),
                                        e2e.merge_sink(TABLE))
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 0, result
    assert batch_ids(result.progress()) == [0], result
    newest = {"a": events[1], "b": events[4], "c": events[5]}
    expected = {k: (o["status"], o["amount"], e2e.iso_to_micros(o["updated_at"])) for k, o in newest.items()}
    e2e.assert_order_state(e2e.table_dir(tmp_path, TABLE), expected)


def test_failfast_stops_on_a_malformed_value_and_commits_nothing_of_its_batch(tributary_bin, kafka_broker,
                                                                            tmp_path):
    topic = e2e.unique_topic()
    kafka_broker.create_topic(topic, partitions=1)
    orders = e2e.Orders(partitions=1, seed=2)
    good = [orders.event(f"order-{i:04d}") for i in range(10)]
    expected = orders.expected_rows()  # batch 0 (offsets 0-9) is all good
    bad_text = '{"order_id": "order-0099", "status": BROKEN-VALUE}'
    records = [orders.record(o) for o in good]
    records += [orders.record(orders.event(f"order-{i:04d}")) for i in range(10, 15)]
    records.append(orders.malformed("order-0099", bad_text))  # offset 15, in batch 1 (offsets 10-19)
    records += [orders.record(orders.event(f"order-{i:04d}")) for i in range(15, 19)]
    e2e.produce_records(kafka_broker.bootstrap, topic, records)

    pipeline = e2e.write_kafka_pipeline(
        tmp_path, kafka_broker.bootstrap, topic, e2e.silver_transform(from_json_options={"mode": "FAILFAST"}),
        e2e.merge_sink(TABLE, checkpoint="./" + CHECKPOINT), source_options={"maxOffsetsPerTrigger": 10})
    table = e2e.table_dir(tmp_path, TABLE)
    checkpoint = tmp_path / CHECKPOINT

    for attempt in range(2):  # running it again fails the same way: the bad record is not skipped
        result = e2e.run(tributary_bin, "run", pipeline)
        assert result.returncode == 1, result
        assert bad_text in result.stderr, result
        assert "FAILFAST" in result.stderr, result
        assert e2e.checkpoint_batches(checkpoint) == [0, 1], attempt
        assert e2e.checkpoint_batches(checkpoint, "commits") == [0], attempt
        assert e2e.checkpoint_offsets(checkpoint, 1) == {topic: {0: 20}}
        assert e2e.delta_version(table) == 1, attempt  # CREATE TABLE, then batch 0's MERGE only
        assert [txns for *_, txns in e2e.txn_versions(table, e2e.query_id(checkpoint))] == [[], [0]]
        e2e.assert_order_state(table, expected)


def test_permissive_keeps_the_raw_text_of_malformed_values(tributary_bin, kafka_broker, tmp_path):
    """PERMISSIVE with a _corrupt_record column in the schema, appended to a plain Delta
    table: good values parse with a null _corrupt_record, malformed ones keep their exact
    text there with every other field null."""
    topic = e2e.unique_topic()
    kafka_broker.create_topic(topic, partitions=1)
    orders = e2e.Orders(partitions=1, seed=3)
    bad_texts = ['{"order_id": "order-0002", "status": "PAID"', "definitely not json",
                 '{\n  "order_id": "order-0004",\n  broken\n}', '{"order_id": "order-0005", "amount": 1.5,}']
    values = []
    for i in range(12):
        values.append(orders.event(f"order-{i:04d}"))
        if i % 3 == 2:
            values.append(bad_texts[i // 3])
    import json
    records = [(None, v if isinstance(v, str) else json.dumps(v), None, 0) for v in values]
    positions = e2e.produce_records(kafka_broker.bootstrap, topic, records)

    schema = e2e.ORDER_SCHEMA + ", _corrupt_record STRING"
    transform = e2e.silver_transform(schema=schema, from_json_options={"mode": "PERMISSIVE"}, where=None,
                                     extra_columns=("offset AS kafka_offset",))
    sink = {"format": "delta", "path": "./tables/orders_raw", "trigger": {"availableNow": True},
            "options": {"checkpointLocation": "./checkpoints/orders_raw"}}
    pipeline = e2e.write_kafka_pipeline(tmp_path, kafka_broker.bootstrap, topic, transform, sink)
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 0, result

    for name in ("delta-rs", "duckdb"):
        table = e2e.READERS[name](tmp_path / "tables" / "orders_raw")
        assert table.column_names == ["order_id", "status", "amount", "updated_at", "_corrupt_record",
                                      "kafka_offset"], name
        rows = {row["kafka_offset"]: row for row in table.to_pylist()}
        assert len(rows) == table.num_rows == len(values), name
        for value, (_, offset) in zip(values, positions):
            row = rows[offset]
            if isinstance(value, str):
                assert row == {"order_id": None, "status": None, "amount": None, "updated_at": None,
                               "_corrupt_record": value, "kafka_offset": offset}, (name, row)
            else:
                got = (row["order_id"], row["status"], row["amount"], e2e.to_micros(row["updated_at"]))
                assert got == (value["order_id"], value["status"], value["amount"],
                               e2e.iso_to_micros(value["updated_at"])), (name, row)
                assert row["_corrupt_record"] is None, (name, row)


def test_kafka_to_delta_append_keeps_every_event(tributary_bin, kafka_broker, tmp_path):
    """A Kafka -> Delta append (no MERGE): every order event is one row, with its Kafka
    partition and offset, exactly once, over several batches and two runs; without
    commitOffsetsToGroup no offsets are published to the consumer group."""
    topic = e2e.unique_topic()
    kafka_broker.create_topic(topic, partitions=3)
    orders = e2e.Orders(partitions=3, seed=4)
    rng = random.Random(4)
    keys = [f"order-{i:04d}" for i in range(30)]
    events = [orders.event(k) for k in keys] + [orders.event(rng.choice(keys)) for _ in range(60)]
    positions = e2e.produce_records(kafka_broker.bootstrap, topic, [orders.record(o) for o in events])

    transform = e2e.silver_transform(extra_columns=("CAST(key AS STRING) AS kafka_key", "partition AS kafka_partition",
                                                    "offset AS kafka_offset"))
    sink = {"format": "delta", "path": "./tables/orders_log", "trigger": {"availableNow": True},
            "options": {"checkpointLocation": "./checkpoints/orders_log"}}
    pipeline = e2e.write_kafka_pipeline(tmp_path, kafka_broker.bootstrap, topic, transform, sink,
                                        source_options={"maxOffsetsPerTrigger": 25})
    path = tmp_path / "tables" / "orders_log"

    def check(events, positions):
        expected = {pos: event for event, pos in zip(events, positions)}
        rows = e2e.read_deltars(path).to_pylist()
        got = {(r["kafka_partition"], r["kafka_offset"]): r for r in rows}
        assert len(got) == len(rows), "duplicate (partition, offset)"
        assert sorted(got) == sorted(expected)
        for pos, event in expected.items():
            row = got[pos]
            assert row["kafka_key"] == event["order_id"]
            assert (row["order_id"], row["status"], row["amount"], e2e.to_micros(row["updated_at"])) == (
                event["order_id"], event["status"], event["amount"], e2e.iso_to_micros(event["updated_at"])), row

    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 0, result
    assert len(result.progress()) >= 4, result
    check(events, positions)

    later = [orders.event(rng.choice(keys)) for _ in range(20)]
    positions += e2e.produce_records(kafka_broker.bootstrap, topic, [orders.record(o) for o in later])
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 0, result
    assert input_rows(result.progress()) == 20, result
    check(events + later, positions)

    group = "spark-kafka-source-" + e2e.query_id(tmp_path / "checkpoints" / "orders_log")
    assert all(offset < 0 for offset in e2e.group_offsets(kafka_broker.bootstrap, group, topic, 3).values())


def test_commit_offsets_to_group_publishes_the_last_batch_end(tributary_bin, kafka_broker, tmp_path):
    topic = e2e.unique_topic()
    kafka_broker.create_topic(topic, partitions=3)
    orders = e2e.Orders(partitions=3, seed=5)
    keys = [f"order-{i:04d}" for i in range(40)]
    e2e.produce_records(kafka_broker.bootstrap, topic, [orders.record(orders.event(k)) for k in keys * 2])
    pipeline = e2e.write_kafka_pipeline(
        tmp_path, kafka_broker.bootstrap, topic, e2e.silver_transform(),
        e2e.merge_sink(TABLE, checkpoint="./" + CHECKPOINT),
        source_options={"maxOffsetsPerTrigger": 30, "commitOffsetsToGroup": True})
    checkpoint = tmp_path / CHECKPOINT

    for round_number in range(2):
        if round_number:
            e2e.produce_records(kafka_broker.bootstrap, topic, [orders.record(orders.event(k)) for k in keys[::2] * 3])
        result = e2e.run(tributary_bin, "run", pipeline)
        assert result.returncode == 0, result
        assert len(result.progress()) >= 2, result
        group = "spark-kafka-source-" + e2e.query_id(checkpoint)
        last_batch = e2e.checkpoint_batches(checkpoint)[-1]
        last_end = e2e.checkpoint_offsets(checkpoint, last_batch)[topic]
        assert last_end == e2e.end_offsets(kafka_broker.bootstrap, topic, 3)
        assert e2e.group_offsets(kafka_broker.bootstrap, group, topic, 3) == last_end, round_number
        e2e.assert_order_state(e2e.table_dir(tmp_path, TABLE), orders.expected_rows(), readers=("delta-rs",))
