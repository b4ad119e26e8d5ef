"""synthscale: synthetic tables that scientists can trust, at HPC scale.

>>> import pandas as pd, synthscale                                   # doctest: +SKIP
>>> df = pd.read_csv("data/adult/adult.csv", na_values="?")           # doctest: +SKIP
>>> fake = synthscale.Independent(random_state=7).fit(df).sample(1000)  # doctest: +SKIP
>>> private = synthscale.MST(epsilon=1.0, delta=1e-9, schema=pathlib.Path(  # doctest: +SKIP
...     "data/adult/adult.schema.json")).fit(df).sample(1000)

See docs/python.md for the API, the exceptions and the dtype mapping.
"""

from synthscale import _core, text
from synthscale._errors import (DataDependentDomainWarning, InternalError, InvalidArgumentError,
                                InvalidDataError, NotFittedError, OutputExistsError, SynthscaleError,
                                SynthscaleIOError, SynthscaleWarning)
from synthscale._schema import infer_schema
from synthscale._synthesizer import BaseSynthesizer
from synthscale.aim import AIM
from synthscale.evaluate import evaluate
from synthscale.independent import Independent
from synthscale.mst import MST

__version__: str = _core.__version__

__all__ = [
    "AIM",
    "BaseSynthesizer",
    "DataDependentDomainWarning",
    "Independent",
    "InternalError",
    "InvalidArgumentError",
    "InvalidDataError",
    "MST",
    "NotFittedError",
    "OutputExistsError",
    "SynthscaleError",
    "SynthscaleIOError",
    "SynthscaleWarning",
    "__version__",
    "evaluate",
    "infer_schema",
    "text",
]
