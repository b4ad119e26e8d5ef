"""One fit + sample of a peer DP synthesizer, for bench/dp_synth.sh (docs/benchmarks.md).

    PRIVATE_PGM_DIR=/path/to/private-pgm .venv-bench/bin/python bench/dp_peers.py \
        --peer mbi-mst|mbi-aim|smartnoise-mst --data adult.csv --domain adult-domain.json \
        --epsilon 1 --delta 1e-9 --seed 0 --out synth.csv [--workload 2way|3way]

Writes the synthetic table as CSV with the input's header and integer coding, and prints
one JSON line: peer, fit_s (model fitting, data loading excluded), sample_s (drawing the
synthetic rows), rows. Progress chatter of the peers goes to stderr.

Peers (venv: requirements-bench-dp.txt, `scripts/install-deps.sh --bench`):
  mbi-mst         private-pgm's mechanisms/mst.py: MST(data, epsilon, delta) as the
                  script calls it; sampling (MarkovRandomField.synthetic_data) is timed
                  apart by wrapping that method, and fit_s is the rest.
  mbi-aim         private-pgm's mechanisms/aim.py, AIM(epsilon, delta) with the script's
                  defaults (max_model_size=80, max_iters=1000), workload weight 1.0 per
                  marginal: 2way = all pairs with at most 10,000 cells (the script's
                  default, --degree 2 --max_cells 10000), 3way = all triples (the AIM
                  paper's workload). Slow: hours with the defaults (aim.py says so).
  smartnoise-mst  snsynth's Synthesizer.create("mst", epsilon=, delta=), fit with every
                  column categorical and preprocessor_eps=0, then sample(len(data)).
mechanisms/ is not in the mbi wheel: PRIVATE_PGM_DIR must point at a copy of the
private-pgm repository (now github ryan112358/mbi; never committed here). If the copy
has src/mbi, that mbi is used (mechanisms and library match), else the installed one.
Use the copy's HEAD 361705d (2026-07-22, mbi 1.3.0.dev): the PyPI mbi 1.1.0 that
smartnoise-synth requires (mbi<2) has a sampling bug (MarkovRandomField.synthetic_data,
"round": ranks within a parent group follow row order, so sibling columns come out
correlated; fixed upstream in a987d84, 2026-06-23), which roughly doubles the 2- and
3-way error of every synthetic table it draws, smartnoise's included. Copies older than
the wheel (e.g. 3ebb5c7, whose src/mbi equals mbi 1.1.0) work too; the 2025 private-pgm
snapshot's mst.py fails on 1.1.0's stricter Dataset. cdp2adp.py imports matplotlib.
--seed seeds numpy's global generator, which private-pgm's noise, selection and sampling
use; smartnoise draws its Gaussian noise from OpenDP, which cannot be seeded.
"""
import argparse
import contextlib
import itertools
import json
import os
import sys
import time

import numpy as np
import pandas as pd


class SampleTimer:
    """Times MarkovRandomField.synthetic_data, wherever a mechanism calls it."""

    def __init__(self):
        import mbi
        self.seconds = 0.0
        original = mbi.MarkovRandomField.synthetic_data

        def timed(model, *args, **kwargs):
            start = time.perf_counter()
            try:
                return original(model, *args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        mbi.MarkovRandomField.synthetic_data = timed


def frame(dataset):  # as the scripts' --save does
    return pd.DataFrame(dataset.to_dict(), columns=list(dataset.domain))


def load_dataset(args):  # as the scripts load it (mbi >= 2 has no Dataset.load)
    from mbi import Dataset, Domain
    with open(args.domain) as f:
        domain = Domain.fromdict(json.load(f))
    df = pd.read_csv(args.data, usecols=list(domain))
    return Dataset({c: df[c].to_numpy() for c in domain}, domain)


def mechanisms():
    root = os.environ.get("PRIVATE_PGM_DIR")
    if not root or not os.path.isfile(os.path.join(root, "mechanisms", "mst.py")):
        sys.exit("dp_peers: set PRIVATE_PGM_DIR to a copy of private-pgm (with mechanisms/)")
    sys.path.insert(0, os.path.join(root, "mechanisms"))
    if os.path.isfile(os.path.join(root, "src", "mbi", "__init__.py")):
        sys.path.insert(0, os.path.join(root, "src"))  # the copy's own mbi, to match


def mbi_mst(args):
    mechanisms()
    from mst import MST
    data = load_dataset(args)
    timer = SampleTimer()
    start = time.perf_counter()
    synth = MST(data, args.epsilon, args.delta)
    return frame(synth), time.perf_counter() - start - timer.seconds, timer.seconds


def mbi_aim(args):
    mechanisms()
    from aim import AIM
    data = load_dataset(args)
    if args.workload == "2way":
        workload = [cl for cl in itertools.combinations(data.domain, 2)
                    if data.domain.size(cl) <= 10_000]
    else:
        workload = list(itertools.combinations(data.domain, 3))
    timer = SampleTimer()
    start = time.perf_counter()
    _, synth = AIM(args.epsilon, args.delta).run(data, [(cl, 1.0) for cl in workload])
    return frame(synth), time.perf_counter() - start - timer.seconds, timer.seconds


def smartnoise_mst(args):
    from snsynth import Synthesizer
    df = pd.read_csv(args.data)
    synth = Synthesizer.create("mst", epsilon=float(args.epsilon), delta=args.delta)
    start = time.perf_counter()
    synth.fit(df, categorical_columns=list(df.columns), preprocessor_eps=0.0)
    fit = time.perf_counter() - start
    start = time.perf_counter()
    out = synth.sample(len(df))
    return pd.DataFrame(out, columns=df.columns), fit, time.perf_counter() - start


PEERS = {"mbi-mst": mbi_mst, "mbi-aim": mbi_aim, "smartnoise-mst": smartnoise_mst}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--peer", choices=PEERS, required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--domain", required=True)
    ap.add_argument("--epsilon", type=float, default=1.0)
    ap.add_argument("--delta", type=float, default=1e-9)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True)
    ap.add_argument("--workload", choices=["2way", "3way"], default="2way",
                    help="AIM's workload (mbi-aim only)")
    args = ap.parse_args()
    np.random.seed(args.seed)
    with open(args.domain) as f:
        columns = list(json.load(f))
    with contextlib.redirect_stdout(sys.stderr):
        df, fit, sample = PEERS[args.peer](args)
    df = df[columns].astype(np.int64)
    df.to_csv(args.out, index=False)
    mbi = sys.modules.get("mbi")
    print(json.dumps({"peer": args.peer, "fit_s": round(fit, 3), "sample_s": round(sample, 3),
                      "rows": len(df), "seed": args.seed, "epsilon": args.epsilon,
                      "delta": args.delta, "mbi": mbi and os.path.dirname(mbi.__file__)}))


if __name__ == "__main__":
    main()
