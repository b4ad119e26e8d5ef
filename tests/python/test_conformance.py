"""The contract every synthesizer class follows (STYLE.md, "Python API")."""
import numpy as np
import pandas as pd
import pytest

import synthscale
from python_fixtures import PRIVATE, SYNTHESIZERS, expected_dtypes, make, mixed, small_frame  # noqa: F401 (fixtures)

# The private classes fit schemas inferred from the test frames (SETUP opts in): their
# DataDependentDomainWarning is tested in test_private.py, not here.
pytestmark = [pytest.mark.parametrize("cls", SYNTHESIZERS, ids=lambda cls: cls.__name__),
              pytest.mark.filterwarnings("ignore::synthscale.DataDependentDomainWarning")]

SHARED_PARAMS = {"random_state", "schema", "threads"}
PRIVATE_PARAMS = SHARED_PARAMS | {"epsilon", "delta", "rho", "noise_key", "allow_data_dependent_domain",
                                  "max_iterations", "neighbouring"}
#: Every class's constructor arguments, written out so that a change to them is deliberate.
PARAMS = {
    synthscale.Independent: SHARED_PARAMS,
    synthscale.MST: PRIVATE_PARAMS,
    synthscale.AIM: PRIVATE_PARAMS | {"workload", "workload_degree", "max_model_size", "max_rounds"},
}


def test_fit_returns_self(cls):
    synthesizer = make(cls, random_state=1)
    assert synthesizer.fit(small_frame(["a", "b"])) is synthesizer


def test_learned_attributes_set_by_fit(cls):
    frame = small_frame(["a", "b"], n_rows=60)
    synthesizer = make(cls, random_state=3).fit(frame)
    assert synthesizer.seed_ == 3
    assert synthesizer.n_rows_fit_ == (None if cls in PRIVATE else 60)
    assert list(synthesizer.dtypes_.index) == list(frame.columns)
    assert list(synthesizer.dtypes_) == expected_dtypes(cls, synthesizer, frame)
    assert [column["name"] for column in synthesizer.schema_["columns"]] == ["label", "number"]


def test_refitting_forgets_old_data(cls):
    first = small_frame(["a", "b", "c"], low=0, high=10, seed=1)
    second = small_frame(["x", "y"], n_rows=80, low=100, high=110, seed=2)
    synthesizer = make(cls, random_state=5).fit(first).fit(second)
    sample = synthesizer.sample(2000)
    assert set(sample["label"]) == {"x", "y"}
    assert sample["number"].between(100, 109).all()
    assert synthesizer.n_rows_fit_ == (None if cls in PRIVATE else 80)
    assert synthesizer.schema_["columns"][0]["domain"]["categories"] == ["x", "y"]


def test_same_random_state_gives_identical_frames(cls):
    frame = small_frame(["a", "b", "c"])
    first = make(cls, random_state=42).fit(frame).sample(500)
    second = make(cls, random_state=42).fit(frame).sample(500)
    pd.testing.assert_frame_equal(first, second)


def test_thread_count_never_changes_the_sample(cls, mixed):
    samples = [make(cls, random_state=9, threads=threads).fit(mixed).sample(10_000) for threads in (1, 2, 7, None)]
    for other in samples[1:]:
        pd.testing.assert_frame_equal(samples[0], other)


def test_different_seeds_differ(cls):
    frame = small_frame(["a", "b", "c"])
    synthesizer = make(cls, random_state=1).fit(frame)
    assert not synthesizer.sample(200).equals(make(cls, random_state=2).fit(frame).sample(200))
    assert not synthesizer.sample(200).equals(synthesizer.sample(200, random_state=2))


def test_none_random_state_records_a_replayable_seed(cls):
    frame = small_frame(["a", "b", "c"])
    synthesizer = make(cls).fit(frame)
    assert isinstance(synthesizer.seed_, int)
    replay = make(cls, random_state=synthesizer.seed_).fit(frame)
    pd.testing.assert_frame_equal(synthesizer.sample(300), replay.sample(300))
    assert make(cls).fit(frame).seed_ != synthesizer.seed_  # fresh seeds (2**-63 chance of a clash)


def test_a_smaller_iid_sample_is_a_prefix_of_a_larger_one(cls):
    synthesizer = make(cls, random_state=4).fit(small_frame(["a", "b", "c"]))
    pd.testing.assert_frame_equal(synthesizer.sample(10, sampling="iid"),
                                  synthesizer.sample(5000, sampling="iid").head(10))


def test_rounded_sampling_is_the_default_and_validated(cls):
    # Rounded at the fitted size, like `synthscale sample`; tests/cli/test_sampling.py checks its counts.
    frame = small_frame(["a", "b", "c"])
    synthesizer = make(cls, random_state=5).fit(frame)
    rounded = synthesizer.sample(3 * len(frame))
    assert synthesizer.sample(3 * len(frame), sampling="rounded").equals(rounded)
    assert not synthesizer.sample(3 * len(frame), sampling="iid").equals(rounded)
    with pytest.raises(synthscale.InvalidArgumentError, match="sampling must be 'rounded' or 'iid'"):
        synthesizer.sample(10, sampling="stratified")


def test_sample_before_fit_raises_not_fitted(cls):
    synthesizer = make(cls, random_state=1)
    with pytest.raises(synthscale.NotFittedError, match="not fitted yet; call fit"):
        synthesizer.sample(10)
    with pytest.raises(synthscale.NotFittedError):
        synthesizer.save("never-written.ssm")
    # scikit-learn's NotFittedError is both of these
    assert issubclass(synthscale.NotFittedError, ValueError)
    assert issubclass(synthscale.NotFittedError, AttributeError)


def test_init_only_stores_parameters(cls):
    synthesizer = make(cls, random_state="not a seed", schema=12, threads=-3)  # validated by fit, not here
    params = synthesizer.get_params()
    assert {name: params[name] for name in SHARED_PARAMS} == {"random_state": "not a seed", "schema": 12,
                                                              "threads": -3}
    assert not hasattr(synthesizer, "seed_")
    with pytest.raises(synthscale.InvalidArgumentError, match="random_state must be an int"):
        synthesizer.fit(small_frame(["a"]))


def test_get_and_set_params_have_no_side_effects(cls):
    frame = small_frame(["a", "b", "c"])
    synthesizer = make(cls, random_state=1).fit(frame)
    before = synthesizer.sample(100)
    params = synthesizer.get_params()
    assert set(params) == PARAMS[cls]
    assert synthesizer.set_params(random_state=2, threads=1) is synthesizer
    assert synthesizer.get_params()["random_state"] == 2
    assert synthesizer.seed_ == 1  # takes effect at the next fit
    pd.testing.assert_frame_equal(synthesizer.sample(100), before)
    assert synthesizer.fit(frame).seed_ == 2
    with pytest.raises(synthscale.InvalidArgumentError, match="unknown parameter"):
        synthesizer.set_params(not_a_parameter=1.0)


def test_clone_from_params(cls):
    synthesizer = make(cls, random_state=11, threads=1)
    clone = cls(**synthesizer.get_params())
    assert clone.get_params() == synthesizer.get_params()
    assert repr(clone) == repr(synthesizer)
    assert repr(cls(random_state=11, threads=1)) == f"{cls.__name__}(random_state=11, threads=1)"


def test_fit_does_not_modify_the_input(cls, mixed):
    copy = mixed.copy(deep=True)
    make(cls, random_state=1).fit(mixed).sample(50)
    pd.testing.assert_frame_equal(mixed, copy)


def test_failed_fit_keeps_the_previous_fit(cls):
    synthesizer = make(cls, random_state=1).fit(small_frame(["a", "b"]))
    before = synthesizer.sample(50)
    with pytest.raises(synthscale.InvalidDataError):
        synthesizer.fit(pd.DataFrame({"x": [1.0, np.inf]}))
    pd.testing.assert_frame_equal(synthesizer.sample(50), before)


def test_every_library_method_has_a_python_class(cls):
    assert cls.method in synthscale._core.synthesizer_methods()
    assert {klass.method for klass in SYNTHESIZERS} == set(synthscale._core.synthesizer_methods())
