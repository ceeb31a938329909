"""A real Apache Kafka broker for end-to-end tests: scripts/kafka/kafka.sh runs it (KRaft,
one node, 127.0.0.1 only) in a directory of its own; confluent_kafka creates topics and
produces records on it.

    broker = KafkaBroker(tmp_dir)
    broker.start()                      # returns the bootstrap address
    broker.create_topic("events", partitions=3)
    broker.produce("events", [(b"k", b"v", [("h", b"1")], 0), ...])
    broker.restart()                    # same port, same data
    broker.stop()

Usable as a context manager; errors raise RuntimeError with the broker's log tail.
"""
import os
import subprocess
import time

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewPartitions, NewTopic

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KAFKA_SH = os.path.join(ROOT, "scripts", "kafka", "kafka.sh")


class KafkaBroker:
    def __init__(self, directory, port=None):
        self.directory = os.path.abspath(str(directory))
        self.port = port
        self.bootstrap = None

    def _run(self, *args, timeout=180):
        result = subprocess.run([KAFKA_SH, *args], capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"kafka.sh {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
        return result.stdout.strip()

    def start(self):
        args = ["start", self.directory] + ([str(self.port)] if self.port else [])
        self.bootstrap = self._run(*args).splitlines()[-1]
        return self.bootstrap

    def stop(self):
        self._run("stop", self.directory, timeout=90)

    def restart(self):
        self.bootstrap = self._run("restart", self.directory).splitlines()[-1]
        return self.bootstrap

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def admin(self):
        return AdminClient({"bootstrap.servers": self.bootstrap})

    def create_topic(self, name, partitions=1, config=None, timeout=30):
        """Creates `name` and waits until every partition has a leader."""
        admin = self.admin()  # must outlive the futures
        futures = admin.create_topics(
            [NewTopic(name, num_partitions=partitions, replication_factor=1, config=config or {})])
        futures[name].result(timeout=timeout)
        self._wait_for_partitions(name, partitions, timeout)

    def create_partitions(self, name, total, timeout=30):
        admin = self.admin()
        admin.create_partitions([NewPartitions(name, total)])[name].result(timeout=timeout)
        self._wait_for_partitions(name, total, timeout)

    def _wait_for_partitions(self, name, partitions, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            topic = self.admin().list_topics(name, timeout=5).topics.get(name)
            if topic is not None and topic.error is None and len(topic.partitions) == partitions and all(
                    p.leader >= 0 for p in topic.partitions.values()):
                return
            time.sleep(0.1)
        raise RuntimeError(f"topic {name} did not get {partitions} partitions with leaders within {timeout}s")

    def produce(self, topic, records, timeout=30):
        """Produces (key, value, headers, partition) tuples and waits for every ack.
        key/value may be bytes, str or None; headers a list of (name, value) or None;
        partition None lets the producer choose."""
        producer = Producer({"bootstrap.servers": self.bootstrap, "linger.ms": 5})
        errors = []

        def on_delivery(error, _message):
            if error is not None:
                errors.append(error)

        for key, value, headers, partition in records:
            kwargs = {"key": key, "value": value, "on_delivery": on_delivery}
            if headers:
                kwargs["headers"] = headers
            if partition is not None:
                kwargs["partition"] = partition
            producer.produce(topic, **kwargs)
            producer.poll(0)
        remaining = producer.flush(timeout)
        if remaining or errors:
            raise RuntimeError(f"producing to {topic}: {remaining} not delivered, errors {errors[:3]}")
