"""The ``mst`` synthesizer: MST, differentially private synthesis from a maximum spanning tree."""

from __future__ import annotations

from synthscale._private import PrivateSynthesizer, with_shared_docs

__all__ = ["MST"]


@with_shared_docs
class MST(PrivateSynthesizer):
    """Differentially private synthesis with MST (McKenna, Miklau and Sheldon 2021).

    Measures every column's 1-way marginal, selects a maximum spanning tree of column
    pairs privately, measures the tree's 2-way marginals with discrete Gaussian noise, and
    samples from the graphical model estimated from those measurements (Private-PGM).
    Keeps every column's distribution and the strongest pairwise relations. The fit spends
    the whole budget, each third on one step; ``privacy_ledger_`` lists every charge.

    Args:
{privacy_args}

    Attributes:
{privacy_attributes}

    Example:
        >>> schema = pathlib.Path("data/adult/adult.schema.json")                # doctest: +SKIP
        >>> synth = MST(epsilon=1.0, delta=1e-9, schema=schema, random_state=7)   # doctest: +SKIP
        >>> fake = synth.fit(df).sample(1000)                                     # doctest: +SKIP
    """

    method = "mst"
