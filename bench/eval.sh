#!/usr/bin/env bash
# Trust-report benchmark: `synthscale evaluate` against SDMetrics (QualityReport,
# DiagnosticReport, DCROverfittingProtection) and Anonymeter (singling out, linkability,
# inference) on the bundled Adult data: train = data/adult/adult.csv (32,561 rows),
# holdout = data/adult/adult_test.csv (16,281), synthetic = 32,561 rows from an MST model
# (epsilon 1) fitted here. Results: docs/benchmarks.md.
#
#   scripts/install-deps.sh --bench-eval     # once: .venv-bench-eval (requirements-bench-eval.txt)
#   bash bench/eval.sh
#
# Each round runs, each in its own process under /usr/bin/time (wall time and peak RSS,
# start-up and CSV reading included), interleaved so a slow spell of the shared machine
# hits every tool alike:
#   synthscale-scope     our metrics covering what the peers measure (marginals,
#                        column_shapes, correlations, exact_matches, distance_to_closest_record,
#                        membership_inference, attribute_inference on sex), exact, no intervals
#   synthscale-scope-ci  the same with 200 bootstrap replicates (the peers give no intervals
#                        except Anonymeter's)
#   synthscale-full      every metric (adds pmse, utility on income, subgroups), 200 replicates
#   peers                bench/eval_peers.py: SDMetrics quality + diagnostic, Anonymeter's
#                        three evaluators with their default attack counts (they sample)
# SDMetrics' DCR is quadratic in pure pandas (over 40 min at 16k rows here), so it is timed
# apart on the first 2,000 rows of each table, against ours and against an independent
# NumPy brute force (bench/dcr_reference.py). Finally bench/eval_compare.py checks that the
# values agree where the definitions match.
#
# Environment: BENCH_DIR (default /tmp/synthscale-bench-eval), BENCH_ROUNDS (3),
# SYNTHSCALE_BIN (build/release/cli/synthscale), PYTHON (.venv-bench-eval/bin/python).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_dir="${BENCH_DIR:-/tmp/synthscale-bench-eval}"
rounds="${BENCH_ROUNDS:-3}"
bin="${SYNTHSCALE_BIN:-$repo/build/release/cli/synthscale}"
python="${PYTHON:-$repo/.venv-bench-eval/bin/python}"
real="$repo/data/adult/adult.csv"
holdout="$repo/data/adult/adult_test.csv"
schema="$repo/data/adult/adult.schema.json"

case "$(realpath -m "$bench_dir")/" in
  "$repo"/*) echo "eval.sh: BENCH_DIR must be outside the repository ($repo)" >&2; exit 2 ;;
esac
[[ -x "$python" ]] || { echo "eval.sh: no Python at $python; run scripts/install-deps.sh --bench-eval" >&2; exit 2; }
[[ -x "$bin" ]] || { echo "eval.sh: no synthscale at $bin; run make build" >&2; exit 2; }
mkdir -p "$bench_dir"
cd "$bench_dir"

echo "eval.sh: fitting MST (epsilon 1) and sampling 32,561 rows" >&2
printf '%064d\n' 0 > noise.key  # a fixed, public key: reproducible, NOT private
"$bin" -q fit --method mst --epsilon 1 --delta 1e-9 --schema "$schema" --noise-key-file noise.key \
  "$real" -o model.ssm --force --no-manifest
"$bin" -q sample model.ssm -n 32561 --seed 1 -o synth.csv --force --no-manifest

scope=marginals,column_shapes,correlations,exact_matches,distance_to_closest_record,membership_inference,attribute_inference
ours() {  # ours NAME ARGS...: one timed evaluate run into report-NAME/
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "time-$name-$round.txt" "$bin" -q evaluate --real "$real" --holdout "$holdout" \
    --synthetic synth.csv --schema "$schema" --sensitive sex -o "report-$name" --force --no-manifest "$@" > /dev/null
}
for round in $(seq 1 "$rounds"); do
  echo "eval.sh: round $round of $rounds" >&2
  ours scope --metrics "$scope" --bootstrap 0
  ours scope-ci --metrics "$scope"
  ours full --target income --mix 0,0.5,1
  /usr/bin/time -f "%e %M" -o "time-peers-$round.txt" "$python" "$repo/bench/eval_peers.py" --real "$real" \
    --holdout "$holdout" --synthetic synth.csv --schema "$schema" --sensitive sex > "peers-$round.json" 2> peers.log
done

echo "eval.sh: DCR on 2,000 rows of each table" >&2
head -n 2001 "$real" > small-real.csv
head -n 2001 "$holdout" > small-holdout.csv
head -n 2001 synth.csv > small-synth.csv
/usr/bin/time -f "%e %M" -o time-dcr-ours.txt "$bin" -q evaluate --real small-real.csv --holdout small-holdout.csv \
  --synthetic small-synth.csv --schema "$schema" --metrics distance_to_closest_record -o report-small --force \
  --no-manifest > /dev/null
/usr/bin/time -f "%e %M" -o time-dcr-peer.txt "$python" "$repo/bench/eval_peers.py" --real small-real.csv \
  --holdout small-holdout.csv --synthetic small-synth.csv --schema "$schema" --steps dcr > peers-dcr.json 2>> peers.log
"$python" "$repo/bench/dcr_reference.py" --real small-real.csv --holdout small-holdout.csv \
  --synthetic small-synth.csv --schema "$schema" > dcr-reference.json

"$python" - "$rounds" <<'PY'
import json, statistics, sys
rounds = int(sys.argv[1])
def timing(name):
    runs = [open(f"time-{name}-{r}.txt").read().split() for r in range(1, rounds + 1)]
    return statistics.median(float(w) for w, _ in runs), max(int(m) for _, m in runs) / 1024
print("| run | median wall s | peak RSS MiB |\n|---|---:|---:|")
for name in ("scope", "scope-ci", "full", "peers"):
    wall, rss = timing(name)
    print(f"| {name} | {wall:.2f} | {rss:.0f} |")
steps = {}
for r in range(1, rounds + 1):
    for step, value in json.load(open(f"peers-{r}.json")).items():
        steps.setdefault(step, []).append(value["seconds"])
print("\n| peer step | median s |\n|---|---:|")
for step, seconds in steps.items():
    print(f"| {step} | {statistics.median(seconds):.2f} |")
peer_dcr = json.load(open("peers-dcr.json"))["sdmetrics_dcr_overfitting"]
ours_dcr = json.load(open("report-small/report.json"))["summary"]["dcr_share_closer_to_train"]["value"]
reference = json.load(open("dcr-reference.json"))["dcr_share_closer_to_train"]
wall_ours = float(open("time-dcr-ours.txt").read().split()[0])
print(f"\nDCR, 2,000 rows each: synthscale {wall_ours:.2f} s (whole process) share {ours_dcr:.4f}; "
      f"SDMetrics {peer_dcr['seconds']:.2f} s share {peer_dcr['breakdown']['synthetic_data_percentages']['closer_to_training']:.4f}; "
      f"NumPy reference share {reference:.4f}")
PY
"$python" "$repo/bench/eval_compare.py" report-full/report.json peers-1.json
