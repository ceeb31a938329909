"""Fixtures of the end-to-end tests: they run the real `tributary` binary on real files
and check the resulting Delta tables with independent readers (pyarrow, delta-rs,
DuckDB). The binary is $TRIBUTARY_BIN, else the first of build/{ci,release,debug,*}/bin."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tributary_e2e  # noqa: E402


@pytest.fixture(scope="session")
def tributary_bin():
    path = tributary_e2e.find_binary()
    if path is None:
        pytest.fail("no tributary binary: build it (scripts/test.sh) or set TRIBUTARY_BIN")
    return path


@pytest.fixture
def workdir(tmp_path):
    """A fresh folder per test holding landing/, checkpoints/, warehouse/."""
    return tmp_path


@pytest.fixture(scope="session")
def kafka_broker(tmp_path_factory):
    """One real Apache Kafka broker (scripts/kafka/kafka.sh) for the whole session; each
    test makes its own topics (tributary_e2e.unique_topic). A broker that does not start
    fails the tests that use it."""
    from kafka_broker import KafkaBroker
    broker = KafkaBroker(tmp_path_factory.mktemp("kafka-broker"))
    try:
        broker.start()
    except Exception as error:  # the log tail is in the message
        pytest.fail(f"the Kafka test broker did not start: {error}")
    yield broker
    broker.stop()
