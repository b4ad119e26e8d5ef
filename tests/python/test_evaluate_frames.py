"""synthscale.evaluate: the trust report from DataFrames, the same as the program's."""
import json
import os
import subprocess

import pandas as pd
import pytest

import synthscale
from python_fixtures import REPO, adult  # noqa: F401 (fixtures)

SCHEMA = REPO / "data/adult/adult.schema.json"
BIN = os.environ.get("SYNTHSCALE_BIN", str(REPO / "build/release/cli/synthscale"))


@pytest.fixture(scope="module")
def split(adult):  # noqa: F811
    train = adult.iloc[:2000].reset_index(drop=True)
    holdout = adult.iloc[2000:4000].reset_index(drop=True)
    synthetic = synthscale.Independent(random_state=3, schema=SCHEMA).fit(train).sample(2000)
    return train, holdout, synthetic


def test_returns_report_with_summary(split):
    train, holdout, synthetic = split
    report = synthscale.evaluate(train, synthetic, holdout=holdout, schema=SCHEMA, target="income",
                                 sensitive=["sex"], seed=4)
    assert report["format"] == "synthscale-report"
    assert report["inputs"] == {**report["inputs"], "real_rows": 2000, "holdout_rows": 2000,
                                "synthetic_rows": 2000}
    entry = report["summary"]["representation_ratio_worst.sex"]
    assert entry["ci"][0] <= entry["value"] <= entry["ci"][1]


def test_same_report_for_any_thread_count_and_column_order(split):
    train, holdout, synthetic = split
    one = synthscale.evaluate(train, synthetic, holdout=holdout, schema=SCHEMA, sensitive="race", threads=1)
    shuffled = synthetic[list(reversed(synthetic.columns))]
    two = synthscale.evaluate(train, shuffled, holdout=holdout, schema=SCHEMA, sensitive="race", threads=2)
    assert one == two


@pytest.mark.skipif(not os.path.exists(BIN), reason=f"synthscale program not built at {BIN}")
def test_same_report_as_the_program(split, tmp_path):
    train, holdout, synthetic = split
    paths = {}
    for name, frame in (("train", train), ("holdout", holdout), ("synth", synthetic)):
        paths[name] = tmp_path / f"{name}.csv"
        frame.to_csv(paths[name], index=False)
    subprocess.run([BIN, "-q", "evaluate", "--real", paths["train"], "--holdout", paths["holdout"], "--synthetic",
                    paths["synth"], "--schema", SCHEMA, "--sensitive", "sex,race", "--seed", "8", "-o",
                    tmp_path / "cli", "--no-manifest"], check=True, capture_output=True)
    from_program = json.loads((tmp_path / "cli/report.json").read_text())
    from_python = synthscale.evaluate(pd.read_csv(paths["train"]), pd.read_csv(paths["synth"]),
                                      holdout=pd.read_csv(paths["holdout"]), schema=SCHEMA,
                                      sensitive=["sex", "race"], seed=8, output_dir=tmp_path / "py")
    # The two builds may come from different commits in a working tree; all else is equal.
    assert from_python.pop("generator")["version"] == from_program.pop("generator")["version"]
    assert from_python == from_program


def test_writes_files_and_keeps_an_existing_report(split, tmp_path):
    train, holdout, synthetic = split
    synthscale.evaluate(train, synthetic, sensitive="sex", output_dir=tmp_path)
    assert (tmp_path / "report.html").exists()
    with pytest.raises(synthscale.OutputExistsError):
        synthscale.evaluate(train, synthetic, sensitive="sex", output_dir=tmp_path)
    synthscale.evaluate(train, synthetic, sensitive="sex", output_dir=tmp_path, overwrite=True)


@pytest.mark.parametrize("kwargs, message", [
    ({"sensitive": ["colour"]}, "'colour'"),
    ({"metrics": ["nope"]}, "choose from"),
    ({"seed": None}, "seed"),
    ({"bootstrap": -1}, "bootstrap"),
    ({"mix": ["a"]}, "mix"),
    ({"target": 3}, "target"),
])
def test_bad_arguments_raise_invalid_argument(split, kwargs, message):
    train, _, synthetic = split
    with pytest.raises(synthscale.InvalidArgumentError, match=message):
        synthscale.evaluate(train, synthetic, schema=SCHEMA, **kwargs)
