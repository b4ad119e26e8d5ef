#!/usr/bin/env bash
# Trust report at scale: exact distance to closest record (and the fidelity metrics) on N
# train x N holdout x N synthetic rows drawn from a model fitted on Adult (docs/benchmarks.md).
# The DCR metric makes three exact nearest-neighbour passes of N x N rows each.
#
#   bash bench/eval_scale.sh          # BENCH_ROWS (default 1000000), BENCH_DIR, SYNTHSCALE_BIN
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_dir="${BENCH_DIR:-/tmp/synthscale-bench-eval-scale}"
rows="${BENCH_ROWS:-1000000}"
bin="${SYNTHSCALE_BIN:-$repo/build/release/cli/synthscale}"
schema="$repo/data/adult/adult.schema.json"

case "$(realpath -m "$bench_dir")/" in
  "$repo"/*) echo "eval_scale.sh: BENCH_DIR must be outside the repository ($repo)" >&2; exit 2 ;;
esac
[[ -x "$bin" ]] || { echo "eval_scale.sh: no synthscale at $bin; run make build" >&2; exit 2; }
mkdir -p "$bench_dir"
cd "$bench_dir"

if [[ ! -f model.ssm ]]; then
  "$bin" -q fit --method independent --schema "$schema" "$repo/data/adult/adult.csv" -o model.ssm --no-manifest
fi
seed=0
for part in train holdout synth; do  # three seeds: three independent samples
  seed=$((seed + 1))
  [[ -f "$part-$rows.csv" ]] || "$bin" -q sample model.ssm -n "$rows" --seed "$seed" -o "$part-$rows.csv" --no-manifest
done
for metrics in marginals,column_shapes,correlations distance_to_closest_record; do
  echo "eval_scale.sh: $rows x $rows rows, --metrics $metrics" >&2
  /usr/bin/time -f "wall %e s, peak RSS %M KB" "$bin" evaluate --real "train-$rows.csv" --holdout "holdout-$rows.csv" \
    --synthetic "synth-$rows.csv" --schema "$schema" --metrics "$metrics" --bootstrap 0 -o "report-$metrics" \
    --force --no-manifest
done
