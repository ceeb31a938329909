"""Helpers of the end-to-end tests: writing input files and pipelines, running the
binary, and reading tables back with pyarrow, delta-rs and DuckDB."""
import glob
import gzip
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

REPO = Path(__file__).resolve().parents[2]
RUN_TIMEOUT = 120  # seconds for one `tributary run` that should end by itself


def find_binary():
    env = os.environ.get("TRIBUTARY_BIN")
    if env:
        return env if os.access(env, os.X_OK) else None
    candidates = [REPO / "build" / name / "bin" / "tributary" for name in ("ci", "release", "debug")]
    candidates += [Path(p) for p in sorted(glob.glob(str(REPO / "build" / "*" / "bin" / "tributary")))]
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def find_example_binary(tributary_bin, name):
    """The example program built beside the binary (<build>/examples/<name>), or None."""
    path = Path(tributary_bin).resolve().parent.parent / "examples" / name
    return str(path) if os.access(path, os.X_OK) else None


# ---------------------------------------------------------------------------- input

def write_json_lines(path, records, compress=False):
    """Writes newline-delimited JSON; into place by rename, as a well-behaved producer."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records).encode()
    if compress:
        data = gzip.compress(data, mtime=0)
    write_bytes(path, data)
    return path


def write_bytes(path, data):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.parent / ("." + path.name + ".staging")
    staging.write_bytes(data)
    os.rename(staging, path)
    return path


def make_record(record_id, batch="a"):
    """A small event with nested fields whose values depend only on its id."""
    return {
        "id": record_id,
        "name": f"user-{record_id}",
        "score": record_id * 0.5,
        "active": record_id % 2 == 0,
        "tags": [f"t{record_id % 3}", f"b-{batch}"],
        "nested": {"x": record_id * 10, "label": f"n{record_id}"},
    }


def write_batch_files(landing, first_id, files, rows_per_file, prefix="part", compress_every=0):
    """Writes `files` files of `rows_per_file` records with consecutive ids; returns ids."""
    ids = []
    next_id = first_id
    for index in range(files):
        records = [make_record(next_id + k) for k in range(rows_per_file)]
        ids.extend(r["id"] for r in records)
        next_id += rows_per_file
        compress = compress_every and index % compress_every == compress_every - 1
        name = f"{prefix}-{first_id:07d}-{index:05d}.json" + (".gz" if compress else "")
        write_json_lines(Path(landing) / name, records, compress=bool(compress))
    return ids


# ------------------------------------------------------------------------- pipelines

def write_pipeline(root, name="pipeline.yaml", source_options=None, sink_options=None,
                   trigger=None, table="test.bronze.events", sink_path=None, source_path="./landing/",
                   source_extra=None, sink_extra=None, file_format="json"):
    """A pipeline in `root` with relative paths (they resolve against `root`)."""
    options = {
        "cloudFiles.format": file_format,
        "cloudFiles.schemaLocation": "./checkpoints/schema",
        "cloudFiles.inferColumnTypes": True,
    }
    options.update(source_options or {})
    sink = {"format": "delta", "trigger": trigger or {"availableNow": True},
            "options": {"checkpointLocation": "./checkpoints/stream", "mergeSchema": True}}
    sink["options"].update(sink_options or {})
    if sink_path is not None:
        sink["path"] = sink_path
    else:
        sink["table"] = table
    sink.update(sink_extra or {})
    source = {"format": "cloudFiles", "path": source_path, "options": options}
    source.update(source_extra or {})
    pipeline = {"warehouse": "./warehouse", "source": source, "sink": sink}
    path = Path(root) / name
    path.write_text(yaml.safe_dump(pipeline, sort_keys=False))
    return path


def table_dir(root, table="test.bronze.events"):
    return Path(root, "warehouse", *table.split("."))


# ------------------------------------------------------------------------- running

class Run:
    def __init__(self, completed):
        self.returncode = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr

    def progress(self):
        return parse_progress(self.stderr)

    def __repr__(self):
        return f"exit {self.returncode}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr[-6000:]}"


def run(tributary_bin, *args, cwd=None, timeout=RUN_TIMEOUT):
    completed = subprocess.run([tributary_bin, *map(str, args)], cwd=cwd, capture_output=True, text=True,
                               timeout=timeout, errors="replace")
    return Run(completed)


def start(tributary_bin, *args, cwd=None):
    """Starts the binary in the background; its output goes to files (a pipe nobody
    reads would fill up and block a long-running query)."""
    import tempfile
    stdout = tempfile.TemporaryFile()
    stderr = tempfile.TemporaryFile()
    process = subprocess.Popen([tributary_bin, *map(str, args)], cwd=cwd, stdout=stdout, stderr=stderr)
    process.output_files = (stdout, stderr)
    return process


def parse_progress(stderr):
    """The QueryProgress JSON objects logged as 'progress {...}' lines."""
    records = []
    for line in stderr.splitlines():
        marker = line.find("progress {")
        if marker >= 0:
            records.append(json.loads(line[marker + len("progress "):]))
    return records


def wait_until(condition, timeout, what, interval=0.1):
    """Polls `condition` until it returns a truthy value or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception as error:  # the table may not exist yet
            last_error = error
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last error: {last_error})")


def stop(process, sig=signal.SIGTERM, timeout=60):
    """Sends `sig` and waits; returns (exit code, stdout, stderr)."""
    process.send_signal(sig)
    process.wait(timeout=timeout)
    texts = []
    for output in process.output_files:
        output.seek(0)
        texts.append(output.read().decode(errors="replace"))
        output.close()
    return process.returncode, texts[0], texts[1]


# ------------------------------------------------------------------------- readers

def read_deltars(path):
    from deltalake import DeltaTable
    return DeltaTable(str(path)).to_pyarrow_table()


_DUCKDB_DELTA = None


def duckdb_delta_extension():
    """The delta extension shipped by the duckdb-extension-delta wheel (no download)."""
    global _DUCKDB_DELTA
    if _DUCKDB_DELTA is None:
        import duckdb_extension_delta
        base = os.path.dirname(duckdb_extension_delta.__file__)
        found = glob.glob(os.path.join(base, "extensions", "*", "delta.duckdb_extension"))
        assert found, f"no delta.duckdb_extension under {base}"
        _DUCKDB_DELTA = found[0]
    return _DUCKDB_DELTA


def read_duckdb(path):
    import duckdb
    connection = duckdb.connect()
    connection.execute(f"LOAD '{duckdb_delta_extension()}'")
    return connection.execute("SELECT * FROM delta_scan(?)", [str(path)]).to_arrow_table()


def read_parquet_files(path):
    """Every live data file of the table read on its own with pyarrow (partition values
    from the add actions are not added back)."""
    from deltalake import DeltaTable
    tables = [pq.read_table(uri.removeprefix("file://")) for uri in DeltaTable(str(path)).file_uris()]
    if not tables:
        return pa.table({})
    return pa.concat_tables(tables, promote_options="default")


READERS = {"delta-rs": read_deltars, "duckdb": read_duckdb, "pyarrow-files": read_parquet_files}


def rows_of(table):
    return table.to_pylist()


def ids_by_reader(path, key="id"):
    """{reader: sorted list of `key` values} for the three readers."""
    return {name: sorted(row[key] for row in rows_of(reader(path))) for name, reader in READERS.items()}


def assert_exactly_once(path, expected_ids, key="id"):
    expected = sorted(expected_ids)
    for name, ids in ids_by_reader(path, key).items():
        duplicates = len(ids) - len(set(ids))
        assert duplicates == 0, f"{name}: {duplicates} duplicate {key}s in {path}"
        missing = sorted(set(expected) - set(ids))
        extra = sorted(set(ids) - set(expected))
        assert not missing and not extra, f"{name}: missing {missing[:20]} extra {extra[:20]}"


def delta_version(path):
    from deltalake import DeltaTable
    return DeltaTable(str(path)).version()


def normalize(value, arrow_type):
    """An input JSON value as a reader returns it for a column of `arrow_type`
    (missing struct fields become None, integers in double columns become floats)."""
    if value is None:
        return None
    if pa.types.is_struct(arrow_type):
        return {arrow_type.field(i).name: normalize(value.get(arrow_type.field(i).name), arrow_type.field(i).type)
                for i in range(arrow_type.num_fields)}
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return [normalize(v, arrow_type.value_type) for v in value]
    if pa.types.is_floating(arrow_type):
        return float(value)
    return value


def assert_rows_equal(table, records, key="id", ignore=("_rescued_data",)):
    """Each input record equals its row, field by field, under the table's types."""
    schema = table.schema
    rows = {row[key]: row for row in table.to_pylist()}
    assert len(rows) == table.num_rows, "duplicate keys"
    assert len(rows) == len(records), f"{len(rows)} rows for {len(records)} records"
    for record in records:
        row = rows[record[key]]
        for field in schema:
            if field.name in ignore:
                continue
            expected = normalize(record.get(field.name), field.type)
            assert row[field.name] == expected, (
                f"{key}={record[key]} column {field.name}: {row[field.name]!r} != {expected!r}")
