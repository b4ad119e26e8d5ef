"""What the differentially private synthesizers (MST, AIM) share: the privacy budget, the
noise key, the data-dependent-domain opt-in, and the learned ledger and cliques.

The options are checked here with the Python names (all problems in one error) and passed
to the library as the JSON object of ``SynthesizerOptions`` (synthscale/synth/
synthesizer_options.h), which checks them again.
"""

from __future__ import annotations

import json
import math
import numbers
import os
import warnings
from typing import Any, Optional, TypeVar, Union

from synthscale import _core
from synthscale._errors import DataDependentDomainWarning, InternalError, InvalidArgumentError
from synthscale._frame import infos_from_schema
from synthscale._synthesizer import BaseSynthesizer

NOISE_KEY_BYTES = 32
NEIGHBOURING = ("add_remove_one_row", "replace_one_row")
_UINT32_LIMIT = 2**32
_Self = TypeVar("_Self", bound="PrivateSynthesizer")

#: The arguments MST and AIM share, documented once and spliced into their docstrings.
PRIVACY_ARGS_DOC = """\
        epsilon: the privacy budget's epsilon, a number > 0, given with ``delta``.
            The budget is converted to zCDP rho with the tight bound of Canonne, Kamath
            and Steinke (2020); the fit spends all of it (less only what rounding the
            noise parameters to the mechanisms' exact grids leaves over).
        delta: the budget's delta, in (0, 1); take it well below 1 / rows (e.g. 1e-9).
        rho: the budget as zCDP rho > 0, instead of ``epsilon`` and ``delta``.
        schema: the **public** schema (dict, JSON text or ``pathlib.Path``) fixing column
            types and domains. Its domains must not be read from the private data: None
            (infer it at ``fit``) is refused unless ``allow_data_dependent_domain=True``.
        random_state: the sampling seed, an int in [0, 2**64), or None for a fresh seed
            (recorded in ``seed_``). It never affects the privacy noise: see ``noise_key``.
            The CLI calls it ``--seed``.
        threads: worker threads for fit and sample; None uses every core. Never changes
            the model or the sample.
        noise_key: 32 bytes (or a str of 64 hex digits) keying the generator of the
            privacy noise, to reproduce a fit exactly; None (default) draws a fresh key from
            the operating system. The key is never stored: the model and ``privacy_ledger_``
            record only its SHA-256. Whoever holds the key can remove the noise, so keep it
            as secret as the data. The CLI calls it ``--noise-key-file``.
        allow_data_dependent_domain: accept a schema whose domains (categories, bounds)
            were read from the data, including an inferred one. The guarantee then covers
            the fitted statistics but NOT the domain, which may reveal values of single
            rows; ``fit`` warns with ``DataDependentDomainWarning``.
        max_iterations: most mirror-descent iterations per graphical-model estimate, >= 1.
        neighbouring: the privacy unit: ``"add_remove_one_row"`` (one row added or
            removed; the row count is private) or ``"replace_one_row"`` (one row replaced;
            the row count is public)."""

#: The learned attributes MST and AIM share.
PRIVACY_ATTRIBUTES_DOC = """\
        schema_ (dict): the schema used by the fit (canonical form).
        seed_ (int): the seed ``sample`` uses by default.
        n_rows_fit_ (None): always None: the exact row count is not covered by
            differential privacy, so a private model does not keep it.
        dtypes_ (pandas.Series): the dtype of each column, implied by the schema alone
            (docs/python.md, "Loaded models"), never by the private frame; ``sample``
            returns these.
        privacy_ledger_ (dict): the privacy ledger (docs/privacy.md, "The ledger"): the
            budget, every charge (what was measured, the mechanism, its noise and rho),
            ``spent_rho`` and ``noise_key_sha256``.
        rho_spent_ (float): the zCDP rho the fit spent (at most the budget).
        epsilon_ (float or None): the epsilon of the (epsilon, delta)-DP guarantee; None
            when the budget was given as ``rho``.
        delta_ (float or None): the delta of that guarantee; None with ``rho``.
        noise_key_sha256_ (str): the SHA-256 (hex) of the noise key used.
        cliques_ (list[list[str]]): the column sets of the learned graphical model.
        data_dependent_domain_ (bool): the schema's domains were read from the data, so
            the guarantee does not cover them."""

_DATA_DEPENDENT_WARNING = (
    "the schema's domain was read from the private data (allow_data_dependent_domain=True): the "
    "differential-privacy guarantee covers the fitted statistics but NOT the domain (categories, "
    "bounds), which may reveal values of individual rows")


def with_shared_docs(cls: type) -> type:
    """Fill a class docstring's ``{privacy_args}`` and ``{privacy_attributes}``."""
    cls.__doc__ = (cls.__doc__ or "").replace("{privacy_args}", PRIVACY_ARGS_DOC).replace(
        "{privacy_attributes}", PRIVACY_ATTRIBUTES_DOC)
    return cls


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _check_positive(name: str, value: Any, problems: list[str]) -> None:
    if value is None:
        return
    if not _is_number(value) or not math.isfinite(value) or value <= 0:
        problems.append(f"{name} must be a finite number > 0, got {value!r}")


def check_count(name: str, value: Any, problems: list[str], minimum: int = 1) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not minimum <= value < _UINT32_LIMIT:
        problems.append(f"{name} must be an int >= {minimum}, got {value!r}")


def check_budget(epsilon: Any, delta: Any, rho: Any, problems: list[str]) -> None:
    """Append what is wrong with a budget of (epsilon, delta) or rho to `problems`."""
    _check_positive("epsilon", epsilon, problems)
    _check_positive("rho", rho, problems)
    if delta is not None and (not _is_number(delta) or not 0 < delta < 1):
        problems.append(f"delta must be a number in (0, 1), e.g. 1e-9, got {delta!r}")
    if rho is not None and (epsilon is not None or delta is not None):
        problems.append("give the privacy budget either as rho=R or as epsilon=E with delta=D, not both")
    elif rho is None and epsilon is None and delta is None:
        problems.append("a differentially private fit needs a privacy budget: pass epsilon=E with "
                        "delta=D (e.g. epsilon=1.0, delta=1e-9) or rho=R")
    elif epsilon is not None and delta is None:
        problems.append(f"epsilon={epsilon!r} needs a delta: pass delta=D too, well below 1 / rows "
                        "(e.g. delta=1e-9), or give the budget as rho=R")
    elif delta is not None and epsilon is None:
        problems.append(f"delta={delta!r} needs an epsilon: pass epsilon=E too, or give the budget as rho=R")


def check_noise_key(value: Any, problems: list[str]) -> Optional[bytes]:
    """The noise key as 32 bytes, from bytes-like or 64 hex digits; None stays None."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            key = bytes.fromhex(value)
        except ValueError:
            key = b""
        if len(value) != 2 * NOISE_KEY_BYTES or len(key) != NOISE_KEY_BYTES:
            problems.append(f"noise_key as text must be {2 * NOISE_KEY_BYTES} hex digits, got "
                            f"{len(value)} characters")
            return None
        return key
    if isinstance(value, (bytes, bytearray, memoryview)):
        key = bytes(value)
        if len(key) != NOISE_KEY_BYTES:
            problems.append(f"noise_key must be {NOISE_KEY_BYTES} bytes (or {2 * NOISE_KEY_BYTES} hex digits), "
                            f"got {len(key)} bytes")
            return None
        return key
    problems.append(f"noise_key must be {NOISE_KEY_BYTES} bytes, {2 * NOISE_KEY_BYTES} hex digits or None, "
                    f"got {type(value).__name__}")
    return None


def data_dependent_columns(schema: dict) -> list[str]:
    """Names of the schema's columns whose domain was read from the data."""
    return [column["name"] for column in schema["columns"] if column.get("domain_from_data")]


class PrivateSynthesizer(BaseSynthesizer):
    """Shared behaviour of the differentially private synthesizers (see MST and AIM)."""

    # Learned attributes of a private fit, set by fit() or load().
    privacy_ledger_: dict
    rho_spent_: float
    epsilon_: Optional[float]
    delta_: Optional[float]
    noise_key_sha256_: str
    cliques_: list[list[str]]
    data_dependent_domain_: bool

    def __init__(self, *, epsilon: Optional[float] = None, delta: Optional[float] = None,
                 rho: Optional[float] = None, schema: Any = None, random_state: Optional[int] = None,
                 threads: Optional[int] = None, noise_key: Union[bytes, str, None] = None,
                 allow_data_dependent_domain: bool = False, max_iterations: int = 1000,
                 neighbouring: str = "add_remove_one_row") -> None:
        super().__init__(random_state=random_state, schema=schema, threads=threads)
        self.epsilon = epsilon
        self.delta = delta
        self.rho = rho
        self.noise_key = noise_key
        self.allow_data_dependent_domain = allow_data_dependent_domain
        self.max_iterations = max_iterations
        self.neighbouring = neighbouring

    def __repr__(self) -> str:
        # The noise key is a secret: show that one is set, never its bytes.
        text = super().__repr__()
        if self.noise_key is not None:
            text = text.replace(f"noise_key={self.noise_key!r}", "noise_key=<hidden>")
        return text

    # -- options ----------------------------------------------------------------------------

    def _method_options(self, problems: list[str]) -> dict:
        """Options of the subclass's method beyond the shared ones (checked into `problems`)."""
        return {}

    def _fit_options(self) -> tuple[dict, Optional[bytes]]:
        problems: list[str] = []
        check_budget(self.epsilon, self.delta, self.rho, problems)
        noise_key = check_noise_key(self.noise_key, problems)
        if not isinstance(self.allow_data_dependent_domain, bool):
            problems.append(f"allow_data_dependent_domain must be True or False, got "
                            f"{self.allow_data_dependent_domain!r}")
        check_count("max_iterations", self.max_iterations, problems)
        if self.neighbouring not in NEIGHBOURING:
            problems.append(f"neighbouring must be one of {list(NEIGHBOURING)}, got {self.neighbouring!r}")
        options = self._method_options(problems)
        if self.schema is None and self.allow_data_dependent_domain is not True:
            problems.append(
                f"schema=None would read the domains (categories, bounds) from the private data, which "
                f"{type(self).__name__}'s privacy guarantee does not cover; pass a public schema "
                "(schema=dict, JSON text or pathlib.Path; docs/schema.md), or "
                "allow_data_dependent_domain=True to accept that the domain is not protected")
        if problems:
            raise InvalidArgumentError(f"{type(self).__name__}: " + "; ".join(problems))
        budget = ({"rho": float(self.rho)} if self.rho is not None
                  else {"epsilon": float(self.epsilon), "delta": float(self.delta)})
        return {**budget, "neighbouring": self.neighbouring,
                "allow_data_dependent_domain": self.allow_data_dependent_domain,
                "max_iterations": int(self.max_iterations), **options}, noise_key

    def _check_schema_domain(self, schema: dict) -> None:
        columns = data_dependent_columns(schema)
        if not columns:
            return
        if not self.allow_data_dependent_domain:
            raise InvalidArgumentError(
                f"{type(self).__name__}: the schema's domain of {', '.join(columns)} was read from the data "
                "(domain_from_data), so a differentially private fit would leak it; write the public "
                "domain into the schema (docs/schema.md), or pass allow_data_dependent_domain=True to "
                "accept that the guarantee does not cover the domain")
        warnings.warn(f"WARNING: {_DATA_DEPENDENT_WARNING} (columns: {', '.join(columns)})",
                      DataDependentDomainWarning, stacklevel=3)

    @classmethod
    def _params_from_options(cls, options: dict) -> dict[str, Any]:
        names = set(cls._param_names())
        params = {name: options[name] for name in ("epsilon", "delta", "rho", "neighbouring",
                                                   "allow_data_dependent_domain", "max_iterations")
                  if name in options}
        return {name: value for name, value in params.items() if name in names}

    # -- learned attributes -----------------------------------------------------------------

    def _set_fitted(self, model: "_core.Model", schema: dict, infos: list, seed: int) -> None:
        description = json.loads(model.describe_json)
        ledger = json.loads(model.ledger_json or "null")
        if ledger is None:  # load() checks the method first, so a bug if reached
            raise InternalError(f"a '{model.method}' model without a privacy ledger")
        # Output dtypes from the public schema alone: the private frame's dtypes would tell
        # whether any row has a missing value (int64 vs float64) or which categories occur.
        super()._set_fitted(model, schema, infos_from_schema(schema), seed)
        # The exact row count is not covered by differential privacy.
        self.n_rows_fit_ = None
        self.privacy_ledger_ = ledger
        self.rho_spent_ = float(ledger["spent_rho"])
        self.epsilon_ = ledger["budget"].get("epsilon")
        self.delta_ = ledger["budget"].get("delta")
        self.noise_key_sha256_ = ledger.get("noise_key_sha256", "")
        self.cliques_ = [list(clique) for clique in description["structure"].get("cliques", [])]
        self.data_dependent_domain_ = bool(description["fit"].get("data_dependent_domain", False))

    @classmethod
    def load(cls: type[_Self], path: Union[str, "os.PathLike[str]"], *, random_state: Optional[int] = None,
             threads: Optional[int] = None) -> _Self:
        """Read a model file written by ``save`` or ``synthscale fit``; returns a fitted synthesizer.

        The parameters are those the model was fitted with (budget and options), except
        ``schema`` and ``noise_key``, which a model file does not hold as parameters. The
        sampling seed is not stored either: pass the ``random_state`` to replay a sample.
        Warns with ``DataDependentDomainWarning`` when the model's domain was read from the data.

        Raises:
            SynthscaleIOError: the file cannot be read.
            InvalidDataError: the file is not a model file, is corrupt or truncated, or
                holds another method's model.
        """
        synthesizer = super().load(path, random_state=random_state, threads=threads)
        if synthesizer.data_dependent_domain_:
            warnings.warn(f"WARNING: {_DATA_DEPENDENT_WARNING} ('{os.fspath(path)}')", DataDependentDomainWarning,
                          stacklevel=2)
        return synthesizer
