"""Schema evolution under each cloudFiles.schemaEvolutionMode, type changes, and
malformed lines under each parse mode."""
import json

import pytest

import tributary_e2e as e2e

SCHEMA_CHANGED_EXIT = 3


def rows_by_id(table):
    return {r["id"]: r for r in e2e.read_deltars(table).to_pylist()}


def first_run(tributary_bin, workdir, **pipeline_args):
    records = [{"id": i, "name": f"n{i}"} for i in range(1, 6)]
    e2e.write_json_lines(workdir / "landing" / "a.json", records)
    pipeline = e2e.write_pipeline(workdir, **pipeline_args)
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 0, result
    return pipeline


def add_new_column_file(workdir):
    records = [{"id": i, "name": f"n{i}", "color": f"c{i}"} for i in range(6, 9)]
    e2e.write_json_lines(workdir / "landing" / "b.json", records)


def test_add_new_columns_stops_then_restart_continues(tributary_bin, workdir):
    pipeline = first_run(tributary_bin, workdir)  # addNewColumns is the default without a schema
    table = e2e.table_dir(workdir)
    add_new_column_file(workdir)
    stopped = e2e.run(tributary_bin, "run", pipeline)
    assert stopped.returncode == SCHEMA_CHANGED_EXIT, stopped
    assert "color" in stopped.stderr
    assert "again" in stopped.stderr or "restart" in stopped.stderr
    schemas = sorted((workdir / "checkpoints" / "schema" / "_schemas").iterdir())
    assert len(schemas) >= 2, "the widened schema is persisted as a new version"
    assert set(rows_by_id(table)) == {1, 2, 3, 4, 5}, "the batch with the new column is not committed"

    resumed = e2e.run(tributary_bin, "run", pipeline)
    assert resumed.returncode == 0, resumed
    e2e.assert_exactly_once(table, range(1, 9))
    for name, reader in e2e.READERS.items():
        rows = {r["id"]: r for r in reader(table).to_pylist()}
        assert [rows[i]["color"] for i in range(1, 9)] == [None] * 5 + ["c6", "c7", "c8"], name
    # The new column is appended at the end of the schema (before no existing column).
    columns = e2e.read_deltars(table).schema.names
    assert columns.index("color") > columns.index("name")


def test_rescue_mode_keeps_new_columns_in_rescued_data(tributary_bin, workdir):
    pipeline = first_run(tributary_bin, workdir, source_options={"cloudFiles.schemaEvolutionMode": "rescue"})
    add_new_column_file(workdir)
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 0, result
    table = e2e.table_dir(workdir)
    e2e.assert_exactly_once(table, range(1, 9))
    rows = rows_by_id(table)
    assert "color" not in e2e.read_deltars(table).schema.names
    for i in range(1, 6):
        assert rows[i]["_rescued_data"] is None
    for i in range(6, 9):
        rescued = json.loads(rows[i]["_rescued_data"])
        assert rescued["color"] == f"c{i}"
        assert any("b.json" in str(v) for v in rescued.values()), rescued  # the source file path


def test_fail_on_new_columns_fails_and_keeps_failing(tributary_bin, workdir):
    pipeline = first_run(tributary_bin, workdir,
                         source_options={"cloudFiles.schemaEvolutionMode": "failOnNewColumns"})
    add_new_column_file(workdir)
    table = e2e.table_dir(workdir)
    for _ in range(2):
        result = e2e.run(tributary_bin, "run", pipeline)
        assert result.returncode not in (0, SCHEMA_CHANGED_EXIT), result
        assert "color" in result.stderr
        assert set(rows_by_id(table)) == {1, 2, 3, 4, 5}


def test_none_mode_ignores_new_columns(tributary_bin, workdir):
    pipeline = first_run(tributary_bin, workdir, source_options={"cloudFiles.schemaEvolutionMode": "none"})
    add_new_column_file(workdir)
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 0, result
    table = e2e.table_dir(workdir)
    e2e.assert_exactly_once(table, range(1, 9))
    assert "color" not in e2e.read_deltars(table).schema.names
    rows = rows_by_id(table)
    assert all(rows[i]["name"] == f"n{i}" for i in range(1, 9))


def test_type_change_is_rescued_not_evolved(tributary_bin, workdir):
    records = [{"id": i, "amount": i * 10} for i in range(1, 4)]
    e2e.write_json_lines(workdir / "landing" / "a.json", records)
    pipeline = e2e.write_pipeline(workdir)
    assert e2e.run(tributary_bin, "run", pipeline).returncode == 0
    table = e2e.table_dir(workdir)
    e2e.write_json_lines(workdir / "landing" / "b.json", [{"id": 4, "amount": "forty"}, {"id": 5, "amount": 50}])
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 0, result
    e2e.assert_exactly_once(table, range(1, 6))
    rows = rows_by_id(table)
    assert str(e2e.read_deltars(table).schema.field("amount").type) == "int64"
    assert rows[4]["amount"] is None
    assert json.loads(rows[4]["_rescued_data"])["amount"] == "forty"
    assert rows[5]["amount"] == 50 and rows[5]["_rescued_data"] is None


MALFORMED = b'{"id": 3, "name": "broken\n'


def write_with_malformed_line(workdir):
    lines = [json.dumps({"id": 1, "name": "a"}).encode() + b"\n",
             json.dumps({"id": 2, "name": "b"}).encode() + b"\n",
             MALFORMED,
             json.dumps({"id": 4, "name": "d"}).encode() + b"\n"]
    e2e.write_bytes(workdir / "landing" / "mixed.json", b"".join(lines))


@pytest.mark.parametrize("mode", ["PERMISSIVE", "DROPMALFORMED", "FAILFAST"])
def test_malformed_lines(tributary_bin, workdir, mode):
    # Schema from a clean first file, then a file with a malformed line.
    e2e.write_json_lines(workdir / "landing" / "clean.json", [{"id": 0, "name": "z"}])
    options = {"mode": mode, "cloudFiles.schemaHints": "_corrupt_record STRING"}
    pipeline = e2e.write_pipeline(workdir, source_options=options)
    assert e2e.run(tributary_bin, "run", pipeline).returncode == 0
    write_with_malformed_line(workdir)
    result = e2e.run(tributary_bin, "run", pipeline)
    table = e2e.table_dir(workdir)
    rows = e2e.read_deltars(table).to_pylist()
    ids = sorted(r["id"] for r in rows if r["id"] is not None)
    if mode == "FAILFAST":
        assert result.returncode == 1, result
        assert "mixed.json" in result.stderr
        assert ids == [0], "no row of the failing file is committed"
    elif mode == "DROPMALFORMED":
        assert result.returncode == 0, result
        assert ids == [0, 1, 2, 4] and len(rows) == 4
    else:
        assert result.returncode == 0, result
        good = sorted(r["id"] for r in rows if r["id"] in (0, 1, 2, 4))
        assert good == [0, 1, 2, 4]
        # Spark may keep the fields parsed before the error (id 3) or none of them.
        kept = [r for r in rows if r["id"] not in (0, 1, 2, 4)]
        assert len(kept) == 1, "PERMISSIVE keeps the malformed record as a row"
        assert kept[0]["_corrupt_record"] == MALFORMED.decode().rstrip("\n")
