"""Fidelity of the independent synthesizer on the bundled UCI Adult data.

Test: total variation distance (TVD) between the real and the synthetic distribution of
each column: categorical columns over their categories plus missing, integer columns over
the schema's bins (the resolution the model keeps, docs/schema.md). Seed 7, 20,000
synthetic rows. Tolerance 0.03 per column: under multinomial sampling from the exact
marginals the expected TVD is at most 0.02 for these columns (about 0.02 for age, which
has the most bins; computed in the failure message), so 0.03 fails only on a real defect.
"""
import numpy as np
import pandas as pd
import pytest

import synthscale
from python_fixtures import adult  # noqa: F401 (fixtures)

SEED = 7
N_SAMPLE = 20_000
TVD_TOLERANCE = 0.03

pytestmark = pytest.mark.statistical


@pytest.fixture(scope="module")
def fitted(adult):
    return synthscale.Independent(random_state=SEED).fit(adult)


@pytest.fixture(scope="module")
def sample(fitted):
    return fitted.sample(N_SAMPLE)


def tvd(real: pd.Series, synthetic: pd.Series) -> float:
    real_share = real.value_counts(normalize=True, dropna=False)
    synthetic_share = synthetic.value_counts(normalize=True, dropna=False)
    return 0.5 * float(real_share.subtract(synthetic_share, fill_value=0.0).abs().sum())


def expected_tvd(real: pd.Series, n_rows: int) -> float:
    """E[TVD] of an n-row multinomial sample, to first order: sum_i sqrt(2 p_i (1-p_i) / (pi n)) / 2."""
    share = real.value_counts(normalize=True, dropna=False).to_numpy(dtype=float)
    return float(0.5 * np.sum(np.sqrt(2.0 * share * (1.0 - share) / (np.pi * float(n_rows)))))


def integer_bins(values: pd.Series, domain: dict) -> pd.Series:
    """Bin of each value as the encoder computes it: floor((x - min) * d / R)."""
    span = domain["max"] - domain["min"] + 1
    bins = min(domain["bins"], span)
    return (values - domain["min"]) * bins // span


def test_adult_is_read_as_expected(adult, fitted):
    assert adult.shape == (32561, 15)
    kinds = {column["name"]: column["type"] for column in fitted.schema_["columns"]}
    assert kinds["age"] == "integer" and kinds["workclass"] == "categorical"
    assert adult["workclass"].isna().sum() == 1836  # the '?' tokens


def test_categorical_marginals_close(adult, fitted, sample):
    for column in fitted.schema_["columns"]:
        if column["type"] != "categorical":
            continue
        name = column["name"]
        distance = tvd(adult[name], sample[name])
        assert distance <= TVD_TOLERANCE, (name, distance, expected_tvd(adult[name], N_SAMPLE))


def test_missing_shares_close(adult, sample):
    for name in ("workclass", "occupation", "native-country"):
        real, synthetic = adult[name].isna().mean(), sample[name].isna().mean()
        # binomial standard error at p ~ 0.06, n = 20,000 is 0.0017: allow 5 of them
        assert abs(real - synthetic) <= 0.0085, (name, real, synthetic)


def test_integer_marginals_close_at_the_bin_resolution(adult, fitted, sample):
    for column in fitted.schema_["columns"]:
        if column["type"] != "integer":
            continue
        name, domain = column["name"], column["domain"]
        real, synthetic = integer_bins(adult[name], domain), integer_bins(sample[name], domain)
        distance = tvd(real, synthetic)
        assert distance <= TVD_TOLERANCE, (name, distance, expected_tvd(real, N_SAMPLE))
        assert sample[name].between(domain["min"], domain["max"]).all()
        # Within-bin draws move a value by less than a bin's width (docs/schema.md); the
        # mean also moves by sampling error: allow the width plus 5 standard errors.
        width = (domain["max"] - domain["min"] + 1) / min(domain["bins"], domain["max"] - domain["min"] + 1)
        slack = width + 5.0 * adult[name].std() / np.sqrt(N_SAMPLE)
        assert abs(sample[name].mean() - adult[name].mean()) <= slack, name


def test_sample_dtypes_match_the_csv_frame(adult, sample):
    assert list(sample.columns) == list(adult.columns)
    assert list(sample.dtypes) == list(adult.dtypes)
