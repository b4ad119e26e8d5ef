"""Every example runs as documented."""
import os
import subprocess
import sys

import pytest

from conftest import REPO


def test_cli_quickstart(synthscale_bin, tmp_path):
    env = dict(os.environ, SYNTHSCALE_BIN=str(synthscale_bin))
    result = subprocess.run(["bash", str(REPO / "examples/cli-quickstart/run.sh"), str(tmp_path)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "identical samples" in result.stdout


def test_private_synthesis(synthscale_bin, tmp_path):
    env = dict(os.environ, SYNTHSCALE_BIN=str(synthscale_bin))
    result = subprocess.run(["bash", str(REPO / "examples/private-synthesis/run.sh"), str(tmp_path)],
                            capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "same noise key, same model" in result.stdout
    assert "total: rho=" in result.stdout
    assert (tmp_path / "aim-synthetic.csv").stat().st_size > 0


def test_python_pandas_example():
    pytest.importorskip("synthscale._core", reason="Python package not built (make python)")
    result = subprocess.run([sys.executable, str(REPO / "examples/python-pandas/example.py")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "share of women" in result.stdout


def test_text_audit_example(synthscale_bin, tmp_path):
    sys.path.insert(0, str(REPO / "tests/text"))
    import manpage_text
    if not manpage_text.available():
        pytest.skip("man-page translations not installed (scripts/install-deps.sh installs them)")
    env = dict(os.environ, SYNTHSCALE_BIN=str(synthscale_bin))
    result = subprocess.run(["bash", str(REPO / "examples/text-audit/run.sh"), str(tmp_path)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    for line in result.stdout.splitlines():
        if line.endswith("planted"):
            found, planted = line.split(": ")[1].split(" of ")
            assert found == planted.split()[0], line
    assert (tmp_path / "audit/report.html").exists()
