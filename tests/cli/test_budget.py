"""`synthscale budget`: converting between (epsilon, delta)-DP and zCDP rho.

Expected values come from tests/privacy/vectors/zcdp_vectors.json (mpmath, 40 digits).
"""
import json
import math
import pathlib

import pytest

VECTORS = json.loads((pathlib.Path(__file__).resolve().parents[1] / "privacy/vectors/zcdp_vectors.json").read_text())


def test_help_names_the_flags(run):
    result = run("budget", "--help", check_exit=0)
    for flag in ("--epsilon", "--rho", "--delta", "--json"):
        assert flag in result.stdout


@pytest.mark.parametrize("entry", VECTORS["rho_from_epsilon"][::7])
def test_epsilon_delta_prints_rho(run, entry):
    result = run("budget", "--epsilon", entry["epsilon"], "--delta", entry["delta"], check_exit=0)
    rho = float(result.stdout.strip())
    assert result.stdout.count("\n") == 1
    assert rho == pytest.approx(entry["rho"], rel=1e-6)
    assert rho <= entry["rho"] * (1 + 1e-12)  # never more budget than (epsilon, delta) allows


@pytest.mark.parametrize("entry", VECTORS["epsilon_from_rho"][::9])
def test_rho_delta_prints_epsilon(run, entry):
    result = run("budget", "--rho", entry["rho"], "--delta", entry["delta"], check_exit=0)
    epsilon = float(result.stdout.strip())
    assert epsilon == pytest.approx(entry["epsilon"], rel=1e-6)
    assert epsilon >= entry["epsilon"] * (1 - 1e-12)  # never claims a smaller epsilon


def test_json_from_epsilon(run):
    result = run("budget", "--epsilon", "1", "--delta", "1e-6", "--json", check_exit=0)
    out = json.loads(result.stdout)
    assert list(out) == ["epsilon", "delta", "rho"]
    assert out["epsilon"] == 1.0 and out["delta"] == 1e-6
    assert out["rho"] == pytest.approx(0.024355970359538372, rel=1e-6)


def test_json_from_rho(run):
    out = json.loads(run("budget", "--rho", "0.5", "--delta", "1e-9", "--json", check_exit=0).stdout)
    assert out["rho"] == 0.5 and out["delta"] == 1e-9
    assert 0.5 < out["epsilon"] < 0.5 + 2 * math.sqrt(0.5 * math.log(1e9))  # tighter than the classic bound


def test_printed_rho_round_trips(run):
    rho = run("budget", "--epsilon", "2", "--delta", "1e-7", check_exit=0).stdout.strip()
    epsilon = float(run("budget", "--rho", rho, "--delta", "1e-7", check_exit=0).stdout)
    assert epsilon == pytest.approx(2.0, rel=1e-9)


def test_zero_rho_is_zero_epsilon(run):
    assert float(run("budget", "--rho", "0", "--delta", "1e-6", check_exit=0).stdout) == 0.0


@pytest.mark.parametrize("args, message", [
    (["--epsilon", "-1", "--delta", "1e-6"], "epsilon must be a finite number >= 0, got -1"),
    (["--epsilon", "0", "--delta", "1e-6"], "epsilon must be > 0"),
    (["--epsilon", "nan", "--delta", "1e-6"], "got NaN"),
    (["--epsilon", "inf", "--delta", "1e-6"], "epsilon must be a finite number"),
    (["--epsilon", "abc", "--delta", "1e-6"], "--epsilon must be a number, got 'abc'"),
    (["--epsilon", "1", "--delta", "1"], "delta must be in (0, 1)"),
    (["--epsilon", "1", "--delta", "1.5"], "delta must be in (0, 1)"),
    (["--epsilon", "1", "--delta", "0"], "delta must be in (0, 1)"),
    (["--epsilon", "1", "--delta", "-1e-6"], "delta must be in (0, 1)"),
    (["--epsilon", "1", "--delta", "nan"], "delta must be in (0, 1)"),
    (["--rho", "-0.5", "--delta", "1e-6"], "rho must be a finite number >= 0, got -0.5"),
    (["--rho", "nan", "--delta", "1e-6"], "got NaN"),
    (["--rho", "1e400", "--delta", "1e-6"], "out of range"),
    (["--epsilon", "1", "--rho", "0.1", "--delta", "1e-6"], "exactly one of --epsilon"),
    (["--delta", "1e-6"], "exactly one of --epsilon"),
    (["--epsilon", "1"], "--delta is required"),
])
def test_bad_arguments_exit_2_with_a_clear_error(run, args, message):
    result = run("budget", *args, check_exit=2)
    assert result.stdout == ""
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
