"""The scikit-learn-like contract every synthesizer class follows.

- ``__init__`` only stores its keyword arguments; they are validated by ``fit``.
- ``fit(data)`` validates, learns and returns ``self``. Learned attributes end in ``_``.
  A failed fit leaves the previous fit (if any) untouched; a successful one replaces it.
- ``sample(n_rows)`` returns a DataFrame with the fitted frame's columns, order and dtypes.
- ``get_params`` / ``set_params`` read and write the constructor's arguments only.
- ``save`` / ``load`` use the library's versioned, checksummed model file, never pickle.
"""

from __future__ import annotations

import inspect
import json
import os
import secrets
import warnings
from typing import Any, ClassVar, Optional, TypeVar, Union

import numpy as np
import pandas as pd

from synthscale import _core
from synthscale._errors import InvalidArgumentError, InvalidDataError, NotFittedError, SynthscaleWarning
from synthscale._frame import (ColumnInfo, check_against_schema, check_frame, columns_to_frame,
                               frame_to_columns, infos_from_schema, match_schema)
from synthscale._schema import normalize_schema, schema_from_columns

_SEED_LIMIT = 2**64
_Self = TypeVar("_Self", bound="BaseSynthesizer")


def _check_seed(name: str, value: Any) -> Optional[int]:
    """An int seed in [0, 2**64) or None; bools and generators are refused."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not hasattr(value, "__index__"):
        raise InvalidArgumentError(f"{name} must be an int in [0, 2**64) or None, got {value!r}")
    seed = int(value.__index__())
    if not 0 <= seed < _SEED_LIMIT:
        raise InvalidArgumentError(f"{name} must be an int in [0, 2**64) or None, got {seed}")
    return seed


def _check_threads(value: Any) -> int:
    """Threads for the C++ pool: None means all hardware threads (0 for the library)."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgumentError(f"threads must be an int >= 1 or None (all cores), got {value!r}")
    return value


class BaseSynthesizer:
    """Shared behaviour of synthesizers; subclasses set ``method`` and their ``__init__``."""

    #: the library's registry name of the method (``synthscale._core.synthesizer_methods()``)
    method: ClassVar[str]

    # Learned attributes, set by fit() or load().
    schema_: dict
    seed_: int
    n_rows_fit_: int
    dtypes_: pd.Series

    def __init__(self, *, random_state: Optional[int] = None, schema: Any = None,
                 threads: Optional[int] = None) -> None:
        self.random_state = random_state
        self.schema = schema
        self.threads = threads

    # -- parameters -------------------------------------------------------------------

    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return sorted(name for name, parameter in signature.parameters.items()
                      if name != "self" and parameter.kind is parameter.KEYWORD_ONLY)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor's arguments as a dict (``deep`` is accepted for scikit-learn)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self: _Self, **params: Any) -> _Self:
        """Set constructor arguments; they take effect at the next ``fit``. Returns self."""
        valid = self._param_names()
        unknown = sorted(set(params) - set(valid))
        if unknown:
            raise InvalidArgumentError(f"unknown parameter(s) {unknown} for {type(self).__name__}; "
                                       f"valid: {valid}")
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = {name: parameter.default
                    for name, parameter in inspect.signature(type(self).__init__).parameters.items()}
        changed = [f"{name}={value!r}" for name, value in self.get_params().items()
                   if value is not defaults.get(name) and value != defaults.get(name)]
        return f"{type(self).__name__}({', '.join(changed)})"

    # -- fitting and sampling ---------------------------------------------------------

    def fit(self: _Self, data: pd.DataFrame) -> _Self:
        """Learn from a DataFrame and return self.

        Args:
            data: the real data (not modified). Column types follow the ``schema``
                parameter when one is given, else the dtype mapping of docs/python.md.

        Raises:
            InvalidArgumentError: a parameter is invalid, or `data` is not a DataFrame.
            InvalidDataError: the data has no rows or columns, an unsupported dtype,
                infinite values, or does not match the given schema (all problems listed).
        """
        random_state = _check_seed("random_state", self.random_state)
        threads = _check_threads(self.threads)
        options, noise_key = self._fit_options()
        data = check_frame(data)
        if self.schema is None:
            infos, columns = frame_to_columns(data, None)
            schema = schema_from_columns(infos, columns)
        else:
            schema = normalize_schema(self.schema)
            infos, columns = frame_to_columns(data, match_schema(data, schema))
            check_against_schema(data, schema, infos, columns)
        self._check_schema_domain(schema)
        model, messages = _core.Model.fit(columns, json.dumps(schema), self.method, threads,
                                          json.dumps(options), noise_key)
        for message in messages:
            warnings.warn(message, SynthscaleWarning, stacklevel=2)
        self._set_fitted(model, schema, infos,
                         secrets.randbits(63) if random_state is None else random_state)
        return self

    def _fit_options(self) -> tuple[dict, Optional[bytes]]:
        """The method's options (the keys of SynthesizerOptions' JSON) and noise key, checked
        before any data is read. A non-private method takes none."""
        return {}, None

    def _check_schema_domain(self, schema: dict) -> None:
        """Refuse or flag a schema whose domains were read from the data (private methods)."""

    @classmethod
    def _params_from_options(cls, options: dict) -> dict[str, Any]:
        """Constructor arguments recorded in a model file's options (``load``); none here."""
        return {}

    def _set_fitted(self, model: "_core.Model", schema: dict, infos: list[ColumnInfo], seed: int) -> None:
        self._model = model
        self._columns = infos
        self.schema_ = schema
        self.seed_ = seed
        self.n_rows_fit_ = int(model.rows)
        self.dtypes_ = pd.Series([info.dtype for info in infos], index=[info.label for info in infos],
                                 dtype=object)

    def _check_fitted(self, what: str) -> "_core.Model":
        model = getattr(self, "_model", None)
        if model is None:
            raise NotFittedError(f"this {type(self).__name__} is not fitted yet; call fit(data) or "
                                 f"{type(self).__name__}.load(path) before {what}")
        return model

    def sample(self, n_rows: int, *, random_state: Optional[int] = None,
               sampling: str = "rounded") -> pd.DataFrame:
        """Draw synthetic rows as a DataFrame with the fitted frame's columns and dtypes.

        The result depends only on the model, the seed, ``n_rows`` and ``sampling`` (never
        on ``threads``), and equals ``synthscale sample -n N --seed S --sampling M``.

        Args:
            n_rows: number of rows, >= 0.
            random_state: the seed for this call; default ``seed_`` (set by fit or load).
            sampling: ``"rounded"`` (default) draws all rows jointly, rounding the model's
                expected counts, so the sample's marginals carry almost no sampling noise;
                ``"iid"`` draws each row independently from its own stream, so the first
                rows of a larger sample equal a smaller sample (docs/synthesizers.md).

        Raises:
            NotFittedError: before ``fit`` or ``load``.
            InvalidArgumentError: `n_rows`, `random_state` or `sampling` is invalid.
        """
        model = self._check_fitted("sample")
        if isinstance(n_rows, (bool, np.bool_)) or not hasattr(n_rows, "__index__") or n_rows.__index__() < 0:
            raise InvalidArgumentError(f"n_rows must be an int >= 0, got {n_rows!r}")
        n_rows = n_rows.__index__()
        seed = _check_seed("random_state", random_state)
        threads = _check_threads(self.threads)
        if sampling not in ("rounded", "iid"):
            raise InvalidArgumentError(f"sampling must be 'rounded' or 'iid', got {sampling!r}")
        columns = model.sample(n_rows, self.seed_ if seed is None else seed, sampling, threads)
        return columns_to_frame(self._columns, columns, n_rows)

    # -- model files --------------------------------------------------------------------

    def save(self, path: Union[str, "os.PathLike[str]"], *, overwrite: bool = False) -> None:
        """Write the fitted model to a model file (docs/formats.md), atomically.

        The file holds the schema and the learned parameters, not the sampling seed nor
        the pandas dtypes: see ``load``.

        Raises:
            NotFittedError: before ``fit``.
            OutputExistsError: `path` exists and `overwrite` is False.
            SynthscaleIOError: the file cannot be written.
        """
        model = self._check_fitted("save")
        model.save(os.fspath(path), bool(overwrite))

    @classmethod
    def load(cls: type[_Self], path: Union[str, "os.PathLike[str]"], *, random_state: Optional[int] = None,
             threads: Optional[int] = None) -> _Self:
        """Read a model file written by ``save`` or ``synthscale fit``; returns a fitted synthesizer.

        The seed is not part of a model file (as with ``synthscale sample --seed``): pass
        the ``random_state`` the model was sampled with to replay a sample. Column dtypes
        come from the schema (docs/python.md, "Loaded models").

        Raises:
            SynthscaleIOError: the file cannot be read.
            InvalidDataError: the file is not a model file, is corrupt or truncated, or
                holds another method's model.
        """
        seed = _check_seed("random_state", random_state)
        _check_threads(threads)
        model = _core.Model.load(os.fspath(path))
        if model.method != cls.method:
            raise InvalidDataError(f"'{os.fspath(path)}' holds a '{model.method}' model, not "
                                   f"'{cls.method}'; load it with that method's class")
        options = json.loads(model.describe_json)["options"]
        synthesizer = cls(random_state=random_state, threads=threads, **cls._params_from_options(options))
        schema = normalize_schema(model.schema_json)
        synthesizer._set_fitted(model, schema, infos_from_schema(schema),
                                secrets.randbits(63) if seed is None else seed)
        return synthesizer
