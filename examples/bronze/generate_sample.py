#!/usr/bin/env python3
"""Writes the bundled sample data of the bronze examples (deterministic).

sample/events/<day>/events-<n>.json[.gz]: newline-delimited JSON events with nested
fields (user, device, an items array), some files gzip-compressed.
sample/orders/orders-<n>.csv: CSV with a header line.

Run it again to regenerate the same bytes: python3 examples/bronze/generate_sample.py
"""
import csv
import gzip
import io
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
EVENT_TYPES = ["page_view", "add_to_cart", "purchase", "search", "signup"]
COUNTRIES = ["DE", "FR", "US", "BR", "JP", "IN", "NG", "SE"]
PAGES = ["/", "/pricing", "/docs", "/blog/delta-lake", "/cart", "/checkout"]
SKUS = ["SKU-1001", "SKU-1002", "SKU-2040", "SKU-3300", "SKU-4711"]


def make_event(rng, number, day):
    event_type = rng.choice(EVENT_TYPES)
    event = {
        "event_id": f"evt-{number:06d}",
        "event_type": event_type,
        "ts": f"2026-11-{day:02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:"
              f"{rng.randrange(60):02d}.{rng.randrange(1000):03d}Z",
        "user": {
            "id": rng.randrange(1, 5000),
            "country": rng.choice(COUNTRIES),
            "is_premium": rng.random() < 0.2,
        },
        "device": {"os": rng.choice(["ios", "android", "linux", "windows", "macos"]),
                   "app_version": f"{rng.randrange(1, 4)}.{rng.randrange(10)}.{rng.randrange(20)}"},
        "page": rng.choice(PAGES),
        "duration_ms": rng.randrange(20, 20000),
    }
    if event_type in ("add_to_cart", "purchase"):
        items = []
        for _ in range(rng.randrange(1, 4)):
            items.append({"sku": rng.choice(SKUS), "qty": rng.randrange(1, 5),
                          "price": round(rng.uniform(2, 250), 2)})
        event["items"] = items
        event["amount"] = round(sum(i["qty"] * i["price"] for i in items), 2)
    if event_type == "search":
        event["query"] = rng.choice(["delta lake", "auto loader", "exactly once", "parquet", "kafka"])
    if rng.random() < 0.05:
        event["referrer"] = None
    return event


def write_events(rng):
    number = 0
    for file_index in range(8):
        day = 1 + file_index // 3
        folder = os.path.join(HERE, "sample", "events", f"2026-11-{day:02d}")
        os.makedirs(folder, exist_ok=True)
        lines = []
        for _ in range(40 + rng.randrange(20)):
            number += 1
            lines.append(json.dumps(make_event(rng, number, day), separators=(",", ":")))
        data = ("\n".join(lines) + "\n").encode("utf-8")
        name = f"events-{file_index:04d}.json"
        if file_index % 3 == 2:
            # mtime=0 keeps the bytes identical from run to run.
            with open(os.path.join(folder, name + ".gz"), "wb") as raw:
                with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
                    out.write(data)
        else:
            with open(os.path.join(folder, name), "wb") as out:
                out.write(data)
    return number


def write_orders(rng):
    folder = os.path.join(HERE, "sample", "orders")
    os.makedirs(folder, exist_ok=True)
    order = 0
    for file_index in range(3):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["order_id", "customer", "status", "amount", "currency", "ordered_at", "note"])
        for _ in range(30):
            order += 1
            note = rng.choice(["", "gift wrap", "leave at door, ring twice", 'said "fragile"'])
            writer.writerow([f"ord-{order:05d}", f"cust-{rng.randrange(1, 300):04d}",
                             rng.choice(["new", "paid", "shipped", "cancelled"]),
                             f"{rng.uniform(5, 900):.2f}", rng.choice(["EUR", "USD"]),
                             f"2026-11-{1 + file_index:02d} {rng.randrange(24):02d}:{rng.randrange(60):02d}:00",
                             note])
        with open(os.path.join(folder, f"orders-{file_index:04d}.csv"), "w", encoding="utf-8") as out:
            out.write(buffer.getvalue())
    return order


if __name__ == "__main__":
    rng = random.Random(20261101)
    events = write_events(rng)
    orders = write_orders(rng)
    print(f"wrote {events} events and {orders} orders under {os.path.join(HERE, 'sample')}")
