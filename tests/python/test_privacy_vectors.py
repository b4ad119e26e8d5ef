"""The committed zCDP conversion vectors match their generator and the published bound.

tests/privacy/vectors/zcdp_vectors.json is produced by generate_zcdp_vectors.py (mpmath)
and read by the C++ test tests/privacy/zcdp_test.cpp and tests/cli/test_budget.py. This
checks that the file is well formed, internally consistent, and that a sample of entries
is reproduced by the generator (the full run takes minutes).
"""
import importlib.util
import json
import math
import pathlib

import pytest

VECTOR_DIR = pathlib.Path(__file__).resolve().parents[1] / "privacy" / "vectors"
VECTORS = json.loads((VECTOR_DIR / "zcdp_vectors.json").read_text())
mpmath = pytest.importorskip("mpmath", reason="mpmath is in requirements-dev.txt; install it into .venv")


def load_generator():
    spec = importlib.util.spec_from_file_location("generate_zcdp_vectors", VECTOR_DIR / "generate_zcdp_vectors.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_file_is_well_formed():
    assert VECTORS["mpmath_version"] == "1.3.0"
    assert VECTORS["digits"] >= 40
    assert len(VECTORS["delta_from_rho"]) >= 30
    assert len(VECTORS["epsilon_from_rho"]) >= 50
    assert len(VECTORS["rho_from_epsilon"]) >= 35
    for entry in VECTORS["delta_from_rho"]:
        assert 0.0 < entry["delta"] <= 1.0
    for entry in VECTORS["epsilon_from_rho"]:
        # The tight bound never exceeds the classic rho + 2 sqrt(rho log(1/delta)).
        classic = entry["rho"] + 2 * math.sqrt(entry["rho"] * math.log(1 / entry["delta"]))
        assert 0.0 <= entry["epsilon"] <= classic


def test_inverse_vectors_are_consistent():
    """rho_from_epsilon then the published bound gives back delta (checked in mpmath)."""
    generator = load_generator()
    for entry in VECTORS["rho_from_epsilon"][::8]:
        delta = mpmath.exp(generator.log_delta(entry["rho"], entry["epsilon"]))
        assert float(delta) == pytest.approx(entry["delta"], rel=1e-9)


@pytest.mark.parametrize("index", [0, 11, 29])
def test_generator_reproduces_delta_entries(index):
    generator = load_generator()
    entry = VECTORS["delta_from_rho"][index]
    delta = mpmath.exp(generator.log_delta(entry["rho"], entry["epsilon"]))
    assert float(delta) == pytest.approx(entry["delta"], rel=1e-14)


def test_generator_reproduces_an_epsilon_entry():
    generator = load_generator()
    entry = VECTORS["epsilon_from_rho"][17]
    assert float(generator.eps_from_rho(entry["rho"], entry["delta"])) == pytest.approx(entry["epsilon"], rel=1e-14)
