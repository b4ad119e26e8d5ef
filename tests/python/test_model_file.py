"""save() and load(): the library's model file, never pickle."""
import os
import pathlib

import numpy as np
import pandas as pd
import pytest

import synthscale
from python_fixtures import make_mixed_frame, small_frame

MAGIC = b"SSMODEL\n"


@pytest.fixture
def model_path(tmp_path):
    return tmp_path / "model.ssm"


@pytest.fixture
def fitted():
    return synthscale.Independent(random_state=5).fit(small_frame(["a", "b", "c"], n_rows=200))


def canonical_frame(n_rows=300, seed=1):
    """Columns whose dtypes a model file restores exactly (docs/python.md, "Loaded models")."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "cat": pd.Categorical(rng.choice(["a", "b", "c"], n_rows)),
        "count": rng.integers(0, 100, n_rows),
        "maybe": pd.array(np.where(rng.random(n_rows) < 0.2, None, rng.integers(0, 5, n_rows)), dtype="Int64"),
        "value": rng.normal(size=n_rows),
        "flag": rng.random(n_rows) < 0.5,
        "seen": pd.array(np.where(rng.random(n_rows) < 0.2, None, rng.random(n_rows) < 0.5), dtype="boolean"),
        "day": pd.Timestamp("2001-01-01") + pd.to_timedelta(rng.integers(0, 1000, n_rows), unit="D"),
    })


def test_round_trip_gives_the_same_sample(fitted, model_path):
    fitted.save(model_path)
    loaded = synthscale.Independent.load(model_path, random_state=fitted.seed_)
    pd.testing.assert_frame_equal(loaded.sample(1000), fitted.sample(1000), check_dtype=False,
                                  check_categorical=False)
    assert loaded.n_rows_fit_ == 200
    assert loaded.schema_ == fitted.schema_


def test_round_trip_restores_schema_dtypes_exactly(model_path):
    frame = canonical_frame()
    fitted = synthscale.Independent(random_state=8).fit(frame)
    fitted.save(str(model_path))
    loaded = synthscale.Independent.load(str(model_path), random_state=8)
    pd.testing.assert_frame_equal(loaded.sample(2000), fitted.sample(2000))
    assert list(loaded.dtypes_) == list(frame.dtypes)


def test_round_trip_of_every_dtype_keeps_the_values(model_path):
    frame = make_mixed_frame()
    fitted = synthscale.Independent(random_state=2).fit(frame)
    fitted.save(model_path)
    loaded = synthscale.Independent.load(model_path, random_state=2)
    original, replayed = fitted.sample(500), loaded.sample(500)
    for position, label in enumerate(frame.columns):
        left = original.iloc[:, position]
        right = replayed.iloc[:, position]
        if isinstance(left.dtype, pd.DatetimeTZDtype):
            left = left.dt.tz_convert("UTC").dt.tz_localize(None)
        if left.dtype == np.float32:  # a model file knows float64 only
            right = right.astype(np.float32)
        assert left.isna().equals(right.isna()), label
        assert [str(value) for value in left.dropna()] == [str(value) for value in right.dropna()], label


def test_saved_bytes_are_stable(fitted, tmp_path):
    first, second = tmp_path / "first.ssm", tmp_path / "second.ssm"
    fitted.save(first)
    synthscale.Independent.load(first).save(second)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes().startswith(MAGIC)


def test_existing_file_is_kept_unless_overwrite(fitted, model_path):
    model_path.write_bytes(b"keep me")
    with pytest.raises(synthscale.OutputExistsError) as caught:
        fitted.save(model_path)
    assert isinstance(caught.value, FileExistsError) and isinstance(caught.value, synthscale.SynthscaleIOError)
    assert caught.value.filename == str(model_path)
    assert model_path.read_bytes() == b"keep me"
    fitted.save(model_path, overwrite=True)
    assert model_path.read_bytes().startswith(MAGIC)


def test_failed_save_leaves_no_file(fitted, tmp_path):
    target = tmp_path / "missing-dir" / "model.ssm"
    with pytest.raises(synthscale.SynthscaleIOError):
        fitted.save(target)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def corrupt(path: pathlib.Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_corrupt_payload_raises_invalid_data(fitted, model_path):
    fitted.save(model_path)
    corrupt(model_path, len(model_path.read_bytes()) - 5)
    with pytest.raises(synthscale.InvalidDataError, match="checksum mismatch") as caught:
        synthscale.Independent.load(model_path)
    assert caught.value.file == str(model_path)
    assert str(model_path) in str(caught.value)


@pytest.mark.parametrize("damage, message", [
    (lambda data: data[:30], "truncated"),
    (lambda data: data[:-1], "truncated or has trailing bytes"),
    (lambda data: data + b"x", "trailing bytes"),
    (lambda data: b"PK\x03\x04" + data[4:], "not a synthscale model file"),
    (lambda data: b"", "not a synthscale model file"),
    (lambda data: data[:8] + b"\x63" + data[9:], "format version 99 is not supported"),
])
def test_damaged_files_raise_invalid_data(fitted, model_path, damage, message):
    fitted.save(model_path)
    model_path.write_bytes(damage(model_path.read_bytes()))
    with pytest.raises(synthscale.InvalidDataError, match=message):
        synthscale.Independent.load(model_path)


def test_a_pickle_is_not_a_model(model_path):
    import pickle

    model_path.write_bytes(pickle.dumps({"not": "a model"}))
    with pytest.raises(synthscale.InvalidDataError, match="not a synthscale model file"):
        synthscale.Independent.load(model_path)


def test_missing_file_and_directory_raise_io_errors(tmp_path):
    with pytest.raises(synthscale.SynthscaleIOError, match="cannot open model file") as caught:
        synthscale.Independent.load(tmp_path / "absent.ssm")
    assert isinstance(caught.value, OSError)
    with pytest.raises(synthscale.SynthscaleIOError, match="is a directory"):
        synthscale.Independent.load(tmp_path)


def test_load_accepts_path_like_and_validates_its_arguments(fitted, model_path):
    fitted.save(os.fspath(model_path))
    with pytest.raises(synthscale.InvalidArgumentError, match="random_state"):
        synthscale.Independent.load(model_path, random_state=-1)
    with pytest.raises(synthscale.InvalidArgumentError, match="threads"):
        synthscale.Independent.load(model_path, threads=0)
    loaded = synthscale.Independent.load(model_path)
    assert isinstance(loaded.seed_, int) and loaded.get_params()["random_state"] is None
