"""The ``independent`` synthesizer: every column from its own marginal distribution."""

from __future__ import annotations

from synthscale._synthesizer import BaseSynthesizer

__all__ = ["Independent"]


class Independent(BaseSynthesizer):
    """Draw each column independently from its empirical distribution (incl. missing values).

    Keeps every column's marginal distribution and none of the relations between
    columns. **Not differentially private**: the model holds exact counts of the data.
    A baseline, and a way to run the pipeline end to end.

    Args:
        random_state: the sampling seed, an int in [0, 2**64), or None for a fresh seed
            (recorded in ``seed_`` so the sample can be replayed). The CLI calls it ``--seed``.
        schema: the schema (dict, JSON text or ``pathlib.Path``) fixing column types and
            domains; None infers one from the data at ``fit``.
        threads: worker threads for fit and sample; None uses every core. Never changes
            the output.

    Attributes:
        schema_ (dict): the schema used by the fit (inferred or the one given, canonical form).
        seed_ (int): the seed ``sample`` uses by default.
        n_rows_fit_ (int): rows of the fitted frame.
        dtypes_ (pandas.Series): the dtype of each fitted column, in order; ``sample``
            returns these.

    Example:
        >>> synth = Independent(random_state=7).fit(df)      # doctest: +SKIP
        >>> fake = synth.sample(1000)                         # doctest: +SKIP
    """

    method = "independent"
