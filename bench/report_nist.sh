#!/usr/bin/env bash
# Trust-report time on the NIST CRC Diverse Communities national 2019 excerpt (27,253
# rows, 24 columns), the figure of docs/benchmarks.md "Trust report on the NIST national
# excerpt" (issue 17's target: at most 30 s on 2 cores).
#
#   bash bench/report_nist.sh                 # after make build
#
# Setup, all in BENCH_DIR: a schema inferred from national2019.csv with `N` as the missing
# token (the sampled file writes missing values as empty fields, so evaluate reads both
# N and the empty field as missing); MST (epsilon 1, a fixed public noise key: reproducible, NOT private) fitted on
# national2019 and 27,253 rows sampled; the 2018 national excerpt (27,111 rows, the NIST
# excerpts' own control year) as the holdout. Then `synthscale evaluate` with every metric,
# 200 bootstrap replicates, target PINCP_DECILE and sensitive SEX,RAC1P, timed by
# /usr/bin/time (wall, CPU, peak RSS), BENCH_ROUNDS times; its per-stage progress lines
# (stderr is not a terminal here) show where the time goes.
#
# Environment: BENCH_DIR (/tmp/synthscale-bench-report-nist), BENCH_ROUNDS (1),
# BENCH_THREADS (2), NIST_DIR (/work/shared/data/nist-diverse-communities/national),
# SYNTHSCALE_BIN (build/release/cli/synthscale), BASE_BIN (unset; another build, e.g. of
# main, timed before SYNTHSCALE_BIN in every round, for a side-by-side ratio on a noisy
# machine).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_dir="${BENCH_DIR:-/tmp/synthscale-bench-report-nist}"
rounds="${BENCH_ROUNDS:-1}"
threads="${BENCH_THREADS:-2}"
nist="${NIST_DIR:-/work/shared/data/nist-diverse-communities/national}"
bin="${SYNTHSCALE_BIN:-$repo/build/release/cli/synthscale}"

[[ -x "$bin" ]] || { echo "report_nist.sh: no synthscale at $bin; run make build" >&2; exit 2; }
[[ -f "$nist/national2019.csv" ]] || { echo "report_nist.sh: no $nist/national2019.csv; set NIST_DIR" >&2; exit 2; }
mkdir -p "$bench_dir"
cd "$bench_dir"

if [[ ! -f synth.csv ]]; then
  echo "report_nist.sh: schema, MST fit (epsilon 1) and 27,253 sampled rows" >&2
  "$bin" -q schema infer "$nist/national2019.csv" --na N -o schema.json --force
  printf '%064d\n' 0 > noise.key
  "$bin" -q fit --method mst --epsilon 1 --delta 1e-9 --schema schema.json --noise-key-file noise.key \
    --allow-data-dependent-domain "$nist/national2019.csv" -o model.ssm --force --no-manifest --na N
  "$bin" -q sample model.ssm -n 27253 --seed 1 -o synth.csv --force --no-manifest
fi

evaluate() {  # evaluate NAME BINARY ROUND: one timed full report into report-NAME-ROUND/
  local name=$1 binary=$2 round=$3
  /usr/bin/time -f "$name round $round: %e s wall, %U s user, %S s system, %M KB peak RSS" \
    "$binary" --threads "$threads" evaluate --real "$nist/national2019.csv" --holdout "$nist/national2018.csv" \
    --synthetic synth.csv --schema schema.json --na N --na "" --target PINCP_DECILE --sensitive SEX,RAC1P \
    -o "report-$name-$round" --force --no-manifest > "summary-$name-$round.txt" 2> "stderr-$name-$round.txt" || {
      cat "stderr-$name-$round.txt" >&2; exit 1; }
  cat "stderr-$name-$round.txt" >&2
}
for round in $(seq 1 "$rounds"); do
  if [[ -n "${BASE_BIN:-}" ]]; then evaluate base "$BASE_BIN" "$round"; fi
  evaluate this "$bin" "$round"
done
cat "$bench_dir/summary-this-$rounds.txt"
echo "report_nist.sh: reports in $bench_dir/report-*/" >&2
