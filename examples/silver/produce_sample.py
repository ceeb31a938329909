#!/usr/bin/env python3
"""Produces sample order events for examples/silver/pipeline.yaml: inserts of 120 orders,
then updates of the same orders (strictly increasing updated_at per order), keyed by
order_id (so an order stays in one partition), and a few malformed values that the
pipeline drops. Deterministic (fixed seed).

    produce_sample.py <bootstrap servers> [topic (orders_topic)] [seed (42)]

Prints the number of events, malformed values and distinct orders."""
import datetime
import json
import random
import sys

from confluent_kafka import Producer

STATUSES = ["NEW", "PAID", "PACKED", "SHIPPED", "DELIVERED"]
MALFORMED = ['{"order_id": "o-0007", "status": "PAID"', "not json", "[1, 2, 3]", '{"order_id": o-0011}']


def sample_events(seed=42):
    """[(key, value text)] in production order."""
    rng = random.Random(seed)
    clock = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
    versions = {}
    events = []
    orders = [f"o-{i:04d}" for i in range(120)]
    for order_id in orders + [rng.choice(orders) for _ in range(200)]:
        clock += datetime.timedelta(milliseconds=rng.randint(1, 60000))
        version = versions.get(order_id, 0)
        versions[order_id] = version + 1
        events.append((order_id, json.dumps({
            "order_id": order_id,
            "status": STATUSES[min(version, len(STATUSES) - 1)],
            "amount": round(rng.uniform(5, 500), 2),
            "updated_at": clock.strftime("%Y-%m-%dT%H:%M:%S.") + f"{clock.microsecond // 1000:03d}Z",
        })))
    for index, text in enumerate(MALFORMED):
        events.insert(50 + 60 * index, (f"bad-{index}", text))
    return events


def main():
    bootstrap = sys.argv[1]
    topic = sys.argv[2] if len(sys.argv) > 2 else "orders_topic"
    events = sample_events(int(sys.argv[3]) if len(sys.argv) > 3 else 42)
    orders = {key for key, _ in events if not key.startswith("bad-")}

    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "linger.ms": 5})
    errors = []
    for key, value in events:
        producer.produce(topic, key=key, value=value,
                         on_delivery=lambda error, _m: errors.append(error) if error else None)
        producer.poll(0)
    if producer.flush(30) or errors:
        sys.exit(f"produce_sample.py: not every event was delivered: {errors[:3]}")
    print(f"produced {len(events)} events to {topic}: {len(events) - len(MALFORMED)} order events for "
          f"{len(orders)} orders, {len(MALFORMED)} malformed values")


if __name__ == "__main__":
    main()
