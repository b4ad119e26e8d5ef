#!/usr/bin/env bash
# The demo: bundled UCI Adult data + its public schema -> AIM (epsilon 1) -> synthetic CSV
# -> trust report against the real training rows and the Adult test split, in demo-output/.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/release/cli/synthscale}
OUT=demo-output
DATA=data/adult/adult.csv
mkdir -p "$OUT"

SCHEMA=data/adult/adult.schema.json
echo "1/5 check the public schema $SCHEMA (domains from adult.names, not from the data)"
"$BIN" schema validate "$SCHEMA" > /dev/null
echo "2/5 fit AIM, differentially private with epsilon=1, delta=1e-9 (about a minute on 2 cores)"
"$BIN" fit --method aim --epsilon 1 --delta 1e-9 --schema "$SCHEMA" "$DATA" -o "$OUT/adult.ssm" --force
echo "3/5 inspect the model: cliques and privacy ledger"
"$BIN" inspect "$OUT/adult.ssm" > "$OUT/adult.inspect.txt"
grep -A2 "^total:" "$OUT/adult.inspect.txt" || true
echo "4/5 sample 32,561 synthetic rows (seed 42)"
"$BIN" sample "$OUT/adult.ssm" -n 32561 --seed 42 -o "$OUT/adult-synthetic.csv" --force
echo "5/5 trust report: fidelity, utility (predict income), privacy risk (holdout: adult_test.csv), audit of sex and race"
"$BIN" evaluate --real "$DATA" --holdout data/adult/adult_test.csv --synthetic "$OUT/adult-synthetic.csv" \
  --schema "$SCHEMA" --target income --sensitive sex,race --seed 42 -o "$OUT/report" --force

echo
echo "wrote:"
for file in "$OUT/adult.ssm" "$OUT/adult.inspect.txt" "$OUT/adult-synthetic.csv" "$OUT/report/report.json" \
    "$OUT/report/report.html"; do
  printf '  %-32s %10s bytes\n' "$file" "$(stat -c %s "$file")"
done
echo
echo "first rows of $OUT/adult-synthetic.csv:"
head -n 4 "$OUT/adult-synthetic.csv"
