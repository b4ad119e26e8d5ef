"""The differentially private synthesizers MST and AIM from Python: budget, ledger, noise key,
public schemas, argument errors and model files. The shared contract is in test_conformance.py."""
import hashlib
import json
import pathlib
import warnings

import numpy as np
import pandas as pd
import pytest

import synthscale
from python_fixtures import REPO, TEST_NOISE_KEY, adult  # noqa: F401 (fixture)

ADULT_SCHEMA = REPO / "data/adult/adult.schema.json"
OTHER_KEY = bytes(range(1, 33))

#: A public schema for people_frame(): every domain written by hand, none read from data.
PUBLIC_SCHEMA = {
    "synthscale_schema": 1,
    "columns": [
        {"name": "color", "type": "categorical", "nullable": False,
         "domain": {"categories": ["blue", "green", "red"]}, "domain_from_data": False},
        {"name": "size", "type": "integer", "nullable": False,
         "domain": {"min": 0, "max": 9, "bins": 10}, "domain_from_data": False},
        {"name": "weight", "type": "continuous", "nullable": True,
         "domain": {"min": 0.0, "max": 100.0, "bins": 10}, "domain_from_data": False},
        {"name": "member", "type": "boolean", "nullable": False, "domain_from_data": False},
    ],
}


def people_frame(n_rows: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Four related columns (size follows color, member follows size) matching PUBLIC_SCHEMA."""
    rng = np.random.default_rng(seed)
    color = rng.choice(np.array(["blue", "green", "red"], dtype=object), n_rows, p=[0.5, 0.3, 0.2])
    size = np.clip(np.where(color == "red", 7, 2) + rng.integers(-2, 3, n_rows), 0, 9).astype(np.int64)
    weight = pd.Series(rng.uniform(0.0, 100.0, n_rows)).mask(rng.random(n_rows) < 0.1)
    member = (size + rng.integers(0, 3, n_rows)) > 5
    return pd.DataFrame({"color": color, "size": size, "weight": weight, "member": member})


def private(cls, **params):
    """A private synthesizer with a small, fast configuration and a fixed key."""
    defaults = {"epsilon": 1.0, "delta": 1e-9, "schema": PUBLIC_SCHEMA, "noise_key": TEST_NOISE_KEY,
                "random_state": 3}
    if cls is synthscale.AIM:
        defaults.update(max_rounds=4, workload_degree=2)
    return cls(**{**defaults, **params})


def grid_rounding_loss(charge: dict) -> float:
    """The most rho a charge can leave unspent by rounding its noise parameter to the
    mechanisms' 2^-20 grid (privacy/exponential_mechanism.cpp, gaussian_mechanism.cpp): an
    exponential epsilon is floored by less than g = 2^-20, so its rho = epsilon^2 / 8 is
    short by less than (2 epsilon g + g^2) / 8; a Gaussian sigma^2 is raised by less than g,
    so its rho = Delta^2 / (2 sigma^2) is short by less than rho g / sigma^2."""
    grid = 2.0**-20
    if charge["mechanism"] == "exponential":
        return (2 * charge["epsilon"] * grid + grid**2) / 8
    return charge["rho"] * grid / charge["noise_scale"] ** 2


PRIVATE = pytest.mark.parametrize("cls", [synthscale.MST, synthscale.AIM], ids=lambda cls: cls.__name__)


# -- fitting and sampling ---------------------------------------------------------------------


@PRIVATE
def test_fit_on_a_public_schema_keeps_dtypes_and_domains(cls):
    frame = people_frame()
    synthesizer = private(cls).fit(frame)
    sample = synthesizer.sample(3000)
    assert list(sample.columns) == list(frame.columns)
    pd.testing.assert_series_equal(sample.dtypes, synthesizer.dtypes_, check_names=False)
    assert set(sample["color"]) <= {"blue", "green", "red"}
    assert sample["size"].between(0, 9).all()
    assert sample["weight"].dropna().between(0.0, 100.0).all()
    assert synthesizer.n_rows_fit_ is None  # not covered by DP: not kept
    assert synthesizer.data_dependent_domain_ is False
    assert all(set(clique) <= set(frame.columns) for clique in synthesizer.cliques_)
    assert set().union(*map(set, synthesizer.cliques_)) == set(frame.columns)


def test_mst_learns_a_tree_that_keeps_the_strongest_relation():
    # With a large budget the model keeps P(size | color): red rows are large, the others small.
    sample = private(synthscale.MST, epsilon=20.0).fit(people_frame(5000)).sample(20_000)
    assert sample.loc[sample["color"] == "red", "size"].mean() > 5.5
    assert sample.loc[sample["color"] != "red", "size"].mean() < 3.5


def test_mst_on_adult_with_the_public_schema(adult):
    synthesizer = synthscale.MST(epsilon=1.0, delta=1e-9, schema=ADULT_SCHEMA, random_state=7,
                                 noise_key=TEST_NOISE_KEY).fit(adult)
    sample = synthesizer.sample(2000)
    pd.testing.assert_series_equal(sample.dtypes, synthesizer.dtypes_, check_names=False)
    assert synthesizer.n_rows_fit_ is None
    # A spanning tree over the 15 columns: 14 pairs, every column in one.
    pairs = [clique for clique in synthesizer.cliques_ if len(clique) == 2]
    assert len(pairs) == 14 and all(len(clique) <= 2 for clique in synthesizer.cliques_)
    assert set().union(*map(set, synthesizer.cliques_)) == set(adult.columns)
    assert set(sample["sex"].dropna()) <= {"Female", "Male"}
    assert synthesizer.privacy_ledger_["budget"]["epsilon"] == 1.0


def test_aim_with_an_explicit_workload():
    workload = [["color", "size"], ["size", "member"]]
    synthesizer = private(synthscale.AIM, workload=workload, epsilon=5.0).fit(people_frame())
    assert synthesizer.get_params()["workload"] == workload
    labels = " ".join(charge["label"] for charge in synthesizer.privacy_ledger_["charges"])
    assert "color" in labels and "member" in labels


# -- the privacy ledger ---------------------------------------------------------------------


@PRIVATE
@pytest.mark.parametrize("budget", [{"epsilon": 1.0, "delta": 1e-9}, {"epsilon": 0.3, "delta": 1e-6},
                                    {"rho": 0.05}], ids=["eps1", "eps0.3", "rho"])
def test_the_fit_spends_the_budget_and_no_more(cls, budget):
    synthesizer = private(cls, **{"epsilon": None, "delta": None, **budget}).fit(people_frame())
    ledger = synthesizer.privacy_ledger_
    budget_rho = ledger["budget"]["rho"]
    assert synthesizer.rho_spent_ == ledger["spent_rho"]
    assert synthesizer.rho_spent_ <= budget_rho
    assert synthesizer.rho_spent_ >= budget_rho * (1 - 1e-6) - sum(map(grid_rounding_loss, ledger["charges"]))
    charges = ledger["charges"]
    assert len(charges) >= 2 and all(charge["rho"] > 0 for charge in charges)
    assert sum(charge["rho"] for charge in charges) == pytest.approx(synthesizer.rho_spent_, rel=1e-12)
    assert ledger["neighbouring"] == "add_remove_one_row"
    if "rho" in budget:
        assert budget_rho == budget["rho"]
        assert synthesizer.epsilon_ is None and synthesizer.delta_ is None
    else:
        assert (synthesizer.epsilon_, synthesizer.delta_) == (budget["epsilon"], budget["delta"])
        assert ledger["budget"]["epsilon"] == budget["epsilon"]


@PRIVATE
def test_the_ledger_commits_to_the_noise_key_without_storing_it(cls, tmp_path):
    synthesizer = private(cls).fit(people_frame())
    assert synthesizer.noise_key_sha256_ == hashlib.sha256(TEST_NOISE_KEY).hexdigest()
    assert synthesizer.privacy_ledger_["noise_key_sha256"] == synthesizer.noise_key_sha256_
    path = tmp_path / "model.ssm"
    synthesizer.save(path)
    assert TEST_NOISE_KEY not in path.read_bytes()
    assert TEST_NOISE_KEY.hex().encode() not in path.read_bytes()
    assert "<hidden>" in repr(synthesizer) and TEST_NOISE_KEY.hex() not in repr(synthesizer)


def test_replace_one_row_is_recorded():
    synthesizer = private(synthscale.MST, neighbouring="replace_one_row").fit(people_frame())
    assert synthesizer.privacy_ledger_["neighbouring"] == "replace_one_row"
    assert {charge["neighbouring"] for charge in synthesizer.privacy_ledger_["charges"]} == {"replace_one_row"}


# -- reproducibility --------------------------------------------------------------------------


@PRIVATE
def test_same_noise_key_and_seed_give_identical_models_with_any_threads(cls, tmp_path):
    frame = people_frame()
    paths = []
    samples = []
    for threads in (1, 2):
        synthesizer = private(cls, threads=threads).fit(frame)
        samples.append(synthesizer.sample(2000))
        paths.append(tmp_path / f"threads{threads}.ssm")
        synthesizer.save(paths[-1])
    pd.testing.assert_frame_equal(samples[0], samples[1])
    assert paths[0].read_bytes() == paths[1].read_bytes()


@PRIVATE
def test_a_hex_noise_key_is_the_same_key(cls):
    frame = people_frame(500)
    from_bytes = private(cls).fit(frame)
    from_hex = private(cls, noise_key=TEST_NOISE_KEY.hex().upper()).fit(frame)
    assert from_hex._model.serialize() == from_bytes._model.serialize()


@PRIVATE
def test_different_noise_keys_give_different_models(cls):
    frame = people_frame()
    first = private(cls).fit(frame)
    second = private(cls, noise_key=OTHER_KEY).fit(frame)
    assert first._model.serialize() != second._model.serialize()
    assert not first.sample(2000).equals(second.sample(2000))  # same random_state, other noise
    fresh = [private(cls, noise_key=None).fit(frame) for _ in range(2)]
    assert fresh[0].noise_key_sha256_ != fresh[1].noise_key_sha256_
    assert fresh[0].get_params()["noise_key"] is None  # the drawn key is never kept


# -- schemas whose domain comes from the data ----------------------------------------------


@PRIVATE
def test_an_inferred_schema_is_refused_without_the_opt_in(cls):
    with pytest.raises(synthscale.InvalidArgumentError, match=r"schema=None .*allow_data_dependent_domain=True"):
        private(cls, schema=None).fit(people_frame())


@PRIVATE
def test_a_schema_with_domains_from_data_is_refused_without_the_opt_in(cls):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", synthscale.DataDependentDomainWarning)
        schema = synthscale.infer_schema(people_frame())
    with pytest.raises(synthscale.InvalidArgumentError,
                       match=r"domain of color, size, weight, member was read from the data.*"
                             r"allow_data_dependent_domain=True"):
        private(cls, schema=schema).fit(people_frame())


@PRIVATE
def test_the_opt_in_fits_an_inferred_schema_and_warns_loudly(cls, tmp_path):
    frame = people_frame()
    with pytest.warns(synthscale.DataDependentDomainWarning, match="guarantee covers .* NOT the domain") as caught:
        synthesizer = private(cls, schema=None, allow_data_dependent_domain=True).fit(frame)
    assert issubclass(caught[0].category, synthscale.SynthscaleWarning)
    assert caught[0].filename == __file__  # points at the caller's fit
    assert synthesizer.data_dependent_domain_ is True
    assert all(column["domain_from_data"] for column in synthesizer.schema_["columns"])
    pd.testing.assert_series_equal(synthesizer.sample(100).dtypes, synthesizer.dtypes_, check_names=False)
    synthesizer.save(tmp_path / "model.ssm")
    with pytest.warns(synthscale.DataDependentDomainWarning, match="NOT the domain"):
        loaded = cls.load(tmp_path / "model.ssm")
    assert loaded.data_dependent_domain_ is True


# -- argument errors ------------------------------------------------------------------------


@PRIVATE
@pytest.mark.parametrize("params, message", [
    ({"delta": None}, r"epsilon=1\.0 needs a delta: pass delta=D"),
    ({"epsilon": None}, r"delta=1e-09 needs an epsilon"),
    ({"epsilon": None, "delta": None}, r"needs a privacy budget: pass epsilon=E with delta=D .* or rho=R"),
    ({"epsilon": -1}, r"epsilon must be a finite number > 0, got -1"),
    ({"epsilon": float("nan")}, r"epsilon must be a finite number > 0, got nan"),
    ({"epsilon": True}, r"epsilon must be a finite number > 0, got True"),
    ({"delta": 1.0}, r"delta must be a number in \(0, 1\)"),
    ({"rho": 0.5}, r"either as rho=R or as epsilon=E with delta=D, not both"),
    ({"epsilon": None, "delta": None, "rho": 0}, r"rho must be a finite number > 0, got 0"),
    ({"noise_key": bytes(31)}, r"noise_key must be 32 bytes \(or 64 hex digits\), got 31 bytes"),
    ({"noise_key": "ab" * 31}, r"noise_key as text must be 64 hex digits, got 62 characters"),
    ({"noise_key": "zz" * 32}, r"noise_key as text must be 64 hex digits"),
    ({"noise_key": 12345}, r"noise_key must be 32 bytes, 64 hex digits or None, got int"),
    ({"neighbouring": "one_person"}, r"neighbouring must be one of \['add_remove_one_row', 'replace_one_row'\]"),
    ({"max_iterations": 0}, r"max_iterations must be an int >= 1, got 0"),
    ({"allow_data_dependent_domain": "yes"}, r"allow_data_dependent_domain must be True or False"),
])
def test_bad_arguments_raise_invalid_argument(cls, params, message):
    with pytest.raises(synthscale.InvalidArgumentError, match=message) as caught:
        private(cls, **params).fit(people_frame(100))
    assert isinstance(caught.value, ValueError)
    assert str(caught.value).startswith(f"{cls.__name__}: ")


@pytest.mark.parametrize("params, message", [
    ({"workload": [["color"], []]}, r"workload\[1\] must be a non-empty list of column names"),
    ({"workload": "color"}, r"workload must be a list of column-name lists"),
    ({"workload": [["color", 3]]}, r"workload\[0\] must be a non-empty list of column names \(str\)"),
    ({"workload_degree": 0}, r"workload_degree must be an int >= 1, got 0"),
    ({"max_model_size": 0.0}, r"max_model_size must be a finite number of MiB > 0, got 0\.0"),
    ({"max_model_size": float("inf")}, r"max_model_size must be a finite number of MiB > 0"),
    ({"max_rounds": 0}, r"max_rounds must be an int >= 1, got 0"),
])
def test_bad_aim_arguments_raise_invalid_argument(params, message):
    with pytest.raises(synthscale.InvalidArgumentError, match=message):
        private(synthscale.AIM, **params).fit(people_frame(100))


def test_an_unknown_workload_column_is_named():
    with pytest.raises(synthscale.InvalidArgumentError, match="height"):
        private(synthscale.AIM, workload=[["color", "height"]]).fit(people_frame(100))


def test_every_problem_is_reported_at_once():
    with pytest.raises(synthscale.InvalidArgumentError) as caught:
        synthscale.MST(epsilon=-1, noise_key=b"short", neighbouring="x").fit(people_frame(100))
    message = str(caught.value)
    for part in ("epsilon must be", "needs a delta", "noise_key must be 32 bytes", "neighbouring must be",
                 "schema=None"):
        assert part in message, part


def test_arguments_are_checked_before_the_data():
    with pytest.raises(synthscale.InvalidArgumentError, match="needs a delta"):
        synthscale.MST(epsilon=1.0, schema=PUBLIC_SCHEMA).fit(pd.DataFrame({"x": [np.inf]}))


def test_the_library_rechecks_what_python_sends():
    frame = people_frame(100)
    model = private(synthscale.MST).fit(frame)._model
    assert model.ledger_json is not None
    columns = synthscale._frame.frame_to_columns(frame, synthscale._frame.match_schema(frame, PUBLIC_SCHEMA))[1]
    with pytest.raises(synthscale.InvalidArgumentError, match="noise_key must be 32 bytes, got 5"):
        synthscale._core.Model.fit(columns, json.dumps(PUBLIC_SCHEMA), "mst", 1,
                                   json.dumps({"epsilon": 1.0, "delta": 1e-9}), b"short")
    with pytest.raises(synthscale.InvalidArgumentError, match="options: option 'epsilon' must be a number"):
        synthscale._core.Model.fit(columns, json.dumps(PUBLIC_SCHEMA), "mst", 1, '{"epsilon": "1"}')
    with pytest.raises(synthscale.InvalidArgumentError, match="budget"):
        synthscale._core.Model.fit(columns, json.dumps(PUBLIC_SCHEMA), "mst", 1, "{}")


# -- model files ----------------------------------------------------------------------------


@PRIVATE
def test_save_and_load_sample_the_same_rows(cls, tmp_path):
    fitted = private(cls, epsilon=2.0).fit(people_frame())
    path = tmp_path / "model.ssm"
    fitted.save(path)
    loaded = cls.load(path, random_state=fitted.seed_)
    pd.testing.assert_frame_equal(loaded.sample(3000), fitted.sample(3000), check_dtype=False,
                                  check_categorical=False)
    assert loaded.privacy_ledger_ == fitted.privacy_ledger_
    assert loaded.cliques_ == fitted.cliques_
    assert (loaded.rho_spent_, loaded.epsilon_, loaded.delta_) == (fitted.rho_spent_, 2.0, 1e-9)
    params = loaded.get_params()
    assert (params["epsilon"], params["delta"], params["noise_key"], params["schema"]) == (2.0, 1e-9, None, None)
    assert json.loads(loaded._model.describe_json)["method"] == cls.method


def test_load_refuses_another_methods_model(tmp_path):
    path = tmp_path / "mst.ssm"
    private(synthscale.MST).fit(people_frame(200)).save(path)
    with pytest.raises(synthscale.InvalidDataError, match="holds a 'mst' model, not 'aim'"):
        synthscale.AIM.load(path)
    with pytest.raises(synthscale.InvalidDataError, match="holds a 'mst' model, not 'independent'"):
        synthscale.Independent.load(path)
    independent = tmp_path / "independent.ssm"
    synthscale.Independent(random_state=1).fit(people_frame(200)).save(independent)
    with pytest.raises(synthscale.InvalidDataError, match="holds a 'independent' model, not 'mst'"):
        synthscale.MST.load(independent)


def test_a_non_private_model_has_no_ledger():
    model = synthscale.Independent(random_state=1).fit(people_frame(50))._model
    assert model.ledger_json is None
    assert json.loads(model.describe_json)["differentially_private"] is False


def test_public_schema_file_is_public():
    schema = json.loads(pathlib.Path(ADULT_SCHEMA).read_text())
    assert not any(column["domain_from_data"] for column in schema["columns"])


@PRIVATE
def test_docstrings_document_every_parameter_once(cls):
    doc = cls.__doc__
    assert "{" not in doc
    for name in cls._param_names():
        assert doc.count(f"\n        {name}: ") == 1, name
    for attribute in ("privacy_ledger_", "rho_spent_", "epsilon_", "delta_", "cliques_", "noise_key_sha256_"):
        assert f"{attribute} (" in doc, attribute


@PRIVATE
def test_output_dtypes_do_not_depend_on_single_rows(cls):
    """One row's missing value or a category no row has must not change the output dtypes
    (int64 vs float64, the order of categories): they come from the schema alone."""
    schema = {"synthscale_schema": 1, "columns": [
        {"name": "n", "type": "integer", "nullable": True, "domain": {"min": 0, "max": 9, "bins": 10}},
        {"name": "c", "type": "categorical", "nullable": False, "domain": {"categories": ["A", "B", "C"]}}]}
    base = pd.DataFrame({"n": np.arange(300) % 10, "c": pd.Categorical(["A", "C"] * 150, categories=["A", "C"])})
    neighbour = base.copy()
    neighbour.loc[0, "n"] = np.nan  # float64 column now
    neighbour["c"] = pd.Categorical(["B"] + ["A", "C"] * 149 + ["A"], categories=["A", "B", "C"])
    first = cls(rho=1.0, schema=schema, random_state=1, noise_key=TEST_NOISE_KEY).fit(base)
    second = cls(rho=1.0, schema=schema, random_state=1, noise_key=TEST_NOISE_KEY).fit(neighbour)
    pd.testing.assert_series_equal(first.sample(5).dtypes, second.sample(5).dtypes)
    assert list(first.sample(5)["c"].cat.categories) == ["A", "B", "C"]
