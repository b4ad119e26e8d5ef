"""Schemas from Python: inferred from a DataFrame, or given as a dict, JSON text or a file.

The schema format is the library's (docs/schema.md); parsing and validation happen in
C++ so that Python, the CLI and model files accept exactly the same schemas.
"""

from __future__ import annotations

import json
import os
import warnings
from typing import Any, Union

import pandas as pd

from synthscale import _core
from synthscale._errors import DataDependentDomainWarning, InvalidArgumentError, SynthscaleIOError
from synthscale._frame import ColumnInfo, check_frame, frame_to_columns

SchemaLike = Union[dict, str, "os.PathLike[str]"]

DEFAULT_CONTINUOUS_BINS = 32
DEFAULT_INTEGER_BINS = 64


def _check_bins(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value < 2**32:
        raise InvalidArgumentError(f"{name} must be an int >= 1, got {value!r}")
    return value


def schema_from_columns(infos: list[ColumnInfo], columns: list[tuple],
                        continuous_bins: int = DEFAULT_CONTINUOUS_BINS,
                        integer_bins: int = DEFAULT_INTEGER_BINS) -> dict:
    """The schema of read columns, domains from the data; updates each info's kind."""
    schema = json.loads(_core.schema_from_columns(columns, continuous_bins=continuous_bins,
                                                  integer_bins=integer_bins))
    for info, spec in zip(infos, schema["columns"]):
        if info.category_labels:
            # A pandas Categorical declares its categories: keep them all, in their order
            # (the library would keep only those that occur, sorted).
            spec["type"] = "categorical"
            spec["domain"] = {"categories": list(info.category_labels)}
            spec["domain_from_data"] = True
        info.kind = spec["type"]
    return normalize_schema(schema)


def normalize_schema(schema: Any) -> dict:
    """Parse and validate a schema (dict, JSON text or path); return its canonical dict."""
    source = "<schema>"
    if isinstance(schema, dict):
        try:
            text = json.dumps(schema)
        except (TypeError, ValueError) as error:
            raise InvalidArgumentError(f"the schema dict is not JSON-serializable: {error}") from None
    elif isinstance(schema, str):
        text = schema
    elif isinstance(schema, os.PathLike):
        source = os.fspath(schema)
        try:
            with open(source, encoding="utf-8") as file:
                text = file.read()
        except OSError as error:
            raise SynthscaleIOError(f"cannot read schema file '{source}': {error.strerror or error}") from None
    else:
        raise InvalidArgumentError("schema must be a dict, JSON text or a path (pathlib.Path), got "
                                   f"{type(schema).__name__}")
    return json.loads(_core.normalize_schema(text, source))


def schema_to_json(schema: dict) -> str:
    """The canonical, pretty-printed JSON of a schema (as `synthscale schema infer` writes)."""
    return _core.normalize_schema(json.dumps(schema))


def infer_schema(data: pd.DataFrame, *, as_json: bool = False,
                 continuous_bins: int = DEFAULT_CONTINUOUS_BINS,
                 integer_bins: int = DEFAULT_INTEGER_BINS) -> Union[dict, str]:
    """Infer a schema (types and domains) from a DataFrame.

    Column types follow the dtype mapping of docs/python.md. Domains are read from the
    data: categories that occur (all declared categories for a pandas Categorical), the
    observed minimum and maximum, and nullability from missing values. Such domains are
    **not** differentially private, so this warns with ``DataDependentDomainWarning``;
    review the schema and publish a public one for private fits.

    Args:
        data: the DataFrame (not modified).
        as_json: return the JSON text (as ``synthscale schema infer`` writes) instead of a dict.
        continuous_bins: equal-width bins of a continuous column's [min, max].
        integer_bins: an integer or datetime range wider than this many values is binned.

    Returns:
        The schema as a dict (``{"synthscale_schema": 1, "columns": [...]}``) or JSON text.

    Raises:
        InvalidArgumentError: `data` is not a DataFrame, or a bins option is not an int >= 1.
        InvalidDataError: no rows or columns, repeated column names, an unsupported dtype,
            or infinite values; every problem is listed in one error.
    """
    continuous_bins = _check_bins("continuous_bins", continuous_bins)
    integer_bins = _check_bins("integer_bins", integer_bins)
    data = check_frame(data)
    infos, columns = frame_to_columns(data, None)
    schema = schema_from_columns(infos, columns, continuous_bins, integer_bins)
    warnings.warn("the schema's domains (categories, bounds) were read from the data and are not "
                  "differentially private; review it and use a public schema for private fits",
                  DataDependentDomainWarning, stacklevel=2)
    return schema_to_json(schema) if as_json else schema
