"""Fixtures of the interoperability tests: one local Spark session (PySpark with Delta
Lake's jars from scripts/install-spark.sh) for the whole pytest session, the tributary
binary, and a fresh folder per test. A missing Spark, delta-spark or jar fails the tests
that need it; nothing is skipped."""
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))

# Spark turns timestamps into Python datetimes in the process's time zone: UTC keeps
# them comparable with delta-rs's and Tributary's.
os.environ["TZ"] = "UTC"

import interop  # noqa: E402
from e2e_fixtures import tributary_bin, workdir  # noqa: E402,F401


def pytest_configure(config):
    config.addinivalue_line("markers", "ci: the reduced subset that scripts/test.sh runs")


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    try:
        session = interop.start_spark(tmp_path_factory.mktemp("spark-warehouse"))
    except Exception as error:
        pytest.fail(f"no Spark session ({error}); run scripts/install-spark.sh")
    yield session
    session.stop()


_exit_status = [0]


def pytest_sessionfinish(session, exitstatus):
    _exit_status[0] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    # deltalake 1.6.6 aborts while tearing down its runtime at interpreter exit in about
    # half the runs, which would turn a passing run into a crash: leave without the
    # interpreter's teardown once pytest has reported.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_exit_status[0])
