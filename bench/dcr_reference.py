"""An independent NumPy brute force of dcr_share_closer_to_train (docs/metrics.md), to check
synthscale's blocked kernel and to explain a peer's different value. For bench/eval.sh.

    python bench/dcr_reference.py --real r.csv --holdout h.csv --synthetic s.csv --schema S

Gower distance: per column min(|a - b| / range_real, 1) for integer and continuous columns,
[a != b] otherwise; a missing value is 1 away from a value and 0 from another missing value
(`--missing-unequal`: 1, as pandas' NaN != NaN gives); the mean over columns. Ties count
1/2. Quadratic in memory and time: a few thousand rows only.
"""
import argparse
import json

import numpy as np
import pandas as pd


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("--real", "--holdout", "--synthetic", "--schema"):
        parser.add_argument(name, required=True)
    parser.add_argument("--missing-unequal", action="store_true")
    args = parser.parse_args()
    with open(args.schema, encoding="utf-8") as file:
        schema = json.load(file)
    columns = [column["name"] for column in schema["columns"]]
    kinds = {column["name"]: column["type"] for column in schema["columns"]}

    def read(path):
        return pd.read_csv(path, na_values=["?", ""], keep_default_na=False)[columns]

    real, holdout, synthetic = read(args.real), read(args.holdout), read(args.synthetic)
    both_missing = 1.0 if args.missing_unequal else 0.0

    def distances(query, reference):
        total = np.zeros((len(query), len(reference)))
        for column in columns:
            a, b = query[column].to_numpy(), reference[column].to_numpy()
            missing_a, missing_b = pd.isna(a)[:, None], pd.isna(b)[None, :]
            if kinds[column] in ("integer", "continuous"):
                span = real[column].max() - real[column].min()
                term = np.minimum(np.abs(a.astype(float)[:, None] - b.astype(float)[None, :]) / span, 1.0)
            else:
                term = (a.astype(object)[:, None] != b.astype(object)[None, :]).astype(float)
            term = np.where(missing_a | missing_b, np.where(missing_a & missing_b, both_missing, 1.0), term)
            total += term
        return total / len(columns)

    to_train = distances(synthetic, real).min(axis=1)
    to_holdout = distances(synthetic, holdout).min(axis=1)
    share = float(((to_train < to_holdout) + 0.5 * (to_train == to_holdout)).mean())
    print(json.dumps({"dcr_share_closer_to_train": share, "ties": float((to_train == to_holdout).mean())}))


if __name__ == "__main__":
    main()
