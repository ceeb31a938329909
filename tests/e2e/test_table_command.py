"""`tributary table describe|history|show|restore` on real tables (written by
`tributary run` and by deltalake), checked against deltalake's reads of the same
versions. deltalake runs in a child process (it can abort at interpreter exit)."""
import base64
import csv
import datetime
import decimal
import io
import json
import subprocess
import sys
import textwrap

import tributary_e2e as e2e

# Runs in a child Python: `write <path>` makes a table of three versions with every
# kind of column; `read <path> <version>` prints that version's rows and metadata.
DELTALAKE_TOOL = textwrap.dedent(r'''
    import base64, datetime, decimal, json, os, sys
    import pyarrow as pa
    from deltalake import DeltaTable, write_deltalake

    def spark_json(value, arrow_type):
        """A pyarrow value as Spark's to_json writes it; nulls in structs left out."""
        if value is None:
            return None
        if pa.types.is_struct(arrow_type):
            fields = {arrow_type.field(i).name: arrow_type.field(i).type for i in range(arrow_type.num_fields)}
            return {k: spark_json(v, fields[k]) for k, v in value.items() if v is not None}
        if pa.types.is_map(arrow_type):
            return {k: spark_json(v, arrow_type.item_type) for k, v in value}
        if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
            return [spark_json(v, arrow_type.value_type) for v in value]
        if isinstance(value, datetime.datetime):
            return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + \
                f"{value.microsecond // 1000:03d}Z"
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, bytes):
            return base64.b64encode(value).decode()
        if isinstance(value, (decimal.Decimal, float)):
            return {"__decimal__": str(value)}
        return value

    def row_json(row, schema):
        return {f.name: spark_json(row[f.name], f.type) for f in schema if row[f.name] is not None}

    command, path = sys.argv[1], sys.argv[2]
    if command == "write":
        utc = datetime.timezone.utc
        table = pa.table({
            "id": pa.array([1, 2, 3], pa.int64()),
            "name": ["a", None, "c,d \"q\""],
            "d": pa.array([datetime.date(2026, 11, 28), None, datetime.date(1969, 12, 31)]),
            "ts": pa.array([datetime.datetime(2026, 11, 28, 10, 0, 0, 123456, tzinfo=utc), None,
                            datetime.datetime(1969, 12, 31, 23, 59, 59, 1000, tzinfo=utc)], pa.timestamp("us", tz="UTC")),
            "dec": pa.array([decimal.Decimal("1.50"), None, decimal.Decimal("-2.25")], pa.decimal128(10, 2)),
            "f": pa.array([1.5, None, -0.25], pa.float64()),
            "ok": pa.array([True, False, None]),
            "b": pa.array([b"\x01\x02\xff", b"", None], pa.binary()),
            "s": pa.array([{"x": 1, "y": "q"}, None, {"x": None, "y": "z"}],
                          pa.struct([("x", pa.int32()), ("y", pa.string())])),
            "arr": pa.array([[1, None, 2], [], None], pa.list_(pa.int32())),
            "m": pa.array([[("k", 1), ("n", None)], None, []], pa.map_(pa.string(), pa.int32())),
        })
        write_deltalake(path, table)
        write_deltalake(path, table.slice(0, 1), mode="append")
        write_deltalake(path, table.slice(1, 2), mode="overwrite")
        out = {}
    else:
        dt = DeltaTable(path, version=int(sys.argv[3])) if len(sys.argv) > 3 else DeltaTable(path)
        data = dt.to_pyarrow_table()
        rows = [row_json(row, data.schema) for row in data.to_pylist()]
        actions = pa.table(dt.get_add_actions(flatten=True)).to_pylist()
        out = {
            "version": dt.version(),
            "rows": rows,
            "id": dt.metadata().id,
            "partitionColumns": dt.metadata().partition_columns,
            "numFiles": len(actions),
            "sizeInBytes": sum(a["size_bytes"] for a in actions),
            "minReaderVersion": dt.protocol().min_reader_version,
            "minWriterVersion": dt.protocol().min_writer_version,
            "history": [[h.get("version"), h.get("operation")] for h in dt.history()],
        }
    print(json.dumps(out))
    sys.stdout.flush()
    os._exit(0)
''')


def deltalake(*args):
    completed = subprocess.run([sys.executable, "-c", DELTALAKE_TOOL, *map(str, args)], capture_output=True,
                               text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout, object_hook=decode_decimal)


def decode_decimal(obj):
    return decimal.Decimal(obj["__decimal__"]) if set(obj) == {"__decimal__"} else obj


def json_rows(text):
    """Our JSON lines, numbers as Decimal so that decimals compare exactly."""
    return [json.loads(line, parse_float=decimal.Decimal, parse_int=decimal.Decimal) for line in text.splitlines()]


def table_cmd(tributary_bin, *args, cwd=None):
    return e2e.run(tributary_bin, "table", *args, cwd=cwd)


def by_id(rows):
    return sorted(rows, key=lambda row: row["id"])


def test_show_json_matches_deltalake_at_every_version(tributary_bin, workdir):
    path = workdir / "tbl"
    deltalake("write", path)
    for version in range(3):
        expected = deltalake("read", path, version)
        shown = table_cmd(tributary_bin, "show", path, "--version", version, "--format", "json")
        assert shown.returncode == 0, shown
        assert by_id(json_rows(shown.stdout)) == by_id(expected["rows"]), f"version {version}"
    latest = table_cmd(tributary_bin, "show", path, "--format", "json")
    assert by_id(json_rows(latest.stdout)) == by_id(deltalake("read", path)["rows"])


def test_show_writes_spark_json_text(tributary_bin, workdir):
    path = workdir / "tbl"
    deltalake("write", path)
    shown = table_cmd(tributary_bin, "show", path, "--version", 0, "--format", "json", "--where", "id = 1")
    assert shown.returncode == 0, shown
    assert shown.stdout == (
        '{"id":1,"name":"a","d":"2026-11-28","ts":"2026-11-28T10:00:00.123Z","dec":1.50,"f":1.5,"ok":true,'
        '"b":"AQL/","s":{"x":1,"y":"q"},"arr":[1,null,2],"m":{"k":1,"n":null}}\n')
    assert base64.b64decode("AQL/") == b"\x01\x02\xff"


def test_show_where_columns_limit_and_csv(tributary_bin, workdir):
    path = workdir / "tbl"
    deltalake("write", path)
    shown = table_cmd(tributary_bin, "show", path, "--version", 0, "--format", "csv", "--columns", "id,name",
                      "--where", "id >= 2")
    assert shown.returncode == 0, shown
    assert list(csv.reader(io.StringIO(shown.stdout))) == [["id", "name"], ["2", ""], ["3", 'c,d "q"']]
    limited = table_cmd(tributary_bin, "show", path, "--version", 0, "--limit", 2)
    assert limited.returncode == 0, limited
    lines = limited.stdout.splitlines()
    assert lines[1].split("|")[1].strip() == "id"
    assert len([line for line in lines if line.startswith("|")]) == 3  # header + 2 rows
    assert lines[-1] == "only showing top 2 rows"
    bad = table_cmd(tributary_bin, "show", path, "--where", "no_such_column > 1")
    assert bad.returncode == 1
    assert "no_such_column" in bad.stderr


def test_time_travel_by_timestamp_and_its_errors(tributary_bin, workdir):
    path = workdir / "tbl"
    deltalake("write", path)
    history = table_cmd(tributary_bin, "history", path, "--json")
    assert history.returncode == 0, history
    entries = [json.loads(line) for line in history.stdout.splitlines()]
    assert [entry["version"] for entry in entries] == [2, 1, 0]
    at_one = entries[1]["timestamp"]  # "2026-...T...Z", the commit timestamp of version 1
    shown = table_cmd(tributary_bin, "show", path, "--timestamp", at_one, "--format", "json")
    assert shown.returncode == 0, shown
    assert by_id(json_rows(shown.stdout)) == by_id(deltalake("read", path, 1)["rows"])

    first = datetime.datetime.fromisoformat(entries[2]["timestamp"].replace("Z", "+00:00"))
    before = (first - datetime.timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S")
    early = table_cmd(tributary_bin, "show", path, "--timestamp", before)
    assert early.returncode == 1
    assert "DELTA_TIMESTAMP_EARLIER_THAN_COMMIT_RETENTION" in early.stderr
    late = table_cmd(tributary_bin, "show", path, "--timestamp", "2999-01-01")
    assert late.returncode == 1
    assert "DELTA_TIMESTAMP_GREATER_THAN_COMMIT" in late.stderr
    missing = table_cmd(tributary_bin, "show", path, "--version", 9)
    assert missing.returncode == 1
    assert "Cannot time travel Delta table to version 9. Available versions: [0, 2]." in missing.stderr
    both = table_cmd(tributary_bin, "show", path, "--version", 1, "--timestamp", at_one)
    assert both.returncode == 2


def test_describe_and_history_match_deltalake(tributary_bin, workdir):
    path = workdir / "tbl"
    deltalake("write", path)
    expected = deltalake("read", path)
    described = table_cmd(tributary_bin, "describe", path, "--json")
    assert described.returncode == 0, described
    detail = json.loads(described.stdout)
    for key in ("id", "partitionColumns", "numFiles", "sizeInBytes", "minReaderVersion", "minWriterVersion"):
        assert detail[key] == expected[key], key
    assert detail["format"] == "delta"
    assert detail["location"] == str(path)
    assert "name" not in detail  # null, left out as Spark's toJSON does
    assert detail["tableFeatures"] == ["appendOnly", "invariants"]
    assert [field["name"] for field in detail["schema"]["fields"]][:3] == ["id", "name", "d"]
    text = table_cmd(tributary_bin, "describe", path)
    assert text.returncode == 0, text
    assert f"numFiles          {expected['numFiles']}" in text.stdout
    assert " |-- s: struct (nullable = true)\n |    |-- x: integer (nullable = true)" in text.stdout

    history = table_cmd(tributary_bin, "history", path, "--json", "--limit", 2)
    entries = [json.loads(line) for line in history.stdout.splitlines()]
    assert [[entry["version"], entry["operation"]] for entry in entries] == expected["history"][:2]
    assert entries[0]["operationParameters"] == {"mode": "Overwrite"}


def test_table_written_by_a_pipeline_by_name(tributary_bin, workdir):
    e2e.write_json_lines(workdir / "landing" / "a.json", [e2e.make_record(i) for i in range(1, 6)])
    pipeline = e2e.write_pipeline(workdir)
    assert e2e.run(tributary_bin, "run", pipeline, cwd=workdir).returncode == 0
    table = e2e.table_dir(workdir)
    expected = deltalake("read", table)

    shown = table_cmd(tributary_bin, "show", "test.bronze.events", "--format", "json", cwd=workdir)
    assert shown.returncode == 0, shown
    assert by_id(json_rows(shown.stdout)) == by_id(expected["rows"])

    described = table_cmd(tributary_bin, "describe", "test.bronze.events", "--json", "--warehouse",
                          workdir / "warehouse")
    assert described.returncode == 0, described
    detail = json.loads(described.stdout)
    assert detail["name"] == "test.bronze.events"
    assert detail["location"] == str(table)
    assert detail["numFiles"] == expected["numFiles"]

    history = table_cmd(tributary_bin, "history", "test.bronze.events", cwd=workdir)
    assert history.returncode == 0, history
    assert "STREAMING UPDATE" in history.stdout

    unknown = table_cmd(tributary_bin, "describe", "test.bronze.nope", cwd=workdir)
    assert unknown.returncode == 1
    assert "DELTA_MISSING_DELTA_TABLE" in unknown.stderr
    bad_name = table_cmd(tributary_bin, "describe", "events", cwd=workdir)
    assert bad_name.returncode == 1
    assert "a path needs a '/'" in bad_name.stderr


def test_restore_is_read_back_by_deltalake(tributary_bin, workdir):
    path = workdir / "tbl"
    deltalake("write", path)
    at_zero = deltalake("read", path, 0)
    restored = table_cmd(tributary_bin, "restore", path, "--version", 0, "--json")
    assert restored.returncode == 0, restored
    metrics = json.loads(restored.stdout)
    assert metrics["version"] == 3 and metrics["restoredVersion"] == 0
    assert metrics["numOfFilesAfterRestore"] == at_zero["numFiles"]
    assert metrics["tableSizeAfterRestore"] == at_zero["sizeInBytes"]
    after = deltalake("read", path)
    assert after["version"] == 3
    assert by_id(after["rows"]) == by_id(at_zero["rows"])
    assert after["history"][0] == [3, "RESTORE"]

    # By timestamp: the commit timestamp of version 2, as `history` shows it.
    history = [json.loads(line) for line in table_cmd(tributary_bin, "history", path, "--json").stdout.splitlines()]
    at_two = next(entry["timestamp"] for entry in history if entry["version"] == 2)
    assert history[0]["operationParameters"] == {"version": "0", "timestamp": None}
    assert history[0]["operationMetrics"]["numOfFilesAfterRestore"] == str(at_zero["numFiles"])
    by_time = table_cmd(tributary_bin, "restore", path, "--timestamp", at_two)
    assert by_time.returncode == 0, by_time
    assert "restored version 2 as version 4" in by_time.stdout
    assert by_id(deltalake("read", path)["rows"]) == by_id(deltalake("read", path, 2)["rows"])


def test_restore_names_a_vacuumed_file(tributary_bin, workdir):
    path = workdir / "tbl"
    deltalake("write", path)
    live = {add for add in json_actions(path, 2, "add")}
    gone = next(name for name in json_actions(path, 0, "add") if name not in live)
    (path / gone).unlink()
    restored = table_cmd(tributary_bin, "restore", path, "--version", 0)
    assert restored.returncode == 1
    assert str(path / gone) in restored.stderr
    assert deltalake("read", path)["version"] == 2  # nothing committed


def json_actions(path, version, kind):
    lines = (path / "_delta_log" / f"{version:020d}.json").read_text().splitlines()
    return [json.loads(line)[kind]["path"] for line in lines if kind in json.loads(line)]


def test_restore_a_pipeline_table_by_name(tributary_bin, workdir):
    e2e.write_json_lines(workdir / "landing" / "a.json", [e2e.make_record(i) for i in range(1, 4)])
    pipeline = e2e.write_pipeline(workdir)
    assert e2e.run(tributary_bin, "run", pipeline, cwd=workdir).returncode == 0
    table = e2e.table_dir(workdir)
    first = deltalake("read", table)
    e2e.write_json_lines(workdir / "landing" / "b.json", [e2e.make_record(i, "b") for i in range(4, 7)])
    assert e2e.run(tributary_bin, "run", pipeline, cwd=workdir).returncode == 0
    assert len(deltalake("read", table)["rows"]) == 6

    restored = table_cmd(tributary_bin, "restore", "test.bronze.events", "--version", first["version"], cwd=workdir)
    assert restored.returncode == 0, restored
    after = deltalake("read", table)
    assert sorted(row["id"] for row in after["rows"]) == sorted(row["id"] for row in first["rows"])
    shown = table_cmd(tributary_bin, "show", "test.bronze.events", "--format", "json", cwd=workdir)
    assert by_id(json_rows(shown.stdout)) == by_id(after["rows"])


def test_show_stops_reading_once_it_has_the_rows_it_prints(tributary_bin, workdir):
    path = workdir / "tbl"
    deltalake("write", path)  # version 2 holds one file of two rows
    # A second file, sorting after the first: `show --limit 1` must not need it.
    live = sorted(json_actions(path, 2, "add"))
    log = path / "_delta_log"
    extra = "zz-" + live[0]
    (path / extra).write_bytes((path / live[0]).read_bytes())
    actions = [json.loads(line) for line in (log / f"{2:020d}.json").read_text().splitlines()]
    add = next(action for action in actions if "add" in action)
    add["add"]["path"] = extra
    (log / f"{3:020d}.json").write_text(json.dumps(add) + "\n")
    assert len(json_rows(table_cmd(tributary_bin, "show", path, "--format", "json").stdout)) == 4
    (path / extra).unlink()
    limited = table_cmd(tributary_bin, "show", path, "--format", "json", "--limit", 1)
    assert limited.returncode == 0, limited
    assert len(json_rows(limited.stdout)) == 1
    everything = table_cmd(tributary_bin, "show", path, "--format", "json")
    assert everything.returncode == 1
    assert extra in everything.stderr
