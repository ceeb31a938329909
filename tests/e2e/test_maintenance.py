"""Auto compaction in the Delta sink, and the `tributary table optimize|vacuum` commands."""
import json

import yaml

import tributary_e2e as e2e


def commit_infos(table):
    """{version: commitInfo} from the JSON commits of the table's log."""
    infos = {}
    for path in sorted((table / "_delta_log").glob("*.json")):
        for line in path.read_text().splitlines():
            action = json.loads(line)
            if "commitInfo" in action:
                infos[int(path.stem)] = action["commitInfo"]
    return infos


def live_files(table):
    from deltalake import DeltaTable
    return DeltaTable(str(table)).file_uris()


def test_auto_compaction_keeps_a_thousand_micro_batches_in_few_files(tributary_bin, workdir):
    ids = e2e.write_batch_files(workdir / "landing", 1, files=1000, rows_per_file=2)
    pipeline = e2e.write_pipeline(workdir, source_options={"cloudFiles.maxFilesPerTrigger": 1},
                                  sink_options={"autoCompact": "true"},
                                  sink_extra={"partitionBy": ["active"]})
    result = e2e.run(tributary_bin, "run", pipeline, timeout=900)
    assert result.returncode == 0, result
    assert len([p for p in result.progress() if p["numInputRows"] > 0]) == 1000

    table = e2e.table_dir(workdir)
    # Every batch adds a file to each of the two partitions; a partition is compacted
    # once it holds 50 small files (autoCompact.minNumFiles), so at most 49 + 1 stay.
    files = live_files(table)
    assert 2 <= len(files) <= 100, len(files)
    e2e.assert_exactly_once(table, ids)

    infos = commit_infos(table)
    compactions = [info for info in infos.values() if info["operation"] == "OPTIMIZE"]
    # Both partitions reach 50 small files in the same batch: one compaction each time.
    assert len(compactions) == 20, len(compactions)
    for info in compactions:
        assert info["operationParameters"]["auto"] is True
        assert info["operationParameters"]["predicate"] == '["((active = false) OR (active = true))"]'
        assert int(info["operationMetrics"]["numRemovedFiles"]) >= 100
        assert int(info["operationMetrics"]["numAddedFiles"]) == 2
        assert info["isBlindAppend"] is False
    for path in sorted((table / "_delta_log").glob("*.json")):
        actions = [json.loads(line) for line in path.read_text().splitlines()]
        if any(a.get("commitInfo", {}).get("operation") == "OPTIMIZE" for a in actions):
            assert all(not a[k]["dataChange"] for a in actions for k in ("add", "remove") if k in a)


def test_auto_compaction_is_off_by_default(tributary_bin, workdir):
    ids = e2e.write_batch_files(workdir / "landing", 1, files=60, rows_per_file=1)
    pipeline = e2e.write_pipeline(workdir, source_options={"cloudFiles.maxFilesPerTrigger": 1})
    result = e2e.run(tributary_bin, "run", pipeline, timeout=300)
    assert result.returncode == 0, result
    table = e2e.table_dir(workdir)
    assert len(live_files(table)) == 60
    assert all(info["operation"] != "OPTIMIZE" for info in commit_infos(table).values())
    e2e.assert_exactly_once(table, ids)


def test_bad_auto_compact_value_is_refused_before_anything_runs(tributary_bin, workdir):
    e2e.write_batch_files(workdir / "landing", 1, files=1, rows_per_file=1)
    pipeline = e2e.write_pipeline(workdir, sink_options={"autoCompact": "sometimes"})
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode != 0
    assert "autoCompact" in result.stderr and "true, auto, legacy, false" in result.stderr, result
    assert not e2e.table_dir(workdir).exists()


def test_merge_sink_auto_compacts_after_its_commits(tributary_bin, workdir):
    landing = workdir / "landing"
    # 40 batches of new ids, each also repeating an id seen before: an insert-only
    # MERGE (deduplication) adds a small file per batch.
    expected = {}
    for batch in range(40):
        records = [{"id": batch * 3 + k, "value": f"v{batch}"} for k in range(3)]
        if batch > 0:
            records.append({"id": (batch - 1) * 3, "value": "duplicate"})
        for record in records[:3]:
            expected[record["id"]] = record["value"]
        e2e.write_json_lines(landing / f"batch-{batch:04d}.json", records)
    pipeline = e2e.write_pipeline(workdir, source_options={"cloudFiles.maxFilesPerTrigger": 1})
    spec = yaml.safe_load(pipeline.read_text())
    spec["sink"] = {
        "merge": {"into": "prod.silver.items", "on": "t.id = s.id", "whenNotMatched": [{"insert": "*"}]},
        "options": {"checkpointLocation": "./checkpoints/merge", "autoCompact": "true",
                    "autoCompact.minNumFiles": "10"},
        "trigger": {"availableNow": True},
    }
    pipeline.write_text(yaml.safe_dump(spec, sort_keys=False))
    result = e2e.run(tributary_bin, "run", pipeline, timeout=300)
    assert result.returncode == 0, result

    table = e2e.table_dir(workdir, "prod.silver.items")
    assert len(live_files(table)) < 10
    compactions = [i for i in commit_infos(table).values() if i["operation"] == "OPTIMIZE"]
    assert len(compactions) == 4, len(compactions)  # at 10, 19, 28 and 37 files
    assert all(i["operationParameters"]["auto"] is True for i in compactions)
    for name, reader in e2e.READERS.items():
        rows = reader(table).to_pylist()
        assert len(rows) == len(expected), name
        assert {row["id"]: row["value"] for row in rows} == expected, name


WRITE_SMALL_FILES = """
import sys
import pyarrow as pa
from deltalake import write_deltalake
for i in range(24):
    ids = [i * 5 + k for k in range(5)]
    write_deltalake(sys.argv[1], pa.table({
        "id": pa.array(ids, pa.int64()),
        "name": [f"n{x}" for x in ids],
        "region": ["eu" if i % 3 == 0 else "us" if i % 3 == 1 else "apac"] * 5,
    }), mode="append", partition_by=["region"])
"""


def small_files_table(workdir):
    import subprocess
    import sys
    path = workdir / "events"
    subprocess.run([sys.executable, "-c", WRITE_SMALL_FILES, str(path)], check=True)
    return path


def rows_by_deltars(path):
    return sorted((r["id"], r["name"], r["region"]) for r in e2e.read_deltars(path).to_pylist())


def test_table_optimize_compacts_partitions_and_keeps_rows(tributary_bin, workdir):
    table = small_files_table(workdir)
    before = rows_by_deltars(table)
    assert len(live_files(table)) == 24

    result = e2e.run(tributary_bin, "table", "optimize", table, "--where", "region = 'eu'", "--json")
    assert result.returncode == 0, result
    metrics = json.loads(result.stdout)
    assert metrics["numFilesRemoved"] == 8 and metrics["numFilesAdded"] == 1, metrics
    assert len(live_files(table)) == 17
    info = commit_infos(table)[metrics["version"]]
    assert info["operation"] == "OPTIMIZE"
    assert info["operationParameters"]["predicate"] == "[\"(region = 'eu')\"]"

    result = e2e.run(tributary_bin, "table", "optimize", table)
    assert result.returncode == 0, result
    assert len(live_files(table)) == 3
    assert rows_by_deltars(table) == before
    e2e.assert_exactly_once(table, [row[0] for row in before])

    again = e2e.run(tributary_bin, "table", "optimize", table)
    assert again.returncode == 0, again
    assert "nothing to compact" in again.stdout

    bad = e2e.run(tributary_bin, "table", "optimize", table, "--where", "id > 3")
    assert bad.returncode != 0
    assert "non-partition column 'id'" in bad.stderr and "[region]" in bad.stderr, bad


def test_table_vacuum_dry_run_retention_check_and_force(tributary_bin, workdir):
    import os
    import time
    table = small_files_table(workdir)
    before = rows_by_deltars(table)
    assert e2e.run(tributary_bin, "table", "optimize", table).returncode == 0
    orphan = table / "region=eu" / "orphan.parquet"
    orphan.write_bytes(b"not referenced")
    month_ago = time.time() - 30 * 86400
    data_files = [p for p in table.rglob("*") if p.is_file() and "_delta_log" not in p.parts]
    for path in data_files:
        os.utime(path, (month_ago, month_ago))

    # Default retention (1 week): the compacted-away files keep young tombstones.
    dry = e2e.run(tributary_bin, "table", "vacuum", table, "--dry-run")
    assert dry.returncode == 0, dry
    assert dry.stdout.splitlines()[:-1] == [str(orphan)]
    assert all(path.exists() for path in data_files)

    refused = e2e.run(tributary_bin, "table", "vacuum", table, "--retain", "1")
    assert refused.returncode != 0
    assert "such a low retention period" in refused.stderr and '"168 hours"' in refused.stderr, refused
    assert all(path.exists() for path in data_files)

    forced = e2e.run(tributary_bin, "table", "vacuum", table, "--retain", "0", "--force", "--json")
    assert forced.returncode == 0, forced
    result = json.loads(forced.stdout)
    assert result["numDeletedFiles"] == 25  # the orphan and the 24 compacted-away files
    assert not orphan.exists()
    assert len([p for p in table.rglob("*.parquet")]) == 3
    assert rows_by_deltars(table) == before
    operations = [info["operation"] for info in commit_infos(table).values()]
    assert operations[-2:] == ["VACUUM START", "VACUUM END"]
