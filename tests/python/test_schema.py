"""infer_schema() and fitting with a given schema."""
import json
import warnings

import numpy as np
import pandas as pd
import pytest

import synthscale
from python_fixtures import make_mixed_frame, mixed, small_frame  # noqa: F401 (fixtures)


def infer(frame, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", synthscale.DataDependentDomainWarning)
        return synthscale.infer_schema(frame, **options)


def by_name(schema):
    return {column["name"]: column for column in schema["columns"]}


def test_types_follow_the_dtype_mapping(mixed):
    kinds = {name: column["type"] for name, column in by_name(infer(mixed)).items()}
    assert kinds == {
        "cat": "categorical", "cat_ordered": "categorical", "cat_int": "categorical",
        "obj": "categorical", "string": "categorical", "int": "integer", "int32": "integer",
        "Int64": "integer", "float": "continuous", "float32": "continuous", "bool": "boolean",
        "boolean": "boolean", "when": "datetime", "when_tz": "datetime", "uid": "id", "note": "text",
        "7": "integer",
    }


def test_domains_and_nullability_read_from_the_data(mixed):
    columns = by_name(infer(mixed))
    assert columns["cat"]["domain"]["categories"] == ["z", "m", "b", "unused"]  # declared order, unused kept
    assert columns["obj"]["domain"]["categories"] == ["alpha", "beta", "delta", "gamma"]  # sorted
    assert columns["cat_int"]["domain"]["categories"] == ["1", "2", "3"]
    assert columns["int"]["domain"] == {"min": int(mixed["int"].min()), "max": int(mixed["int"].max()), "bins": 55}
    assert columns["float"]["domain"]["bins"] == 32
    assert columns["obj"]["nullable"] and not columns["int"]["nullable"]
    assert columns["when"]["format"] == "datetime"  # values have a time of day
    assert all(column["domain_from_data"] for column in columns.values() if column["type"] not in ("id", "text"))
    assert infer(pd.DataFrame({"day": pd.to_datetime(["2020-01-01", "2021-06-30"])}))["columns"][0]["format"] == "date"


def test_warns_that_domains_are_not_private(mixed):
    with pytest.warns(synthscale.DataDependentDomainWarning, match="not differentially private"):
        synthscale.infer_schema(mixed)
    assert issubclass(synthscale.DataDependentDomainWarning, UserWarning)


def test_as_json_gives_the_canonical_text(mixed):
    text = infer(mixed, as_json=True)
    assert isinstance(text, str) and text.endswith("\n")
    assert json.loads(text) == infer(mixed)
    assert json.loads(text)["synthscale_schema"] == 1


def test_bins_options(mixed):
    columns = by_name(infer(mixed, continuous_bins=8, integer_bins=4))
    assert columns["float"]["domain"]["bins"] == 8 and columns["int"]["domain"]["bins"] == 4
    with pytest.raises(synthscale.InvalidArgumentError, match="continuous_bins must be an int >= 1"):
        infer(mixed, continuous_bins=0)


@pytest.mark.parametrize("values, kind", [
    (["a", "b"] * 10, "categorical"),                          # 2 distinct <= 50% of 20
    ([f"v{idx % 1000}" for idx in range(2000)], "categorical"),  # 1000 distinct, 50%
    ([f"v{idx % 1001}" for idx in range(2002)], "text"),        # 1001 distinct: too many
    ([f"v{idx}" for idx in range(30)], "id"),                   # all distinct, none missing
    ([f"v{idx}" for idx in range(29)] + [None], "text"),        # all distinct but one missing
    (["a", "b", "c", "a"], "text"),                             # 3 distinct > 50% of 4
    ([None, None], "text"),                                     # nothing to learn
])
def test_string_column_rule(values, kind):
    assert infer(pd.DataFrame({"s": pd.Series(values, dtype=object)}))["columns"][0]["type"] == kind


def test_categorical_dtype_is_always_categorical():
    frame = pd.DataFrame({"s": pd.Categorical(["a", "b", "c", "d"])})  # all distinct, still categorical
    assert infer(frame)["columns"][0]["type"] == "categorical"


def test_given_schema_widens_the_domain():
    frame = small_frame(["a", "b"], n_rows=100)
    schema = infer(frame)
    schema["columns"][0]["domain"]["categories"] = ["a", "b", "never"]
    schema["columns"][1]["domain"] = {"min": -100, "max": 100, "bins": 201}
    synthesizer = synthscale.Independent(random_state=1, schema=schema).fit(frame)
    assert synthesizer.schema_["columns"][0]["domain"]["categories"] == ["a", "b", "never"]
    sample = synthesizer.sample(500)
    assert set(sample["label"]) <= {"a", "b"} and sample["number"].between(0, 9).all()
    assert list(sample.dtypes) == list(frame.dtypes)


def test_given_schema_as_json_text_or_path(tmp_path):
    frame = small_frame(["a", "b"])
    text = infer(frame, as_json=True)
    path = tmp_path / "schema.json"
    path.write_text(text)
    from_text = synthscale.Independent(random_state=1, schema=text).fit(frame).sample(50)
    from_path = synthscale.Independent(random_state=1, schema=path).fit(frame).sample(50)
    pd.testing.assert_frame_equal(from_text, from_path)
    with pytest.raises(synthscale.SynthscaleIOError, match="cannot read schema file"):
        synthscale.Independent(schema=tmp_path / "absent.json").fit(frame)


def test_given_schema_can_override_a_type():
    frame = pd.DataFrame({"code": np.tile([10, 20, 30], 20), "x": np.arange(60.0)})
    schema = infer(frame)
    schema["columns"][0] = {"name": "code", "type": "categorical", "domain": {"categories": ["10", "20", "30"]}}
    sample = synthscale.Independent(random_state=3, schema=schema).fit(frame).sample(300)
    assert sample["code"].dtype == np.int64 and set(sample["code"]) == {10, 20, 30}


def test_schema_mismatches_are_reported_together():
    frame = pd.DataFrame({"a": ["x", "y"] * 5, "b": np.arange(10), "extra": np.arange(10.0)})
    schema = {"synthscale_schema": 1, "columns": [
        {"name": "a", "type": "categorical", "domain": {"categories": ["x"]}},
        {"name": "b", "type": "integer", "domain": {"min": 0, "max": 9, "bins": 10}},
        {"name": "gone", "type": "boolean"},
    ]}
    with pytest.raises(synthscale.InvalidDataError) as caught:
        synthscale.Independent(schema=schema).fit(frame)
    message = str(caught.value)
    assert "2 problems" in message
    assert "column 'extra': not in the schema" in message
    assert "column 'gone': in the schema but not in the DataFrame" in message


def test_values_outside_a_given_domain_are_reported_together():
    frame = pd.DataFrame({"a": ["x", "y", None] * 4, "b": np.arange(12)})
    schema = {"synthscale_schema": 1, "columns": [
        {"name": "a", "type": "categorical", "nullable": False, "domain": {"categories": ["x"]}},
        {"name": "b", "type": "integer", "domain": {"min": 0, "max": 5, "bins": 6}},
    ]}
    with pytest.raises(synthscale.InvalidDataError) as caught:
        synthscale.Independent(schema=schema).fit(frame)
    message = str(caught.value)
    assert "3 problems" in message
    assert "column 'a': 4 missing value(s) but the schema says nullable: false" in message
    assert "column 'a': 1 value(s) outside the schema's categories, e.g. 'y'" in message
    assert "column 'b': 6 value(s) outside the schema's bounds [0, 5], e.g. 6" in message


def test_given_schema_of_the_wrong_type_for_a_dtype():
    frame = pd.DataFrame({"when": pd.to_datetime(["2020-01-01"] * 3)})
    schema = {"synthscale_schema": 1, "columns": [{"name": "when", "type": "boolean"}]}
    with pytest.raises(synthscale.InvalidDataError, match="column 'when': dtype datetime64.* cannot be read as boolean"):
        synthscale.Independent(schema=schema).fit(frame)


def test_invalid_schema_is_invalid_data_naming_the_problem():
    frame = small_frame(["a"])
    bad_key = {"synthscale_schema": 1, "columns": [{"name": "label", "type": "categorical", "colour": 1}]}
    with pytest.raises(synthscale.InvalidDataError, match="colour"):
        synthscale.Independent(schema=bad_key).fit(frame)
    with pytest.raises(synthscale.InvalidDataError):
        synthscale.Independent(schema="{not json").fit(frame)
    with pytest.raises(synthscale.InvalidArgumentError, match="schema must be a dict"):
        synthscale.Independent(schema=42).fit(frame)


def test_infer_schema_does_not_modify_the_input():
    frame = make_mixed_frame()
    copy = frame.copy(deep=True)
    infer(frame)
    pd.testing.assert_frame_equal(frame, copy)


def test_fit_uses_the_schema_infer_schema_returns(mixed):
    assert synthscale.Independent(random_state=0).fit(mixed).schema_ == infer(mixed)


def test_schema_extending_a_categorical_appends_its_categories():
    frame = pd.DataFrame({"c": pd.Categorical(["b", "a"] * 20, categories=["b", "a"])})
    schema = infer(frame)
    schema["columns"][0]["domain"]["categories"] = ["a", "b", "c"]
    sample = synthscale.Independent(random_state=1, schema=schema).fit(frame).sample(100)
    assert list(sample["c"].cat.categories) == ["b", "a", "c"]
    assert set(sample["c"]) == {"a", "b"}
