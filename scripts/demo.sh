#!/usr/bin/env bash
# The demo: bundled UCI Adult data -> schema -> synthesizer -> synthetic CSV in demo-output/.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/release/cli/synthscale}
OUT=demo-output
DATA=data/adult/adult.csv
mkdir -p "$OUT"

echo "1/3 infer a schema from $DATA"
"$BIN" schema infer "$DATA" -o "$OUT/adult.schema.json" --force
echo "2/3 fit the 'independent' synthesizer (per-column marginals)"
"$BIN" fit --method independent --schema "$OUT/adult.schema.json" "$DATA" -o "$OUT/adult.ssm" --force
echo "3/3 sample 32,561 synthetic rows (seed 42)"
"$BIN" sample "$OUT/adult.ssm" -n 32561 --seed 42 -o "$OUT/adult-synthetic.csv" --force

echo
echo "wrote:"
for file in "$OUT/adult.schema.json" "$OUT/adult.ssm" "$OUT/adult-synthetic.csv"; do
  printf '  %-32s %10s bytes\n' "$file" "$(stat -c %s "$file")"
done
echo
echo "first rows of $OUT/adult-synthetic.csv:"
head -n 4 "$OUT/adult-synthetic.csv"
