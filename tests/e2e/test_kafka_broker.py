"""The test broker itself: start, topics, produce, consume, restart keeps the data."""
import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from confluent_kafka import Consumer, TopicPartition  # noqa: E402

from kafka_broker import KafkaBroker  # noqa: E402


def consume_all(bootstrap, topic, partitions, expected, timeout=30):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "check-" + uuid.uuid4().hex,
                         "enable.auto.commit": False})
    consumer.assign([TopicPartition(topic, p, 0) for p in range(partitions)])
    seen = {}
    import time
    deadline = time.monotonic() + timeout
    while len(seen) < expected and time.monotonic() < deadline:
        message = consumer.poll(0.5)
        if message is None or message.error():
            continue
        seen[(message.partition(), message.offset())] = (message.key(), message.value(), message.headers())
    consumer.close()
    return seen


def test_broker_start_produce_restart(tmp_path):
    broker = KafkaBroker(tmp_path / "broker")
    bootstrap = broker.start()
    try:
        assert bootstrap.startswith("127.0.0.1:")
        broker.create_topic("events", partitions=3)
        records = [(f"k{i}".encode(), f"v{i}".encode(), [("n", str(i).encode())], i % 3) for i in range(100)]
        broker.produce("events", records)
        seen = consume_all(bootstrap, "events", 3, 100)
        assert len(seen) == 100
        assert sorted(v[1] for v in seen.values()) == sorted(f"v{i}".encode() for i in range(100))
        assert {p for p, _ in seen} == {0, 1, 2}
        assert all(v[2] == [("n", v[1][1:])] for v in seen.values())

        assert broker.restart() == bootstrap
        assert consume_all(bootstrap, "events", 3, 100) == seen
    finally:
        broker.stop()
    assert not os.path.exists(tmp_path / "broker" / "broker.pid")
