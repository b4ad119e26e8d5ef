"""synthscale.evaluate: the trust report from pandas DataFrames (docs/metrics.md).

The same report as ``synthscale evaluate`` on the command line, computed by the same
library: fidelity, detection, utility, privacy risk and the subgroup audit, exact by
default, with bootstrap confidence intervals, deterministic given ``seed``.
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterable, Optional, Sequence

import pandas as pd

from synthscale import _core
from synthscale._errors import InvalidArgumentError
from synthscale._frame import check_frame, frame_to_columns, match_schema
from synthscale._schema import normalize_schema, schema_from_columns
from synthscale._synthesizer import _check_seed, _check_threads


def _names(argument: str, value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    try:
        names = list(value)
    except TypeError:
        raise InvalidArgumentError(f"{argument} must be a column name or a list of them, got "
                                   f"{type(value).__name__}") from None
    for name in names:
        if not isinstance(name, str):
            raise InvalidArgumentError(f"{argument} must hold column names (str), got {name!r}")
    return names


def _ratios(mix: Optional[Iterable[float]]) -> list[float]:
    if mix is None:
        return []
    try:
        return [float(ratio) for ratio in mix]
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"mix must be a list of numbers, e.g. [0, 0.5, 1], got {mix!r}") from None


def evaluate(real: pd.DataFrame, synthetic: pd.DataFrame, *, holdout: Optional[pd.DataFrame] = None,
             schema: Any = None, target: Optional[str] = None, sensitive: Sequence[str] | str | None = None,
             quasi_identifiers: Sequence[str] | str | None = None, metrics: Sequence[str] | str | None = None,
             mix: Optional[Iterable[float]] = None, seed: int = 0, bootstrap: int = 200,
             confidence: float = 0.95, max_three_way: int = 0, output_dir: Optional[os.PathLike | str] = None,
             overwrite: bool = False, threads: Optional[int] = None) -> dict:
    """Compare a synthetic table with the real one; return report.json as a dict.

    ``report["verdicts"]`` gives one verdict per section (fidelity, detection, utility,
    privacy, fairness: "pass", "caution" or "fail") with a sentence in plain words;
    ``report["summary"]`` every measure with its interval (docs/metrics.md).

    Args:
        real: the rows the synthesizer was fitted on.
        synthetic: the synthetic rows.
        holdout: real rows not used for fitting; utility and privacy-risk metrics need it.
        schema: dict, JSON text or path; all three tables are read with it. None infers
            one from ``real`` (values of the other tables outside it count as out of domain).
        target: column to predict for utility (train on synthetic, test on holdout).
        sensitive: columns to audit by group and to attack.
        quasi_identifiers: columns an attacker knows (default: all but sensitive and target).
        metrics: names to compute (``synthscale._core.metric_names()``); None = all that the
            inputs allow. A named metric whose inputs are missing is an error.
        mix: synthetic/real ratios for the augmentation curve, e.g. ``[0, 0.5, 1]``.
        seed: seed of every random choice; the same seed gives the same report.
        bootstrap: replicates for confidence intervals (0 = none).
        confidence: two-sided level of the intervals.
        max_three_way: evaluate a seeded sample of this many 3-way marginals (0 = all).
        output_dir: when given, also write report.json and report.html there.
        overwrite: replace an existing report in ``output_dir``.
        threads: worker threads (None = all cores); the result does not depend on it.

    Raises:
        InvalidArgumentError: a bad option, an unknown column or metric.
        InvalidDataError: a table does not match the schema.
        OutputExistsError: the report exists in ``output_dir`` and not ``overwrite``.
    """
    if _check_seed("seed", seed) is None:
        raise InvalidArgumentError("seed must be an int (the report is deterministic given it), got None")
    threads = _check_threads(threads)
    if isinstance(bootstrap, bool) or not isinstance(bootstrap, int) or bootstrap < 0:
        raise InvalidArgumentError(f"bootstrap must be a non-negative int, got {bootstrap!r}")
    if isinstance(max_three_way, bool) or not isinstance(max_three_way, int) or max_three_way < 0:
        raise InvalidArgumentError(f"max_three_way must be a non-negative int, got {max_three_way!r}")
    if target is not None and not isinstance(target, str):
        raise InvalidArgumentError(f"target must be a column name (str), got {target!r}")
    real = check_frame(real)
    synthetic = check_frame(synthetic)
    if holdout is not None:
        holdout = check_frame(holdout)
    if schema is None:
        infos, columns = frame_to_columns(real, None)
        schema_dict = schema_from_columns(infos, columns)
    else:
        schema_dict = normalize_schema(schema)

    def to_columns(frame: pd.DataFrame) -> list[tuple]:
        return frame_to_columns(frame, match_schema(frame, schema_dict))[1]

    options = {
        "target": target,
        "sensitive": _names("sensitive", sensitive),
        "quasi_identifiers": _names("quasi_identifiers", quasi_identifiers),
        "seed": seed,
        "bootstrap_replicates": bootstrap,
        "confidence": float(confidence),
        "max_three_way": max_three_way,
        "mix_ratios": _ratios(mix),
    }
    text = _core.evaluate(to_columns(real), None if holdout is None else to_columns(holdout),
                          to_columns(synthetic), json.dumps(schema_dict), json.dumps(options),
                          _names("metrics", metrics), threads)
    if output_dir is not None:
        _core.write_report(text, os.fspath(output_dir), overwrite)
    return json.loads(text)
