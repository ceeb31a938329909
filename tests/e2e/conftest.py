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
