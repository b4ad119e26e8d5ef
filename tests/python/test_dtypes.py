"""sample() returns the fitted frame's columns, order, dtypes and categories."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import synthscale
from python_fixtures import make_mixed_frame, mixed  # noqa: F401 (fixtures)

N_SAMPLE = 3000


@pytest.fixture
def fitted(mixed):
    return synthscale.Independent(random_state=3).fit(mixed)


def test_columns_order_and_dtypes_preserved(mixed, fitted):
    sample = fitted.sample(N_SAMPLE)
    assert list(sample.columns) == list(mixed.columns)
    assert sample.index.equals(pd.RangeIndex(N_SAMPLE))
    for label in mixed.columns:
        assert sample[label].dtype == mixed[label].dtype, label


def test_categories_order_and_ordered_flag_preserved(mixed, fitted):
    sample = fitted.sample(N_SAMPLE)
    for label in ("cat", "cat_ordered", "cat_int"):
        assert list(sample[label].cat.categories) == list(mixed[label].cat.categories), label
        assert sample[label].cat.ordered == mixed[label].cat.ordered, label
    assert "unused" not in set(sample["cat"].dropna())  # declared but never seen: count 0
    assert set(sample["cat_int"]) == {1, 2, 3}  # non-str categories come back as themselves


def test_values_stay_in_the_observed_domain(mixed, fitted):
    sample = fitted.sample(N_SAMPLE)
    for label in ("obj", "string", "cat", "cat_ordered"):
        assert set(sample[label].dropna()) <= set(mixed[label].dropna()), label
    for label in ("int", "int32", "Int64", "float", "float32", "when", "when_tz", 7):
        present = sample[label].dropna()
        assert present.min() >= mixed[label].min() and present.max() <= mixed[label].max(), label
    assert (sample["when"].dropna().dt.microsecond == 0).all()  # whole seconds


def test_missing_values_only_where_they_were_seen(mixed, fitted):
    sample = fitted.sample(N_SAMPLE)
    for label in mixed.columns:
        if label in ("uid", "note"):
            continue
        had_missing = bool(mixed[label].isna().any())
        # ~10% missing in the data: P(no missing in 3000 draws) = 0.9**3000, negligible
        assert bool(sample[label].isna().any()) == had_missing, label
    assert sample["obj"].isna().any() and sample["string"].isna().any()
    assert sample["string"][sample["string"].isna()].iloc[0] is pd.NA


def test_id_columns_are_renumbered_and_text_is_missing(fitted):
    sample = fitted.sample(20)
    assert list(sample["uid"]) == [str(row) for row in range(1, 21)]
    assert sample["note"].isna().all() and sample["note"].dtype == object


def test_zero_rows_keep_the_dtypes(mixed, fitted):
    sample = fitted.sample(0)
    assert len(sample) == 0
    assert list(sample.dtypes) == list(mixed.dtypes)


def test_int64_becomes_nullable_only_if_missing_values_are_drawn():
    frame = pd.DataFrame({"count": np.arange(50, dtype=np.int64), "flag": np.arange(50) % 2 == 0})
    sample = synthscale.Independent(random_state=1).fit(frame).sample(100)
    assert sample["count"].dtype == np.int64 and sample["flag"].dtype == bool


def test_one_row_frame():
    frame = pd.DataFrame({"a": ["only"], "b": [1.5], "c": [3]})
    sample = synthscale.Independent(random_state=1).fit(frame).sample(5)
    # one distinct string in one row is all-unique: an id column (docs/python.md)
    assert list(sample["a"]) == ["1", "2", "3", "4", "5"]
    assert (sample["b"] == 1.5).all() and (sample["c"] == 3).all()


def test_all_missing_columns_stay_missing():
    frame = pd.DataFrame({"x": [np.nan] * 10, "y": pd.array([None] * 10, dtype="Int64"),
                          "z": [None] * 10, "k": range(10)})
    synthesizer = synthscale.Independent(random_state=1).fit(frame)
    assert [column["type"] for column in synthesizer.schema_["columns"]] == ["text", "text", "text", "integer"]
    sample = synthesizer.sample(10)
    assert sample[["x", "y", "z"]].isna().all().all()
    assert list(sample.dtypes) == list(frame.dtypes)


def test_integer_values_in_range_are_lossless():
    frame = pd.DataFrame({"die": np.tile(np.arange(1, 7), 50)})
    sample = synthscale.Independent(random_state=2).fit(frame).sample(6000)
    assert set(sample["die"]) == set(range(1, 7))


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_random_frames_round_trip_dtypes(data):
    n_rows = data.draw(st.integers(1, 40), label="n_rows")
    ints = data.draw(st.lists(st.integers(-10**12, 10**12), min_size=n_rows, max_size=n_rows))
    floats = data.draw(st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)),
                                min_size=n_rows, max_size=n_rows))
    labels = data.draw(st.lists(st.sampled_from(["", "a", "ü", "a,b", "x\ny", None]),
                                min_size=n_rows, max_size=n_rows))
    frame = pd.DataFrame({
        "ints": np.array(ints, dtype=np.int64),
        "floats": np.array([np.nan if value is None else value for value in floats], dtype=np.float64),
        "labels": pd.Categorical(labels),
    })
    sample = synthscale.Independent(random_state=0).fit(frame).sample(50)
    assert list(sample.dtypes) == list(frame.dtypes)
    assert sample["ints"].between(frame["ints"].min(), frame["ints"].max()).all()
    present = sample["floats"].dropna()
    if len(present):
        assert present.min() >= frame["floats"].min() and present.max() <= frame["floats"].max()
    assert set(sample["labels"].dropna()) <= set(frame["labels"].dropna())


def test_mixed_frame_helper_covers_every_kind():
    kinds = {column["type"] for column in synthscale.Independent(random_state=0)
             .fit(make_mixed_frame()).schema_["columns"]}
    assert kinds == {"categorical", "integer", "continuous", "datetime", "boolean", "id", "text"}


def test_pyarrow_backed_dtypes_round_trip():
    pytest.importorskip("pyarrow", reason="pyarrow-backed dtypes need pyarrow")
    rng = np.random.default_rng(0)
    n_rows = 200
    frame = pd.DataFrame({
        "s": pd.Series(rng.choice(["a", "b", None], n_rows), dtype="string[pyarrow]"),
        "i": pd.Series(rng.integers(0, 5, n_rows), dtype="int64[pyarrow]"),
        "f": pd.Series(rng.normal(size=n_rows), dtype="double[pyarrow]"),
        "b": pd.Series(rng.random(n_rows) < 0.5, dtype="bool[pyarrow]"),
        "t": pd.Series(pd.date_range("2020-01-01", periods=n_rows, freq="h")).astype("timestamp[ns][pyarrow]"),
    })
    synthesizer = synthscale.Independent(random_state=1).fit(frame)
    assert [column["type"] for column in synthesizer.schema_["columns"]] == [
        "categorical", "integer", "continuous", "boolean", "datetime"]
    sample = synthesizer.sample(300)
    assert list(sample.dtypes) == list(frame.dtypes)
    assert set(sample["s"].dropna()) == {"a", "b"} and sample["s"].isna().any()
