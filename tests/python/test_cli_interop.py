"""Model files are shared with the `synthscale` program: same seed, same rows."""
import io
import os
import subprocess

import pandas as pd
import pytest

import synthscale
from python_fixtures import REPO, adult  # noqa: F401 (fixtures)

BIN = os.environ.get("SYNTHSCALE_BIN", str(REPO / "build/release/cli/synthscale"))

pytestmark = pytest.mark.skipif(not os.path.exists(BIN),
                                reason=f"synthscale program not built at {BIN} (make build, or set SYNTHSCALE_BIN)")


def run(*args):
    result = subprocess.run([BIN, "-q", *map(str, args)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, (result.returncode, result.stderr)
    return result


def as_csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(frame.to_csv(index=False)))


def test_program_samples_a_python_model_identically(adult, tmp_path):
    model, output = tmp_path / "model.ssm", tmp_path / "synth.csv"
    synthesizer = synthscale.Independent(random_state=11).fit(adult)
    synthesizer.save(model)
    run("sample", model, "-n", 2000, "--seed", 11, "-o", output)
    pd.testing.assert_frame_equal(pd.read_csv(output), as_csv_frame(synthesizer.sample(2000)))
    run("sample", model, "-n", 2000, "--seed", 11, "--sampling", "iid", "-o", output, "--force")
    pd.testing.assert_frame_equal(pd.read_csv(output), as_csv_frame(synthesizer.sample(2000, sampling="iid")))


def test_python_samples_a_program_model_identically(tmp_path):
    data = REPO / "data/adult/adult.csv"
    if not data.exists():
        pytest.skip(f"{data} not found")
    model, output = tmp_path / "model.ssm", tmp_path / "synth.csv"
    run("fit", "--method", "independent", data, "-o", model)
    run("sample", model, "-n", 2000, "--seed", 3, "-o", output)
    loaded = synthscale.Independent.load(model, random_state=3)
    assert loaded.n_rows_fit_ == 32561
    pd.testing.assert_frame_equal(pd.read_csv(output), as_csv_frame(loaded.sample(2000)))
