#!/usr/bin/env python3
"""Read a CSV file fully into memory with one peer tool, typed by a synthscale schema.

Used by bench/ingest.sh: each tool runs as its own process, so whole-process time and
peak memory are measured from outside for each one alone.

    python bench/ingest_peers.py TOOL CSV SCHEMA_JSON [--threads N]

TOOL is one of: pandas, pyarrow, polars, duckdb. Every tool gets the types the schema
gives, so each does the same work as synthscale's parse + encode as closely as it can:
categoricals into its dictionary type with the schema's categories (pandas Categorical,
Arrow dictionary, polars Enum, DuckDB ENUM), integers, doubles, the date column as a
date, the boolean as a (nullable) boolean. --threads (default: all cores) sets the thread
count of the tools that use threads; pandas' C parser is single-threaded.

Prints one line to stderr: tool, rows, columns, seconds inside the process (the tool's
import included, Python's start-up not) and MB/s on the CSV's size.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time


def load_schema(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return json.load(f)["columns"]


def read_pandas(csv: str, columns: list[dict], threads: int) -> tuple[int, int]:
    del threads  # the C parser is single-threaded
    import pandas as pd

    dtype: dict[str, object] = {}
    dates: list[str] = []
    for col in columns:
        kind, name = col["type"], col["name"]
        if kind == "categorical":
            dtype[name] = pd.CategoricalDtype(col["domain"]["categories"])
        elif kind == "integer":
            dtype[name] = "Int64" if col.get("nullable", True) else "int64"
        elif kind == "continuous":
            dtype[name] = "float64"
        elif kind == "boolean":
            dtype[name] = "boolean"
        elif kind == "datetime":
            dates.append(name)
        else:
            dtype[name] = "string"
    frame = pd.read_csv(csv, dtype=dtype, parse_dates=dates, date_format="%Y-%m-%d",
                        keep_default_na=False, na_values=[""])
    return frame.shape


def read_pyarrow(csv: str, columns: list[dict], threads: int) -> tuple[int, int]:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    pa.set_cpu_count(threads)
    pa.set_io_thread_count(threads)
    types = {}
    for col in columns:
        kind, name = col["type"], col["name"]
        types[name] = {
            "categorical": pa.dictionary(pa.int32(), pa.string()),
            "integer": pa.int64(),
            "continuous": pa.float64(),
            "boolean": pa.bool_(),
            "datetime": pa.date32() if col.get("format", "date") == "date" else pa.timestamp("s"),
        }.get(kind, pa.string())
    convert = pacsv.ConvertOptions(column_types=types, null_values=[""],
                                   strings_can_be_null=True)
    table = pacsv.read_csv(csv, read_options=pacsv.ReadOptions(use_threads=True),
                           convert_options=convert)
    return table.num_rows, table.num_columns


def read_polars(csv: str, columns: list[dict], threads: int) -> tuple[int, int]:
    # The thread pool size is read once, at import.
    os.environ["POLARS_MAX_THREADS"] = str(threads)
    import polars as pl

    overrides = {}
    for col in columns:
        kind, name = col["type"], col["name"]
        overrides[name] = {
            "categorical": pl.Enum(col["domain"]["categories"]) if kind == "categorical" else None,
            "integer": pl.Int64,
            "continuous": pl.Float64,
            "boolean": pl.Boolean,
            "datetime": pl.Date if col.get("format", "date") == "date" else pl.Datetime,
        }.get(kind, pl.String)
    frame = pl.read_csv(csv, schema_overrides=overrides, null_values=[""])
    return frame.shape


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def read_duckdb(csv: str, columns: list[dict], threads: int) -> tuple[int, int]:
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {int(threads)}")
    con.execute("SET preserve_insertion_order = false")
    types = []
    for i, col in enumerate(columns):
        kind, name = col["type"], col["name"]
        if kind == "categorical":
            labels = ", ".join(sql_string(label) for label in col["domain"]["categories"])
            con.execute(f"CREATE TYPE enum_{i} AS ENUM ({labels})")
            sql_type = f"enum_{i}"
        else:
            sql_type = {
                "integer": "BIGINT",
                "continuous": "DOUBLE",
                "boolean": "BOOLEAN",
                "datetime": "DATE" if col.get("format", "date") == "date" else "TIMESTAMP",
            }.get(kind, "VARCHAR")
        types.append(f"{sql_string(name)}: {sql_string(sql_type)}")
    con.execute(
        f"CREATE TABLE t AS SELECT * FROM read_csv({sql_string(csv)}, header = true, "
        f"delim = ',', quote = '\"', escape = '\"', nullstr = '', "
        f"columns = {{{', '.join(types)}}})")
    rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
    return rows, len(columns)


READERS = {
    "pandas": read_pandas,
    "pyarrow": read_pyarrow,
    "polars": read_polars,
    "duckdb": read_duckdb,
}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tool", choices=sorted(READERS))
    parser.add_argument("csv")
    parser.add_argument("schema")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)

    columns = load_schema(args.schema)
    start = time.perf_counter()
    rows, ncols = READERS[args.tool](args.csv, columns, max(1, args.threads))
    seconds = time.perf_counter() - start
    megabytes = os.path.getsize(args.csv) / 1e6
    print(f"{args.tool}: {rows} rows x {ncols} columns in {seconds:.3f} s "
          f"(import included), {megabytes / seconds:.1f} MB/s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
