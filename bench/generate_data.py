#!/usr/bin/env python3
"""Deterministic input for the end-to-end benchmark: files of realistic click-stream events.

JSON Lines events carry what bronze tables see in practice: string ids, an ISO-8601
timestamp kept as a string, integers, doubles, booleans, a nested struct (device, geo with
a nested point), an array of strings, an array of structs (cart items) and some nulls
(optional fields are null or absent). The CSV variant holds the same events flattened to
scalar columns (CSV has no nesting), with quoted values containing commas and quotes.

The same seed, file count and row count give byte-identical files, so runs on different
days and machines read the same input.

    python3 bench/generate_data.py --out /tmp/bench-data             # 200 files x 10,000 rows
    python3 bench/generate_data.py --out /tmp/bench-data --small     # 8 files x 2,000 rows

Writes <out>/json/part-NNNNN.json, <out>/csv/part-NNNNN.csv and <out>/manifest.json
(rows, files and bytes per format), which run_bench.py reads.
"""

import argparse
import csv
import io
import json
import os
import random
import sys
from datetime import datetime, timedelta, timezone

EVENT_TYPES = ["page_view", "click", "add_to_cart", "remove_from_cart", "checkout", "purchase", "search"]
EVENT_WEIGHTS = [40, 25, 10, 3, 6, 4, 12]
OSES = [("android", ["12", "13", "14", "15"]), ("ios", ["16.4", "17.2", "18.0"]),
        ("windows", ["10", "11"]), ("macos", ["14.5", "15.1"]), ("linux", ["6.1", "6.8"])]
BROWSERS = ["chrome", "safari", "firefox", "edge", None]
CITIES = [("DE", "Berlin", 52.52, 13.405), ("FR", "Paris", 48.8566, 2.3522), ("US", "New York", 40.7128, -74.006),
          ("US", "San Francisco", 37.7749, -122.4194), ("JP", "Tokyo", 35.6762, 139.6503),
          ("BR", "São Paulo", -23.5505, -46.6333), ("IN", "Bengaluru", 12.9716, 77.5946),
          ("GB", "London", 51.5072, -0.1276), ("NG", "Lagos", 6.5244, 3.3792), ("AU", "Sydney", -33.8688, 151.2093)]
TAGS = ["new_user", "returning", "promo", "mobile_web", "app", "ab_test_a", "ab_test_b", "newsletter", "vip"]
REFERRERS = ["https://www.google.com/", "https://news.ycombinator.com/", "https://t.co/abc", None, None, None]
NOTES = ["", "gift wrap", "leave at door, ring twice", 'said "fragile"', "call before delivery", ""]
CSV_COLUMNS = ["event_id", "user_id", "session_id", "event_type", "event_time", "amount", "is_mobile",
               "device_os", "device_os_version", "browser", "country", "city", "lat", "lon",
               "item_count", "referrer", "note"]
START = datetime(2026, 11, 1, tzinfo=timezone.utc)


def make_event(rng, index):
    """One event as a dict; `index` is global across files so ids are unique."""
    event_type = rng.choices(EVENT_TYPES, EVENT_WEIGHTS)[0]
    when = START + timedelta(milliseconds=index * 37 + rng.randrange(1000))
    os_name, versions = rng.choice(OSES)
    country, city, lat, lon = rng.choice(CITIES)
    is_mobile = os_name in ("android", "ios")
    items = []
    if event_type in ("add_to_cart", "checkout", "purchase"):
        for _ in range(rng.randint(1, 4)):
            items.append({"sku": f"SKU-{rng.randrange(100000):05d}", "qty": rng.randint(1, 5),
                          "price": round(rng.uniform(1.0, 500.0), 2)})
    event = {
        "event_id": f"evt-{index:012d}",
        "user_id": rng.randrange(1, 5_000_000),
        "session_id": f"{rng.getrandbits(64):016x}",
        "event_type": event_type,
        "event_time": when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z",
        "amount": round(sum(i["qty"] * i["price"] for i in items), 2) if items else None,
        "is_mobile": is_mobile,
        "device": {"os": os_name, "os_version": rng.choice(versions), "browser": rng.choice(BROWSERS),
                   "screen": {"width": rng.choice([390, 412, 1280, 1440, 1920]),
                              "height": rng.choice([844, 915, 800, 900, 1080])}},
        "geo": {"country": country, "city": city,
                "point": {"lat": round(lat + rng.uniform(-0.1, 0.1), 6), "lon": round(lon + rng.uniform(-0.1, 0.1), 6)}},
        "tags": rng.sample(TAGS, rng.randint(0, 3)),
        "items": items,
        "referrer": rng.choice(REFERRERS),
    }
    if event_type == "search":
        event["query"] = rng.choice(["running shoes", "usb-c cable", "coffee", "rain jacket", "\"quoted\" term"])
    if rng.random() < 0.02:
        event["note"] = rng.choice(NOTES[1:])  # a rare field, absent from most records
    return event


def csv_row(event):
    items = event["items"]
    return [event["event_id"], event["user_id"], event["session_id"], event["event_type"], event["event_time"],
            "" if event["amount"] is None else f"{event['amount']:.2f}", "true" if event["is_mobile"] else "false",
            event["device"]["os"], event["device"]["os_version"], event["device"]["browser"] or "",
            event["geo"]["country"], event["geo"]["city"], event["geo"]["point"]["lat"], event["geo"]["point"]["lon"],
            len(items), event["referrer"] or "", event.get("note", "")]


def write_atomically(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="output folder (json/, csv/ and manifest.json go there)")
    parser.add_argument("--files", type=int, default=200, help="number of files per format (default 200)")
    parser.add_argument("--rows", type=int, default=10_000, help="rows per file (default 10000)")
    parser.add_argument("--format", choices=["json", "csv", "both"], default="both")
    parser.add_argument("--seed", type=int, default=20261101)
    parser.add_argument("--small", action="store_true", help="8 files x 2,000 rows, for a quick run")
    args = parser.parse_args(argv)
    if args.small:
        args.files, args.rows = 8, 2000
    if args.files < 1 or args.rows < 1:
        parser.error("--files and --rows must be at least 1")

    formats = ["json", "csv"] if args.format == "both" else [args.format]
    for fmt in formats:
        os.makedirs(os.path.join(args.out, fmt), exist_ok=True)
    manifest = {"seed": args.seed, "files": args.files, "rows_per_file": args.rows,
                "rows": args.files * args.rows, "formats": {}}
    totals = {fmt: 0 for fmt in formats}
    for file_index in range(args.files):
        # One generator per file: any file can be regenerated alone and stays identical.
        rng = random.Random(args.seed * 1_000_003 + file_index)
        events = [make_event(rng, file_index * args.rows + row) for row in range(args.rows)]
        if "json" in formats:
            text = "".join(json.dumps(e, separators=(",", ":"), ensure_ascii=False) + "\n" for e in events)
            data = text.encode("utf-8")
            write_atomically(os.path.join(args.out, "json", f"part-{file_index:05d}.json"), data)
            totals["json"] += len(data)
        if "csv" in formats:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(CSV_COLUMNS)
            writer.writerows(csv_row(e) for e in events)
            data = buffer.getvalue().encode("utf-8")
            write_atomically(os.path.join(args.out, "csv", f"part-{file_index:05d}.csv"), data)
            totals["csv"] += len(data)
    for fmt in formats:
        manifest["formats"][fmt] = {"dir": fmt, "bytes": totals[fmt]}
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    sizes = ", ".join(f"{fmt} {totals[fmt] / 1e6:.1f} MB" for fmt in formats)
    print(f"wrote {args.files} files x {args.rows} rows = {manifest['rows']} rows per format ({sizes}) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
