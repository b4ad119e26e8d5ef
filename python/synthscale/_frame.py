"""pandas columns to the compiled module's column tuples and back.

A column crosses to C++ as ``(name, kind, values, valid, labels)`` (see python/src/_core.cpp):
numpy arrays of codes, int64, float64 or a list of str, plus a uint8 validity mask. This
module decides each column's kind (the dtype mapping documented in docs/python.md),
validates the values, and restores the fitted frame's dtypes on the way back.

Every problem found in a frame is collected and reported in one InvalidDataError.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Hashable

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from synthscale._errors import InvalidArgumentError, InvalidDataError

#: An object/string column is categorical when it has at most this many distinct values...
MAX_CATEGORIES = 1000
#: ...and at most this share of its non-missing values are distinct (each value repeats).
MAX_CATEGORY_SHARE = 0.5

_INT64_MAX = np.iinfo(np.int64).max


@dataclasses.dataclass
class ColumnInfo:
    """What sampling needs to rebuild one column as it was fitted."""

    label: Hashable  # the pandas column label
    key: str  # str(label): the column's name in the schema and in C++
    dtype: Any  # the pandas dtype of the fitted column
    kind: str  # the schema type
    # categorical columns of a CategoricalDtype: str label of each declared category
    category_labels: list[str] | None = None


# ---------------------------------------------------------------------------------------
# pandas -> columns


class _Problems:
    """Problems found while reading a frame, reported together."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, key: str, message: str) -> None:
        self.messages.append(f"column '{key}': {message}")

    def raise_if_any(self, what: str) -> None:
        if not self.messages:
            return
        if len(self.messages) == 1:
            raise InvalidDataError(self.messages[0])
        listed = "\n  - ".join(self.messages)
        raise InvalidDataError(f"{len(self.messages)} problems in {what}:\n  - {listed}")


def check_frame(data: Any) -> pd.DataFrame:
    """Check that `data` is a non-empty DataFrame with unique column names."""
    if not isinstance(data, pd.DataFrame):
        raise InvalidArgumentError(f"expected a pandas DataFrame, got {type(data).__name__}")
    if data.shape[1] == 0:
        raise InvalidDataError("the DataFrame has no columns")
    if data.shape[0] == 0:
        raise InvalidDataError("the DataFrame has no rows; synthesizers need at least one")
    keys = [str(label) for label in data.columns]
    seen: set[str] = set()
    duplicates = sorted({key for key in keys if key in seen or seen.add(key)})
    if duplicates:
        raise InvalidDataError(f"column names must be unique (as str); repeated: {duplicates}")
    return data


def _is_object_strings(series: pd.Series) -> str:
    """pandas' inferred kind of an object column's non-missing values."""
    return pd.api.types.infer_dtype(series, skipna=True)


def _string_kind(series: pd.Series, valid: np.ndarray) -> str:
    """categorical, id or text for a column of strings (rule in docs/python.md)."""
    n_valid = int(valid.sum())
    n_distinct = int(series.nunique(dropna=True))
    if n_distinct == 0:
        return "text"
    if n_distinct <= MAX_CATEGORIES and n_distinct <= MAX_CATEGORY_SHARE * n_valid:
        return "categorical"
    if n_valid == len(series) and n_distinct == n_valid:
        return "id"
    return "text"


def infer_kind(key: str, series: pd.Series, problems: _Problems) -> str | None:
    """The schema type for a column's dtype, or None after recording why it has none."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return "categorical"
    if ptypes.is_bool_dtype(dtype):
        return "boolean"
    if ptypes.is_integer_dtype(dtype):
        return "integer"
    if ptypes.is_float_dtype(dtype):
        return "continuous"
    if ptypes.is_datetime64_any_dtype(dtype):
        return "datetime"
    if dtype == object or ptypes.is_string_dtype(dtype):
        inferred = _is_object_strings(series) if dtype == object else "string"
        if inferred not in ("string", "empty"):
            problems.add(key, f"object column holds {inferred} values, expected str (or missing); "
                              f"convert it, e.g. df[{key!r}].astype('string') or to a numeric or "
                              f"datetime dtype")
            return None
        return _string_kind(series, series.notna().to_numpy())
    problems.add(key, f"dtype {dtype} is not supported; supported: category, object/string, "
                      f"bool, integer, float, datetime64")
    return None


def _int_labels(series: pd.Series) -> bool:
    return ptypes.is_integer_dtype(series.dtype) and not ptypes.is_bool_dtype(series.dtype)


def to_column(key: str, series: pd.Series, kind: str, problems: _Problems) -> tuple | None:
    """The column tuple of `series` read as `kind`, or None after recording why not."""
    dtype = series.dtype
    valid = series.notna().to_numpy()
    if kind == "categorical":
        if isinstance(dtype, pd.CategoricalDtype):
            labels = category_labels(dtype)
            if len(set(labels)) != len(labels):
                problems.add(key, "two categories have the same text; synthscale names categories "
                                  "by str(category), so make them distinct")
                return None
            codes = series.cat.codes.to_numpy().astype(np.int64)
        elif dtype == object or ptypes.is_string_dtype(dtype) or _int_labels(series):
            if dtype == object and _is_object_strings(series) not in ("string", "empty"):
                problems.add(key, "a categorical column held as object dtype must hold str values")
                return None
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
            labels = [str(value) for value in uniques]
            codes = codes.astype(np.int64)
        else:
            problems.add(key, f"dtype {dtype} cannot be read as categorical; use category, "
                              f"object/string or an integer dtype")
            return None
        return (key, kind, np.where(valid, codes, 0).astype(np.uint32), valid.astype(np.uint8), labels)

    if kind == "integer":
        if ptypes.is_bool_dtype(dtype) or not (ptypes.is_integer_dtype(dtype) or ptypes.is_float_dtype(dtype)):
            problems.add(key, f"dtype {dtype} cannot be read as integer")
            return None
        if ptypes.is_float_dtype(dtype):
            floats = series.to_numpy(dtype=np.float64, na_value=np.nan)
            present = floats[valid]
            if not np.all(np.isfinite(present)) or not np.all(np.floor(present) == present):
                problems.add(key, "an integer column read from floats must hold whole, finite numbers")
                return None
            if present.size and (present.max() > _INT64_MAX or present.min() < -_INT64_MAX):
                problems.add(key, "values do not fit in a signed 64-bit integer")
                return None
            ints = np.where(valid, floats, 0).astype(np.int64)
        else:
            if np.dtype(getattr(dtype, "numpy_dtype", dtype)).kind == "u" and valid.any() \
                    and int(series.max()) > _INT64_MAX:
                problems.add(key, f"values above {_INT64_MAX} do not fit in a signed 64-bit integer")
                return None
            ints = series.to_numpy(dtype=np.int64, na_value=0)
        return (key, kind, ints, valid.astype(np.uint8), None)

    if kind == "continuous":
        if ptypes.is_bool_dtype(dtype) or not (ptypes.is_integer_dtype(dtype) or ptypes.is_float_dtype(dtype)):
            problems.add(key, f"dtype {dtype} cannot be read as continuous")
            return None
        floats = series.to_numpy(dtype=np.float64, na_value=np.nan)
        infinite = np.isinf(floats)
        if infinite.any():
            first = series.index[int(np.argmax(infinite))]
            problems.add(key, f"{int(infinite.sum())} infinite value(s) (first at index {first!r}); "
                              f"continuous values must be finite: replace them (e.g. with NaN for missing)")
            return None
        return (key, kind, np.where(valid, floats, 0.0), valid.astype(np.uint8), None)

    if kind == "datetime":
        if not ptypes.is_datetime64_any_dtype(dtype):
            problems.add(key, f"dtype {dtype} cannot be read as datetime; convert it with pd.to_datetime")
            return None
        if isinstance(dtype, pd.DatetimeTZDtype):
            series = series.dt.tz_convert("UTC").dt.tz_localize(None)
        # Whole seconds since the epoch; numpy's conversion rounds toward the past.
        stamps = series.to_numpy() if isinstance(series.dtype, np.dtype) else \
            series.to_numpy(dtype="datetime64[ns]", na_value=np.datetime64("NaT"))
        seconds = stamps.astype("datetime64[s]").astype(np.int64)
        return (key, kind, np.where(valid, seconds, 0), valid.astype(np.uint8), None)

    if kind == "boolean":
        if not ptypes.is_bool_dtype(dtype):
            problems.add(key, f"dtype {dtype} cannot be read as boolean")
            return None
        ints = series.to_numpy(dtype=bool, na_value=False).astype(np.int64)
        return (key, kind, ints, valid.astype(np.uint8), None)

    # id and text: strings, never modelled.
    if isinstance(dtype, pd.CategoricalDtype) or ptypes.is_bool_dtype(dtype):
        problems.add(key, f"dtype {dtype} cannot be read as {kind}; use object/string or integer")
        return None
    if dtype == object and _is_object_strings(series) not in ("string", "empty"):
        problems.add(key, f"an {kind} column held as object dtype must hold str values")
        return None
    strings = [str(value) if present else "" for value, present in zip(series.tolist(), valid)]
    return (key, kind, strings, valid.astype(np.uint8), None)


def category_labels(dtype: pd.CategoricalDtype) -> list[str]:
    """The text of each declared category: what the schema and the library call it."""
    return [str(category) for category in dtype.categories]


def frame_to_columns(data: pd.DataFrame, kinds: dict[str, str] | None) -> tuple[list[ColumnInfo], list[tuple]]:
    """Read every column of `data` (kinds from the schema, or inferred from dtypes)."""
    problems = _Problems()
    infos: list[ColumnInfo] = []
    columns: list[tuple] = []
    for position, label in enumerate(data.columns):
        key = str(label)
        series = data.iloc[:, position]
        kind = kinds[key] if kinds is not None else infer_kind(key, series, problems)
        if kind is None:
            continue
        column = to_column(key, series, kind, problems)
        if column is None:
            continue
        labels = category_labels(series.dtype) if isinstance(series.dtype, pd.CategoricalDtype) else None
        infos.append(ColumnInfo(label, key, series.dtype, kind, labels))
        columns.append(column)
    problems.raise_if_any("the DataFrame")
    return infos, columns


def check_against_schema(data: pd.DataFrame, schema: dict, infos: list[ColumnInfo],
                         columns: list[tuple]) -> None:
    """Values outside a given schema's domain, or missing where it forbids: all at once."""
    problems = _Problems()
    specs = {spec["name"]: spec for spec in schema["columns"]}
    for info, (key, kind, values, valid, labels) in zip(infos, columns):
        spec = specs[key]
        present = valid.astype(bool)
        if not spec.get("nullable", True) and not present.all():
            problems.add(key, f"{int((~present).sum())} missing value(s) but the schema says nullable: false")
        domain = spec.get("domain", {})
        if kind == "categorical":
            allowed = set(domain["categories"])
            used = np.unique(values[present])
            outside = [labels[code] for code in used if labels[code] not in allowed]
            if outside:
                problems.add(key, f"{len(outside)} value(s) outside the schema's categories, e.g. "
                                  f"{outside[0]!r}")
        elif kind in ("integer", "continuous", "datetime"):
            low, high = _bound_seconds(domain["min"]), _bound_seconds(domain["max"])
            inside = (values >= low) & (values <= high)
            outside = present & ~inside
            if outside.any():
                example = data[info.label].iloc[int(np.argmax(outside))]
                problems.add(key, f"{int(outside.sum())} value(s) outside the schema's bounds "
                                  f"[{domain['min']}, {domain['max']}], e.g. {_show(example)}")
    problems.raise_if_any("the DataFrame, checked against the schema")


def _show(value: Any) -> str:
    """A value for a message: quoted if text, else as printed (6, 2020-01-01 00:00:00)."""
    return repr(value) if isinstance(value, str) else str(value)


def _bound_seconds(bound: Any) -> float:
    """A schema bound as a number (datetime bounds are ISO text, UTC)."""
    if isinstance(bound, str):
        return float(pd.Timestamp(bound).as_unit("s").value)
    return float(bound)


def match_schema(data: pd.DataFrame, schema: dict) -> dict[str, str]:
    """The kind of each frame column from a given schema; all mismatches at once."""
    problems = _Problems()
    kinds = {spec["name"]: spec["type"] for spec in schema["columns"]}
    keys = [str(label) for label in data.columns]
    for key in keys:
        if key not in kinds:
            problems.add(key, "not in the schema; add it to the schema or drop the column")
    for name in kinds:
        if name not in keys:
            problems.add(name, "in the schema but not in the DataFrame")
    problems.raise_if_any("the DataFrame, matched against the schema")
    return kinds


# ---------------------------------------------------------------------------------------
# columns -> pandas


def _missing_for(dtype: Any) -> Any:
    return np.nan if dtype == object else pd.NA


def _nullable_int(dtype: Any) -> Any:
    """The nullable counterpart of an integer dtype (int32 -> Int32)."""
    if isinstance(dtype, np.dtype):
        return pd.api.types.pandas_dtype(dtype.name.replace("u", "U").replace("i", "I"))
    return dtype


def _int_series(ints: np.ndarray, present: np.ndarray, dtype: Any, index: pd.RangeIndex) -> pd.Series:
    """int64 values as `dtype`, made nullable if values are missing; int64 if they overflow it."""
    if ptypes.is_float_dtype(dtype):
        return pd.Series(np.where(present, ints, np.nan), index=index).astype(dtype)
    target = dtype
    if not present.all():
        target = _nullable_int(dtype)
    info = np.iinfo(getattr(target, "numpy_dtype", target))
    if present.any() and (ints[present].min() < info.min or ints[present].max() > info.max):
        target = pd.Int64Dtype() if not present.all() else np.dtype(np.int64)
    array = pd.arrays.IntegerArray(ints, ~present)
    return pd.Series(array, index=index).astype(target)


def _string_series(strings: np.ndarray, present: np.ndarray, dtype: Any, index: pd.RangeIndex) -> pd.Series:
    """An object array of str (ignored where not present) as `dtype`."""
    array = np.array(strings, dtype=object)
    array[~present] = np.nan
    if ptypes.is_integer_dtype(dtype) or ptypes.is_float_dtype(dtype):
        numbers = pd.to_numeric(pd.Series(array, index=index, dtype=object))
        if ptypes.is_float_dtype(dtype):
            return numbers.astype(dtype)
        return _int_series(numbers.fillna(0).to_numpy(np.int64), present, dtype, index)
    if ptypes.is_datetime64_any_dtype(dtype):
        return pd.Series(pd.NaT, index=index, dtype=dtype)
    series = pd.Series(array, index=index, dtype=object, copy=False)
    return series if dtype == object else series.astype(dtype)


def _categorical_series(info: ColumnInfo, codes: np.ndarray, present: np.ndarray, labels: list[str],
                        index: pd.RangeIndex) -> pd.Series:
    dtype = info.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        if labels == info.category_labels:
            mapped = codes.astype(np.int64)
        else:  # a given schema's categories: map by text; unknown labels become new categories
            position = {label: idx for idx, label in enumerate(info.category_labels or [])}
            categories = list(dtype.categories)
            for label in labels:
                if label not in position:
                    position[label] = len(categories)
                    categories.append(label)
            dtype = pd.CategoricalDtype(categories, ordered=dtype.ordered)
            mapped = np.array([position[label] for label in labels], dtype=np.int64)[codes] if labels \
                else np.zeros(len(codes), dtype=np.int64)
        mapped = np.where(present, mapped, -1)
        return pd.Series(pd.Categorical.from_codes(mapped, dtype=dtype), index=index)
    table = np.array(labels if labels else [""], dtype=object)
    return _string_series(table[np.where(present, codes, 0)], present, dtype, index)


def column_to_series(info: ColumnInfo, column: tuple, n_rows: int) -> pd.Series:
    """Rebuild one sampled column with the dtype (and categories) it was fitted with."""
    _, kind, values, valid, labels = column
    index = pd.RangeIndex(n_rows)
    present = valid.astype(bool)
    dtype = info.dtype
    if kind == "categorical":
        return _categorical_series(info, values, present, labels, index)
    if kind in ("id", "text"):
        return _string_series(np.array(values, dtype=object), present, dtype, index)
    if kind == "integer":
        return _int_series(values, present, dtype, index)
    if kind == "continuous":
        if ptypes.is_integer_dtype(dtype):
            return _int_series(np.rint(values).astype(np.int64), present, dtype, index)
        floats = np.where(present, values, np.nan)
        if isinstance(dtype, np.dtype):
            return pd.Series(floats.astype(dtype), index=index)
        return pd.Series(pd.arrays.FloatingArray(values.astype(np.float64), ~present), index=index).astype(dtype)
    if kind == "datetime":
        stamps = values.astype("datetime64[s]")
        stamps[~present] = np.datetime64("NaT")
        series = pd.Series(stamps, index=index)
        if isinstance(dtype, pd.DatetimeTZDtype):
            return series.astype(f"datetime64[{dtype.unit}]").dt.tz_localize("UTC").dt.tz_convert(dtype.tz)
        return series.astype(dtype)
    if kind == "boolean":
        flags = values.astype(bool)
        if present.all() and isinstance(dtype, np.dtype):
            return pd.Series(flags, index=index)
        array = pd.arrays.BooleanArray(flags, ~present)
        target = pd.BooleanDtype() if isinstance(dtype, np.dtype) else dtype
        return pd.Series(array, index=index).astype(target)
    raise AssertionError(f"unknown kind {kind}")


def columns_to_frame(infos: list[ColumnInfo], columns: list[tuple], n_rows: int) -> pd.DataFrame:
    """The sampled columns as a DataFrame in the fitted frame's column order."""
    by_key = {column[0]: column for column in columns}
    data = {idx: column_to_series(info, by_key[info.key], n_rows) for idx, info in enumerate(infos)}
    frame = pd.DataFrame(data, index=pd.RangeIndex(n_rows), copy=False)
    frame.columns = pd.Index([info.label for info in infos])
    return frame


def infos_from_schema(schema: dict) -> list[ColumnInfo]:
    """Column dtypes implied by a schema alone (a loaded model; docs/python.md)."""
    infos = []
    for spec in schema["columns"]:
        kind, nullable = spec["type"], spec.get("nullable", True)
        labels = None
        if kind == "categorical":
            labels = list(spec["domain"]["categories"])
            dtype: Any = pd.CategoricalDtype(labels)
        elif kind == "integer":
            dtype = pd.Int64Dtype() if nullable else np.dtype(np.int64)
        elif kind == "continuous":
            dtype = np.dtype(np.float64)
        elif kind == "datetime":
            dtype = np.dtype("datetime64[ns]")
        elif kind == "boolean":
            dtype = pd.BooleanDtype() if nullable else np.dtype(bool)
        else:
            dtype = np.dtype(object)
        infos.append(ColumnInfo(spec["name"], spec["name"], dtype, kind, labels))
    return infos

