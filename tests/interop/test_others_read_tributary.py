"""Others reading what Tributary writes: tables written by `tributary run` (the bronze
example pipeline, a MERGE pipeline, a partitioned table, schema evolution, a table
with a checkpoint) read by Spark with delta-spark, by delta-rs and by DuckDB, row for
row; Spark's time travel, DESCRIBE HISTORY and a Structured Streaming read of a
Tributary table; Spark and Tributary appending to the same table in turn."""
import datetime
import gzip
import json
import shutil

import pytest
import yaml

import interop
import tributary_e2e as e2e

EXAMPLE = e2e.REPO / "examples" / "bronze"


def run_ok(tributary_bin, pipeline):
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 0, result
    return result


def assert_readers_agree(spark, path, expected_records=None, duckdb=True, deltars=True):
    """Spark, delta-rs and DuckDB (those asked for) read the same rows, and they are
    `expected_records` when given; returns the type and canonical rows Spark read."""
    kind, spark_rows = interop.spark_rows(spark, path)
    if deltars:
        _, deltars_rows = interop.deltars_rows(path, kind=kind)
        interop.assert_same_rows(spark_rows, deltars_rows, f"delta-rs vs Spark on {path}")
    if duckdb:
        duckdb_rows = interop.canonical_rows(kind, e2e.read_duckdb(path).to_pylist())
        interop.assert_same_rows(spark_rows, duckdb_rows, f"DuckDB vs Spark on {path}")
    if expected_records is not None:
        interop.assert_same_rows(interop.canonical_rows(kind, expected_records), spark_rows,
                                 f"Spark on {path} vs the input")
    return kind, spark_rows


def history(spark, path):
    """DESCRIBE HISTORY as {version: row dict}."""
    rows = spark.sql(f"DESCRIBE HISTORY delta.`{path}`").collect()
    return {row["version"]: row.asDict() for row in rows}


# ----------------------------------------------------------------- one-file-per-batch

def events_pipeline(root, files, rows_per_file=5, first_id=0, **pipeline_args):
    """JSON events in `files` files under root/landing, one micro-batch per file."""
    ids = e2e.write_batch_files(root / "landing", first_id, files, rows_per_file, prefix=f"p{first_id}")
    options = {"cloudFiles.maxFilesPerTrigger": 1}
    options.update(pipeline_args.pop("source_options", {}))
    return e2e.write_pipeline(root, source_options=options, **pipeline_args), ids


def records_for(ids):
    return [e2e.make_record(i) for i in ids]


@pytest.fixture(scope="module")
def twelve_commits(tmp_path_factory, tributary_bin):
    """A table of 12 streaming appends (versions 1..12 after CREATE TABLE at 0), so
    Tributary has written a checkpoint at version 10."""
    root = tmp_path_factory.mktemp("twelve")
    pipeline, ids = events_pipeline(root, files=12)
    run_ok(tributary_bin, pipeline)
    path = e2e.table_dir(root)
    assert e2e.delta_version(path) == 12
    return path, ids


@pytest.mark.ci
def test_bronze_example_is_read_alike_by_spark_deltars_and_duckdb(spark, tributary_bin, workdir):
    example = workdir / "bronze"
    example.mkdir()
    shutil.copy(EXAMPLE / "pipeline.yaml", example / "pipeline.yaml")
    shutil.copytree(EXAMPLE / "sample" / "events", example / "landing" / "events")
    run_ok(tributary_bin, example / "pipeline.yaml")
    path = e2e.table_dir(example, "prod.bronze.raw_events")
    records = []
    for file in sorted((example / "landing" / "events").rglob("*")):
        if file.is_file():
            data = file.read_bytes()
            data = gzip.decompress(data) if file.suffix == ".gz" else data
            records.extend(json.loads(line) for line in data.decode().splitlines() if line)
    assert len(records) == 392
    kind, rows = assert_readers_agree(spark, path, records)
    names = [name for name, _ in kind[1]]
    assert "user" in names and "items" in names and "event_id" in names


@pytest.mark.ci
def test_spark_time_travels_by_version_and_timestamp(spark, twelve_commits):
    path, ids = twelve_commits
    commits = history(spark, path)
    assert sorted(commits) == list(range(13))
    for version in (0, 5, 12):
        expected = records_for(ids[:5 * version])
        kind, by_version = interop.spark_rows(spark, path, version=version)
        interop.assert_same_rows(interop.canonical_rows(kind, expected), by_version,
                                 f"Spark versionAsOf {version}")
        _, deltars = interop.deltars_rows(path, version=version, kind=kind)
        interop.assert_same_rows(by_version, deltars, f"delta-rs version {version}")
        moment = commits[version]["timestamp"].strftime("%Y-%m-%d %H:%M:%S.%f")
        _, by_time = interop.spark_rows(spark, path, timestamp=moment)
        interop.assert_same_rows(by_version, by_time, f"Spark timestampAsOf {moment} (version {version})")


@pytest.mark.ci
def test_describe_history_shows_tributarys_commits(spark, twelve_commits):
    path, _ = twelve_commits
    commits = history(spark, path)
    assert commits[0]["operation"] == "CREATE TABLE"
    query_ids = set()
    for version in range(1, 13):
        commit = commits[version]
        assert commit["operation"] == "STREAMING UPDATE", commit
        parameters = commit["operationParameters"]
        assert parameters["outputMode"] == "Append", commit
        assert parameters["epochId"] == str(version - 1), commit
        query_ids.add(parameters["queryId"])
        assert commit["operationMetrics"]["numOutputRows"] == "5", commit
        assert commit["isBlindAppend"] is True, commit
        assert commit["engineInfo"].startswith("Tributary/"), commit
    assert len(query_ids) == 1
    times = [commits[v]["timestamp"] for v in range(13)]
    assert times == sorted(times)


@pytest.mark.ci
def test_spark_reads_tributarys_checkpoint_without_the_commits_before_it(spark, twelve_commits, workdir):
    path, ids = twelve_commits
    log = path / "_delta_log"
    last = json.loads((log / "_last_checkpoint").read_text())
    assert last["version"] == 10, last
    assert (log / "00000000000000000010.checkpoint.parquet").is_file()
    # A copy without commits 0..9: Spark, delta-rs and DuckDB can only get there
    # through the checkpoint.
    copy = workdir / "copy"
    shutil.copytree(path, copy)
    for version in range(10):
        (copy / "_delta_log" / f"{version:020d}.json").unlink()
    assert_readers_agree(spark, copy, records_for(ids))


def test_spark_streams_a_tributary_table_every_row_once(spark, twelve_commits, workdir):
    path, ids = twelve_commits
    sink = workdir / "sink"
    query = (spark.readStream.format("delta").option("maxFilesPerTrigger", 3).load(str(path))
             .writeStream.format("delta").option("checkpointLocation", str(workdir / "checkpoint"))
             .trigger(availableNow=True).start(str(sink)))
    query.awaitTermination(timeout=300)
    assert not query.isActive, "the availableNow query did not finish"
    assert query.exception() is None
    assert_readers_agree(spark, sink, records_for(ids), duckdb=False)
    batches = spark.sql(f"DESCRIBE HISTORY delta.`{sink}`").where("operation = 'STREAMING UPDATE'").count()
    assert batches >= 4, "maxFilesPerTrigger 3 over 12 files makes at least 4 batches"


# ---------------------------------------------------------------------------- MERGE

def orders_files(landing, rounds):
    """Order events in one file per round, each round inserting 4 new order_ids and
    updating the 6 newest of the round before; returns the expected table state after
    each round."""
    state = {}
    states = []
    for round_index in range(rounds):
        records = []
        for key in range(round_index * 4, round_index * 4 + 10):
            order = {"order_id": f"o{key:03d}", "status": f"s{round_index}", "amount": key + round_index / 4,
                     "qty": key * 10 + round_index, "round": round_index}
            records.append(order)
            state[order["order_id"]] = order
        e2e.write_json_lines(landing / f"orders-{round_index:03d}.json", records)
        states.append(list(state.values()))
    return states


def merge_pipeline(root):
    pipeline = {
        "warehouse": "./warehouse",
        "source": {"format": "cloudFiles", "path": "./landing/",
                   "options": {"cloudFiles.format": "json", "cloudFiles.schemaLocation": "./checkpoints/schema",
                               "cloudFiles.inferColumnTypes": True, "cloudFiles.maxFilesPerTrigger": 1}},
        "transform": [{"drop": ["_rescued_data"]}],
        "sink": {"merge": {"into": "prod.silver.orders", "on": "t.order_id = s.order_id",
                           "whenMatched": [{"update": "*"}], "whenNotMatched": [{"insert": "*"}]},
                 "options": {"checkpointLocation": "./checkpoints/merge"}, "trigger": {"availableNow": True}},
    }
    path = root / "merge.yaml"
    path.write_text(yaml.safe_dump(pipeline, sort_keys=False))
    return path


@pytest.mark.ci
def test_merge_pipeline_is_read_alike_by_spark_deltars_and_duckdb(spark, tributary_bin, workdir):
    states = orders_files(workdir / "landing", rounds=4)
    run_ok(tributary_bin, merge_pipeline(workdir))
    path = e2e.table_dir(workdir, "prod.silver.orders")
    kind, _ = assert_readers_agree(spark, path, states[-1])
    # Version 0 creates the table, version 1 + r merges round r.
    _, after_second = interop.spark_rows(spark, path, version=2)
    interop.assert_same_rows(interop.canonical_rows(kind, states[1]), after_second, "Spark versionAsOf 2")
    commits = history(spark, path)
    assert [commits[v]["operation"] for v in sorted(commits)] == ["CREATE TABLE"] + ["MERGE"] * 4
    metrics = [commits[v]["operationMetrics"] for v in range(1, 5)]
    assert [int(m["numTargetRowsInserted"]) for m in metrics] == [10, 4, 4, 4]
    assert [int(m["numTargetRowsUpdated"]) for m in metrics] == [0, 6, 6, 6]
    assert [int(m["numOutputRows"]) for m in metrics] == [10, 14, 18, 22]


# ------------------------------------------------------------------------ partitions

PARTITION_VALUES = ["plain", "", None, "a b", "x/y", "100%", "k=v", "colon:x", "é ü", "#hash", "quote'\""]


def sql_string(value):
    """A Spark SQL string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


@pytest.mark.ci
def test_partitioned_table_with_null_empty_and_escaped_values(spark, tributary_bin, workdir):
    records = []
    for index, region in enumerate(PARTITION_VALUES):
        for k in range(3):
            record = {"id": index * 10 + k, "region": region, "bucket": None if k == 2 else k, "v": f"r{index}-{k}"}
            records.append(record)
    e2e.write_json_lines(workdir / "landing" / "rows.json", records)
    pipeline = e2e.write_pipeline(workdir, sink_extra={"partitionBy": ["region", "bucket"]})
    run_ok(tributary_bin, pipeline)
    path = e2e.table_dir(workdir)
    # Spark writes an empty partition string as null, and reads it back so.
    expected = [dict(r, region=None if r["region"] == "" else r["region"]) for r in records]
    assert_readers_agree(spark, path, expected)
    details = spark.sql(f"DESCRIBE DETAIL delta.`{path}`").collect()[0]
    assert list(details["partitionColumns"]) == ["region", "bucket"]
    for region in ("x/y", "100%", "é ü", "quote'\""):
        frame = interop.spark_read(spark, path).where(f"region = {sql_string(region)}")
        assert sorted(r["id"] for r in frame.collect()) == sorted(r["id"] for r in records
                                                                  if r["region"] == region), region
    nulls = interop.spark_read(spark, path).where("region IS NULL AND bucket IS NULL").collect()
    assert sorted(r["id"] for r in nulls) == [12, 22]


# ------------------------------------------------------------------- schema evolution

def test_schema_evolution_is_read_alike(spark, tributary_bin, workdir):
    first = [{"id": i, "name": f"n{i}", "nested": {"x": i}} for i in range(5)]
    e2e.write_json_lines(workdir / "landing" / "a.json", first)
    pipeline = e2e.write_pipeline(workdir)
    run_ok(tributary_bin, pipeline)
    second = [{"id": i, "name": f"n{i}", "nested": {"x": i, "y": f"y{i}"}, "color": f"c{i}"} for i in range(5, 9)]
    e2e.write_json_lines(workdir / "landing" / "b.json", second)
    stopped = e2e.run(tributary_bin, "run", pipeline)
    assert stopped.returncode == 3, stopped  # addNewColumns: the stream stops on new columns
    run_ok(tributary_bin, pipeline)
    path = e2e.table_dir(workdir)
    kind, _ = assert_readers_agree(spark, path, first + second)
    names = [name for name, _ in kind[1]]
    assert "color" in names
    nested = dict(kind[1])["nested"]
    assert [name for name, _ in nested[1]] == ["x", "y"]
    _, old = interop.spark_rows(spark, path, version=1)
    interop.assert_same_rows(interop.canonical_rows(interop.type_of_spark(
        interop.spark_read(spark, path, version=1).schema), first), old, "Spark versionAsOf 1")


# --------------------------------------------------------- Spark and Tributary in turn

@pytest.mark.ci
def test_spark_appends_between_tributary_runs(spark, tributary_bin, workdir):
    pipeline, ids = events_pipeline(workdir, files=3)
    run_ok(tributary_bin, pipeline)
    path = e2e.table_dir(workdir)
    # Spark appends rows of the same shape (its own schema read from the table).
    schema = interop.spark_read(spark, path).schema
    spark_ids = list(range(1000, 1008))
    frame = spark.createDataFrame([spark_record(schema, i) for i in spark_ids], schema)
    frame.write.format("delta").mode("append").save(str(path))
    spark_version = e2e.delta_version(path)
    # Tributary keeps appending, past a checkpoint (version 10) over Spark's commit.
    more = e2e.write_batch_files(workdir / "landing", 100, 8, 5, prefix="later")
    run_ok(tributary_bin, pipeline)
    assert e2e.delta_version(path) == spark_version + 8
    expected = records_for(ids) + [spark_record_dict(i) for i in spark_ids] + records_for(more)
    assert_readers_agree(spark, path, expected)
    assert (path / "_delta_log" / "00000000000000000010.checkpoint.parquet").is_file()
    engines = {c["version"]: (c["engineInfo"] or "") for c in
               spark.sql(f"DESCRIBE HISTORY delta.`{path}`").collect()}
    assert engines[spark_version].startswith("Apache-Spark"), engines
    assert engines[spark_version + 1].startswith("Tributary/"), engines


def spark_record_dict(record_id):
    record = e2e.make_record(record_id, batch="spark")
    record["_rescued_data"] = None
    return record


def spark_record(schema, record_id):
    from pyspark.sql import Row
    record = spark_record_dict(record_id)
    values = []
    for field in schema.fields:
        value = record.get(field.name)
        if field.name == "nested":
            value = Row(**{f.name: value[f.name] for f in field.dataType.fields})
        values.append(value)
    return tuple(values)


# ------------------------------------------------------------------- data skipping

STATS_SCHEMA = "id BIGINT, name STRING, amount DOUBLE, ts TIMESTAMP, day DATE, nested STRUCT<x: BIGINT>"


def stats_record(i):
    """Values rising with the id, so each file covers its own range of every column;
    timestamps with microseconds (statistics are kept to the millisecond)."""
    moment = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(
        minutes=i, microseconds=i * 7 + 999)
    return {"id": i, "name": f"name-{i:04d}", "amount": i * 1.5 - 40, "ts": moment.isoformat().replace("+00:00", "Z"),
            "day": (datetime.date(2024, 1, 1) + datetime.timedelta(days=i // 3)).isoformat(), "nested": {"x": i * 10}}


@pytest.mark.ci
def test_spark_filters_over_tributarys_file_statistics(spark, tributary_bin, workdir):
    """Spark skips files by the min/max statistics Tributary writes: wrong statistics
    would drop matching rows from filtered reads."""
    records = [stats_record(i) for i in range(60)]
    for index in range(6):
        e2e.write_json_lines(workdir / "landing" / f"f{index}.json", records[index * 10:(index + 1) * 10])
    pipeline = e2e.write_pipeline(workdir, source_options={"cloudFiles.maxFilesPerTrigger": 1},
                                  source_extra={"schema": STATS_SCHEMA})
    run_ok(tributary_bin, pipeline)
    path = e2e.table_dir(workdir)
    adds = [json.loads(line)["add"] for file in sorted((path / "_delta_log").glob("*.json"))
            for line in file.read_text().splitlines() if line.startswith('{"add"')]
    assert len(adds) == 6 and all("stats" in a for a in adds), adds
    frame = interop.spark_read(spark, path)
    ts = {r["id"]: r["ts"] for r in frame.select("id", "ts").collect()}
    checks = {
        "id = 19": lambda r: r["id"] == 19,
        "id >= 17 AND id < 33": lambda r: 17 <= r["id"] < 33,
        "name = 'name-0041'": lambda r: r["name"] == "name-0041",
        "name > 'name-0055'": lambda r: r["name"] > "name-0055",
        "amount <= -30.5": lambda r: r["amount"] <= -30.5,
        "nested.x = 290": lambda r: r["nested"]["x"] == 290,
        "day = DATE'2024-01-07'": lambda r: r["day"] == "2024-01-07",
        # The largest timestamp of a file, to the microsecond.
        f"ts = TIMESTAMP'{ts[29].strftime('%Y-%m-%d %H:%M:%S.%f')}'": lambda r: r["id"] == 29,
        f"ts > TIMESTAMP'{ts[39].strftime('%Y-%m-%d %H:%M:%S.%f')}'": lambda r: r["id"] > 39,
    }
    for condition, keep in checks.items():
        got = sorted(r["id"] for r in frame.where(condition).select("id").collect())
        assert got == [r["id"] for r in records if keep(r)], condition


@pytest.mark.ci
def test_tributary_appends_to_a_spark_table_with_deletion_vectors(spark, tributary_bin, workdir):
    """Spark's deletion vectors stay in force on its files while Tributary appends."""
    path = workdir / "warehouse" / "spark_dv"
    spark.sql(f"""CREATE TABLE delta.`{path}` (id BIGINT, v STRING) USING delta
                  TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')""")
    spark.createDataFrame([(i, f"spark-{i}") for i in range(50)], "id BIGINT, v STRING") \
        .write.format("delta").mode("append").save(str(path))
    spark.sql(f"DELETE FROM delta.`{path}` WHERE id % 3 = 0")
    deleted = interop.spark_read(spark, path).count()
    assert deleted == 33
    records = [{"id": 100 + i, "v": f"tributary-{i}"} for i in range(10)]
    e2e.write_json_lines(workdir / "landing" / "rows.json", records)
    pipeline = e2e.write_pipeline(workdir, sink_path="./warehouse/spark_dv", source_extra={"schema": "id BIGINT, v STRING"})
    run_ok(tributary_bin, pipeline)
    expected = [{"id": i, "v": f"spark-{i}"} for i in range(50) if i % 3] + records
    # delta-rs 1.6.6 does not read deletion vectors: Spark and DuckDB do.
    assert_readers_agree(spark, path, expected, deltars=False)
