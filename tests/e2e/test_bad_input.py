"""Bad input files: each gives a clear error naming the file, or a rescued record as
Spark defines it, and nothing already committed is lost."""
import gzip
import json

import tributary_e2e as e2e


# With this hint the inferred schema has Spark's corrupt-record column, so PERMISSIVE
# keeps the raw text of malformed records there (without it Spark keeps a row of nulls).
CORRUPT_RECORD_HINT = {"cloudFiles.schemaHints": "_corrupt_record STRING"}


def good_first(tributary_bin, workdir, source_options=None):
    """Ingests a good file first, so that later failures must leave it intact."""
    ids = e2e.write_batch_files(workdir / "landing", 1, files=1, rows_per_file=10, prefix="good")
    pipeline = e2e.write_pipeline(workdir, source_options=source_options)
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 0, result
    return pipeline, ids


def test_truncated_gzip_fails_naming_the_file(tributary_bin, workdir):
    pipeline, ids = good_first(tributary_bin, workdir)
    table = e2e.table_dir(workdir)
    version = e2e.delta_version(table)
    whole = gzip.compress(b"".join(json.dumps(e2e.make_record(i)).encode() + b"\n" for i in range(100, 200)))
    e2e.write_bytes(workdir / "landing" / "broken.json.gz", whole[: len(whole) // 2])
    result = e2e.run(tributary_bin, "run", pipeline)
    # Spark fails the query on a corrupt file unless ignoreCorruptFiles is set.
    assert result.returncode == 1, result
    assert "broken.json.gz" in result.stderr
    assert e2e.delta_version(table) == version
    e2e.assert_exactly_once(table, ids)


def test_empty_file_is_fine(tributary_bin, workdir):
    pipeline, ids = good_first(tributary_bin, workdir)
    e2e.write_bytes(workdir / "landing" / "empty.json", b"")
    ids += e2e.write_batch_files(workdir / "landing", 100, files=1, rows_per_file=3, prefix="after")
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 0, result
    e2e.assert_exactly_once(e2e.table_dir(workdir), ids)


def test_invalid_utf8_is_kept_or_reported(tributary_bin, workdir):
    pipeline, ids = good_first(tributary_bin, workdir)
    line = b'{"id": 500, "name": "caf\xe9 \xff\xfe", "score": 1.0}\n'
    good = json.dumps(e2e.make_record(501)).encode() + b"\n"
    e2e.write_bytes(workdir / "landing" / "latin1.json", line + good)
    result = e2e.run(tributary_bin, "run", pipeline)
    table = e2e.table_dir(workdir)
    if result.returncode == 0:
        # Either decoded with replacement characters, or (as Jackson does in Spark) a
        # malformed record kept as a row of nulls; the good neighbour is there either way.
        rows = e2e.read_deltars(table).to_pylist()
        assert len(rows) == len(ids) + 2
        assert {r["id"] for r in rows} - set(ids) in ({500, 501}, {None, 501})
    else:
        assert result.returncode == 1, result
        assert "latin1.json" in result.stderr
        e2e.assert_exactly_once(table, ids)


def test_fifty_megabyte_line(tributary_bin, workdir):
    pipeline, ids = good_first(tributary_bin, workdir)
    big = "x" * (50 * 1024 * 1024)
    e2e.write_bytes(workdir / "landing" / "big.json", json.dumps({"id": 700, "name": big}).encode() + b"\n")
    result = e2e.run(tributary_bin, "run", pipeline, timeout=300)
    table = e2e.table_dir(workdir)
    if result.returncode == 0:
        rows = {r["id"]: r for r in e2e.read_deltars(table).to_pylist()}
        assert set(rows) == set(ids) | {700}
        assert len(rows[700]["name"]) == len(big)
    else:
        assert result.returncode == 1, result
        assert "big.json" in result.stderr
        e2e.assert_exactly_once(table, ids)


def test_json_arrays_where_objects_are_expected(tributary_bin, workdir):
    pipeline, ids = good_first(tributary_bin, workdir, source_options=CORRUPT_RECORD_HINT)
    lines = [json.dumps([e2e.make_record(800), e2e.make_record(801)]),  # Spark: one row per element
             json.dumps([1, 2, 3]),                                     # not records: malformed
             json.dumps(e2e.make_record(802))]
    e2e.write_bytes(workdir / "landing" / "arrays.json", ("\n".join(lines) + "\n").encode())
    result = e2e.run(tributary_bin, "run", pipeline)
    table = e2e.table_dir(workdir)
    assert result.returncode == 0, result
    rows = e2e.read_deltars(table).to_pylist()
    by_id = [r["id"] for r in rows if r["id"] is not None]
    assert sorted(by_id) == sorted(ids + [800, 801, 802])
    # The malformed line is kept as a row with its raw text, not dropped silently.
    kept = [r for r in rows if r["id"] is None]
    assert len(kept) == 1
    assert kept[0]["_corrupt_record"].replace(" ", "") == "[1,2,3]"
