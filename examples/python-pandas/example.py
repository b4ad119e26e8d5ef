"""Fit and sample from a pandas DataFrame; the result has the input's dtypes."""
import pathlib
import warnings

import pandas as pd

import synthscale

repo = pathlib.Path(__file__).resolve().parents[2]
real = pd.read_csv(repo / "data/adult/adult.csv", na_values="?")
real["sex"] = real["sex"].astype("category")

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    schema = synthscale.infer_schema(real)
print(f"schema: {len(schema['columns'])} columns; warnings: {[str(w.message)[:60] for w in caught]}")

model = synthscale.Independent(random_state=7).fit(real)
synthetic = model.sample(1000)
assert list(synthetic.columns) == list(real.columns)
assert synthetic["sex"].dtype == real["sex"].dtype
print(synthetic.head())
print("share of women, real vs synthetic:",
      round((real["sex"] == "Female").mean(), 3), round((synthetic["sex"] == "Female").mean(), 3))

# Differentially private: MST with the public schema of Adult (domains from adult.names).
private = synthscale.MST(epsilon=1.0, delta=1e-9, schema=repo / "data/adult/adult.schema.json", random_state=7)
private_rows = private.fit(real).sample(1000)
assert private_rows["sex"].dtype == real["sex"].dtype
print(f"MST spent rho={private.rho_spent_:.5f} of the (epsilon=1, delta=1e-9) budget "
      f"in {len(private.privacy_ledger_['charges'])} charges")
