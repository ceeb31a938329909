"""Command-line usage, configuration errors that must name what is wrong, and damaged
state that must be reported, never guessed around."""
import tributary_e2e as e2e


def test_usage_and_version(tributary_bin, workdir):
    assert e2e.run(tributary_bin).returncode == 2
    assert e2e.run(tributary_bin, "run").returncode == 2
    assert e2e.run(tributary_bin, "frobnicate").returncode == 2
    version = e2e.run(tributary_bin, "--version")
    assert version.returncode == 0 and version.stdout.startswith("tributary ")
    missing = e2e.run(tributary_bin, "run", workdir / "nope.yaml")
    assert missing.returncode == 1
    assert "nope.yaml" in missing.stderr


def test_unknown_yaml_key_names_key_file_and_line(tributary_bin, workdir):
    pipeline = workdir / "p.yaml"
    pipeline.write_text("source:\n  format: cloudFiles\n  path: ./landing\n"
                        "sink:\n  table: a.b.c\n  checkpoint: ./cp\n")
    for command in ("run", "validate"):
        result = e2e.run(tributary_bin, command, pipeline)
        assert result.returncode == 1, result
        assert "'checkpoint'" in result.stderr
        assert f"{pipeline}:6:3" in result.stderr, result.stderr


def test_unknown_source_option_is_named(tributary_bin, workdir):
    e2e.write_batch_files(workdir / "landing", 1, files=1, rows_per_file=3)
    pipeline = e2e.write_pipeline(workdir, source_options={"cloudFiles.formatt": "json"})
    for command in ("validate", "run"):
        result = e2e.run(tributary_bin, command, pipeline)
        assert result.returncode == 1, result
        assert "cloudFiles.formatt" in result.stderr
    assert not e2e.table_dir(workdir).exists(), "nothing may be written for an invalid pipeline"
    assert not (workdir / "checkpoints").exists(), "nothing may be written for an invalid pipeline"


def test_unknown_sink_option_is_named(tributary_bin, workdir):
    e2e.write_batch_files(workdir / "landing", 1, files=1, rows_per_file=3)
    pipeline = e2e.write_pipeline(workdir, sink_options={"mergeSchemaa": True})
    for command in ("validate", "run"):
        result = e2e.run(tributary_bin, command, pipeline)
        assert result.returncode == 1, result
        assert "mergeSchemaa" in result.stderr


def test_invalid_option_value_is_named(tributary_bin, workdir):
    e2e.write_batch_files(workdir / "landing", 1, files=1, rows_per_file=3)
    pipeline = e2e.write_pipeline(workdir, source_options={"cloudFiles.maxFilesPerTrigger": "many"})
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 1, result
    assert "cloudFiles.maxFilesPerTrigger" in result.stderr


def test_bad_trigger_interval_names_the_line(tributary_bin, workdir):
    pipeline = e2e.write_pipeline(workdir, trigger={"processingTime": "5 minuts"})
    result = e2e.run(tributary_bin, "validate", pipeline)
    assert result.returncode == 1, result
    assert "processingTime" in result.stderr and str(pipeline) in result.stderr


def ingest_once(tributary_bin, workdir):
    ids = e2e.write_batch_files(workdir / "landing", 1, files=2, rows_per_file=5)
    pipeline = e2e.write_pipeline(workdir)
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 0, result
    return pipeline, ids


def test_unreadable_checkpoint_is_reported(tributary_bin, workdir):
    pipeline, ids = ingest_once(tributary_bin, workdir)
    table = e2e.table_dir(workdir)
    version = e2e.delta_version(table)
    offsets = sorted((workdir / "checkpoints" / "stream" / "offsets").iterdir(), key=lambda p: int(p.name))
    damaged = offsets[-1]
    damaged.write_bytes(b"\x00\x01garbage{")
    e2e.write_batch_files(workdir / "landing", 500, files=1, rows_per_file=5, prefix="new")
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 1, result
    assert str(damaged) in result.stderr or f"offsets/{damaged.name}" in result.stderr, result.stderr
    # What was committed stays, and nothing new is committed past a damaged checkpoint.
    assert e2e.delta_version(table) == version
    e2e.assert_exactly_once(table, ids)


def test_damaged_checkpoint_metadata_is_reported(tributary_bin, workdir):
    pipeline, ids = ingest_once(tributary_bin, workdir)
    metadata = workdir / "checkpoints" / "stream" / "metadata"
    metadata.write_text("not json")
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 1, result
    assert "metadata" in result.stderr
    e2e.assert_exactly_once(e2e.table_dir(workdir), ids)


def test_table_path_that_is_not_a_delta_table(tributary_bin, workdir):
    e2e.write_batch_files(workdir / "landing", 1, files=1, rows_per_file=5)
    target = workdir / "tables" / "events"
    target.mkdir(parents=True)
    (target / "notes.txt").write_text("someone else's data\n")
    pipeline = e2e.write_pipeline(workdir, sink_path="./tables/events")
    result = e2e.run(tributary_bin, "run", pipeline)
    assert result.returncode == 1, result
    assert "tables/events" in result.stderr, result.stderr
    assert (target / "notes.txt").read_text() == "someone else's data\n"
    assert not (target / "_delta_log").exists()
