#!/usr/bin/env python3
"""The silver Kafka benchmark's delta-rs side (bench/run_silver_bench.py runs it): what a
Python user writes without Spark to land a Kafka topic's JSON values in a Delta table.

confluent_kafka (librdkafka) is assigned every partition of the topic from its first
offset up to the end offsets read at start (what availableNow does), consumes in calls
of up to 10,000 messages, and every --batch-messages messages (the same as Tributary's
maxOffsetsPerTrigger) joins the values with newlines, parses them with pyarrow.json
under the explicit schema (what from_json with a schema does; extra JSON fields are
ignored) and appends the batch with deltalake.write_deltalake (one commit per batch).
No checkpoint is kept besides the table: this peer is not exactly-once, Tributary is.
Prints one JSON line: messages, batches, seconds.
"""

import argparse
import io
import json
import time

started = time.monotonic()
import pyarrow as pa  # noqa: E402
import pyarrow.json as pajson  # noqa: E402
from confluent_kafka import Consumer, TopicPartition  # noqa: E402
from deltalake import write_deltalake  # noqa: E402

SCHEMA = pa.schema([("order_id", pa.string()), ("customer_id", pa.int64()), ("status", pa.string()),
                    ("amount", pa.float64()), ("updated_at", pa.timestamp("us", tz="UTC"))])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--table", required=True)
    parser.add_argument("--batch-messages", type=int, default=500_000)
    args = parser.parse_args()

    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": f"deltars-bench-{time.time_ns()}",
                         "enable.auto.commit": False, "fetch.max.bytes": 52_428_800,
                         "max.partition.fetch.bytes": 10_485_760, "queued.max.messages.kbytes": 262_144})
    partitions = consumer.list_topics(args.topic, timeout=30).topics[args.topic].partitions
    ends = {}
    assignment = []
    for p in partitions:
        low, high = consumer.get_watermark_offsets(TopicPartition(args.topic, p), timeout=30)
        if high > low:
            ends[p] = high
            assignment.append(TopicPartition(args.topic, p, low))
    consumer.assign(assignment)
    options = pajson.ParseOptions(explicit_schema=SCHEMA, unexpected_field_behavior="ignore")

    pending = []
    total = 0
    batches = 0

    def flush():
        nonlocal pending, batches
        if not pending:
            return
        table = pajson.read_json(io.BytesIO(b"\n".join(pending)), parse_options=options)
        write_deltalake(args.table, table, mode="append")
        batches += 1
        pending = []

    while ends:
        for message in consumer.consume(num_messages=10_000, timeout=1.0):
            if message.error():
                raise RuntimeError(str(message.error()))
            partition = message.partition()
            if partition not in ends or message.offset() >= ends[partition]:
                continue
            pending.append(message.value())
            total += 1
            if message.offset() + 1 >= ends[partition]:
                del ends[partition]
            if len(pending) >= args.batch_messages:
                flush()
    flush()
    consumer.close()
    print(json.dumps({"messages": total, "batches": batches,
                      "seconds": round(time.monotonic() - started, 3)}))


if __name__ == "__main__":
    main()
