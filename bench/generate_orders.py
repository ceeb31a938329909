#!/usr/bin/env python3
"""Deterministic order data for the silver benchmark (bench/run_silver_bench.py).

    generate_orders.py produce --bootstrap 127.0.0.1:9092 --topic orders --messages 2000000
        JSON order messages into a Kafka topic (created with --partitions, default 3);
        prints one JSON line: messages, value bytes, sum of amount, seconds.
    generate_orders.py target --table /tmp/t --rows 10000000 --files 40 --layout random|sorted
        the MERGE target: a Delta table written by deltalake.write_deltalake, --files
        appends of one file each (rows/files rows per file).
    generate_orders.py source --output /tmp/s.parquet --target-rows 10000000 --rows 100000 --matched 1000
        the MERGE source batch as one Parquet file (pyarrow).

Every value is a function of an integer id, so the same arguments give the same data:
  order_id    "o" + the id zero-padded to 11 digits (sorts as the id does)
  customer_id id * 7919 mod 1,000,003
  status      one of 5 names, by id mod 5
  amount      (id * 37 mod 100,000) / 100  (0.00 .. 999.99; the source adds 0.5 to it, so
              an updated row's amount differs from the target's)
  updated_at  2026-01-01T00:00:00Z + id seconds (the source: + 1 day)

Target layouts. Rows are written in files of rows/files consecutive row numbers r; the id
of row r is r ('sorted': file f holds one contiguous key range, so its min/max statistics
let a MERGE skip it) or r * 2,654,435,761 mod rows ('random': a bijection on 0..rows-1
when rows is coprime with that prime, which spreads every file's keys over the whole key
range, so every file's min/max spans almost everything and no file can be skipped).

The source batch: --matched ids drawn (seeded) from the newest 5% of the target's ids
(updates hit recent orders, as they do in practice), then rows - matched new ids above
the target's (rows, rows + 1, ...) in a seeded shuffled order.
"""

import argparse
import json
import os
import random
import sys
import time

import pyarrow as pa
import pyarrow.compute as pc

STATUSES = ["created", "paid", "shipped", "delivered", "cancelled"]
EPOCH_US = 1767225600 * 1_000_000  # 2026-01-01T00:00:00Z
MULTIPLIER = 2_654_435_761  # a prime: ids * MULTIPLIER mod rows is a bijection unless it divides rows
SCHEMA = pa.schema([("order_id", pa.string()), ("customer_id", pa.int64()), ("status", pa.string()),
                    ("amount", pa.float64()), ("updated_at", pa.timestamp("us", tz="UTC"))])
JSON_SCHEMA_DDL = "order_id STRING, customer_id BIGINT, status STRING, amount DOUBLE, updated_at TIMESTAMP"


def amount_cents(i):
    return (i * 37) % 100_000


def orders_table(ids, source=False):
    """The five columns for an int64 array of ids."""
    ids = ids.cast(pa.int64())
    order_id = pc.binary_join_element_wise("o", pc.utf8_lpad(ids.cast(pa.string()), 11, "0"), "")
    customer = pc.modulo(pc.multiply(ids, 7919), 1_000_003)
    status = pc.take(pa.array(STATUSES), pc.modulo(ids, len(STATUSES)))
    amount = pc.divide(pc.modulo(pc.multiply(ids, 37), 100_000).cast(pa.float64()), 100.0)
    seconds = pc.add(ids, 86_400) if source else ids
    updated = pc.add(pc.multiply(seconds, 1_000_000), EPOCH_US).cast(pa.timestamp("us", tz="UTC"))
    if source:
        amount = pc.add(amount, 0.5)
    return pa.Table.from_arrays([order_id, customer, status, amount, updated], schema=SCHEMA)


def cmd_target(args):
    from deltalake import write_deltalake
    if args.layout == "random" and args.rows % MULTIPLIER == 0:
        sys.exit("rows must not be a multiple of the multiplier")
    per_file = -(-args.rows // args.files)

    started = time.monotonic()
    # One write_deltalake per chunk (so --files commits, versions 0 .. files-1), each chunk
    # one file: a single write of everything would let delta-rs's parallel writers cut
    # files of interleaved chunks, and the sorted layout's files would overlap.
    for index, start in enumerate(range(0, args.rows, per_file)):
        rows = pa.array(range(start, min(start + per_file, args.rows)), type=pa.int64())
        ids = rows if args.layout == "sorted" else pc.modulo(pc.multiply(rows, MULTIPLIER), args.rows)
        write_deltalake(args.table, orders_table(ids), mode="error" if index == 0 else "append",
                        target_file_size=1 << 40)
    from deltalake import DeltaTable
    table = DeltaTable(args.table)
    files = table.file_uris()
    size = sum(os.path.getsize(u.removeprefix("file://")) for u in files)
    print(json.dumps({"rows": args.rows, "files": len(files), "bytes": size, "layout": args.layout,
                      "sum_amount_cents": sum(amount_cents(i) for i in range(args.rows)),
                      "seconds": round(time.monotonic() - started, 2)}))


def source_ids(target_rows, rows, matched, seed):
    rng = random.Random(seed)
    newest = max(matched, target_rows // 20)
    matched_ids = rng.sample(range(target_rows - newest, target_rows), matched)
    new_ids = list(range(target_rows, target_rows + rows - matched))
    ids = matched_ids + new_ids
    rng.shuffle(ids)
    return ids, matched_ids


def cmd_source(args):
    import pyarrow.parquet as pq
    ids, matched_ids = source_ids(args.target_rows, args.rows, args.matched, args.seed)
    table = orders_table(pa.array(ids, type=pa.int64()), source=True)
    pq.write_table(table, args.output)
    # Expected result of an upsert: every target row stays (the matched ones with the
    # source's amount), every new id is inserted.
    target_sum = sum(amount_cents(i) for i in range(args.target_rows))
    expected_cents = (target_sum - sum(amount_cents(i) for i in matched_ids)
                      + sum(amount_cents(i) + 50 for i in ids))
    print(json.dumps({"rows": args.rows, "matched": args.matched, "output": args.output,
                      "expected_rows_after": args.target_rows + args.rows - args.matched,
                      "expected_sum_amount_cents_after": expected_cents}))


def order_json(i):
    """One Kafka message value: the five columns plus two fields the schema leaves out."""
    cents = amount_cents(i)
    day, second = divmod(i % (28 * 86_400), 86_400)
    return ('{"order_id":"o%011d","customer_id":%d,"status":"%s","amount":%d.%02d,'
            '"updated_at":"2026-02-%02dT%02d:%02d:%02d.%03dZ","channel":"web","items":%d}'
            % (i, (i * 7919) % 1_000_003, STATUSES[i % 5], cents // 100, cents % 100,
               1 + day, second // 3600, second // 60 % 60, second % 60, i % 1000, 1 + i % 7))


def cmd_produce(args):
    from confluent_kafka import Producer
    from confluent_kafka.admin import AdminClient, NewTopic
    admin = AdminClient({"bootstrap.servers": args.bootstrap})
    futures = admin.create_topics([NewTopic(args.topic, num_partitions=args.partitions, replication_factor=1)])
    futures[args.topic].result(timeout=60)
    time.sleep(1)
    producer = Producer({"bootstrap.servers": args.bootstrap, "linger.ms": 50, "batch.size": 1_000_000,
                         "queue.buffering.max.messages": 1_000_000, "queue.buffering.max.kbytes": 1_048_576,
                         "compression.type": args.compression, "acks": 1})
    errors = []

    def on_delivery(error, _message):
        if error is not None:
            errors.append(error)

    started = time.monotonic()
    total_bytes = 0
    sum_cents = 0
    for i in range(args.messages):
        value = order_json(i).encode()
        total_bytes += len(value)
        sum_cents += amount_cents(i)
        while True:
            try:
                producer.produce(args.topic, value=value, key=b"%d" % (i % 1000), on_delivery=on_delivery)
                break
            except BufferError:
                producer.poll(0.05)
        if i % 10000 == 0:
            producer.poll(0)
    remaining = producer.flush(120)
    if remaining or errors:
        sys.exit(f"producing: {remaining} not delivered, errors {errors[:3]}")
    print(json.dumps({"messages": args.messages, "value_bytes": total_bytes, "sum_amount_cents": sum_cents,
                      "partitions": args.partitions, "seconds": round(time.monotonic() - started, 2)}))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("produce")
    p.add_argument("--bootstrap", required=True)
    p.add_argument("--topic", default="orders")
    p.add_argument("--messages", type=int, default=2_000_000)
    p.add_argument("--partitions", type=int, default=3)
    p.add_argument("--compression", default="lz4")
    p = sub.add_parser("target")
    p.add_argument("--table", required=True)
    p.add_argument("--rows", type=int, default=10_000_000)
    p.add_argument("--files", type=int, default=40)
    p.add_argument("--layout", choices=["random", "sorted"], default="random")
    p = sub.add_parser("source")
    p.add_argument("--output", required=True)
    p.add_argument("--target-rows", type=int, default=10_000_000)
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--matched", type=int, default=1_000)
    p.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    {"produce": cmd_produce, "target": cmd_target, "source": cmd_source}[args.command](args)


if __name__ == "__main__":
    main()
