"""`synthscale sample --sampling rounded|iid`: rounded (the default) draws all rows jointly so
the model's marginals come out without sampling noise; iid draws each row from its own stream."""
import collections
import csv
import json
import subprocess

import pytest

from conftest import ADULT

CATEGORICAL = ["workclass", "education", "marital-status", "occupation", "relationship", "race", "sex",
               "native-country", "income"]


@pytest.fixture(scope="module")
def independent_model(synthscale_bin, tmp_path_factory):
    path = tmp_path_factory.mktemp("sampling-model") / "model.ssm"
    result = subprocess.run([str(synthscale_bin), "fit", "--method", "independent", str(ADULT), "-o", str(path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return path


def column_counts(path, names):
    """Rows and per-column value counts; Adult's '?' is read as missing, which is written empty."""
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    return len(rows), {name: collections.Counter("" if row[name] == "?" else row[name] for row in rows)
                       for name in names}


def test_rounded_independent_sample_has_the_real_counts(run, independent_model, tmp_path):
    """The independent model holds Adult's exact counts: at Adult's size each value's rounded
    count N * count / N is an integer, so every categorical column matches Adult exactly; at
    twice the size, every count doubles. (iid sampling would be off by ~sqrt(count).)"""
    real_rows, real = column_counts(ADULT, CATEGORICAL)
    same = tmp_path / "same.csv"
    run("sample", independent_model, "-n", real_rows, "--seed", 4, "-o", same, check_exit=0)
    rows, synthetic = column_counts(same, CATEGORICAL)
    assert rows == real_rows
    for name in CATEGORICAL:
        assert synthetic[name] == real[name], name
    double = tmp_path / "double.csv"
    run("sample", independent_model, "-n", 2 * real_rows, "--seed", 4, "-o", double, "--no-manifest",
        check_exit=0)
    _, doubled = column_counts(double, CATEGORICAL)
    for name in CATEGORICAL:
        assert doubled[name] == collections.Counter({value: 2 * count for value, count in real[name].items()}), name
    # The same counts in another order: a different seed shuffles the rows differently.
    other = tmp_path / "other.csv"
    run("sample", independent_model, "-n", real_rows, "--seed", 5, "-o", other, "--no-manifest", check_exit=0)
    assert column_counts(other, CATEGORICAL)[1] == synthetic
    assert other.read_bytes() != same.read_bytes()


def test_iid_rows_do_not_depend_on_the_row_count(run, independent_model, tmp_path):
    """iid: row r comes from stream (seed, "sample", r) alone, so a shorter sample is a prefix."""
    long, short = tmp_path / "long.csv", tmp_path / "short.csv"
    run("sample", independent_model, "-n", 1000, "--seed", 9, "--sampling", "iid", "-o", long, check_exit=0)
    run("sample", independent_model, "-n", 400, "--seed", 9, "--sampling", "iid", "-o", short, check_exit=0)
    assert long.read_bytes().startswith(short.read_bytes())
    configuration = json.loads((tmp_path / "short.csv.manifest.json").read_text())["prov:wasGeneratedBy"]
    assert configuration["configuration"] == {"rows": 400, "seed": "9", "sampling": "iid"}


@pytest.mark.parametrize("value", ["banana", "Rounded", ""])
def test_bad_sampling_value_is_a_usage_error(run, independent_model, tmp_path, value):
    out = tmp_path / "out.csv"
    result = run("sample", independent_model, "-n", 10, "--seed", 1, "--sampling", value, "-o", out)
    assert result.returncode == 2, result.stderr
    assert "--sampling: sampling method must be 'rounded'" in result.stderr
    assert f"got '{value}'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_rounded_sample_beyond_memory_is_refused_up_front(run, independent_model, tmp_path):
    out = tmp_path / "out.csv"
    result = run("sample", independent_model, "-n", 10 ** 13, "--seed", 1, "-o", out)
    assert result.returncode == 2, result.stderr
    assert "--sampling rounded holds all 10000000000000 rows in memory" in result.stderr
    assert "pass --sampling iid" in result.stderr
    assert list(tmp_path.iterdir()) == []
