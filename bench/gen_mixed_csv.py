#!/usr/bin/env python3
"""Generate a deterministic mixed-type CSV file and its synthscale schema.

Used by bench/ingest.sh for the CSV ingest benchmark (docs/benchmarks.md).

    python bench/gen_mixed_csv.py OUT.csv [--megabytes 1000 | --rows N] [--schema OUT.schema.json]

Columns (12): small categoricals (sex, region, occupation), a ~1000-label categorical
(city), integers (age, children, visits), doubles (income, score, weight), a date
(joined, YYYY-MM-DD) and a boolean (member). Some fields are missing (empty), some
city and occupation labels contain the delimiter and are quoted, and one occupation
label contains doubled quotes (RFC 4180).

The file is a function of the seed only: rows are drawn in blocks of BLOCK_ROWS rows,
block i from its own numpy stream spawned from the seed, so a smaller file is a prefix
of a larger one with the same seed. Rows are drawn with numpy and rendered to text
with pyarrow compute kernels (fields quoted only where RFC 4180 needs it), block by
block, so memory stays small and 1 GB takes well under a minute.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

BLOCK_ROWS = 200_000
DEFAULT_SEED = 20240601

SEXES = ["F", "M", "X"]
REGIONS = ["north", "south", "east", "west", "centre", "islands", "overseas", "unknown"]
OCCUPATIONS = [
    "clerk", "teacher", "nurse", "engineer", "driver", "cook", "farmer", "retired",
    "student", "physician", "lawyer", "artist", "builder", "cleaner", "manager",
    "scientist", "Farming, fishing and forestry", "Sales, retail", 'the "other" kind',
    "none",
]
N_CITIES = 1000
DATE_MIN = np.datetime64("2000-01-01", "D")
DATE_MAX = np.datetime64("2024-12-31", "D")


def city_labels() -> list[str]:
    """1000 distinct labels; every 25th has a comma (so it is written quoted)."""
    labels = []
    for i in range(N_CITIES):
        if i % 25 == 7:
            labels.append(f"Springfield {i:04d}, ST")
        else:
            labels.append(f"city_{i:04d}")
    return labels


CITIES = city_labels()


def zipf_probs(n: int, s: float) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** s
    return weights / weights.sum()


SEX_P = np.array([0.49, 0.49, 0.02])
REGION_P = zipf_probs(len(REGIONS), 0.8)
OCCUPATION_P = zipf_probs(len(OCCUPATIONS), 0.7)
CITY_P = zipf_probs(N_CITIES, 1.05)


def csv_field(label: str) -> str:
    """A label as written in CSV: quoted (inner quotes doubled) only when it must be."""
    if any(ch in label for ch in ',"\r\n'):
        return '"' + label.replace('"', '""') + '"'
    return label


def labels_field(codes: np.ndarray, labels: list[str], missing: np.ndarray | None) -> pa.Array:
    rendered = pa.array([csv_field(label) for label in labels], pa.string())
    return rendered.take(pa.array(codes.astype(np.int32), mask=missing))


def make_block(rng: np.random.Generator, n: int) -> list[pa.Array]:
    """n rows of the mixed-type table, each column already rendered as CSV fields (null: empty)."""
    def missing(rate: float) -> np.ndarray:
        return rng.random(n) < rate

    def text(values: np.ndarray, arrow_type: pa.DataType, mask: np.ndarray | None = None) -> pa.Array:
        return pc.cast(pa.array(values, arrow_type, mask=mask), pa.string())

    sex = rng.choice(len(SEXES), size=n, p=SEX_P)
    region = rng.choice(len(REGIONS), size=n, p=REGION_P)
    occupation = rng.choice(len(OCCUPATIONS), size=n, p=OCCUPATION_P)
    city = rng.choice(N_CITIES, size=n, p=CITY_P)
    age = rng.integers(17, 91, size=n)
    children = np.minimum(rng.poisson(1.3, size=n), 12)
    visits = rng.integers(0, 100_000, size=n)
    # Income: log-normal, cents, capped to the schema's bounds.
    income = np.minimum(np.round(rng.lognormal(10.3, 0.8, size=n), 2), 999_999.99)
    score = np.round(rng.normal(0.0, 1.5, size=n), 4).clip(-10.0, 10.0)
    weight = np.round(rng.normal(72.0, 14.0, size=n), 1).clip(30.0, 250.0)
    span = int((DATE_MAX - DATE_MIN).astype(np.int64)) + 1
    joined = DATE_MIN + rng.integers(0, span, size=n).astype("timedelta64[D]")
    member = rng.random(n) < 0.37

    # Order: the columns of COLUMN_NAMES.
    return [
        labels_field(sex, SEXES, None),
        labels_field(region, REGIONS, missing(0.01)),
        labels_field(occupation, OCCUPATIONS, missing(0.02)),
        labels_field(city, CITIES, missing(0.01)),
        text(age, pa.int64()),
        text(children, pa.int64(), missing(0.03)),
        text(visits, pa.int64()),
        text(income, pa.float64(), missing(0.05)),
        text(score, pa.float64()),
        text(weight, pa.float64(), missing(0.02)),
        text(joined, pa.date32(), missing(0.03)),
        text(member, pa.bool_(), missing(0.02)),
    ]


COLUMN_NAMES = ["sex", "region", "occupation", "city", "age", "children", "visits",
                "income", "score", "weight", "joined", "member"]


def render_lines(fields: list[pa.Array]) -> tuple[pa.Buffer, np.ndarray]:
    """Join rendered fields into CSV lines; return the bytes and the line end offsets."""
    lines = pc.binary_join_element_wise(*fields, ",", null_handling="replace",
                                        null_replacement="")
    lines = pc.binary_join_element_wise(lines, "", "\n")  # append the line end
    lines = lines.cast(pa.large_string())
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[: len(lines) + 1]
    return lines.buffers()[2], offsets


def schema_json() -> dict:
    def cat(name: str, labels: list[str], nullable: bool) -> dict:
        return {"name": name, "type": "categorical", "nullable": nullable,
                "domain": {"categories": labels}, "domain_from_data": False}

    def num(name: str, kind: str, lo: float, hi: float, bins: int, nullable: bool) -> dict:
        return {"name": name, "type": kind, "nullable": nullable,
                "domain": {"min": lo, "max": hi, "bins": bins}, "domain_from_data": False}

    return {"synthscale_schema": 1, "columns": [
        cat("sex", SEXES, False),
        cat("region", REGIONS, True),
        cat("occupation", OCCUPATIONS, True),
        cat("city", CITIES, True),
        num("age", "integer", 17, 90, 74, False),
        num("children", "integer", 0, 12, 13, True),
        num("visits", "integer", 0, 99_999, 100, False),
        num("income", "continuous", 0, 1_000_000, 32, True),
        num("score", "continuous", -10, 10, 32, False),
        num("weight", "continuous", 30, 250, 32, True),
        {"name": "joined", "type": "datetime", "format": "date", "nullable": True,
         "domain": {"min": str(DATE_MIN), "max": str(DATE_MAX), "bins": 32},
         "domain_from_data": False},
        {"name": "member", "type": "boolean", "nullable": True, "domain_from_data": False},
    ]}


def generate(path: str, target_bytes: int | None, target_rows: int | None, seed: int) -> tuple[int, int]:
    """Write the CSV to `path` (via a temporary file renamed at the end); return (rows, bytes)."""
    tmp = path + ".tmp"
    streams = np.random.SeedSequence(seed)
    rows = 0
    size = 0
    try:
        with open(tmp, "wb") as out:
            header = (",".join(COLUMN_NAMES) + "\n").encode()
            out.write(header)
            size = len(header)
            while True:
                if target_rows is not None and rows >= target_rows:
                    break
                if target_bytes is not None and size >= target_bytes:
                    break
                # Block i always draws from the i-th child stream: a prefix property.
                rng = np.random.Generator(np.random.PCG64(streams.spawn(1)[0]))
                data, ends = render_lines(make_block(rng, BLOCK_ROWS))
                n = BLOCK_ROWS
                if target_rows is not None:
                    n = min(n, target_rows - rows)
                elif target_bytes is not None:
                    # The fewest rows of this block that reach the target size.
                    n = min(n, int(np.searchsorted(ends[1:], target_bytes - size)) + 1)
                out.write(memoryview(data)[: int(ends[n])])
                rows += n
                size += int(ends[n])
        os.replace(tmp, path)
        return rows, size
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", help="CSV file to write (replaced if it exists)")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--megabytes", type=float, default=None,
                      help="approximate file size in MB (10^6 bytes); default 1000")
    size.add_argument("--rows", type=int, default=None, help="exact number of data rows")
    parser.add_argument("--schema", default=None,
                        help="schema JSON to write (default: OUTPUT with .csv replaced by .schema.json)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)

    if args.rows is not None and args.rows < 0:
        parser.error("--rows must be >= 0")
    target_bytes = None
    if args.rows is None:
        megabytes = 1000.0 if args.megabytes is None else args.megabytes
        if megabytes <= 0:
            parser.error("--megabytes must be > 0")
        target_bytes = int(megabytes * 1e6)

    schema_path = args.schema
    if schema_path is None:
        base = args.output[:-4] if args.output.endswith(".csv") else args.output
        schema_path = base + ".schema.json"

    rows, size = generate(args.output, target_bytes, args.rows, args.seed)
    with open(schema_path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(schema_json(), f, indent=1)
        f.write("\n")
    os.replace(schema_path + ".tmp", schema_path)
    print(f"wrote {args.output}: {rows} rows, {size / 1e6:.1f} MB; schema {schema_path}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
