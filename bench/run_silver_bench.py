#!/usr/bin/env python3
"""Silver benchmark: Tributary against delta-rs on the silver pipeline's two jobs, in the
same run, on the same CPUs, interleaved rounds, medians.

1. kafka: N JSON order messages (~150 bytes) produced once into a 3-partition topic of a
   real Kafka 4 broker (scripts/kafka/kafka.sh, started here), then landed in a fresh
   Delta table per run:
     tributary  `tributary run pipeline.yaml`: kafka source (startingOffsets earliest,
                maxOffsetsPerTrigger = --batch-messages), select from_json(CAST(value AS
                STRING), schema) AS data, select data.*, delta sink by path,
                trigger availableNow, checkpointLocation.
     delta-rs   confluent_kafka consumes every partition up to the end offsets,
                pyarrow.json parses each --batch-messages batch under the same schema,
                write_deltalake appends it (bench/peers/deltars_kafka.py).
2. merge: a target Delta table (--target-rows, --files files written by delta-rs) and a
   source batch (--source-rows, --matched of them existing keys, the rest new); each
   run MERGEs the source into its own fresh copy of the target (copied before the run,
   outside the timed region):
     tributary  bench/silver/merge_bench.cc (C++ API: Parquet reader, DataFrame::
                FromBatches, DeltaTable::forPath(...).merge(...).whenMatchedUpdateAll()
                .whenNotMatchedInsertAll().execute())
     delta-rs   DeltaTable(path).merge(...).when_matched_update_all()
                .when_not_matched_insert_all().execute() (bench/peers/deltars_merge.py)
   once per target layout (--layouts random,sorted; see bench/generate_orders.py).

Every run is measured by process_meter.run_measured (wall clock to the last process of
the tree, CPU of the whole tree from wait4, peak RSS) and verified: the table read back
by deltalake must hold the expected row count, the expected sum of amount (in cents) and,
for MERGE, one row per order_id. Failed runs are reported and left out of the medians.
Ratios are peer / Tributary. Timings are never asserted: a benchmark, not a test.

    cmake -S . -B build/bench-silver -G Ninja -DCMAKE_BUILD_TYPE=Release -DTRIBUTARY_BUILD_BENCH_PROGRAMS=ON
    ninja -C build/bench-silver tributary merge_bench
    python3 bench/run_silver_bench.py --messages 500000 --target-rows 2000000   # small
    python3 bench/run_silver_bench.py                                          # the issue's scale
"""

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH_DIR)
sys.path.insert(0, BENCH_DIR)
from process_meter import run_measured  # noqa: E402
from run_bench import machine_facts, tributary_progress  # noqa: E402

KAFKA_SH = os.path.join(REPO, "scripts", "kafka", "kafka.sh")
GENERATE = os.path.join(BENCH_DIR, "generate_orders.py")
JSON_DDL = "order_id STRING, customer_id BIGINT, status STRING, amount DOUBLE, updated_at TIMESTAMP"


def find_binary(explicit, name):
    candidates = [explicit] if explicit else [os.path.join(REPO, "build", d, "bin", name)
                                              for d in ("bench-silver", "release", "h8")]
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return os.path.abspath(path)
    return None


def run_json(command, **kwargs):
    """Runs a helper (not measured) and returns its last JSON line."""
    out = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return json.loads([line for line in out.stdout.splitlines() if line.startswith("{")][-1])


def read_back(table):
    """(rows, sum of amount in cents, distinct order_ids, files) of a Delta table, read by
    deltalake in a child process: the measured commands are forked from this process, and
    a forked child's ru_maxrss starts at its parent's RSS (Linux keeps the high-water mark
    across exec), so this process must stay small and never load a table itself."""
    return run_json([sys.executable, os.path.abspath(__file__), "--read-back", table])


def _read_back_here(table):
    import pyarrow as pa
    import pyarrow.compute as pc
    from deltalake import DeltaTable
    dt = DeltaTable(table)
    data = dt.to_pyarrow_dataset().to_table(columns=["order_id", "amount"])
    cents = pc.sum(pc.round(pc.multiply(data["amount"], 100.0)).cast(pa.int64())).as_py() or 0
    return {"rows": data.num_rows, "sum_amount_cents": cents,
            "distinct_order_ids": pc.count_distinct(data["order_id"]).as_py(), "files": len(dt.file_uris()),
            "version": dt.version()}


def own_rss_mb():
    with open("/proc/self/statm") as f:
        return round(int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def measure(label, command, cpus, log_path, timeout, verify):
    load_before = os.getloadavg()[0]
    result = run_measured(command, cpus=cpus, timeout_s=timeout, log_path=log_path)
    result["load_before"] = load_before
    ok = result["returncode"] == 0
    detail = {"error": f"exit code {result['returncode']}; log {log_path}"}
    if ok:
        try:
            detail = verify()
            ok = "error" not in detail
        except Exception as error:  # a reader failure is a failed run
            ok, detail = False, {"error": f"{type(error).__name__}: {error}"}
    result.update(ok=ok, verify=detail)
    status = "ok" if ok else f"FAILED ({detail.get('error')})"
    print(f"  {label:34s} wall {result['wall_s']:7.2f}s  cpu {result['cpu_s']:7.2f}s  "
          f"rss {result['tree_peak_rss_mb']:6.0f} MB  load {load_before:.1f}  {status}", flush=True)
    return result


def summarize(runs):
    good = [r for r in runs if r["ok"]]
    if not good:
        return None
    return {"runs": len(runs), "good": len(good), "wall_s": statistics.median(r["wall_s"] for r in good),
            "cpu_s": statistics.median(r["cpu_s"] for r in good),
            "rss_mb": max(r["tree_peak_rss_mb"] for r in good),
            "walls": [round(r["wall_s"], 2) for r in good], "cpus": [round(r["cpu_s"], 2) for r in good]}


def rotate(systems, round_index):
    k = round_index % len(systems)
    return systems[k:] + systems[:k]


# --- Kafka -> Delta ----------------------------------------------------------------------

def kafka_source_yaml(bootstrap, topic, batch, extra_options=""):
    """The pipeline's Kafka source from the earliest offsets, `batch` messages per trigger;
    extra_options "k=v,..." become kafka.k options."""
    extra = "".join(f"\n    kafka.{k.strip()}: \"{v.strip()}\"" for k, v in
                    (item.split("=", 1) for item in extra_options.split(",") if item.strip()))
    return f"""source:
  format: kafka
  options:
    kafka.bootstrap.servers: "{bootstrap}"
    subscribe: {topic}
    startingOffsets: earliest
    maxOffsetsPerTrigger: {batch}{extra}
"""


def tributary_kafka_yaml(bootstrap, topic, batch, work, extra_options=""):
    return kafka_source_yaml(bootstrap, topic, batch, extra_options) + f"""transform:
  - select: ["from_json(CAST(value AS STRING), '{JSON_DDL}') AS data"]
  - select: ["data.*"]
sink:
  format: delta
  path: {json.dumps(os.path.join(work, 'table'))}
  trigger: {{availableNow: true}}
  options:
    checkpointLocation: {json.dumps(os.path.join(work, 'checkpoint'))}
"""


def bench_kafka(args, cpus, bootstrap):
    topic = f"orders_{args.messages}"
    print(f"kafka: producing {args.messages} messages into {topic} (3 partitions)", flush=True)
    produced = run_json([sys.executable, GENERATE, "produce", "--bootstrap", bootstrap, "--topic", topic,
                         "--messages", str(args.messages), "--partitions", "3"])
    print(f"  produced {produced['value_bytes'] / 1e6:.1f} MB of values in {produced['seconds']} s", flush=True)
    runs = {s: [] for s in args.kafka_systems}

    def verify(table):
        def check():
            got = read_back(table)
            got.pop("distinct_order_ids")
            if got["rows"] != produced["messages"]:
                got["error"] = f"{got['rows']} rows, {produced['messages']} expected"
            elif got["sum_amount_cents"] != produced["sum_amount_cents"]:
                got["error"] = f"sum(amount) {got['sum_amount_cents']} cents, {produced['sum_amount_cents']} expected"
            return got
        return check

    for round_index in range(args.repeat):
        for system in rotate(args.kafka_systems, round_index):
            work = os.path.join(args.work, "kafka", system.replace("-", "_"))
            shutil.rmtree(work, ignore_errors=True)
            os.makedirs(work)
            table = os.path.join(work, "table")
            if system.startswith("tributary"):
                pipeline = os.path.join(work, "pipeline.yaml")
                with open(pipeline, "w") as f:
                    f.write(tributary_kafka_yaml(bootstrap, topic, args.batch_messages, work,
                                                 args.tributary_kafka_options if system == "tributary-opts" else ""))
                command = [args.tributary_bin, "run", pipeline]
            else:
                command = [sys.executable, os.path.join(BENCH_DIR, "peers", "deltars_kafka.py"), "--bootstrap",
                           bootstrap, "--topic", topic, "--table", table,
                           "--batch-messages", str(args.batch_messages)]
            log = os.path.join(args.work, f"kafka-{system}-{round_index}.log")
            result = measure(f"round {round_index + 1} kafka {system}", command, cpus, log, args.timeout,
                             verify(table))
            if system.startswith("tributary"):
                records = [r for r in tributary_progress(log) if r.get("numInputRows")]
                phases = {}
                for r in records:
                    for phase, ms in (r.get("durationMs") or {}).items():
                        phases[phase] = round(phases.get(phase, 0) + ms / 1000, 3)
                result["progress"] = {"batches": len(records), **phases}
            runs[system].append(result)
    return {"produced": produced, "topic": topic, "runs": runs,
            "summary": {s: summarize(r) for s, r in runs.items()}}


# --- MERGE -------------------------------------------------------------------------------

def bench_merge(args, cpus, layout):
    base = os.path.join(args.work, "merge", layout)
    target = os.path.join(base, "target")
    source = os.path.join(base, "source.parquet")
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base)
    print(f"merge ({layout}): writing a {args.target_rows}-row target in {args.files} files", flush=True)
    made = run_json([sys.executable, GENERATE, "target", "--table", target, "--rows", str(args.target_rows),
                     "--files", str(args.files), "--layout", layout])
    expected = run_json([sys.executable, GENERATE, "source", "--output", source, "--target-rows",
                         str(args.target_rows), "--rows", str(args.source_rows), "--matched", str(args.matched)])
    print(f"  target {made['files']} files, {made['bytes'] / 1e6:.1f} MB; source {args.source_rows} rows, "
          f"{args.matched} matching", flush=True)
    runs = {s: [] for s in args.merge_systems}

    def verify(table, report_path):
        def check():
            got = read_back(table)
            if got["rows"] != expected["expected_rows_after"]:
                got["error"] = f"{got['rows']} rows, {expected['expected_rows_after']} expected"
            elif got["sum_amount_cents"] != expected["expected_sum_amount_cents_after"]:
                got["error"] = (f"sum(amount) {got['sum_amount_cents']} cents, "
                                f"{expected['expected_sum_amount_cents_after']} expected")
            elif got["distinct_order_ids"] != got["rows"]:
                got["error"] = f"{got['rows'] - got['distinct_order_ids']} duplicate order_ids"
            return got
        return check

    for round_index in range(args.repeat):
        for system in rotate(args.merge_systems, round_index):
            table = os.path.join(args.work, "merge", f"run-{system.replace('-', '_')}")
            shutil.rmtree(table, ignore_errors=True)
            shutil.copytree(target, table)  # outside the timed region; also warms the page cache
            if system == "tributary":
                command = [args.merge_bin, table, source]
            else:
                command = [sys.executable, os.path.join(BENCH_DIR, "peers", "deltars_merge.py"), "--table", table,
                           "--source", source]
            log = os.path.join(args.work, f"merge-{layout}-{system}-{round_index}.log")
            result = measure(f"round {round_index + 1} merge {layout} {system}", command, cpus, log, args.timeout,
                             verify(table, log))
            runs[system].append(result)
    return {"layout": layout, "target": made, "expected": expected, "runs": runs,
            "summary": {s: summarize(r) for s, r in runs.items()}}


# --- Report ------------------------------------------------------------------------------

def ratio(a, b):
    return f"{a / b:.2f}" if b else "n/a"


def kafka_rows(kafka):
    mb = kafka["produced"]["value_bytes"] / 1e6
    n = kafka["produced"]["messages"]
    summary = kafka["summary"]
    base = summary.get("tributary")
    lines = []
    for system, s in summary.items():
        if not s:
            lines.append(f"| {system} | failed | | | | | | | | | |")
            continue
        lines.append(
            f"| {system} | {s['good']}/{s['runs']} | {s['wall_s']:.2f} | {s['cpu_s']:.2f} | {n / s['wall_s']:,.0f} | "
            f"{n / s['cpu_s']:,.0f} | {mb / s['cpu_s']:.1f} | {s['rss_mb']:.0f} | "
            + (f"{ratio(s['wall_s'], base['wall_s'])} | {ratio(s['cpu_s'], base['cpu_s'])} | "
               f"{ratio(s['rss_mb'], base['rss_mb'])} |" if base else "| | |"))
    return ["| system | good runs | wall s | CPU s | messages/s | messages per CPU-s | MB per CPU-s | "
            "peak RSS MB | wall ratio | CPU ratio | memory ratio |", "|---|---|---|---|---|---|---|---|---|---|---|"] + lines


def merge_rows(merges):
    lines = ["| target layout | system | good runs | wall s | CPU s | peak RSS MB | merge ms (in-process) | "
             "files removed / added | rows updated / inserted / copied | wall ratio | CPU ratio | memory ratio |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for m in merges:
        base = m["summary"].get("tributary")
        for system, s in m["summary"].items():
            if not s:
                lines.append(f"| {m['layout']} | {system} | failed | | | | | | | | | |")
                continue
            rep = next((r["report"] for r in m["runs"][system] if r["ok"]), {})
            merge_ms = statistics.median(r["report"].get("merge_ms", 0) for r in m["runs"][system] if r["ok"])
            lines.append(
                f"| {m['layout']} | {system} | {s['good']}/{s['runs']} | {s['wall_s']:.2f} | {s['cpu_s']:.2f} | "
                f"{s['rss_mb']:.0f} | {merge_ms:.0f} | {rep.get('num_target_files_removed')} / "
                f"{rep.get('num_target_files_added')} | {rep.get('num_target_rows_updated')} / "
                f"{rep.get('num_target_rows_inserted')} / {rep.get('num_target_rows_copied')} | "
                + (f"{ratio(s['wall_s'], base['wall_s'])} | {ratio(s['cpu_s'], base['cpu_s'])} | "
                   f"{ratio(s['rss_mb'], base['rss_mb'])} |" if base else "| | |"))
    return lines


def run_lines(title, runs):
    lines = [f"#### {title}", "", "| run | system | ok | wall s | CPU s | user s | sys s | tree peak RSS MB | "
             "load before | verified / error | program's report |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for system, rs in runs.items():
        for i, r in enumerate(rs):
            report = dict(r.get("report") or {})
            if r.get("progress"):
                report["progress"] = r["progress"]
            lines.append(f"| {i + 1} | {system} | {'yes' if r['ok'] else 'NO'} | {r['wall_s']:.2f} | {r['cpu_s']:.2f} | "
                         f"{r['user_s']:.2f} | {r['sys_s']:.2f} | {r['tree_peak_rss_mb']:.0f} | "
                         f"{r.get('load_before', 0):.1f} | `{json.dumps(r['verify'])}` | `{json.dumps(report)}` |")
    return lines + [""]


def write_report(path, context):
    facts = context["facts"]
    lines = [f"# Silver benchmark, {context['utc']}", "",
             f"`{' '.join(context['argv'])}`", "",
             f"Machine: {facts.get('cpu')}, nproc {facts.get('nproc')}, {facts.get('memory_gib')} GiB, kernel "
             f"{facts.get('kernel')}; every run pinned to {context['cores']} CPU(s); load average at start "
             f"{facts['load_average_start']}, at end {facts.get('load_average_end')}. Tributary commit "
             f"{facts.get('git_commit')}; deltalake {facts.get('deltalake_version')}, pyarrow "
             f"{facts.get('pyarrow_version')}, Python {facts.get('python')}. {context['repeat']} interleaved "
             "rounds (order rotated per round), medians of verified runs; peak RSS is the largest over the "
             "runs; ratios are peer / Tributary.", ""]
    if context.get("kafka"):
        k = context["kafka"]
        p = k["produced"]
        lines += ["## Kafka -> Delta (append)", "",
                  f"{p['messages']:,} JSON messages ({p['value_bytes'] / 1e6:.1f} MB of values, "
                  f"{p['value_bytes'] / p['messages']:.0f} bytes each) in one topic of 3 partitions on a local Kafka "
                  f"{context.get('kafka_version', '4')} broker (its JVM is not part of any measured tree, and it "
                  f"runs on the same CPUs); batches of {context['batch_messages']:,} messages"
                  + (f"; `tributary-opts` is Tributary with the extra librdkafka options "
                     f"`{context['tributary_kafka_options']}`"
                     if context.get("tributary_kafka_options") else "") + ". Verified: row count "
                  "and sum(amount) read back by deltalake equal the produced ones.", ""]
        lines += kafka_rows(k) + [""]
    if context.get("merges"):
        m0 = context["merges"][0]
        lines += ["## MERGE (upsert by order_id)", "",
                  f"Target: {context['target_rows']:,} rows in {m0['target']['files']} files written by delta-rs "
                  f"({m0['target']['bytes'] / 1e6:.0f} MB). Source: {context['source_rows']:,} rows read from "
                  f"one Parquet file, {context['matched']:,} of them existing keys (drawn from the newest 5% of "
                  "ids), the rest new. Each run merges into its own fresh copy of the target. Layouts: "
                  "`random` spreads every file's keys over the whole key range (no file can be skipped by "
                  "min/max), `sorted` gives each file one contiguous key range. Verified: row count, sum(amount) "
                  "and one row per order_id, read back by deltalake, equal the expected ones (target + new "
                  "rows, matched rows carrying the source's amount).", ""]
        lines += merge_rows(context["merges"]) + [""]
        for m in context["merges"]:
            e = m["expected"]
            got = {s: next((r["verify"] for r in rs if r["ok"]), None) for s, rs in m["runs"].items()}
            lines.append(f"Correctness ({m['layout']}): expected {e['expected_rows_after']:,} rows, sum(amount) "
                         f"{e['expected_sum_amount_cents_after'] / 100:,.2f}; " + "; ".join(
                             f"{s}: {g['rows']:,} rows, sum {g['sum_amount_cents'] / 100:,.2f}, "
                             f"{g['files']} files" if g else f"{s}: no verified run" for s, g in got.items()))
            lines.append("")
    lines += ["## Every run", ""]
    if context.get("kafka"):
        lines += run_lines("Kafka -> Delta", context["kafka"]["runs"])
    for m in context.get("merges", []):
        lines += run_lines(f"MERGE, {m['layout']} target", m["runs"])
    write_markdown(path, lines, facts)


def write_markdown(path, lines, facts):
    """Writes the report's `lines` to `path`, ending with the machine `facts` as JSON."""
    lines = lines + ["## Facts", "", "```", json.dumps(facts, indent=1, default=str), "```", ""]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(lines))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", default="kafka,merge", help="comma list of kafka, merge")
    parser.add_argument("--messages", type=int, default=2_000_000)
    parser.add_argument("--batch-messages", type=int, default=500_000,
                        help="maxOffsetsPerTrigger, and the delta-rs peer's batch size")
    parser.add_argument("--target-rows", type=int, default=10_000_000)
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--source-rows", type=int, default=100_000)
    parser.add_argument("--matched", type=int, default=1_000)
    parser.add_argument("--layouts", default="random,sorted")
    parser.add_argument("--systems", default="tributary,delta-rs",
                        help="comma list of tributary, delta-rs, and (kafka part only) tributary-opts")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--tributary-bin")
    parser.add_argument("--merge-bin")
    parser.add_argument("--tributary-commit", help="commit the binaries were built from, for the report "
                        "(default: this checkout's HEAD at run time)")
    parser.add_argument("--tributary-kafka-options", default="",
                        help="librdkafka properties for the kafka part's system tributary-opts (Tributary with "
                        "these extra source options; 'tributary' always runs with the defaults), "
                        "'name=value,...' (written as "
                        "kafka.<name> options); the delta-rs peer sets max.partition.fetch.bytes=10485760, "
                        "fetch.max.bytes=52428800, queued.max.messages.kbytes=262144")
    parser.add_argument("--bootstrap", help="use this running broker instead of starting one")
    parser.add_argument("--work", default="/tmp/tributary-silver-bench")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--output", help="Markdown report (default bench/results/<UTC date>-silver.md; '-': none)")
    parser.add_argument("--read-back", help=argparse.SUPPRESS)  # internal: verify one table, print JSON
    args = parser.parse_args(argv)
    if args.read_back:
        print(json.dumps(_read_back_here(args.read_back)))
        return 0
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    if "tributary-opts" in systems and not args.tributary_kafka_options:
        parser.error("system tributary-opts needs --tributary-kafka-options")
    args.kafka_systems = systems
    args.merge_systems = [s for s in systems if s != "tributary-opts"]
    if "tributary" in systems:
        args.tributary_bin = find_binary(args.tributary_bin, "tributary")
        args.merge_bin = find_binary(args.merge_bin, "merge_bench")
        if ("kafka" in parts and not args.tributary_bin) or ("merge" in parts and not args.merge_bin):
            parser.error("build the targets tributary and merge_bench (TRIBUTARY_BUILD_BENCH_PROGRAMS=ON) "
                         "or pass --tributary-bin / --merge-bin")
    cpus = sorted(os.sched_getaffinity(0))[:args.cores]
    os.makedirs(args.work, exist_ok=True)
    facts = machine_facts()
    facts.pop("java", None)
    facts["runner_rss_mb_at_start"] = own_rss_mb()
    if args.tributary_commit:
        facts["git_commit"] = args.tributary_commit
    context = {"argv": sys.argv, "facts": facts, "cores": args.cores, "repeat": args.repeat,
               "batch_messages": args.batch_messages, "tributary_kafka_options": args.tributary_kafka_options,
               "target_rows": args.target_rows,
               "source_rows": args.source_rows, "matched": args.matched}
    broker_dir = None
    try:
        if "kafka" in parts:
            bootstrap = args.bootstrap
            if not bootstrap:
                broker_dir = os.path.join(args.work, "broker")
                shutil.rmtree(broker_dir, ignore_errors=True)
                bootstrap = subprocess.run([KAFKA_SH, "start", broker_dir], capture_output=True, text=True,
                                           check=True).stdout.strip().splitlines()[-1]
                print(f"broker on {bootstrap}", flush=True)
            context["kafka"] = bench_kafka(args, cpus, bootstrap)
        if "merge" in parts:
            context["merges"] = [bench_merge(args, cpus, layout.strip()) for layout in args.layouts.split(",")
                                 if layout.strip()]
    finally:
        if broker_dir:
            subprocess.run([KAFKA_SH, "stop", broker_dir], capture_output=True)
    facts["load_average_end"] = os.getloadavg()
    facts["runner_rss_mb_at_end"] = own_rss_mb()  # a floor under every run's ru_maxrss
    context["utc"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print()
    if context.get("kafka"):
        print("\n".join(kafka_rows(context["kafka"])))
        print()
    if context.get("merges"):
        print("\n".join(merge_rows(context["merges"])))
    if args.output != "-":
        path = args.output or os.path.join(BENCH_DIR, "results", datetime.datetime.now(
            datetime.timezone.utc).strftime("%Y-%m-%d") + "-silver.md")
        write_report(path, context)
        print(f"report written to {path}")
    ok = all(context.get("kafka", {}).get("summary", {}).values()) and all(
        all(m["summary"].values()) for m in context.get("merges", []))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
