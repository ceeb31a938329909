#!/usr/bin/env python3
"""End-to-end benchmark: Tributary against its peers on the same files, in the same run.

For one generated data set (bench/generate_data.py) and one format, each system ingests
every file into a fresh table, --repeat times, systems interleaved and their order rotated
per round so that the shared machine's noise falls on all of them alike:

  tributary  `tributary run pipeline.yaml`: cloudFiles + inferColumnTypes, availableNow,
             checkpointLocation, into a Delta table (the issue's pipeline).
  spark      Apache Spark + delta-spark, local[N]: batch schema inference, then
             readStream -> writeStream.format("delta").trigger(availableNow=True)
             (bench/peers/spark_ingest.py).
  delta-rs   pyarrow reads, deltalake.write_deltalake appends (bench/peers/deltars_ingest.py).
  duckdb     COPY (SELECT * FROM read_json(...)) TO ... (FORMAT parquet): the bronze issue's
             baseline; writes Parquet, not Delta (bench/peers/duckdb_ingest.py).

Each run is timed from process start to exit (wall clock), with user+system CPU of the
whole process tree (wait4) and peak memory: the largest single process (ru_maxrss) and the
sampled sum of RSS over the process tree (Spark is a Python driver plus a JVM). Each run is
verified: the table's row count, read with deltalake (duckdb for the Parquet file), must
equal the input's; a failed or wrong run is reported and left out of the medians.

Prints a table and writes a Markdown report with ratios (peer / Tributary) and the machine's
facts. Timings are never asserted anywhere: this is a benchmark, not a test.

    bench/setup.sh                                   # once: venv with pyspark, delta-spark, deltalake
    python3 bench/generate_data.py --out /tmp/bench-data --files 40 --rows 10000
    ~/.cache/tributary/bench-venv/bin/python bench/run_bench.py --data /tmp/bench-data
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from process_meter import run_measured  # noqa: E402
from report import write_report, print_table  # noqa: E402

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH_DIR)
SYSTEMS = ["tributary", "spark", "delta-rs", "duckdb"]


def find_tributary(explicit):
    candidates = [explicit] if explicit else [
        os.path.join(REPO, "build", name, "bin", "tributary")
        for name in ("h8", "release", "debug")] + [shutil.which("tributary")]
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return os.path.abspath(path)
    return None


def tributary_pipeline(input_dir, fmt, work):
    options = [f"cloudFiles.format: {fmt}",
               f"cloudFiles.schemaLocation: {json.dumps(os.path.join(work, 'schema'))}",
               "cloudFiles.inferColumnTypes: true"]
    if fmt == "csv":
        options += ["header: true", "escape: '\"'"]
    indent = "\n    "
    return (f"source:\n  format: cloudFiles\n  path: {json.dumps(input_dir)}\n  options:{indent}"
            f"{indent.join(options)}\n"
            f"sink:\n  format: delta\n  path: {json.dumps(os.path.join(work, 'table'))}\n"
            f"  trigger: {{availableNow: true}}\n  options:\n"
            f"    checkpointLocation: {json.dumps(os.path.join(work, 'checkpoint'))}\n")


def command_for(system, args, input_dir, work):
    """The command line of one run and where its output lands."""
    py = sys.executable
    table = os.path.join(work, "table")
    if system == "tributary":
        pipeline = os.path.join(work, "pipeline.yaml")
        with open(pipeline, "w") as f:
            f.write(tributary_pipeline(input_dir, args.format, work))
        return [args.tributary_bin, "run", pipeline], table
    if system == "spark":
        return [py, os.path.join(BENCH_DIR, "peers", "spark_ingest.py"), "--input", input_dir,
                "--format", args.format, "--table", table, "--checkpoint", os.path.join(work, "checkpoint"),
                "--cores", str(args.cores), "--driver-memory", args.spark_driver_memory], table
    if system == "delta-rs":
        return [py, os.path.join(BENCH_DIR, "peers", "deltars_ingest.py"), "--input", input_dir,
                "--format", args.format, "--table", table], table
    parquet = os.path.join(work, "out.parquet")
    return [py, os.path.join(BENCH_DIR, "peers", "duckdb_ingest.py"), "--input", input_dir,
            "--format", args.format, "--output", parquet, "--threads", str(args.cores)], parquet


def verify(system, output, expected_rows):
    """Row count of what the run produced, read by an independent reader; (ok, detail)."""
    rescued_rows = None
    try:
        if system == "duckdb":
            import duckdb
            rows = duckdb.connect().execute("SELECT count(*) FROM read_parquet(?)", [output]).fetchone()[0]
            files, columns, size = 1, None, os.path.getsize(output)
        else:
            from deltalake import DeltaTable
            table = DeltaTable(output)
            dataset = table.to_pyarrow_dataset()
            rows = dataset.count_rows()
            files = len(table.file_uris())
            columns = len(dataset.schema)
            size = sum(os.path.getsize(uri.removeprefix("file://")) for uri in table.file_uris())
            if "_rescued_data" in dataset.schema.names:  # every generated value fits its inferred type
                rescued = dataset.to_table(columns=["_rescued_data"]).column(0)
                rescued_rows = len(rescued) - rescued.null_count
    except Exception as error:  # any reader failure is a failed run, reported with its reason
        return False, {"error": f"{type(error).__name__}: {error}"}
    detail = {"rows": rows, "files": files, "columns": columns, "output_mb": round(size / 1e6, 1)}
    if rescued_rows is not None:
        detail["rescued_rows"] = rescued_rows
    if rows != expected_rows:
        detail["error"] = f"{rows} rows read back, {expected_rows} expected"
    elif rescued_rows:
        detail["error"] = f"{rescued_rows} rows have a non-null _rescued_data"
    return rows == expected_rows and not rescued_rows, detail


def tributary_progress(log_path):
    """Tributary's per-batch progress records (Spark's StreamingQueryProgress shape), from
    the `progress {...}` lines of its log."""
    records = []
    try:
        with open(log_path, errors="replace") as f:
            for line in f:
                start = line.find("{", line.find("progress "))
                if "progress " in line and "batchId" in line and start >= 0:
                    try:
                        records.append(json.loads(line[start:]))
                    except ValueError:
                        pass
    except OSError:
        pass
    return records


def progress_phases(records, start_epoch):
    """Batches, rows, seconds from process start to the end of the first committed batch,
    and the batches' phase times (durationMs summed, in seconds)."""
    batches = [r for r in records if r.get("numInputRows")]
    if not batches:
        return {}
    phases = {}
    for r in batches:
        for phase, ms in (r.get("durationMs") or {}).items():
            phases[phase] = phases.get(phase, 0) + ms / 1000
    out = {"batches": len(batches), "progress_rows": sum(r["numInputRows"] for r in batches)}
    first = batches[0]
    try:
        began = datetime.datetime.fromisoformat(first["timestamp"].replace("Z", "+00:00")).timestamp()
        out["first_commit_s"] = round(began + first["durationMs"]["triggerExecution"] / 1000 - start_epoch, 3)
    except (KeyError, TypeError, ValueError):
        pass
    out.update({f"{phase}_s": round(seconds, 3) for phase, seconds in phases.items()})
    return out


def warm_page_cache(input_dir):
    """Reads every input file once so no system pays the first cold read alone."""
    total = 0
    for name in sorted(os.listdir(input_dir)):
        with open(os.path.join(input_dir, name), "rb") as f:
            while chunk := f.read(1 << 20):
                total += len(chunk)
    return total


def machine_facts():
    facts = {"nproc": os.cpu_count(), "affinity": len(os.sched_getaffinity(0)),
             "load_average_start": os.getloadavg(), "kernel": platform.release(),
             "python": platform.python_version()}
    try:
        with open("/proc/cpuinfo") as f:
            facts["cpu"] = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "?")
        with open("/proc/meminfo") as f:
            facts["memory_gib"] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        facts["git_commit"] = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                                             capture_output=True, text=True).stdout.strip()
        facts["java"] = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    except (OSError, IndexError):
        pass
    for module in ("pyspark", "delta", "deltalake", "pyarrow", "duckdb"):
        try:
            from importlib import metadata
            name = {"delta": "delta-spark"}.get(module, module)
            facts[f"{name}_version"] = metadata.version(name)
        except Exception:
            facts[f"{module}_version"] = "not installed"
    return facts


def summarize(runs):
    good = [r for r in runs if r["ok"]]
    if not good:
        return None
    return {"runs": len(runs), "good": len(good),
            "wall_s": statistics.median(r["wall_s"] for r in good),
            "cpu_s": statistics.median(r["cpu_s"] for r in good),
            "tree_rss_mb": max(r["tree_peak_rss_mb"] for r in good),
            "max_process_rss_mb": max(r["max_process_rss_mb"] for r in good),
            "walls": [r["wall_s"] for r in good],
            "first_commit_s": statistics.median(firsts) if (firsts := [
                r["progress"]["first_commit_s"] for r in good if "first_commit_s" in r["progress"]]) else None}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="folder written by generate_data.py")
    parser.add_argument("--format", choices=["json", "csv"], default="json")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help=f"comma list of {', '.join(SYSTEMS)}")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cores", type=int, default=2, help="CPUs each run is pinned to (Spark: local[N])")
    parser.add_argument("--tributary-bin", help="path of the tributary binary (default: build/h8, release, debug)")
    parser.add_argument("--tributary-commit", help="commit the binary was built from, for the report "
                        "(default: this checkout's HEAD)")
    parser.add_argument("--work", default="/tmp/tributary-bench-work", help="scratch folder (emptied per run)")
    parser.add_argument("--spark-driver-memory", default="2g")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a run is killed")
    parser.add_argument("--output", help="Markdown report (default bench/results/<UTC date>.md; '-' for none)")
    args = parser.parse_args(argv)

    with open(os.path.join(args.data, "manifest.json")) as f:
        manifest = json.load(f)
    if args.format not in manifest["formats"]:
        parser.error(f"{args.data} has no {args.format} files; run generate_data.py --format {args.format}")
    input_dir = os.path.abspath(os.path.join(args.data, manifest["formats"][args.format]["dir"]))
    input_bytes = manifest["formats"][args.format]["bytes"]
    expected_rows = manifest["rows"]
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = [s for s in systems if s not in SYSTEMS]
    if unknown:
        parser.error(f"unknown system(s) {unknown}; known: {SYSTEMS}")
    if "tributary" in systems:
        args.tributary_bin = find_tributary(args.tributary_bin)
        if not args.tributary_bin:
            parser.error("no tributary binary found: build target `tributary` or pass --tributary-bin")
    cpus = sorted(os.sched_getaffinity(0))[:args.cores]
    if len(cpus) < args.cores:
        parser.error(f"--cores {args.cores} but only {len(cpus)} CPUs are available")

    facts = machine_facts()
    if args.tributary_commit:
        facts["git_commit"] = args.tributary_commit
    facts["warmed_bytes"] = warm_page_cache(input_dir)
    print(f"input: {expected_rows} rows in {manifest['files']} {args.format} files, {input_bytes / 1e6:.1f} MB; "
          f"{args.cores} CPU(s) per run; load average {facts['load_average_start']}", flush=True)

    runs = {s: [] for s in systems}
    for round_index in range(args.repeat):
        order = systems[round_index % len(systems):] + systems[:round_index % len(systems)]
        for system in order:
            work = os.path.join(args.work, system.replace("-", "_"))
            shutil.rmtree(work, ignore_errors=True)
            os.makedirs(work)
            command, output = command_for(system, args, input_dir, work)
            load_before = os.getloadavg()[0]
            result = run_measured(command, cpus=cpus, timeout_s=args.timeout,
                                  log_path=os.path.join(args.work, f"{system}-{round_index}.log"))
            records = (tributary_progress(result["log_path"]) if system == "tributary"
                       else result["report"].pop("progress", []))
            result["progress"] = progress_phases(records, result["start_epoch"])
            ok = result["returncode"] == 0
            detail = {"error": f"exit code {result['returncode']}; log {result['log_path']}"} if not ok else {}
            if ok:
                ok, detail = verify(system, output, expected_rows)
            result.update(ok=ok, verify=detail, load_before=load_before, round=round_index)
            runs[system].append(result)
            status = "ok" if ok else f"FAILED ({detail.get('error')})"
            print(f"  round {round_index + 1} {system:9s} wall {result['wall_s']:7.2f}s  cpu {result['cpu_s']:7.2f}s  "
                  f"tree rss {result['tree_peak_rss_mb']:7.0f} MB  load {load_before:.1f}  {status}", flush=True)

    facts["load_average_end"] = os.getloadavg()
    summary = {s: summarize(runs[s]) for s in systems}
    context = {"args": vars(args), "argv": sys.argv, "facts": facts, "manifest": manifest,
               "input_bytes": input_bytes, "expected_rows": expected_rows, "summary": summary, "runs": runs,
               "utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    print_table(context)
    if args.output != "-":
        path = args.output or os.path.join(BENCH_DIR, "results",
                                           datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d") + ".md")
        write_report(path, context)
        print(f"report written to {path}")
    return 0 if all(summary[s] for s in systems) else 1


if __name__ == "__main__":
    sys.exit(main())
