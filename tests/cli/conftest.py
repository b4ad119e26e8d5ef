"""Shared fixtures for tests that run the built `synthscale` program."""
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(os.environ.get("SYNTHSCALE_BIN", REPO / "build/release/cli/synthscale"))
ADULT = REPO / "data/adult/adult.csv"


@pytest.fixture(scope="session")
def synthscale_bin():
    if not BIN.exists():
        pytest.skip(f"synthscale binary not built at {BIN} (run 'make build' or set SYNTHSCALE_BIN)")
    return BIN


@pytest.fixture
def run(synthscale_bin):
    """Run the program; returns the CompletedProcess (text mode)."""

    def _run(*args, cwd=None, check_exit=None):
        result = subprocess.run([str(synthscale_bin), *map(str, args)], capture_output=True, text=True,
                                cwd=cwd, timeout=300)
        if check_exit is not None:
            assert result.returncode == check_exit, (result.returncode, result.stdout, result.stderr)
        return result

    return _run
