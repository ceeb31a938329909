"""Fixtures shared by the end-to-end tests and the interoperability tests (tests/interop
imports them into its conftest)."""
import pytest

import tributary_e2e


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
