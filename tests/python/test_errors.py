"""Invalid input: clear errors of the package's hierarchy, every problem at once."""
import numpy as np
import pandas as pd
import pytest

import synthscale
from python_fixtures import small_frame


def fit(frame, **params):
    return synthscale.Independent(random_state=1, **params).fit(frame)


def test_exception_hierarchy():
    assert issubclass(synthscale.InvalidDataError, synthscale.SynthscaleError)
    assert issubclass(synthscale.InvalidDataError, ValueError)
    assert issubclass(synthscale.InvalidArgumentError, ValueError)
    assert issubclass(synthscale.SynthscaleIOError, OSError)
    assert issubclass(synthscale.OutputExistsError, synthscale.SynthscaleIOError)
    assert issubclass(synthscale.OutputExistsError, FileExistsError)
    assert issubclass(synthscale.InternalError, RuntimeError)
    for cls in (synthscale.InvalidDataError, synthscale.InvalidArgumentError, synthscale.NotFittedError,
                synthscale.SynthscaleIOError, synthscale.OutputExistsError, synthscale.InternalError):
        assert issubclass(cls, synthscale.SynthscaleError), cls


def test_infinity_names_the_column():
    frame = pd.DataFrame({"ok": [1.0, 2.0, 3.0], "bad": [1.0, -np.inf, np.inf]})
    with pytest.raises(synthscale.InvalidDataError, match=r"column 'bad': 2 infinite value\(s\) \(first at index 1\)"):
        fit(frame)
    with pytest.raises(synthscale.InvalidDataError, match="column 'bad'"):
        synthscale.infer_schema(frame)


def test_unsupported_dtypes_name_the_column():
    frame = pd.DataFrame({"z": np.array([1 + 2j, 3j]), "dt": pd.to_timedelta([1, 2], unit="s")})
    with pytest.raises(synthscale.InvalidDataError) as caught:
        fit(frame)
    message = str(caught.value)
    assert "2 problems" in message
    assert "column 'z': dtype complex128 is not supported" in message
    assert "column 'dt': dtype timedelta64[ns] is not supported" in message


def test_every_problem_is_reported_at_once():
    frame = pd.DataFrame({"z": [1j, 2j], "f": [np.inf, 0.0], "o": [1, "a"]})
    with pytest.raises(synthscale.InvalidDataError, match="3 problems") as caught:
        fit(frame)
    assert all(f"column '{name}'" in str(caught.value) for name in ("z", "f", "o"))


def test_object_column_of_non_strings():
    frame = pd.DataFrame({"mixed": pd.Series([1, "two", 3.0], dtype=object)})
    with pytest.raises(synthscale.InvalidDataError, match=r"column 'mixed': object column holds mixed.*astype\('string'\)"):
        fit(frame)


def test_empty_frames():
    with pytest.raises(synthscale.InvalidDataError, match="no rows"):
        fit(pd.DataFrame({"a": pd.Series([], dtype=float)}))
    with pytest.raises(synthscale.InvalidDataError, match="no columns"):
        fit(pd.DataFrame())
    with pytest.raises(synthscale.InvalidDataError, match="no rows"):
        synthscale.infer_schema(pd.DataFrame({"a": pd.Series([], dtype=float)}))


def test_not_a_dataframe():
    with pytest.raises(synthscale.InvalidArgumentError, match="expected a pandas DataFrame, got list"):
        fit([[1, 2], [3, 4]])
    with pytest.raises(synthscale.InvalidArgumentError, match="expected a pandas DataFrame, got ndarray"):
        synthscale.infer_schema(np.zeros((2, 2)))


def test_repeated_column_names():
    frame = pd.DataFrame([[1, 2]], columns=["a", "a"])
    with pytest.raises(synthscale.InvalidDataError, match=r"repeated: \['a'\]"):
        fit(frame)
    clash = pd.DataFrame([[1, 2]], columns=[1, "1"])  # equal as str
    with pytest.raises(synthscale.InvalidDataError, match="unique"):
        fit(clash)


def test_integers_beyond_int64():
    frame = pd.DataFrame({"big": np.array([2**63, 1], dtype=np.uint64)})
    with pytest.raises(synthscale.InvalidDataError, match="column 'big': values above"):
        fit(frame)


@pytest.mark.parametrize("random_state", [-1, 2**64, 1.5, True, "7", np.random.default_rng(0)])
def test_invalid_random_state(random_state):
    with pytest.raises(synthscale.InvalidArgumentError, match="random_state must be an int"):
        synthscale.Independent(random_state=random_state).fit(small_frame(["a"]))


def test_numpy_integer_random_state_is_accepted():
    assert synthscale.Independent(random_state=np.uint64(2**64 - 1)).fit(small_frame(["a"])).seed_ == 2**64 - 1


@pytest.mark.parametrize("threads", [0, -1, 1.0, True])
def test_invalid_threads(threads):
    with pytest.raises(synthscale.InvalidArgumentError, match="threads must be an int >= 1 or None"):
        synthscale.Independent(threads=threads).fit(small_frame(["a"]))


@pytest.mark.parametrize("n_rows", [-1, 1.5, "10", None, True])
def test_invalid_n_rows(n_rows):
    synthesizer = synthscale.Independent(random_state=1).fit(small_frame(["a"]))
    with pytest.raises(synthscale.InvalidArgumentError, match="n_rows must be an int >= 0"):
        synthesizer.sample(n_rows)
    with pytest.raises(synthscale.InvalidArgumentError, match="random_state"):
        synthesizer.sample(5, random_state=-5)


def test_library_errors_carry_code_and_location(tmp_path):
    path = tmp_path / "foreign.ssm"
    path.write_bytes(b"not a model")
    with pytest.raises(synthscale.InvalidDataError) as caught:
        synthscale.Independent.load(path)
    error = caught.value
    assert error.code == "invalid_data" and error.file == str(path)
    assert str(error).startswith(f"{path}: not a synthscale model file")


def test_strings_that_are_not_unicode_name_the_column():
    frame = pd.DataFrame({"s": ["ok", "bad\udcff"] * 10})
    with pytest.raises(synthscale.InvalidDataError, match="^column 's': a category is not valid Unicode") as caught:
        fit(frame)
    assert caught.value.field == "s" and caught.value.code == "invalid_data"
