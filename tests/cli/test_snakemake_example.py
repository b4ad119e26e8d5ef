"""examples/snakemake/Snakefile runs for real: fit, sample, verify through Snakemake."""
import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO


def snakemake_command():
    """Snakemake from the same environment as the tests (requirements-dev.txt pins it)."""
    beside = os.path.join(os.path.dirname(sys.executable), "snakemake")
    if os.path.exists(beside):
        return [beside]
    found = shutil.which("snakemake")
    return [found] if found else None


@pytest.mark.skipif(snakemake_command() is None, reason="snakemake not installed (pip install -r requirements-dev.txt)")
def test_snakefile_fits_samples_and_verifies(synthscale_bin, run, tmp_path):
    # The Snakefile's default data paths (../../data/adult/...) hold in this layout too.
    work = tmp_path / "examples/snakemake"
    work.parent.mkdir(parents=True)
    shutil.copytree(REPO / "examples/snakemake", work, ignore=shutil.ignore_patterns("out", ".snakemake"))
    (tmp_path / "data").symlink_to(REPO / "data")
    result = subprocess.run([*snakemake_command(), "--cores", "1", "--config", f"synthscale={synthscale_bin}"],
                            cwd=work, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    out = work / "out"
    with open(out / "adult-synthetic.csv", encoding="utf-8") as f:
        assert sum(1 for _ in f) == 2000 + 1  # header + --rows
    verified = (out / "verified.txt").read_text(encoding="utf-8")
    assert verified.count("all ") == 2 and "files match" in verified
    for manifest in ("adult-mst.ssm.manifest.json", "adult-synthetic.csv.manifest.json"):
        run("verify", out / manifest, check_exit=0)

    # Nothing to do the second time; a tampered output makes verify (and so the rule) fail.
    again = subprocess.run([*snakemake_command(), "--cores", "1", "--config", f"synthscale={synthscale_bin}"],
                           cwd=work, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert "Nothing to be done" in again.stdout + again.stderr
    with open(out / "adult-synthetic.csv", "a", encoding="utf-8") as f:
        f.write("tampered\n")
    tampered = run("verify", out / "adult-synthetic.csv.manifest.json")
    assert tampered.returncode == 3
