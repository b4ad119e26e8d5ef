"""A `synthscale sample` killed with SIGKILL mid-write leaves no partial output; the re-run
succeeds, removes the killed run's temporary and writes the same bytes as a run that was
never interrupted (docs/reproducibility.md, "Killed runs")."""
import hashlib
import json
import os
import signal
import subprocess
import time

import pytest

from conftest import ADULT, REPO

ROWS = 5_000_000
SEED = 99
COLUMNS = ["age", "sex", "income"]  # few columns: 5e6 rows stay near 80 MB


@pytest.fixture(scope="module")
def model(synthscale_bin, tmp_path_factory):
    folder = tmp_path_factory.mktemp("killed-model")
    schema = json.loads((REPO / "data/adult/adult.schema.json").read_text())
    schema["columns"] = [column for column in schema["columns"] if column["name"] in COLUMNS]
    (folder / "schema.json").write_text(json.dumps(schema))
    with open(ADULT) as source, open(folder / "small.csv", "w") as target:
        header = source.readline().rstrip("\n").split(",")
        picks = [header.index(name) for name in COLUMNS]
        target.write(",".join(COLUMNS) + "\n")
        for line in source:
            fields = line.rstrip("\n").split(",")  # Adult has no quoted fields
            target.write(",".join(fields[pick] for pick in picks) + "\n")
    path = folder / "model.ssm"
    result = subprocess.run([str(synthscale_bin), "fit", "--method", "independent", "--schema",
                             str(folder / "schema.json"), str(folder / "small.csv"), "-o", str(path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return path


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def temporaries(folder, name):
    return sorted(entry for entry in os.listdir(folder) if entry.startswith(f".{name}.tmp."))


def test_sigkill_mid_write_leaves_no_output_and_the_rerun_is_identical(synthscale_bin, model, tmp_path):
    out = tmp_path / "synth.csv"
    command = [str(synthscale_bin), "--threads", "1", "sample", str(model), "-n", str(ROWS), "--seed", str(SEED),
               "-o", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # Poll until the temporary holds more than the header (rows are being written), then kill.
    deadline = time.monotonic() + 60
    killed_mid_write = False
    while time.monotonic() < deadline and process.poll() is None:
        names = temporaries(tmp_path, out.name)
        if names and (tmp_path / names[0]).stat().st_size > (1 << 20):
            os.kill(process.pid, signal.SIGKILL)
            killed_mid_write = True
            break
        time.sleep(0.002)
    process.wait(timeout=30)
    process.stderr.close()
    assert killed_mid_write, "the run finished (or never wrote) before it could be killed; raise ROWS"
    assert process.returncode == -signal.SIGKILL
    # No partial output, no manifest: only the killed run's hidden temporary is left.
    assert not out.exists()
    assert not (tmp_path / "synth.csv.manifest.json").exists()
    stale = temporaries(tmp_path, out.name)
    assert len(stale) == 1
    stale_size = (tmp_path / stale[0]).stat().st_size
    assert stale_size > 0

    # The re-run is not blocked by the leftover, removes it, and writes the whole output.
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert temporaries(tmp_path, out.name) == []
    assert sorted(os.listdir(tmp_path)) == ["synth.csv", "synth.csv.datacard.md", "synth.csv.manifest.json"]

    # Same bytes as a run that was never interrupted (another folder, other thread count).
    reference_dir = tmp_path / "reference"
    reference_dir.mkdir()
    reference = reference_dir / "synth.csv"
    result = subprocess.run([str(synthscale_bin), "--threads", "2", "sample", str(model), "-n", str(ROWS),
                             "--seed", str(SEED), "-o", str(reference), "--no-manifest"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert sha256(out) == sha256(reference)
    assert stale_size < out.stat().st_size  # the kill really was mid-write
    with open(out, "rb") as handle:
        assert sum(1 for _ in handle) == ROWS + 1
    out.unlink()  # ~80 MB each: pytest keeps the last runs' folders
    reference.unlink()
