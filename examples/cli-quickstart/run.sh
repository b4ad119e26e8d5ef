#!/usr/bin/env bash
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
BIN=${SYNTHSCALE_BIN:-$repo/build/release/cli/synthscale}
out=${1:-$(mktemp -d)}
mkdir -p "$out"

# 1. A schema from the data: review it, it is not private.
"$BIN" schema infer "$repo/data/adult/adult.csv" -o "$out/schema.json" --force

# 2. Replace a data-derived domain with public knowledge: ages 17..90, one bin per year.
python3 - "$out/schema.json" <<'PY'
import json, sys
path = sys.argv[1]
schema = json.load(open(path))
for column in schema["columns"]:
    if column["name"] == "age":
        column["domain"] = {"min": 17, "max": 90, "bins": 74}
        column["domain_from_data"] = False
json.dump(schema, open(path, "w"), indent=2)
PY
"$BIN" schema validate "$out/schema.json"

# 3. Fit, then sample with 1 and 2 threads: same seed, same bytes.
"$BIN" fit --method independent --schema "$out/schema.json" "$repo/data/adult/adult.csv" -o "$out/model.ssm" --force
"$BIN" --threads 1 sample "$out/model.ssm" -n 1000 --seed 11 -o "$out/synth-1.csv" --force
"$BIN" --threads 2 sample "$out/model.ssm" -n 1000 --seed 11 -o "$out/synth-2.csv" --force
cmp "$out/synth-1.csv" "$out/synth-2.csv"
echo "identical samples with 1 and 2 threads: $out/synth-1.csv"
