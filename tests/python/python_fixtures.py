"""Shared fixtures and helpers for the Python package's tests (run against the installed package).

Not a conftest.py: tests/cli has one, and two top-level `conftest` modules collide when
pytest collects both folders in one run (`make test-python`). Test modules import the
fixtures they use from here.
"""
import pathlib

import numpy as np
import pandas as pd
import pytest

import synthscale

REPO = pathlib.Path(__file__).resolve().parents[2]
ADULT_PATHS = [REPO / "data/adult/adult.csv", pathlib.Path("/work/shared/data/adult/adult.csv")]

#: Every synthesizer class: each must pass tests/python/test_conformance.py.
SYNTHESIZERS = [synthscale.Independent, synthscale.MST, synthscale.AIM]

#: A fixed noise key, so that a private fit is reproducible (NOT a key to use for real data).
TEST_NOISE_KEY = bytes(range(32))

#: What each class needs beyond a test's own arguments to fit any of the test frames. The
#: private ones: a generous budget, a fixed noise key (the same random_state then gives the
#: same model and sample), the opt-in for the schemas the tests infer, and (AIM) few rounds.
SETUP = {
    synthscale.MST: {"epsilon": 10.0, "delta": 1e-6, "noise_key": TEST_NOISE_KEY,
                     "allow_data_dependent_domain": True},
    synthscale.AIM: {"epsilon": 10.0, "delta": 1e-6, "noise_key": TEST_NOISE_KEY,
                     "allow_data_dependent_domain": True, "max_rounds": 4, "workload_degree": 2},
}


#: The differentially private classes: they keep no row count, and their output dtypes
#: come from the schema alone (docs/python.md).
PRIVATE = {synthscale.MST, synthscale.AIM}


def expected_dtypes(cls, synthesizer, frame: pd.DataFrame) -> list:
    """The dtypes `sample` must return: the frame's, or for a private class the schema's."""
    if cls not in PRIVATE:
        return list(frame.dtypes)
    from synthscale._frame import infos_from_schema
    return [info.dtype for info in infos_from_schema(synthesizer.schema_)]


def make(cls, **params):
    """A `cls` with `params` and whatever else the class needs (SETUP)."""
    return cls(**{**SETUP.get(cls, {}), **params})


@pytest.fixture(scope="session")
def adult() -> pd.DataFrame:
    """The bundled UCI Adult training split, '?' read as missing."""
    path = next((candidate for candidate in ADULT_PATHS if candidate.exists()), None)
    if path is None:
        pytest.skip(f"Adult data not found at any of {[str(p) for p in ADULT_PATHS]}")
    return pd.read_csv(path, na_values="?")


def make_mixed_frame(n_rows: int = 400, seed: int = 0) -> pd.DataFrame:
    """A frame with every supported dtype, most with missing values."""
    rng = np.random.default_rng(seed)

    def with_missing(values, share=0.1):
        values = pd.Series(values)
        return values.mask(rng.random(n_rows) < share)

    words = np.array(["alpha", "beta", "gamma", "delta"], dtype=object)
    stamps = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 10**8, n_rows), unit="s")
    frame = pd.DataFrame({
        # declared order is not sorted, and "unused" never occurs
        "cat": pd.Categorical(with_missing(rng.choice(["m", "b", "z"], n_rows)),
                              categories=["z", "m", "b", "unused"]),
        "cat_ordered": pd.Categorical(rng.choice(["low", "mid", "high"], n_rows),
                                      categories=["low", "mid", "high"], ordered=True),
        "cat_int": pd.Categorical(rng.choice([3, 1, 2], n_rows)),
        "obj": with_missing(rng.choice(words, n_rows)).astype(object),
        "string": with_missing(rng.choice(words, n_rows)).astype("string"),
        "int": rng.integers(-5, 50, n_rows).astype(np.int64),
        "int32": rng.integers(0, 1000, n_rows).astype(np.int32),
        "Int64": with_missing(rng.integers(0, 10, n_rows)).astype("Int64"),
        "float": with_missing(rng.normal(10.0, 3.0, n_rows)),
        "float32": rng.normal(0.0, 1.0, n_rows).astype(np.float32),
        "bool": rng.random(n_rows) < 0.3,
        "boolean": with_missing(rng.random(n_rows) < 0.7).astype("boolean"),
        "when": pd.Series(stamps).mask(rng.random(n_rows) < 0.1),
        "when_tz": pd.Series(stamps).dt.tz_localize("UTC").dt.tz_convert("Europe/Paris"),
        "uid": [f"user-{idx:05d}" for idx in rng.permutation(n_rows)],
        "note": with_missing([f"free text {value}" for value in rng.integers(0, n_rows, n_rows)]).astype(object),
        7: rng.integers(0, 3, n_rows),  # a non-str column label
    })
    return frame


@pytest.fixture
def mixed() -> pd.DataFrame:
    return make_mixed_frame()


def small_frame(labels, n_rows: int = 60, seed: int = 0, low: int = 0, high: int = 10) -> pd.DataFrame:
    """A small frame: a categorical-looking string column and an integer column."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "label": rng.choice(np.array(labels, dtype=object), n_rows),
        "number": rng.integers(low, high, n_rows),
    })
