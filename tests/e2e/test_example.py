"""The bundled example pipelines, run by the binary (and the C++ example program) on
the bundled sample data, checked row by row with three independent readers."""
import csv
import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pyarrow as pa
import pytest

import tributary_e2e as e2e

EXAMPLE = e2e.REPO / "examples" / "bronze"


def sample_events():
    records = []
    for path in sorted((EXAMPLE / "sample" / "events").rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            records.extend(json.loads(line) for line in data.decode().splitlines() if line)
    return records


def copy_example(workdir):
    """The example folder with its sample data staged into landing/, as run_example.sh does."""
    target = workdir / "bronze"
    target.mkdir()
    for name in ("pipeline.yaml", "pipeline_csv.yaml"):
        shutil.copy(EXAMPLE / name, target / name)
    shutil.copytree(EXAMPLE / "sample" / "events", target / "landing" / "events")
    shutil.copytree(EXAMPLE / "sample" / "orders", target / "landing" / "orders")
    return target


def check_events_table(table_path):
    records = sample_events()
    assert len(records) == 392
    for name, reader in e2e.READERS.items():
        table = reader(table_path)
        schema = table.schema
        # inferColumnTypes: longs, doubles, booleans, structs and arrays, as Spark infers them.
        assert schema.field("duration_ms").type == pa.int64(), name
        assert schema.field("amount").type == pa.float64(), name
        user = schema.field("user").type
        assert pa.types.is_struct(user), name
        assert user.field("id").type == pa.int64() and user.field("is_premium").type == pa.bool_(), name
        items = schema.field("items").type
        assert pa.types.is_list(items) and pa.types.is_struct(items.value_type), name
        assert items.value_type.field("price").type == pa.float64(), name
        assert schema.field("event_id").type == pa.string(), name
        if "_rescued_data" in schema.names:
            assert table.column("_rescued_data").null_count == table.num_rows, f"{name}: rows were rescued"
        e2e.assert_rows_equal(table, records, key="event_id")


def test_example_pipeline_from_another_directory(tributary_bin, workdir):
    example = copy_example(workdir)
    elsewhere = workdir / "elsewhere"
    elsewhere.mkdir()
    # Relative paths in the YAML resolve against its folder, not the working directory.
    result = e2e.run(tributary_bin, "run", example / "pipeline.yaml", cwd=elsewhere)
    assert result.returncode == 0, result
    table_path = e2e.table_dir(example, "prod.bronze.raw_events")
    assert (table_path / "_delta_log").is_dir()
    assert not (elsewhere / "warehouse").exists()
    assert (example / "checkpoints" / "schema" / "raw_events" / "_schemas").is_dir()
    check_events_table(table_path)
    progress = result.progress()
    assert progress, "no progress lines in the log"
    assert sum(p["numInputRows"] for p in progress) == 392
    assert progress[-1]["sources"][0]["metrics"]["numFilesOutstanding"] in ("0", 0)

    # A second run finds nothing new and commits nothing.
    version = e2e.delta_version(table_path)
    again = e2e.run(tributary_bin, "run", example / "pipeline.yaml", cwd=elsewhere)
    assert again.returncode == 0, again
    assert sum(p["numInputRows"] for p in again.progress()) == 0
    assert e2e.delta_version(table_path) == version
    check_events_table(table_path)


def test_validate_prints_the_plan(tributary_bin, workdir):
    example = copy_example(workdir)
    result = e2e.run(tributary_bin, "validate", example / "pipeline.yaml")
    assert result.returncode == 0, result
    assert f"source.path: {example}/landing/events/" in result.stdout
    assert "sink.table: prod.bronze.raw_events" in result.stdout
    assert "sink.trigger: availableNow" in result.stdout
    assert not (example / "warehouse").exists(), "validate must not run anything"


def test_cpp_example_program_writes_the_same_table(tributary_bin, workdir):
    program = e2e.find_example_binary(tributary_bin, "bronze_json")
    if program is None:
        pytest.fail("examples/bronze_json was not built beside the tributary binary")
    example = copy_example(workdir)
    completed = subprocess.run([program, str(example)], capture_output=True, text=True, timeout=e2e.RUN_TIMEOUT)
    assert completed.returncode == 0, completed.stderr
    check_events_table(e2e.table_dir(example, "prod.bronze.raw_events"))


def test_csv_example_pipeline(tributary_bin, workdir):
    example = copy_example(workdir)
    result = e2e.run(tributary_bin, "run", example / "pipeline_csv.yaml")
    assert result.returncode == 0, result
    expected = []
    for path in sorted((EXAMPLE / "sample" / "orders").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            expected.extend(csv.DictReader(f))
    assert len(expected) == 90
    table_path = e2e.table_dir(example, "prod.bronze.orders")
    for name, reader in e2e.READERS.items():
        table = reader(table_path)
        assert table.schema.field("amount").type == pa.float64(), name
        rows = {row["order_id"]: row for row in table.to_pylist()}
        assert len(rows) == table.num_rows == 90, name
        for record in expected:
            row = rows[record["order_id"]]
            assert row["amount"] == float(record["amount"]), name
            assert row["customer"] == record["customer"] and row["status"] == record["status"], name
            # An empty CSV field reads as null (Spark's nullValue default is "").
            assert row["note"] == (record["note"] or None), f"{name}: {record['order_id']}"
