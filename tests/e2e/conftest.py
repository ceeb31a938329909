"""Fixtures of the end-to-end tests: they run the real `tributary` binary on real files
and check the resulting Delta tables with independent readers (pyarrow, delta-rs,
DuckDB). The binary is $TRIBUTARY_BIN, else the first of build/{ci,release,debug,*}/bin."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from e2e_fixtures import tributary_bin, workdir  # noqa: E402,F401


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
