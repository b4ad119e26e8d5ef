"""Workload error of a synthetic table: mean total variation distance (TVD) of marginals.

    python bench/workload_error.py REAL.csv DOMAIN.json SYNTH.csv [--workload all|2way-10k]
    python bench/workload_error.py --self-test

Both CSVs hold integer codes 0..size-1 per column (the domain JSON maps column -> size),
with the same header. For a marginal over columns C, p and q are the real and synthetic
count vectors over every cell of C (zeros included), each normalised to sum 1, and
TVD = 0.5 * sum |p - q|. Counts are exact (numpy bincount over all rows; no sampling).

--workload all (default): mean TVD over all 1-way, all 2-way and all 3-way marginals,
reported separately. --workload 2way-10k: also the workload of private-pgm's
mechanisms/mst.py and aim.py scripts (all 2-way marginals with at most 10,000 cells),
whose mean TVD is the "Average Error" those scripts print.
Prints one JSON object. Needs only numpy and pandas (either venv works).
"""
import argparse
import itertools
import json
import sys

import numpy as np
import pandas as pd


def load(csv, domain):
    df = pd.read_csv(csv)
    missing = [c for c in domain if c not in df.columns]
    if missing:
        sys.exit(f"workload_error: {csv} lacks columns {missing}")
    codes = df[list(domain)].to_numpy(dtype=np.int64)
    sizes = np.array(list(domain.values()))
    if codes.min(initial=0) < 0 or (codes >= sizes).any():
        sys.exit(f"workload_error: {csv} has codes outside the domain")
    return codes


def marginal(codes, idx, sizes):
    shape = tuple(sizes[i] for i in idx)
    flat = np.ravel_multi_index(tuple(codes[:, i] for i in idx), shape)
    counts = np.bincount(flat, minlength=int(np.prod(shape))).astype(np.float64)
    return counts / counts.sum()


def tvd(real, synth, idx, sizes):
    return 0.5 * np.abs(marginal(real, idx, sizes) - marginal(synth, idx, sizes)).sum()


def errors(real, synth, domain, workload="all"):
    sizes = list(domain.values())
    k = len(sizes)
    out = {"rows_real": len(real), "rows_synth": len(synth)}
    for d in (1, 2, 3):
        vals = [tvd(real, synth, idx, sizes) for idx in itertools.combinations(range(k), d)]
        out[f"tvd_{d}way"] = float(np.mean(vals))
        out[f"n_{d}way"] = len(vals)
    if workload == "2way-10k":
        pairs = [p for p in itertools.combinations(range(k), 2)
                 if sizes[p[0]] * sizes[p[1]] <= 10_000]
        out["tvd_2way_10k"] = float(np.mean([tvd(real, synth, p, sizes) for p in pairs]))
        out["n_2way_10k"] = len(pairs)
    return out


def self_test():
    rng = np.random.default_rng(0)
    domain = {"a": 3, "b": 4, "c": 2, "d": 5}
    real = np.column_stack([rng.integers(0, n, 1000) for n in domain.values()])
    same = errors(real, real, domain, "2way-10k")
    assert all(same[f"tvd_{d}way"] == 0.0 for d in (1, 2, 3)) and same["tvd_2way_10k"] == 0.0
    # Row order and duplication do not matter (normalised counts).
    assert errors(real, np.vstack([real[::-1]] * 3), domain)["tvd_3way"] < 1e-12
    # Disjoint supports on column a: every marginal containing a has TVD exactly 1.
    shifted = real.copy()
    shifted[:, 0] = 0
    real2 = real.copy()
    real2[:, 0] = 1
    e = errors(real2, shifted, domain)
    assert abs(e["tvd_1way"] - 0.25) < 1e-12, e  # 1 of 4 columns differs, TVD 1
    assert (e["n_1way"], e["n_2way"], e["n_3way"]) == (4, 6, 4)
    print("workload_error self-test: 3 passed, 0 failed")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("real", nargs="?")
    ap.add_argument("domain", nargs="?")
    ap.add_argument("synth", nargs="?")
    ap.add_argument("--workload", choices=["all", "2way-10k"], default="all")
    ap.add_argument("--self-test", action="store_true")
    a = ap.parse_args()
    if a.self_test:
        return self_test()
    if not (a.real and a.domain and a.synth):
        ap.error("REAL.csv DOMAIN.json SYNTH.csv are required")
    with open(a.domain) as f:
        domain = json.load(f)
    result = errors(load(a.real, domain), load(a.synth, domain), domain, a.workload)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
