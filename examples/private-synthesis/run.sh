#!/usr/bin/env bash
# Differentially private synthesis of the bundled Adult data with MST and AIM.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
BIN=${SYNTHSCALE_BIN:-$repo/build/release/cli/synthscale}
out=${1:-$(mktemp -d)}
mkdir -p "$out"
data="$repo/data/adult/adult.csv"
schema="$repo/data/adult/adult.schema.json"   # public domains, from adult.names

# 1. Plan the budget: (epsilon 1, delta 1e-9) is rho = 0.01497 in zCDP.
"$BIN" budget --epsilon 1 --delta 1e-9

# 2. MST with a noise key, twice: the same key gives the same model, byte for byte.
#    Keep a real key as secret as the data; only its SHA-256 is recorded.
head -c 32 /dev/urandom > "$out/noise.key"
for run in 1 2; do
  "$BIN" fit --method mst --epsilon 1 --delta 1e-9 --schema "$schema" --noise-key-file "$out/noise.key" \
    "$data" -o "$out/mst-$run.ssm" --force
done
cmp "$out/mst-1.ssm" "$out/mst-2.ssm"
echo "same noise key, same model: $out/mst-1.ssm"

# 3. AIM on a workload of the pairs that matter for an income model.
cat > "$out/workload.json" <<'JSON'
[["age", "income"], ["education", "income"], ["sex", "income"], ["hours-per-week", "income"],
 ["marital-status", "relationship", "income"]]
JSON
"$BIN" fit --method aim --epsilon 1 --delta 1e-9 --schema "$schema" --workload "$out/workload.json" \
  "$data" -o "$out/aim.ssm" --force

# 4. What was spent, and on what.
"$BIN" inspect "$out/aim.ssm" | sed -n '/^privacy ledger/,$p'

# 5. Synthetic rows (sampling is post-processing: it spends no budget).
"$BIN" sample "$out/aim.ssm" -n 1000 --seed 3 -o "$out/aim-synthetic.csv" --force
echo "wrote $out/aim-synthetic.csv"
