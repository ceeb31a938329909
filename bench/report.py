"""Formats run_bench.py's results: a console table and a Markdown report with ratios."""

import os

WHAT = {
    "tributary": "`tributary run` (cloudFiles, inferColumnTypes, availableNow) -> Delta",
    "spark": "Spark local[N] + delta-spark: batch inference, readStream -> writeStream delta availableNow",
    "delta-rs": "pyarrow read (inferred schema) -> deltalake.write_deltalake, one commit",
    "duckdb": "DuckDB COPY (SELECT * FROM read_json/read_csv) TO parquet (not Delta)",
}


def _baseline(context):
    summary = context["summary"]
    if summary.get("tributary"):
        return "tributary"
    return next((s for s, v in summary.items() if v), None)


def _rows(context):
    """One row of figures per system, with ratios against the baseline (peer / baseline)."""
    summary, mb = context["summary"], context["input_bytes"] / 1e6
    base = _baseline(context)
    rows = []
    for system, s in summary.items():
        if not s:
            rows.append({"system": system, "failed": True})
            continue
        b = summary[base]
        rows.append({
            "system": system, "failed": False, "good": f"{s['good']}/{s['runs']}",
            "wall_s": s["wall_s"], "cpu_s": s["cpu_s"],
            "rows_per_s": context["expected_rows"] / s["wall_s"], "mb_per_s": mb / s["wall_s"],
            "mb_per_cpu_s": mb / s["cpu_s"] if s["cpu_s"] > 0 else float("nan"),
            "rss_mb": s["tree_rss_mb"],
            "first_commit": "" if s.get("first_commit_s") is None else f"{s['first_commit_s']:.2f}",
            "wall_ratio": s["wall_s"] / b["wall_s"], "cpu_ratio": s["cpu_s"] / b["cpu_s"] if b["cpu_s"] else float("nan"),
            "rss_ratio": s["tree_rss_mb"] / b["tree_rss_mb"] if b["tree_rss_mb"] else float("nan"),
        })
    return base, rows


def print_table(context):
    base, rows = _rows(context)
    print(f"\n{'system':10s} {'ok':>5s} {'wall s':>8s} {'cpu s':>8s} {'rows/s':>10s} {'MB/s':>7s} "
          f"{'MB/cpu-s':>9s} {'peak MB':>8s} {'wall x':>7s} {'cpu x':>7s} {'mem x':>7s}   (x = system / {base})")
    for r in rows:
        if r["failed"]:
            print(f"{r['system']:10s}  every run failed")
            continue
        print(f"{r['system']:10s} {r['good']:>5s} {r['wall_s']:8.2f} {r['cpu_s']:8.2f} {r['rows_per_s']:10.0f} "
              f"{r['mb_per_s']:7.1f} {r['mb_per_cpu_s']:9.1f} {r['rss_mb']:8.0f} {r['wall_ratio']:7.2f} "
              f"{r['cpu_ratio']:7.2f} {r['rss_ratio']:7.2f}")


def _fmt_facts(facts):
    load_start = ", ".join(f"{x:.2f}" for x in facts["load_average_start"])
    load_end = ", ".join(f"{x:.2f}" for x in facts["load_average_end"])
    lines = [
        f"- CPU: {facts.get('cpu', '?')}; nproc {facts['nproc']} (usable {facts['affinity']}); "
        f"memory {facts.get('memory_gib', '?')} GiB; Linux {facts['kernel']}",
        f"- load average (1, 5, 15 min) at start: {load_start}; at end: {load_end}",
        f"- tributary commit {facts.get('git_commit', '?')}; {facts.get('java', 'java ?')}; "
        f"Python {facts['python']}",
        "- " + ", ".join(f"{k.replace('_version', '')} {v}" for k, v in facts.items() if k.endswith("_version")),
    ]
    return "\n".join(lines)


def write_report(path, context):
    base, rows = _rows(context)
    args, facts, manifest = context["args"], context["facts"], context["manifest"]
    mb = context["input_bytes"] / 1e6
    out = [f"# End-to-end ingest benchmark, {context['utc']}", ""]
    out += [f"Input: {context['expected_rows']:,} events in {manifest['files']} {args['format'].upper()} files "
            f"({manifest['rows_per_file']:,} rows each, {mb:.1f} MB), from `bench/generate_data.py` "
            f"(seed {manifest['seed']}). Each run pinned to {args['cores']} CPU(s); {args['repeat']} rounds, systems "
            "interleaved and rotated per round; input files read once before timing (warm page cache).", ""]
    out += ["Command: `" + " ".join(context["argv"]) + "`", ""]
    out += ["## Results (medians of verified runs)", "",
            f"Ratios are system / {base}: above 1 means slower (time) or larger (memory) than {base}.", "",
            "| system | verified runs | wall s | CPU s | rows/s | MB/s | MB per CPU-s | peak RSS MB (tree) "
            "| wall ratio | CPU ratio | memory ratio | first commit s |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if r["failed"]:
            out.append(f"| {r['system']} | 0 | every run failed | | | | | | | | | |")
            continue
        out.append(f"| {r['system']} | {r['good']} | {r['wall_s']:.2f} | {r['cpu_s']:.2f} | {r['rows_per_s']:,.0f} "
                   f"| {r['mb_per_s']:.1f} | {r['mb_per_cpu_s']:.1f} | {r['rss_mb']:.0f} | {r['wall_ratio']:.2f} "
                   f"| {r['cpu_ratio']:.2f} | {r['rss_ratio']:.2f} | {r['first_commit']} |")
    out += ["", "First commit: seconds from process start to the end of the first committed batch, from the "
            "streaming progress records (Tributary's and Spark's have the same shape); blank where a system "
            "has none.", "", "What each system does:", ""]
    out += [f"- **{s}**: {WHAT[s]}" for s in context["summary"]]
    out += ["", "## Machine", "", _fmt_facts(facts), "",
            "The machine is shared (2 cores, several engineers compiling at the same time) and noisy: "
            "the load average above says how busy it was. Wall times carry that noise; CPU seconds "
            "(user + system over the whole process tree) are less sensitive to it, so compare both. "
            "Peak RSS is the sampled sum over the process tree (the Spark driver and its JVM together).", ""]
    out += ["## Every run", "",
            "| round | system | wall s | CPU s | peak RSS MB (tree) | largest process MB | load before | verified | phases |",
            "|---|---|---|---|---|---|---|---|---|"]
    for system, runs in context["runs"].items():
        for r in runs:
            v = r["verify"]
            verdict = (f"{v.get('rows')} rows, {v.get('columns') or '?'} columns, {v.get('files')} files, "
                       f"{v.get('output_mb')} MB"
                       + (f", {v['rescued_rows']} rescued" if "rescued_rows" in v else "") if r["ok"]
                       else "FAILED: " + str(r["verify"].get("error", "")).replace("|", "/"))
            figures = {**{k: v for k, v in r["report"].items() if k.endswith("_s")}, **r.get("progress", {})}
            phases = ", ".join(f"{k} {v}" for k, v in figures.items() if k != "progress_rows")
            out.append(f"| {r['round'] + 1} | {system} | {r['wall_s']:.2f} | {r['cpu_s']:.2f} | "
                       f"{r['tree_peak_rss_mb']:.0f} | {r['max_process_rss_mb']:.0f} | {r['load_before']:.1f} | "
                       f"{verdict} | {phases} |")
    out += ["", "Row counts are read back with deltalake (delta-rs) from each Delta table (DuckDB reads its "
            "own Parquet file) and must equal the generated rows; a run that fails this is left out of the medians.",
            "Timings are measured, never asserted: see `bench/README.md`.", ""]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(out))
