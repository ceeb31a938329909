#!/usr/bin/env python3
"""Tributary side by side with Apache Spark on the seed's two pipelines, in one run.

  bronze  JSON files -> Delta table, schema inferred, trigger availableNow:
            tributary  `tributary run` of a cloudFiles pipeline (bench/run_bench.py's YAML)
            spark      Spark 4 + delta-spark, local[N]: batch schema inference, then
                       readStream.json -> writeStream.format("delta"), availableNow
                       (bench/peers/spark_ingest.py; the open-source stand-in for cloudFiles)
  silver  Kafka topic -> from_json -> MERGE by order_id into an existing Delta table,
          one MERGE per micro-batch, trigger availableNow, maxOffsetsPerTrigger the same:
            tributary  `tributary run` of a kafka source + sink.merge pipeline
            spark      readStream.format("kafka") -> from_json -> foreachBatch with
                       DeltaTable.merge (bench/spark/spark_silver.py)

The same generated files (bench/generate_data.py) and the same topic on the same broker
(scripts/kafka/kafka.sh, orders from bench/generate_orders.py) for both systems; every
run on a fresh table and a fresh checkpoint, pinned to the same --cores CPUs, --repeat
interleaved rounds (order rotated), medians of verified runs. Measured per run with
bench/process_meter.py: wall clock to the last process of the tree, CPU seconds of the
whole tree (records per CPU-second is the per-core throughput), peak memory as the
sampled sum of RSS over the tree, and the time from start until the commit file of the
run's first batch (its first commit that adds data files) is written. Every run is
verified in a child process with deltalake: bronze, rows and distinct event_ids equal to
the generated events; silver, rows, distinct order_ids and sum(amount) equal to the
produced orders.

Writes bench/results/<UTC date>-spark.md with the ratios Spark / Tributary. A benchmark,
not a test: nothing asserts a timing.

    bench/setup.sh                        # once: Spark venv and jars
    cmake --build build/release --target tributary
    python3 bench/spark/run_spark_bench.py
"""

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys

SPARK_DIR = os.path.dirname(os.path.abspath(__file__))
BENCH_DIR = os.path.dirname(SPARK_DIR)
REPO = os.path.dirname(BENCH_DIR)
sys.path.insert(0, BENCH_DIR)
from process_meter import run_measured  # noqa: E402
from run_bench import machine_facts, tributary_pipeline, tributary_progress, warm_page_cache  # noqa: E402
from run_silver_bench import JSON_DDL, KAFKA_SH, find_binary, kafka_source_yaml, run_json, write_markdown  # noqa: E402

SYSTEMS = ["tributary", "spark"]
PIPELINES = ["bronze", "silver"]
DEFAULT_VENV = os.path.expanduser("~/.cache/tributary/bench-venv")
DEFAULT_JARS = os.path.expanduser("~/.cache/tributary/spark-jars-4.0.0")
# The targets: Tributary's records per CPU-second at least this many times Spark's.
THROUGHPUT_TARGET = {"bronze": 20, "silver": 10}
MEMORY_TARGET = 10  # Spark's peak memory at least ten times Tributary's


def first_batch_commit_s(table, start_epoch):
    """Seconds from the run's start until the commit file of its first batch was written
    (its mtime): the first commit that adds data files. Tributary's Delta sink creates
    the table in a commit of its own before the first batch; Spark's first batch commit
    also creates the table; a silver target exists before the run."""
    log = os.path.join(table, "_delta_log")
    try:
        names = sorted(n for n in os.listdir(log) if n.endswith(".json") and n[:-5].isdigit())
    except OSError:
        return None
    for name in names:
        path = os.path.join(log, name)
        with open(path) as f:
            if any(line.startswith('{"add"') for line in f):
                return os.path.getmtime(path) - start_epoch
    return None


# --- Pipelines -----------------------------------------------------------------------------

def silver_yaml(bootstrap, topic, batch, table, checkpoint):
    """The seed's silver pipeline (examples/silver/pipeline.yaml without the example's extras:
    no latestBy and no where, as the seed's Spark code has neither), availableNow."""
    return kafka_source_yaml(bootstrap, topic, batch) + f"""transform:
  - select:
      - "from_json(CAST(value AS STRING), '{JSON_DDL}') AS data"
      - "timestamp AS kafka_ts"
  - select: ["data.*", "kafka_ts"]
sink:
  merge:
    into: {json.dumps(table)}
    on: "t.order_id = s.order_id"
    whenMatched: [{{update: "*"}}]
    whenNotMatched: [{{insert: "*"}}]
  options: {{checkpointLocation: {json.dumps(checkpoint)}}}
  trigger: {{availableNow: true}}
"""


def command_for(pipeline, system, args, work):
    """(command, the Delta table it writes)."""
    table = os.path.join(work, "table")
    checkpoint = os.path.join(work, "checkpoint")
    spark_python = os.path.join(args.venv, "bin", "python")
    if pipeline == "bronze":
        if system == "tributary":
            path = os.path.join(work, "pipeline.yaml")
            with open(path, "w") as f:
                f.write(tributary_pipeline(args.bronze_input, "json", work))
            return [args.tributary_bin, "run", path], table
        return [spark_python, os.path.join(BENCH_DIR, "peers", "spark_ingest.py"), "--input", args.bronze_input,
                "--format", "json", "--table", table, "--checkpoint", checkpoint, "--cores", str(args.cores),
                "--driver-memory", args.spark_driver_memory, "--jars", args.jar_list], table
    run_json([sys.executable, os.path.abspath(__file__), "--create-target", table])  # outside the timed run
    if system == "tributary":
        path = os.path.join(work, "pipeline.yaml")
        with open(path, "w") as f:
            f.write(silver_yaml(args.bootstrap, args.topic, args.batch_messages, table, checkpoint))
        return [args.tributary_bin, "run", path], table
    return [spark_python, os.path.join(SPARK_DIR, "spark_silver.py"), "--bootstrap", args.bootstrap,
            "--topic", args.topic, "--table", table, "--checkpoint", checkpoint,
            "--max-offsets-per-trigger", str(args.batch_messages), "--jars", args.jar_list,
            "--cores", str(args.cores), "--driver-memory", args.spark_driver_memory], table


# --- Helpers run in a child process (deltalake stays out of the measuring process) --------

def _create_target(table):
    """The silver target, empty: the five order columns and kafka_ts, as both pipelines write."""
    import pyarrow as pa
    from deltalake import DeltaTable
    ts = pa.timestamp("us", tz="UTC")
    schema = pa.schema([("order_id", pa.string()), ("customer_id", pa.int64()), ("status", pa.string()),
                        ("amount", pa.float64()), ("updated_at", ts), ("kafka_ts", ts)])
    DeltaTable.create(table, schema=schema)
    return {"table": table}


def _read_back(kind, table):
    import pyarrow as pa
    import pyarrow.compute as pc
    from deltalake import DeltaTable
    dt = DeltaTable(table)
    key = "event_id" if kind == "bronze" else "order_id"
    columns = [key] + (["amount"] if kind == "silver" else [])
    data = dt.to_pyarrow_dataset().to_table(columns=columns)
    out = {"rows": data.num_rows, "distinct_keys": pc.count_distinct(data[key]).as_py(),
           "files": len(dt.file_uris()), "version": dt.version()}
    if kind == "silver":
        out["sum_amount_cents"] = pc.sum(pc.round(pc.multiply(data["amount"], 100.0)).cast(pa.int64())).as_py() or 0
    return out


def verify(pipeline, table, expected):
    got = run_json([sys.executable, os.path.abspath(__file__), "--read-back", pipeline, table])
    if got["rows"] != expected["rows"]:
        got["error"] = f"{got['rows']} rows read back, {expected['rows']} expected"
    elif got["distinct_keys"] != expected["rows"]:
        got["error"] = f"{got['distinct_keys']} distinct keys, {expected['rows']} expected"
    elif pipeline == "silver" and got["sum_amount_cents"] != expected["sum_amount_cents"]:
        got["error"] = f"sum(amount) {got['sum_amount_cents']} cents, {expected['sum_amount_cents']} expected"
    return got


# --- Running --------------------------------------------------------------------------------

def run_one(pipeline, system, args, cpus, expected, round_index):
    work = os.path.join(args.work, pipeline, system)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    command, table = command_for(pipeline, system, args, work)
    log = os.path.join(args.work, f"{pipeline}-{system}-{round_index}.log")
    load_before = os.getloadavg()[0]
    result = run_measured(command, cpus=cpus, timeout_s=args.timeout, log_path=log)
    result.update(load_before=load_before, round=round_index,
                  first_commit_s=first_batch_commit_s(table, result["start_epoch"]))
    result["report"].pop("progress", None)  # spark_ingest.py's per-batch records: too long for the report
    if system == "tributary":
        batches = [r for r in tributary_progress(log) if r.get("numInputRows")]
        result["report"] = {"batches": len(batches), "input_rows": sum(r["numInputRows"] for r in batches)}
    ok = result["returncode"] == 0
    detail = {"error": f"exit code {result['returncode']}; log {log}"}
    if ok:
        try:
            detail = verify(pipeline, table, expected)
            ok = "error" not in detail
        except Exception as error:  # a reader failure is a failed run
            ok, detail = False, {"error": f"{type(error).__name__}: {error}"}
    result.update(ok=ok, verify=detail)
    first = "-" if result["first_commit_s"] is None else f"{result['first_commit_s']:.2f}s"
    status = "ok" if ok else f"FAILED ({detail.get('error')})"
    print(f"  round {round_index + 1} {pipeline:6s} {system:9s} wall {result['wall_s']:7.2f}s  "
          f"cpu {result['cpu_s']:7.2f}s  tree rss {result['tree_sampled_peak_rss_mb']:6.0f} MB  first commit {first}"
          f"  load {load_before:.1f}  {status}", flush=True)
    return result


def summarize(runs, records):
    good = [r for r in runs if r["ok"]]
    if not good:
        return None
    firsts = [r["first_commit_s"] for r in good if r["first_commit_s"] is not None]
    wall = statistics.median(r["wall_s"] for r in good)
    cpu = statistics.median(r["cpu_s"] for r in good)
    return {"runs": len(runs), "good": len(good), "wall_s": wall, "cpu_s": cpu,
            "records_per_s": records / wall, "records_per_cpu_s": records / cpu,
            "rss_mb": statistics.median(r["tree_sampled_peak_rss_mb"] for r in good),
            "rss_max_mb": max(r["tree_sampled_peak_rss_mb"] for r in good),
            "max_process_rss_mb": max(r["max_process_rss_mb"] for r in good),
            "first_commit_s": statistics.median(firsts) if firsts else None,
            "batches": good[0]["report"].get("batches"), "commits": good[0]["verify"].get("version"),
            "files": good[0]["verify"].get("files")}


# --- Data ------------------------------------------------------------------------------------

def prepare_bronze(args):
    out = os.path.join(args.data, f"bronze-{args.bronze_files}x{args.bronze_rows}")
    manifest_path = os.path.join(out, "manifest.json")
    if not os.path.exists(manifest_path):
        subprocess.run([sys.executable, os.path.join(BENCH_DIR, "generate_data.py"), "--out", out, "--files",
                        str(args.bronze_files), "--rows", str(args.bronze_rows), "--format", "json"], check=True)
    with open(manifest_path) as f:
        manifest = json.load(f)
    args.bronze_input = os.path.abspath(os.path.join(out, manifest["formats"]["json"]["dir"]))
    warm_page_cache(args.bronze_input)
    return {"rows": manifest["rows"], "files": manifest["files"], "bytes": manifest["formats"]["json"]["bytes"]}


def prepare_silver(args):
    args.topic = f"orders_spark_{args.messages}_{os.getpid()}"  # a fresh topic per invocation
    produced = run_json([sys.executable, os.path.join(BENCH_DIR, "generate_orders.py"), "produce", "--bootstrap",
                         args.bootstrap, "--topic", args.topic, "--messages", str(args.messages), "--partitions",
                         str(args.partitions)])
    return {"rows": produced["messages"], "bytes": produced["value_bytes"],
            "sum_amount_cents": produced["sum_amount_cents"], "partitions": args.partitions}


# --- Report ----------------------------------------------------------------------------------

def _f(x, digits=2):
    return "n/a" if x is None else f"{x:.{digits}f}"


def ratio_lines(results):
    lines = ["| pipeline | throughput per core (records per CPU-s), Tributary / Spark | target | wall, Spark / "
             "Tributary | peak memory, Spark / Tributary | memory target | time to first commit, Spark / "
             "Tributary |", "|---|---|---|---|---|---|---|"]
    for pipeline, res in results.items():
        t, s = res["summary"].get("tributary"), res["summary"].get("spark")
        if not t or not s:
            lines.append(f"| {pipeline} | no verified run of {'tributary' if not t else 'spark'} | | | | | |")
            continue
        per_core = t["records_per_cpu_s"] / s["records_per_cpu_s"]
        memory = s["rss_mb"] / t["rss_mb"]
        first = (s["first_commit_s"] / t["first_commit_s"]
                 if s["first_commit_s"] and t["first_commit_s"] else None)
        goal = THROUGHPUT_TARGET[pipeline]
        lines.append(f"| {pipeline} | **{per_core:.1f}x** | {goal}x: {'met' if per_core >= goal else 'not met'} | "
                     f"{s['wall_s'] / t['wall_s']:.1f}x | **{memory:.1f}x** | {MEMORY_TARGET}x: "
                     f"{'met' if memory >= MEMORY_TARGET else 'not met'} | {_f(first, 1)}x |")
    return lines


def figure_lines(results):
    lines = ["| pipeline | system | good runs | wall s | CPU s | records/s | records per CPU-s | peak memory MB "
             "(median; max) | largest process MB | first commit s | batches | table version | data files |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for pipeline, res in results.items():
        for system, s in res["summary"].items():
            if not s:
                lines.append(f"| {pipeline} | {system} | 0/{len(res['runs'][system])} | | | | | | | | | | |")
                continue
            lines.append(f"| {pipeline} | {system} | {s['good']}/{s['runs']} | {s['wall_s']:.2f} | {s['cpu_s']:.2f} | "
                         f"{s['records_per_s']:,.0f} | {s['records_per_cpu_s']:,.0f} | {s['rss_mb']:.0f}; "
                         f"{s['rss_max_mb']:.0f} | {s['max_process_rss_mb']:.0f} | {_f(s['first_commit_s'])} | "
                         f"{s['batches']} | {s['commits']} | {s['files']} |")
    return lines


def run_lines(results):
    lines = ["| pipeline | round | system | ok | wall s | CPU s | user s | sys s | tree peak RSS MB (sampled) | "
             "first commit s | load before | verified / error | program's report |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for pipeline, res in results.items():
        for system, runs in res["runs"].items():
            for r in runs:
                lines.append(f"| {pipeline} | {r['round'] + 1} | {system} | {'yes' if r['ok'] else 'NO'} | "
                             f"{r['wall_s']:.2f} | {r['cpu_s']:.2f} | {r['user_s']:.2f} | {r['sys_s']:.2f} | "
                             f"{r['tree_sampled_peak_rss_mb']:.0f} | {_f(r['first_commit_s'])} | "
                             f"{r['load_before']:.1f} | `{json.dumps(r['verify'])}` | `{json.dumps(r['report'])}` |")
    return lines


def _loads(loads):
    return ", ".join(f"{x:.1f}" for x in loads or ())


def write_report(path, context):
    facts, args, results = context["facts"], context["args"], context["results"]
    lines = [f"# Tributary side by side with Spark, {context['utc']}", "",
             f"Command: `{' '.join(context['argv'])}`", "",
             f"Machine: {facts.get('cpu')}, nproc {facts.get('nproc')}, {facts.get('memory_gib')} GiB; every run "
             f"pinned to {args['cores']} CPU(s) (Spark `local[{args['cores']}]`, driver memory "
             f"{args['spark_driver_memory']}); load average (1, 5, 15 min) at start {_loads(facts['load_average_start'])}, "
             f"at end {_loads(facts.get('load_average_end'))}. Tributary commit {facts.get('git_commit')} (Release); "
             f"pyspark {facts.get('pyspark_version')}, delta-spark {facts.get('delta-spark_version')}, "
             f"{facts.get('java')}. {args['repeat']} interleaved rounds (order rotated), medians of verified runs.", ""]
    if "bronze" in results:
        b = results["bronze"]["input"]
        lines.append(f"- bronze: {b['rows']:,} generated events in {b['files']} JSON files ({b['bytes'] / 1e6:.0f} MB), "
                     "page cache warmed; verified: rows and distinct event_ids read back by deltalake.")
    if "silver" in results:
        s = results["silver"]["input"]
        lines.append(f"- silver: {s['rows']:,} order messages ({s['bytes'] / 1e6:.0f} MB of values, every order_id "
                     f"new) in one topic of {s['partitions']} partitions on a local Kafka broker (its JVM outside "
                     f"the measured trees, on the same CPUs), maxOffsetsPerTrigger {args['batch_messages']:,} for "
                     "both, into an empty target created before each run; verified: rows, distinct order_ids and "
                     "sum(amount) read back by deltalake.")
    lines += ["", "## Ratios", "", "Throughput per core is records per CPU-second of the whole process tree (user + "
              "system); memory is the peak of the sampled (50 ms) sum of RSS over the tree; time to first commit "
              "runs from process start until the commit file of the run's first batch (its first commit that adds data) "
              "is written.", ""]
    lines += ratio_lines(results) + ["", "## Figures", ""] + figure_lines(results)
    lines += ["", "## Every run", ""] + run_lines(results)
    write_markdown(path, lines + [""], facts)


# --- Main ------------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pipelines", default="bronze,silver", help="comma list of bronze, silver")
    parser.add_argument("--bronze-files", type=int, default=40)
    parser.add_argument("--bronze-rows", type=int, default=10_000, help="events per file")
    parser.add_argument("--messages", type=int, default=300_000, help="order messages produced for silver")
    parser.add_argument("--partitions", type=int, default=3)
    parser.add_argument("--batch-messages", type=int, default=100_000, help="maxOffsetsPerTrigger of both")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cores", type=int, default=2, help="CPUs every run is pinned to (Spark: local[N])")
    parser.add_argument("--tributary-bin", help="default: build/release/bin/tributary")
    parser.add_argument("--venv", default=DEFAULT_VENV, help="the virtualenv of bench/setup.sh (pyspark)")
    parser.add_argument("--spark-jars", default=DEFAULT_JARS, help="folder of jars copied by bench/setup.sh")
    parser.add_argument("--spark-driver-memory", default="2g")
    parser.add_argument("--bootstrap", help="use this running broker instead of starting one")
    parser.add_argument("--data", default="/tmp/tributary-spark-bench/data", help="generated files (kept)")
    parser.add_argument("--work", default="/tmp/tributary-spark-bench/work", help="scratch (emptied per run)")
    parser.add_argument("--timeout", type=float, default=1200)
    parser.add_argument("--output", help="Markdown report (default bench/results/<UTC date>-spark.md; '-': none)")
    parser.add_argument("--read-back", nargs=2, metavar=("PIPELINE", "TABLE"), help=argparse.SUPPRESS)
    parser.add_argument("--create-target", metavar="TABLE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.read_back or args.create_target:  # internal: a child process with deltalake
        print(json.dumps(_read_back(*args.read_back) if args.read_back else _create_target(args.create_target)))
        sys.stdout.flush()
        os._exit(0)  # deltalake 1.6.6 may abort while tearing down at interpreter exit

    pipelines = [p.strip() for p in args.pipelines.split(",") if p.strip()]
    if not pipelines or any(p not in PIPELINES for p in pipelines):
        parser.error(f"--pipelines: a comma list of {', '.join(PIPELINES)}")
    args.tributary_bin = find_binary(args.tributary_bin, "tributary") if not args.tributary_bin else \
        os.path.abspath(args.tributary_bin)
    if not args.tributary_bin or not os.access(args.tributary_bin, os.X_OK):
        parser.error("no tributary binary: build the target tributary in build/release or pass --tributary-bin")
    if not os.access(os.path.join(args.venv, "bin", "python"), os.X_OK):
        parser.error(f"no virtualenv at {args.venv}: run bench/setup.sh")
    jars = sorted(os.path.join(args.spark_jars, n) for n in os.listdir(args.spark_jars) if n.endswith(".jar")) \
        if os.path.isdir(args.spark_jars) else []
    if not any("spark-sql-kafka" in j for j in jars) or not any("delta-spark" in j for j in jars):
        parser.error(f"{args.spark_jars} lacks the delta-spark or spark-sql-kafka jars: run bench/setup.sh")
    args.jar_list = ",".join(jars)
    cpus = sorted(os.sched_getaffinity(0))[:args.cores]
    if len(cpus) < args.cores:
        parser.error(f"--cores {args.cores} but only {len(cpus)} CPUs are available")

    facts = machine_facts()
    for name in ("pyspark", "delta-spark"):  # the runner's Python may lack them; the venv has them
        out = subprocess.run([os.path.join(args.venv, "bin", "python"), "-c",
                              f"from importlib import metadata; print(metadata.version('{name}'))"],
                             capture_output=True, text=True)
        facts[f"{name}_version"] = out.stdout.strip() or "not installed"
    facts["spark_jars"] = [os.path.basename(j) for j in jars]
    os.makedirs(args.work, exist_ok=True)
    broker_dir = None
    results = {}
    try:
        inputs = {}
        if "bronze" in pipelines:
            inputs["bronze"] = prepare_bronze(args)
        if "silver" in pipelines:
            if not args.bootstrap:
                broker_dir = os.path.join(args.work, "broker")
                shutil.rmtree(broker_dir, ignore_errors=True)
                args.bootstrap = subprocess.run([KAFKA_SH, "start", broker_dir], capture_output=True, text=True,
                                                check=True).stdout.strip().splitlines()[-1]
            inputs["silver"] = prepare_silver(args)
        for pipeline, data in inputs.items():
            print(f"{pipeline}: {data['rows']:,} records, {data['bytes'] / 1e6:.0f} MB", flush=True)
            results[pipeline] = {"input": data, "runs": {s: [] for s in SYSTEMS}}
        for round_index in range(args.repeat):
            order = SYSTEMS[round_index % 2:] + SYSTEMS[:round_index % 2]
            for pipeline in pipelines:
                for system in order:
                    results[pipeline]["runs"][system].append(
                        run_one(pipeline, system, args, cpus, inputs[pipeline], round_index))
    finally:
        if broker_dir:
            subprocess.run([KAFKA_SH, "stop", broker_dir], capture_output=True)
    for pipeline, res in results.items():
        res["summary"] = {s: summarize(res["runs"][s], res["input"]["rows"]) for s in SYSTEMS}
    facts["load_average_end"] = os.getloadavg()
    utc = datetime.datetime.now(datetime.timezone.utc)
    context = {"argv": sys.argv, "args": vars(args), "facts": facts, "results": results,
               "utc": utc.strftime("%Y-%m-%d %H:%M UTC")}
    print("\n" + "\n".join(figure_lines(results)) + "\n\n" + "\n".join(ratio_lines(results)))
    if args.output != "-":
        path = args.output or os.path.join(BENCH_DIR, "results", utc.strftime("%Y-%m-%d") + "-spark.md")
        write_report(path, context)
        print(f"report written to {path}")
    return 0 if all(all(res["summary"].values()) for res in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
