"""The ``aim`` synthesizer: AIM, workload-aware differentially private synthesis."""

from __future__ import annotations

import math
import numbers
from typing import Any, Optional, Sequence, Union

from synthscale._private import PrivateSynthesizer, check_count, with_shared_docs

__all__ = ["AIM"]


@with_shared_docs
class AIM(PrivateSynthesizer):
    """Differentially private synthesis with AIM (McKenna, Mullins, Sheldon and Miklau 2022).

    Measures every column's 1-way marginal, then in rounds privately selects the marginal
    of the workload (or one of its subsets) that the current graphical model answers worst,
    measures it with Gaussian noise and re-estimates the model (Private-PGM), until the
    budget is spent. Best when you know which marginals matter: list them in ``workload``.
    ``privacy_ledger_`` lists every selection and measurement.

    Args:
{privacy_args}
        workload: the marginals to preserve, as a list of column-name lists, e.g.
            ``[["age", "sex"], ["race"]]``; None means every set of ``workload_degree`` columns.
        workload_degree: columns per marginal of the default workload, >= 1.
        max_model_size: the largest graphical model allowed, in MiB of float64 cells, > 0
            (the paper's 80). The CLI calls it ``--max-model-size``.
        max_rounds: most selection rounds, >= 1; None means the paper's 16 x columns.
            Fewer rounds fit faster and give each measurement more budget.

    Attributes:
{privacy_attributes}

    Example:
        >>> synth = AIM(epsilon=1.0, delta=1e-9, schema=schema, workload=[["age", "sex"]],
        ...             random_state=7)                                        # doctest: +SKIP
        >>> fake = synth.fit(df).sample(1000)                                  # doctest: +SKIP
    """

    method = "aim"

    def __init__(self, *, epsilon: Optional[float] = None, delta: Optional[float] = None,
                 rho: Optional[float] = None, schema: Any = None, random_state: Optional[int] = None,
                 threads: Optional[int] = None, noise_key: Union[bytes, str, None] = None,
                 allow_data_dependent_domain: bool = False, max_iterations: int = 1000,
                 neighbouring: str = "add_remove_one_row",
                 workload: Optional[Sequence[Sequence[str]]] = None, workload_degree: int = 3,
                 max_model_size: float = 80.0, max_rounds: Optional[int] = None) -> None:
        super().__init__(epsilon=epsilon, delta=delta, rho=rho, schema=schema, random_state=random_state,
                         threads=threads, noise_key=noise_key,
                         allow_data_dependent_domain=allow_data_dependent_domain,
                         max_iterations=max_iterations, neighbouring=neighbouring)
        self.workload = workload
        self.workload_degree = workload_degree
        self.max_model_size = max_model_size
        self.max_rounds = max_rounds

    def _method_options(self, problems: list[str]) -> dict:
        workload = _check_workload(self.workload, problems)
        check_count("workload_degree", self.workload_degree, problems)
        size = self.max_model_size
        if isinstance(size, bool) or not isinstance(size, numbers.Real) or not math.isfinite(size) or size <= 0:
            problems.append(f"max_model_size must be a finite number of MiB > 0, got {size!r}")
        if self.max_rounds is not None:
            check_count("max_rounds", self.max_rounds, problems)
        if problems:
            return {}
        return {"workload": workload, "workload_degree": int(self.workload_degree),
                "max_model_size_mb": float(size),
                "max_rounds": 0 if self.max_rounds is None else int(self.max_rounds)}

    @classmethod
    def _params_from_options(cls, options: dict) -> dict[str, Any]:
        params = super()._params_from_options(options)
        if options.get("workload"):
            params["workload"] = [list(names) for names in options["workload"]]
        if "workload_degree" in options:
            params["workload_degree"] = options["workload_degree"]
        if "max_model_size_mb" in options:
            params["max_model_size"] = options["max_model_size_mb"]
        if options.get("max_rounds"):
            params["max_rounds"] = options["max_rounds"]
        return params


def _check_workload(workload: Any, problems: list[str]) -> list[list[str]]:
    """The workload as lists of str; None is the empty list (every workload_degree-set)."""
    if workload is None:
        return []
    example = 'e.g. [["age", "sex"], ["race"]]'
    if isinstance(workload, (str, bytes)) or not isinstance(workload, Sequence):
        problems.append(f"workload must be a list of column-name lists, {example}, got {type(workload).__name__}")
        return []
    checked = []
    for position, names in enumerate(workload):
        if (isinstance(names, (str, bytes)) or not isinstance(names, Sequence) or not names
                or not all(isinstance(name, str) for name in names)):
            problems.append(f"workload[{position}] must be a non-empty list of column names (str), {example}, "
                            f"got {names!r}")
            continue
        checked.append(list(names))
    return checked
