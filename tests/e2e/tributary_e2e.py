"""Helpers of the end-to-end tests: writing input files and pipelines, running the
binary, and reading tables back with pyarrow, delta-rs and DuckDB."""
import glob
import gzip
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

REPO = Path(__file__).resolve().parents[2]
RUN_TIMEOUT = 120  # seconds for one `tributary run` that should end by itself


def find_binary():
    env = os.environ.get("TRIBUTARY_BIN")
    if env:
        return env if os.access(env, os.X_OK) else None
    candidates = [REPO / "build" / name / "bin" / "tributary" for name in ("ci", "release", "debug")]
    candidates += [Path(p) for p in sorted(glob.glob(str(REPO / "build" / "*" / "bin" / "tributary")))]
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def find_example_binary(tributary_bin, name):
    """The example program built beside the binary (<build>/examples/<name>), or None."""
    path = Path(tributary_bin).resolve().parent.parent / "examples" / name
    return str(path) if os.access(path, os.X_OK) else None


# ---------------------------------------------------------------------------- input

def write_json_lines(path, records, compress=False):
    """Writes newline-delimited JSON; into place by rename, as a well-behaved producer."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records).encode()
    if compress:
        data = gzip.compress(data, mtime=0)
    write_bytes(path, data)
    return path


def write_bytes(path, data):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.parent / ("." + path.name + ".staging")
    staging.write_bytes(data)
    os.rename(staging, path)
    return path


def make_record(record_id, batch="a"):
    """A small event with nested fields whose values depend only on its id."""
    return {
        "id": record_id,
        "name": f"user-{record_id}",
        "score": record_id * 0.5,
        "active": record_id % 2 == 0,
        "tags": [f"t{record_id % 3}", f"b-{batch}"],
        "nested": {"x": record_id * 10, "label": f"n{record_id}"},
    }


def write_batch_files(landing, first_id, files, rows_per_file, prefix="part", compress_every=0):
    """Writes `files` files of `rows_per_file` records with consecutive ids; returns ids."""
    ids = []
    next_id = first_id
    for index in range(files):
        records = [make_record(next_id + k) for k in range(rows_per_file)]
        ids.extend(r["id"] for r in records)
        next_id += rows_per_file
        compress = compress_every and index % compress_every == compress_every - 1
        name = f"{prefix}-{first_id:07d}-{index:05d}.json" + (".gz" if compress else "")
        write_json_lines(Path(landing) / name, records, compress=bool(compress))
    return ids


# ------------------------------------------------------------------------- pipelines

def write_pipeline(root, name="pipeline.yaml", source_options=None, sink_options=None,
                   trigger=None, table="test.bronze.events", sink_path=None, source_path="./landing/",
                   source_extra=None, sink_extra=None, file_format="json"):
    """A pipeline in `root` with relative paths (they resolve against `root`)."""
    options = {
        "cloudFiles.format": file_format,
        "cloudFiles.schemaLocation": "./checkpoints/schema",
        "cloudFiles.inferColumnTypes": True,
    }
    options.update(source_options or {})
    sink = {"format": "delta", "trigger": trigger or {"availableNow": True},
            "options": {"checkpointLocation": "./checkpoints/stream", "mergeSchema": True}}
    sink["options"].update(sink_options or {})
    if sink_path is not None:
        sink["path"] = sink_path
    else:
        sink["table"] = table
    sink.update(sink_extra or {})
    source = {"format": "cloudFiles", "path": source_path, "options": options}
    source.update(source_extra or {})
    pipeline = {"warehouse": "./warehouse", "source": source, "sink": sink}
    path = Path(root) / name
    path.write_text(yaml.safe_dump(pipeline, sort_keys=False))
    return path


def table_dir(root, table="test.bronze.events"):
    return Path(root, "warehouse", *table.split("."))


# ------------------------------------------------------------------------- running

class Run:
    def __init__(self, completed):
        self.returncode = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr

    def progress(self):
        return parse_progress(self.stderr)

    def __repr__(self):
        return f"exit {self.returncode}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr[-6000:]}"


def run(tributary_bin, *args, cwd=None, timeout=RUN_TIMEOUT):
    completed = subprocess.run([tributary_bin, *map(str, args)], cwd=cwd, capture_output=True, text=True,
                               timeout=timeout, errors="replace")
    return Run(completed)


def start(tributary_bin, *args, cwd=None):
    """Starts the binary in the background; its output goes to files (a pipe nobody
    reads would fill up and block a long-running query)."""
    import tempfile
    stdout = tempfile.TemporaryFile()
    stderr = tempfile.TemporaryFile()
    process = subprocess.Popen([tributary_bin, *map(str, args)], cwd=cwd, stdout=stdout, stderr=stderr)
    process.output_files = (stdout, stderr)
    return process


def parse_progress(stderr):
    """The QueryProgress JSON objects logged as 'progress {...}' lines."""
    records = []
    for line in stderr.splitlines():
        marker = line.find("progress {")
        if marker >= 0:
            records.append(json.loads(line[marker + len("progress "):]))
    return records


def wait_until(condition, timeout, what, interval=0.1):
    """Polls `condition` until it returns a truthy value or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception as error:  # the table may not exist yet
            last_error = error
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last error: {last_error})")


def stop(process, sig=signal.SIGTERM, timeout=60):
    """Sends `sig` and waits; returns (exit code, stdout, stderr)."""
    process.send_signal(sig)
    process.wait(timeout=timeout)
    texts = []
    for output in process.output_files:
        output.seek(0)
        texts.append(output.read().decode(errors="replace"))
        output.close()
    return process.returncode, texts[0], texts[1]


# ------------------------------------------------------------------------- readers

def read_deltars(path):
    from deltalake import DeltaTable
    return DeltaTable(str(path)).to_pyarrow_table()


_DUCKDB_DELTA = None


def duckdb_delta_extension():
    """The delta extension shipped by the duckdb-extension-delta wheel (no download)."""
    global _DUCKDB_DELTA
    if _DUCKDB_DELTA is None:
        import duckdb_extension_delta
        base = os.path.dirname(duckdb_extension_delta.__file__)
        found = glob.glob(os.path.join(base, "extensions", "*", "delta.duckdb_extension"))
        assert found, f"no delta.duckdb_extension under {base}"
        _DUCKDB_DELTA = found[0]
    return _DUCKDB_DELTA


def read_duckdb(path):
    import duckdb
    connection = duckdb.connect()
    connection.execute(f"LOAD '{duckdb_delta_extension()}'")
    return connection.execute("SELECT * FROM delta_scan(?)", [str(path)]).to_arrow_table()


def read_parquet_files(path):
    """Every live data file of the table read on its own with pyarrow (partition values
    from the add actions are not added back)."""
    from deltalake import DeltaTable
    tables = [pq.read_table(uri.removeprefix("file://")) for uri in DeltaTable(str(path)).file_uris()]
    if not tables:
        return pa.table({})
    return pa.concat_tables(tables, promote_options="default")


READERS = {"delta-rs": read_deltars, "duckdb": read_duckdb, "pyarrow-files": read_parquet_files}


def rows_of(table):
    return table.to_pylist()


def ids_by_reader(path, key="id"):
    """{reader: sorted list of `key` values} for the three readers."""
    return {name: sorted(row[key] for row in rows_of(reader(path))) for name, reader in READERS.items()}


def assert_exactly_once(path, expected_ids, key="id"):
    expected = sorted(expected_ids)
    for name, ids in ids_by_reader(path, key).items():
        duplicates = len(ids) - len(set(ids))
        assert duplicates == 0, f"{name}: {duplicates} duplicate {key}s in {path}"
        missing = sorted(set(expected) - set(ids))
        extra = sorted(set(ids) - set(expected))
        assert not missing and not extra, f"{name}: missing {missing[:20]} extra {extra[:20]}"


def delta_version(path):
    from deltalake import DeltaTable
    return DeltaTable(str(path)).version()


def normalize(value, arrow_type):
    """An input JSON value as a reader returns it for a column of `arrow_type`
    (missing struct fields become None, integers in double columns become floats)."""
    if value is None:
        return None
    if pa.types.is_struct(arrow_type):
        return {arrow_type.field(i).name: normalize(value.get(arrow_type.field(i).name), arrow_type.field(i).type)
                for i in range(arrow_type.num_fields)}
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return [normalize(v, arrow_type.value_type) for v in value]
    if pa.types.is_floating(arrow_type):
        return float(value)
    return value


def assert_rows_equal(table, records, key="id", ignore=("_rescued_data",)):
    """Each input record equals its row, field by field, under the table's types."""
    schema = table.schema
    rows = {row[key]: row for row in table.to_pylist()}
    assert len(rows) == table.num_rows, "duplicate keys"
    assert len(rows) == len(records), f"{len(rows)} rows for {len(records)} records"
    for record in records:
        row = rows[record[key]]
        for field in schema:
            if field.name in ignore:
                continue
            expected = normalize(record.get(field.name), field.type)
            assert row[field.name] == expected, (
                f"{key}={record[key]} column {field.name}: {row[field.name]!r} != {expected!r}")


# ------------------------------------------------------------------- kafka / silver

ORDER_SCHEMA = "order_id STRING, status STRING, amount DOUBLE, updated_at TIMESTAMP"
ORDER_COLUMNS = ("order_id", "status", "amount", "updated_at")
ORDER_STATUSES = ("NEW", "PAID", "PACKED", "SHIPPED", "DELIVERED", "RETURNED")
EPOCH_MS = 1_735_689_600_000  # 2025-01-01T00:00:00Z


def unique_topic(prefix="orders"):
    import uuid
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def iso_ms(epoch_ms):
    """A timestamp as the producer writes it: 2025-01-01T00:00:01.250Z."""
    import datetime
    moment = datetime.datetime.fromtimestamp(epoch_ms / 1000, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{epoch_ms % 1000:03d}Z"


def partition_of(key, partitions):
    """The partition a key is produced to: one partition per key, always the same."""
    import zlib
    return zlib.crc32(key.encode()) % partitions


class Orders:
    """Order events for a topic: inserts and updates of a key space, with strictly
    increasing updated_at per key, and the expected latest state of every key (what a
    MERGE by order_id with latestBy updated_at must leave in the table)."""

    def __init__(self, partitions=3, seed=0):
        import random
        self.partitions = partitions
        self.rng = random.Random(seed)
        self.clock_ms = EPOCH_MS  # one clock for every key: strictly increasing per key
        self.latest = {}  # order_id -> order dict, the newest produced
        self.versions = {}  # order_id -> number of events produced for it

    def event(self, order_id):
        self.clock_ms += self.rng.randint(1, 5000)
        version = self.versions.get(order_id, 0)
        order = {
            "order_id": order_id,
            "status": ORDER_STATUSES[version % len(ORDER_STATUSES)],
            "amount": round(self.rng.uniform(1, 1000) + 1000 * version, 2),  # differs from every earlier one
            "updated_at": iso_ms(self.clock_ms),
        }
        self.versions[order_id] = version + 1
        self.latest[order_id] = order
        return order

    def record(self, order):
        """(key, value, headers, partition) for KafkaBroker.produce / produce_records."""
        return (order["order_id"], json.dumps(order), None, partition_of(order["order_id"], self.partitions))

    def malformed(self, key, text):
        """A value that is not an order (the state of `key` must not change)."""
        return (key, text, None, partition_of(key, self.partitions))

    def expected_rows(self):
        """{order_id: (status, amount, updated_at as epoch microseconds)}."""
        return {k: (o["status"], float(o["amount"]), iso_to_micros(o["updated_at"])) for k, o in self.latest.items()}


def iso_to_micros(text):
    import datetime
    moment = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
    return int(round(moment.timestamp() * 1000)) * 1000


def to_micros(value):
    """A timestamp as a reader returns it (aware or naive UTC datetime) in epoch µs."""
    import datetime
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    delta = value - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def order_state(table):
    """{order_id: (status, amount, updated_at µs)} of a table read by any reader; fails on
    duplicate keys."""
    state = {}
    for row in table.to_pylist():
        key = row["order_id"]
        assert key not in state, f"duplicate order_id {key!r}"
        state[key] = (row["status"], row["amount"], to_micros(row["updated_at"]))
    return state


def assert_order_state(path, expected, readers=("delta-rs", "duckdb", "pyarrow-files")):
    """Each reader sees exactly the expected latest state of every key."""
    for name in readers:
        table = READERS[name](path)
        assert table.num_rows == len(expected), f"{name}: {table.num_rows} rows, expected {len(expected)}"
        state = order_state(table)
        missing = sorted(set(expected) - set(state))
        extra = sorted(set(state) - set(expected))
        assert not missing and not extra, f"{name}: missing keys {missing[:10]}, unexpected keys {extra[:10]}"
        wrong = {k: (state[k], expected[k]) for k in expected if state[k] != expected[k]}
        assert not wrong, f"{name}: {len(wrong)} keys differ (got, expected): {list(wrong.items())[:5]}"


def produce_records(bootstrap, topic, records, timeout=30):
    """Produces (key, value, headers, partition) tuples with an idempotent producer and
    returns their (partition, offset) in input order."""
    from confluent_kafka import Producer
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5, "enable.idempotence": True})
    positions = [None] * len(records)
    errors = []

    def on_delivery(index):
        def callback(error, message):
            if error is not None:
                errors.append(error)
            else:
                positions[index] = (message.partition(), message.offset())
        return callback

    for index, (key, value, headers, partition) in enumerate(records):
        kwargs = {"key": key, "value": value, "on_delivery": on_delivery(index)}
        if headers:
            kwargs["headers"] = headers
        if partition is not None:
            kwargs["partition"] = partition
        producer.produce(topic, **kwargs)
        producer.poll(0)
    remaining = producer.flush(timeout)
    if remaining or errors or None in positions:
        raise RuntimeError(f"producing to {topic}: {remaining} not delivered, errors {errors[:3]}")
    return positions


def end_offsets(bootstrap, topic, partitions):
    """{partition: high watermark} of `topic`."""
    import uuid
    from confluent_kafka import Consumer, TopicPartition
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "e2e-watermarks-" + uuid.uuid4().hex})
    try:
        return {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in range(partitions)}
    finally:
        consumer.close()


def group_offsets(bootstrap, group, topic, partitions):
    """{partition: committed offset} of a consumer group (negative: none committed)."""
    from confluent_kafka import ConsumerGroupTopicPartitions, TopicPartition
    from confluent_kafka.admin import AdminClient
    admin = AdminClient({"bootstrap.servers": bootstrap})
    request = ConsumerGroupTopicPartitions(group, [TopicPartition(topic, p) for p in range(partitions)])
    result = admin.list_consumer_group_offsets([request])[group].result(timeout=30)
    return {tp.partition: tp.offset for tp in result.topic_partitions}


def silver_transform(schema=ORDER_SCHEMA, from_json_options=None, where="order_id IS NOT NULL",
                     extra_columns=("timestamp AS kafka_ts",)):
    """The silver pipeline's transform steps: from_json over the value, the struct's
    fields (and `extra_columns` of the Kafka row) as columns, malformed values dropped."""
    options = ""
    if from_json_options:
        options = ", map(" + ", ".join(f"'{k}', '{v}'" for k, v in from_json_options.items()) + ")"
    steps = [
        {"select": [f"from_json(CAST(value AS STRING), '{schema}'{options}) AS data", *extra_columns]},
        {"select": ["data.*", *(c.split(" AS ")[-1] for c in extra_columns)]},
    ]
    if where:
        steps.append({"where": where})
    return steps


def merge_sink(table="prod.silver.orders", trigger=None, options=None, checkpoint="./checkpoints/silver/orders"):
    """The silver pipeline's sink: upsert by order_id, the latest row per key of a batch."""
    sink_options = {"checkpointLocation": checkpoint}
    sink_options.update(options or {})
    return {
        "merge": {
            "into": table,
            "on": "t.order_id = s.order_id",
            "latestBy": "updated_at",
            "whenMatched": [{"update": "*"}],
            "whenNotMatched": [{"insert": "*"}],
        },
        "options": sink_options,
        "trigger": trigger or {"availableNow": True},
    }


def write_kafka_pipeline(root, bootstrap, topic, transform, sink, source_options=None, name="pipeline.yaml"):
    """A pipeline reading `topic` from the earliest offset, with the given transform
    steps and sink; relative paths resolve against `root`."""
    options = {"kafka.bootstrap.servers": bootstrap, "subscribe": topic, "startingOffsets": "earliest"}
    options.update(source_options or {})
    pipeline = {"warehouse": "./warehouse", "source": {"format": "kafka", "options": options}}
    if transform:
        pipeline["transform"] = transform
    pipeline["sink"] = sink
    path = Path(root) / name
    path.write_text(yaml.safe_dump(pipeline, sort_keys=False))
    return path


def query_id(checkpoint):
    return json.loads((Path(checkpoint) / "metadata").read_text())["id"]


def checkpoint_batches(checkpoint, directory="offsets"):
    """Sorted batch ids that have a file in <checkpoint>/<directory>."""
    folder = Path(checkpoint) / directory
    if not folder.is_dir():
        return []
    return sorted(int(p.name) for p in folder.iterdir() if p.name.isdigit())


def checkpoint_offsets(checkpoint, batch_id):
    """The source offsets recorded for a batch: {topic: {partition (int): offset}}."""
    lines = (Path(checkpoint) / "offsets" / str(batch_id)).read_text().splitlines()
    assert lines[0] == "v1", f"offsets/{batch_id} starts with {lines[0]!r}"
    return {topic: {int(p): o for p, o in parts.items()} for topic, parts in json.loads(lines[2]).items()}


def delta_commits(path):
    """[(version, [action dicts])] of a table's JSON commits, in version order."""
    commits = []
    for file in sorted(Path(path, "_delta_log").glob("*.json")):
        actions = [json.loads(line) for line in file.read_text().splitlines() if line.strip()]
        commits.append((int(file.stem), actions))
    return commits


def txn_versions(path, app_id):
    """[(table version, operation, [txn versions for app_id])] per commit."""
    out = []
    for version, actions in delta_commits(path):
        operation = next((a["commitInfo"].get("operation") for a in actions if "commitInfo" in a), None)
        txns = [a["txn"]["version"] for a in actions if "txn" in a and a["txn"]["appId"] == app_id]
        out.append((version, operation, txns))
    return out


def start_logged(tributary_bin, pipeline, log_path):
    """Starts `tributary run pipeline` with its output in `log_path`; returns the process."""
    log = open(log_path, "wb")
    process = subprocess.Popen([tributary_bin, "run", str(pipeline)], stdout=log, stderr=subprocess.STDOUT)
    log.close()
    return process


def has_commits(table):
    # A kill between creating _delta_log/ and writing its first commit leaves a folder
    # that is not a table yet; readers rightly refuse it.
    return any((Path(table) / "_delta_log").glob("*.json"))


def committed_version(table):
    """The table's latest version, -1 when nothing is committed yet."""
    return delta_version(table) if has_commits(table) else -1
