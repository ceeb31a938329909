"""The three triggers, rate limits, and restarts that pick up only new files."""
import signal

import tributary_e2e as e2e


def all_records(ids):
    return [e2e.make_record(i) for i in ids]


def test_available_now_splits_the_backlog_by_max_files(tributary_bin, workdir):
    ids = e2e.write_batch_files(workdir / "landing", 1, files=7, rows_per_file=10, compress_every=3)
    pipeline = e2e.write_pipeline(workdir, source_options={"cloudFiles.maxFilesPerTrigger": 2})
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 0, result
    progress = result.progress()
    batches = [p for p in progress if p["numInputRows"] > 0]
    assert len(batches) == 4, [p["numInputRows"] for p in progress]  # 2+2+2+1 files
    assert [p["numInputRows"] for p in batches] == [20, 20, 20, 10]
    assert [p["batchId"] for p in batches] == sorted(p["batchId"] for p in batches)
    table = e2e.table_dir(workdir)
    e2e.assert_exactly_once(table, ids)
    for reader in e2e.READERS.values():
        e2e.assert_rows_equal(reader(table), all_records(ids))


def test_max_bytes_per_trigger_bounds_batches(tributary_bin, workdir):
    ids = e2e.write_batch_files(workdir / "landing", 1, files=6, rows_per_file=20)
    one_file = min(p.stat().st_size for p in (workdir / "landing").iterdir())
    pipeline = e2e.write_pipeline(workdir, source_options={"cloudFiles.maxBytesPerTrigger": str(one_file)})
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 0, result
    batches = [p for p in result.progress() if p["numInputRows"] > 0]
    assert len(batches) >= 3, [p["numInputRows"] for p in batches]
    e2e.assert_exactly_once(e2e.table_dir(workdir), ids)


def test_once_takes_everything_in_one_batch(tributary_bin, workdir):
    ids = e2e.write_batch_files(workdir / "landing", 1, files=5, rows_per_file=7)
    pipeline = e2e.write_pipeline(workdir, trigger={"once": True},
                                  source_options={"cloudFiles.maxFilesPerTrigger": 1})
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 0, result
    batches = [p for p in result.progress() if p["numInputRows"] > 0]
    assert [p["numInputRows"] for p in batches] == [35]
    e2e.assert_exactly_once(e2e.table_dir(workdir), ids)


def test_restart_picks_up_only_new_files(tributary_bin, workdir):
    landing = workdir / "landing"
    first = e2e.write_batch_files(landing, 1, files=3, rows_per_file=10, prefix="first")
    pipeline = e2e.write_pipeline(workdir)
    assert e2e.run(tributary_bin, "run", pipeline).returncode == 0
    table = e2e.table_dir(workdir)
    e2e.assert_exactly_once(table, first)

    second = e2e.write_batch_files(landing / "later" / "2026", 1000, files=2, rows_per_file=10, prefix="second")
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 0, result
    assert sum(p["numInputRows"] for p in result.progress()) == 20
    e2e.assert_exactly_once(table, first + second)

    # Hidden and underscore files and folders are never ingested.
    e2e.write_json_lines(landing / "_staging" / "x.json", [e2e.make_record(9001)])
    e2e.write_json_lines(landing / ".hidden.json", [e2e.make_record(9002)])
    e2e.write_json_lines(landing / "_tmp.json", [e2e.make_record(9003)])
    version = e2e.delta_version(table)
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 0, result
    assert e2e.delta_version(table) == version
    e2e.assert_exactly_once(table, first + second)


def test_path_sink_and_include_existing_files_false(tributary_bin, workdir):
    landing = workdir / "landing"
    e2e.write_batch_files(landing, 1, files=2, rows_per_file=5, prefix="old")
    pipeline = e2e.write_pipeline(workdir, sink_path="./tables/events",
                                  source_options={"cloudFiles.includeExistingFiles": False})
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 0, result
    new = e2e.write_batch_files(landing, 100, files=2, rows_per_file=5, prefix="new")
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 0, result
    e2e.assert_exactly_once(workdir / "tables" / "events", new)


def test_processing_time_runs_until_sigterm(tributary_bin, workdir):
    landing = workdir / "landing"
    ids = e2e.write_batch_files(landing, 1, files=2, rows_per_file=10, prefix="first")
    pipeline = e2e.write_pipeline(workdir, trigger={"processingTime": "1 second"})
    table = e2e.table_dir(workdir)
    process = e2e.start(tributary_bin, "run", pipeline)
    try:
        e2e.wait_until(lambda: e2e.read_deltars(table).num_rows == 20, 60, "the first files in the table")
        assert process.poll() is None, "a processingTime query must keep running"
        ids += e2e.write_batch_files(landing, 100, files=3, rows_per_file=10, prefix="second")
        e2e.wait_until(lambda: e2e.read_deltars(table).num_rows == 50, 60, "the files added while running")
        ids += e2e.write_batch_files(landing, 200, files=1, rows_per_file=10, prefix="third")
        e2e.wait_until(lambda: e2e.read_deltars(table).num_rows == 60, 60, "the last file")
        returncode, stdout, stderr = e2e.stop(process, signal.SIGTERM)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert returncode == 0, stderr[-4000:]
    assert "stopped on signal" in stdout
    e2e.assert_exactly_once(table, ids)
    # Progress lines were logged for every batch that read rows.
    assert sum(p["numInputRows"] for p in e2e.parse_progress(stderr)) == 60


def test_two_interrupts_abandon_the_batch_and_a_restart_is_exactly_once(tributary_bin, workdir):
    landing = workdir / "landing"
    ids = e2e.write_batch_files(landing, 1, files=40, rows_per_file=50)
    pipeline = e2e.write_pipeline(workdir, trigger={"processingTime": "100 milliseconds"},
                                  source_options={"cloudFiles.maxFilesPerTrigger": 1})
    table = e2e.table_dir(workdir)
    process = e2e.start(tributary_bin, "run", pipeline)
    try:
        e2e.wait_until(lambda: e2e.read_deltars(table).num_rows > 0, 60, "a first committed batch")
        process.send_signal(signal.SIGINT)
        returncode, stdout, stderr = e2e.stop(process, signal.SIGINT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    # The second signal abandons the batch in flight (or comes after a clean stop).
    assert returncode == 0, stderr[-4000:]
    assert "stopping after the batch in flight" in stderr
    finished = e2e.run(tributary_bin, "run", e2e.write_pipeline(workdir, name="drain.yaml"))
    assert finished.returncode == 0, finished
    e2e.assert_exactly_once(table, ids)


def test_partition_by_writes_hive_directories(tributary_bin, workdir):
    records = [{"id": i, "kind": ["click", "view", "buy"][i % 3], "value": i} for i in range(1, 31)]
    e2e.write_json_lines(workdir / "landing" / "a.json", records)
    pipeline = e2e.write_pipeline(workdir, sink_extra={"partitionBy": ["kind"]})
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 0, result
    table = e2e.table_dir(workdir)
    assert sorted(p.name for p in table.iterdir() if p.name.startswith("kind=")) == [
        "kind=buy", "kind=click", "kind=view"]
    e2e.assert_exactly_once(table, [r["id"] for r in records])
    for reader in (e2e.read_deltars, e2e.read_duckdb):
        rows = {r["id"]: r for r in reader(table).to_pylist()}
        assert all(rows[r["id"]]["kind"] == r["kind"] and rows[r["id"]]["value"] == r["value"] for r in records)


def test_user_schema_from_yaml(tributary_bin, workdir):
    records = [{"id": i, "name": f"n{i}", "score": i + 0.25, "extra": "ignored"} for i in range(1, 11)]
    e2e.write_json_lines(workdir / "landing" / "a.json", records)
    pipeline = e2e.write_pipeline(workdir, source_extra={"schema": "id BIGINT, name STRING, score DOUBLE"},
                                  source_options={"cloudFiles.inferColumnTypes": False})
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 0, result
    table = e2e.table_dir(workdir)
    for name, reader in e2e.READERS.items():
        data = reader(table)
        # A provided schema: no inference, no rescued column unless asked for.
        assert data.schema.names == ["id", "name", "score"], name
        assert [str(t) for t in data.schema.types] == ["int64", "string", "double"], name
        rows = {r["id"]: r for r in data.to_pylist()}
        assert all(rows[r["id"]] == {"id": r["id"], "name": r["name"], "score": r["score"]} for r in records), name


def test_default_trigger_runs_until_stopped(tributary_bin, workdir):
    ids = e2e.write_batch_files(workdir / "landing", 1, files=3, rows_per_file=4)
    pipeline = e2e.write_pipeline(workdir, sink_extra={"trigger": None})
    text = pipeline.read_text().replace("  trigger: null\n", "")
    pipeline.write_text(text)
    table = e2e.table_dir(workdir)
    process = e2e.start(tributary_bin, "run", pipeline)
    try:
        e2e.wait_until(lambda: e2e.read_deltars(table).num_rows == 12, 60, "the backlog committed")
        ids += e2e.write_batch_files(workdir / "landing", 100, files=1, rows_per_file=4, prefix="later")
        e2e.wait_until(lambda: e2e.read_deltars(table).num_rows == 16, 60, "a file added while running")
        assert process.poll() is None
        returncode, _, stderr = e2e.stop(process, signal.SIGTERM)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert returncode == 0, stderr[-4000:]
    e2e.assert_exactly_once(table, ids)
