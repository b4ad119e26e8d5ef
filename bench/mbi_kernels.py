"""Timings of two mbi kernels, against the figures in private-pgm's benchmark scripts.

    [PRIVATE_PGM_DIR=/path/to/private-pgm] .venv-bench/bin/python bench/mbi_kernels.py \
        [--rows 1000000] [--only marginals|sample]

1. marginals: all 2-way marginals (3,240 pairs) of a random table of --rows rows over
   the 81-column census-like domain below: mbi.CliqueVector.from_projectable on an
   mbi.Dataset (numpy). private-pgm's benchmarks/benchmark_marginals.py reports ~60 s
   ("NumPy Dataset", N=1,000,000; 51.7 s in a later revision).
2. sample: MarkovRandomField.synthetic_data(rows=--rows) from a model whose cliques are
   the spanning tree of 80 two-way cliques below (zero potentials, i.e. uniform), after a
   1-row warm-up that pays JAX's compilation (reported apart). private-pgm's
   benchmarks/benchmark_synthetic_data.py reports ~87 s for N=1,000,000 (99.5 s later).
The domain and the tree are those of private-pgm's two benchmark scripts (ryan112358/mbi,
2026-01), so the figures compare; theirs were run on an unnamed Linux CPU machine with
JAX 0.8.2, ours are one run each on this machine: read them as a ratio, not a speed.
With PRIVATE_PGM_DIR set to a copy of private-pgm that has src/mbi (bench/dp_peers.py:
361705d, mbi 1.3.0.dev, the one the mbi-* peers of bench/dp_synth.sh use), that mbi is
timed; otherwise the venv's (PyPI mbi 1.1.0). synthscale's side of both kernels, on the
same domain and tree: bench/pgm_sample (synthscale_bench_pgm_sample).
Prints one JSON object; the mbi version and path and the jax version are in it.
"""
import argparse
import importlib.metadata
import itertools
import json
import os
import sys
import time

import numpy as np

DOMAIN = {"metro": 3, "metarea": 40, "metaread": 40, "city": 113, "sizepl": 15, "urban": 2,
    "sea": 130, "gq": 5, "gqtype": 8, "gqtyped": 11, "gqfunds": 8, "farm": 2, "ownershp": 3,
    "ownershpd": 3, "rent": 65, "valueh": 14, "split": 2, "slrec": 2, "respondt": 3,
    "famsize": 17, "nchlt5": 6, "sex": 2, "age": 88, "agemonth": 13, "marst": 6, "marrno":
    4, "agemarr": 12, "chborn": 10, "race": 6, "hispan": 5, "hispand": 6, "bpl": 80, "bpld":
    83, "mbpl": 31, "mbpld": 34, "fbpl": 31, "fbpld": 32, "nativity": 6, "citizen": 6,
    "mtongue": 8, "mtongued": 10, "spanname": 2, "hisprule": 8, "school": 2, "higrade": 23,
    "higraded": 23, "educ": 13, "educd": 23, "empstat": 4, "empstatd": 12, "labforce": 3,
    "classwkr": 4, "classwkrd": 8, "occ": 112, "occ1950": 118, "ind": 109, "ind1950": 111,
    "wkswork2": 7, "hrswork2": 9, "uocc95": 20, "uclasswk": 8, "incwage": 37, "incnonwg": 3,
    "occscore": 43, "sei": 65, "presgl": 104, "erscor50": 101, "edscor50": 95, "npboss50":
    101, "migrate5": 5, "migrate5d": 9, "migplac5": 45, "migcity5": 28, "samesea5": 6,
    "vetstat": 4, "vetstatd": 4, "vet1940": 4, "vetwwi": 2, "vetper": 4, "vetchild": 5,
    "ssenroll": 3}
TREE = [("spanname", "famsize"), ("urban", "vetchild"), ("urban", "nativity"), ("urban",
    "vetstat"), ("gqtyped", "erscor50"), ("gqtyped", "citizen"), ("ind1950", "occ1950"),
    ("ind1950", "marst"), ("ind1950", "respondt"), ("vetstatd", "nchlt5"), ("vetstatd",
    "famsize"), ("migplac5", "hrswork2"), ("migplac5", "sizepl"), ("migplac5", "ssenroll"),
    ("migplac5", "edscor50"), ("hisprule", "presgl"), ("hisprule", "migrate5d"),
    ("hisprule", "empstat"), ("classwkrd", "agemonth"), ("incnonwg", "empstatd"), ("sei",
    "mbpl"), ("sei", "gqtype"), ("sei", "vet1940"), ("sex", "nativity"), ("sex", "gqfunds"),
    ("mtongue", "agemarr"), ("sea", "migrate5d"), ("city", "empstat"), ("city", "age"),
    ("classwkr", "edscor50"), ("occ", "mbpl"), ("occ1950", "famsize"), ("higraded",
    "school"), ("hispand", "slrec"), ("hispand", "uclasswk"), ("hispand", "school"),
    ("hispand", "wkswork2"), ("fbpl", "agemarr"), ("fbpl", "marrno"), ("fbpl", "ssenroll"),
    ("hispan", "npboss50"), ("bpl", "npboss50"), ("empstat", "valueh"), ("labforce",
    "chborn"), ("labforce", "ownershpd"), ("nchlt5", "agemarr"), ("race", "gqtype"),
    ("valueh", "sizepl"), ("mbpld", "presgl"), ("fbpld", "bpld"), ("fbpld", "occscore"),
    ("fbpld", "metarea"), ("empstatd", "agemarr"), ("metarea", "rent"), ("educ", "ind"),
    ("educ", "farm"), ("npboss50", "presgl"), ("npboss50", "educd"), ("npboss50", "vetper"),
    ("npboss50", "incwage"), ("age", "mtongued"), ("nativity", "incwage"), ("split",
    "respondt"), ("gq", "agemarr"), ("uclasswk", "metro"), ("uclasswk", "gqtype"),
    ("incwage", "bpld"), ("incwage", "migrate5"), ("migcity5", "metaread"), ("sizepl",
    "agemonth"), ("school", "samesea5"), ("school", "chborn"), ("respondt", "uocc95"),
    ("mbpl", "farm"), ("mbpl", "metaread"), ("mbpl", "vetwwi"), ("metro", "erscor50"),
    ("uocc95", "higrade"), ("ownershp", "metaread"), ("chborn", "hrswork2")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--only", choices=["marginals", "sample"])
    a = ap.parse_args()
    root = os.environ.get("PRIVATE_PGM_DIR")
    mbi_version = None
    if root and os.path.isfile(os.path.join(root, "src", "mbi", "__init__.py")):
        sys.path.insert(0, os.path.join(root, "src"))
        with open(os.path.join(root, "pyproject.toml")) as f:
            mbi_version = next((line.split('"')[1] for line in f if line.startswith("version")), "?")
    import jax
    import mbi
    np.random.seed(0)
    domain = mbi.Domain.fromdict(DOMAIN)
    out = {"mbi": mbi_version or importlib.metadata.version("mbi"),
           "mbi_path": os.path.dirname(mbi.__file__), "jax": jax.__version__, "rows": a.rows, "columns": len(DOMAIN)}
    block = lambda cv: jax.tree.map(lambda x: x.block_until_ready(), cv)
    if a.only in (None, "marginals"):
        data = mbi.Dataset.synthetic(domain, N=a.rows)
        pairs = list(itertools.combinations(domain.attrs, 2))
        start = time.perf_counter()
        block(mbi.CliqueVector.from_projectable(data, pairs))
        out["marginals_2way_s"] = round(time.perf_counter() - start, 2)
        out["pairs"] = len(pairs)
        del data
    if a.only in (None, "sample"):
        potentials = mbi.CliqueVector.zeros(domain, TREE)
        marginals = mbi.marginal_oracles.message_passing_stable(potentials)
        model = mbi.MarkovRandomField(potentials=potentials, marginals=marginals, total=1)
        start = time.perf_counter()
        model.synthetic_data(rows=1)
        out["sample_warmup_s"] = round(time.perf_counter() - start, 2)
        start = time.perf_counter()
        synth = model.synthetic_data(rows=a.rows)
        out["sample_s"] = round(time.perf_counter() - start, 2)
        out["sampled_rows"] = synth.records
    print(json.dumps(out))


if __name__ == "__main__":
    main()
