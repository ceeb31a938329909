"""Tributary reading what others write: Delta tables written by Spark with delta-spark
(every type, schema evolution, partitions, deletion vectors, column mapping, classic,
multi-part and V2 checkpoints, log compaction, OPTIMIZE) and by delta-rs (appends,
overwrite, partitions, checkpoint + log cleanup, delete, merge), read back with
`tributary table show --format json [--version N]` and compared row for row with the
writer's own read of the same version."""
import json
import shutil

import pytest

import deltars_tables
import interop
import spark_tables

CI_SPARK_TABLES = {"all_types", "deletion_vectors"}
CI_DELTARS_TABLES = {"partitioned", "merge"}


def params(names, ci_names):
    return [pytest.param(name, marks=[pytest.mark.ci] if name in ci_names else []) for name in names]


@pytest.fixture(scope="session")
def spark_table(spark, tmp_path_factory):
    """Writes each Spark table once per session: name -> (path, versions)."""
    root = tmp_path_factory.mktemp("spark-tables")
    made = {}

    def make(name):
        if name not in made:
            path = root / name
            made[name] = (path, spark_tables.SPARK_TABLES[name](spark, path))
        return made[name]
    return make


def assert_tributary_reads_like(tributary_bin, path, versions, writer_read):
    """At each version (the last one also without --version, as the latest), Tributary's
    rows are the writer's rows."""
    for version in versions:
        kind, expected = writer_read(version)
        actual = interop.tributary_rows(tributary_bin, path, kind, version=version)
        interop.assert_same_rows(expected, actual, f"tributary table show {path} --version {version}")
    kind, expected = writer_read(versions[-1])
    interop.assert_same_rows(expected, interop.tributary_rows(tributary_bin, path, kind),
                             f"tributary table show {path}")


@pytest.mark.parametrize("name", params(spark_tables.SPARK_TABLES, CI_SPARK_TABLES))
def test_tributary_reads_spark_table(name, spark, spark_table, tributary_bin):
    path, versions = spark_table(name)
    assert_tributary_reads_like(tributary_bin, path, versions,
                                lambda version: interop.spark_rows(spark, path, version=version,
                                                                   timestamp_unit=interop.TO_JSON_TIMESTAMP_UNIT))


@pytest.mark.parametrize("name", params(deltars_tables.DELTARS_TABLES, CI_DELTARS_TABLES))
def test_tributary_reads_deltars_table(name, tributary_bin, tmp_path):
    path = tmp_path / name
    versions = deltars_tables.DELTARS_TABLES[name](path)
    assert_tributary_reads_like(tributary_bin, path, versions,
                                lambda version: interop.deltars_rows(path, version=version,
                                                                     timestamp_unit=interop.TO_JSON_TIMESTAMP_UNIT))


@pytest.mark.parametrize("name", params(["checkpoint_classic", "checkpoint_multipart", "checkpoint_v2_sidecars",
                                         "checkpoint_v2_json_sidecars"], {"checkpoint_v2_sidecars"}))
def test_tributary_reads_spark_checkpoint_without_earlier_commits(name, spark, spark_table, tributary_bin, tmp_path):
    """As after log cleanup: the commits before the last checkpoint are gone, so only the
    checkpoint (its parts, or its sidecars) holds the files added before it."""
    path, versions = spark_table(name)
    copy = tmp_path / name
    shutil.copytree(path, copy)
    checkpoint = json.loads((copy / "_delta_log" / "_last_checkpoint").read_text())["version"]
    for version in range(checkpoint):
        (copy / "_delta_log" / f"{version:020d}.json").unlink()
    kind, expected = interop.spark_rows(spark, path, timestamp_unit=interop.TO_JSON_TIMESTAMP_UNIT)
    interop.assert_same_rows(expected, interop.tributary_rows(tributary_bin, copy, kind),
                             f"tributary table show {copy} (from checkpoint {checkpoint})")


def test_tributary_time_travels_by_timestamp_like_spark(spark, spark_table, tributary_bin):
    """`--timestamp` at each commit's time (as DESCRIBE HISTORY shows it) reads the
    version Spark reads with versionAsOf."""
    path, versions = spark_table("appends_schema_evolution")
    commits = {row["version"]: row["timestamp"] for row in
               spark.sql(f"DESCRIBE HISTORY delta.`{path}`").collect()}
    for version in versions:
        moment = commits[version].strftime("%Y-%m-%d %H:%M:%S.%f")
        kind, expected = interop.spark_rows(spark, path, version=version,
                                            timestamp_unit=interop.TO_JSON_TIMESTAMP_UNIT)
        actual = interop.tributary_rows(tributary_bin, path, kind, timestamp=moment)
        interop.assert_same_rows(expected, actual, f"tributary table show {path} --timestamp '{moment}'")
