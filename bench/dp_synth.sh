#!/usr/bin/env bash
# DP synthetic data benchmark: private-pgm's MST and AIM (its mechanisms/ scripts on mbi)
# and SmartNoise Synth's MST against synthscale, on the discretised Adult data
# (integer-coded, the input of private-pgm's examples), epsilon 1, delta 1e-9: wall time,
# peak memory and workload error (mean TVD of marginals), medians over seeds.
#
#   scripts/install-deps.sh --bench              # once: .venv-bench from requirements-bench-dp.txt
#   PRIVATE_PGM_DIR=/path/to/private-pgm bash bench/dp_synth.sh
#
# PRIVATE_PGM_DIR: a copy of github ryan112358/private-pgm (now ryan112358/mbi), never
# committed; its mechanisms/ and, if present, its src/mbi are used (bench/dp_peers.py says
# which commit and why: PyPI mbi 1.1.0 has a sampling bug). smartnoise-mst always runs on
# the venv's mbi 1.1.0, as smartnoise-synth 1.0.8 requires.
#
# Each tool fits and samples once per seed (BENCH_SEEDS, default "0 1 2"), each run its own
# process under /usr/bin/time -v (wall time and peak RSS of the whole process, Python
# start-up and imports included), rounds interleaved (seed 0 of every tool, then seed 1, ...)
# so a slow spell of the shared machine hits every tool alike. Every output is scored by
# bench/workload_error.py (exact mean TVD of all 1-, 2- and 3-way marginals). The table
# gives medians over the seeds. A run over BENCH_TIMEOUT seconds is killed and reported
# as such (private-pgm's AIM takes minutes to hours, depending on the workload).
#
# Environment: BENCH_DIR (default /tmp/synthscale-bench-dp), BENCH_DATA (default
# /work/shared/data/adult-discretised), BENCH_SEEDS ("0 1 2"), BENCH_TIMEOUT (3600),
# BENCH_TOOLS (default "synthscale mbi-mst smartnoise-mst"; also synthscale-aim (AIM, all
# 3-way marginals), synthscale-aim-2way (AIM, all 2-way); mbi-aim (~13 min on a loaded
# 2-core machine), mbi-aim-3way (longer; not measured)),
# BENCH_EPSILON (1), BENCH_DELTA (1e-9), PRIVATE_PGM_DIR (a copy of private-pgm for the
# mbi-* peers, see bench/dp_peers.py), SYNTHSCALE_BIN (default build/release/cli/synthscale),
# PYTHON (default .venv-bench/bin/python).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_dir="${BENCH_DIR:-/tmp/synthscale-bench-dp}"
data_dir="${BENCH_DATA:-/work/shared/data/adult-discretised}"
seeds="${BENCH_SEEDS:-0 1 2}"
timeout_s="${BENCH_TIMEOUT:-3600}"
tools="${BENCH_TOOLS:-synthscale mbi-mst smartnoise-mst}"
epsilon="${BENCH_EPSILON:-1}"
delta="${BENCH_DELTA:-1e-9}"
bin="${SYNTHSCALE_BIN:-$repo/build/release/cli/synthscale}"
python="${PYTHON:-$repo/.venv-bench/bin/python}"
csv="$data_dir/adult.csv"
domain="$data_dir/adult-domain.json"

case "$(realpath -m "$bench_dir")/" in
  "$repo"/*) echo "dp_synth.sh: BENCH_DIR must be outside the repository ($repo)" >&2; exit 2 ;;
esac
[[ -x "$python" ]] || { echo "dp_synth.sh: no Python at $python; run scripts/install-deps.sh --bench" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "dp_synth.sh: /usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
[[ -s "$csv" && -s "$domain" ]] || { echo "dp_synth.sh: no $csv or $domain" >&2; exit 2; }

n_rows=$(($(wc -l <"$csv") - 1))
# The command of each tool (run by bash -c), with {seed} and {out} to fill in.
declare -A cmd=()
selected=()
peer="$python $repo/bench/dp_peers.py --data $csv --domain $domain --epsilon $epsilon --delta $delta --seed {seed} --out {out}"
for tool in $tools; do
  case "$tool" in
    synthscale|synthscale-aim|synthscale-aim-2way)
      if [[ ! -x "$bin" ]] || ! "$bin" fit --help 2>&1 | grep -q -- '--noise-key-file'; then
        echo "dp_synth.sh: $bin missing or its 'fit' lacks --noise-key-file; skipping $tool" >&2
        continue
      fi
      case "$tool" in
        synthscale) method="mst" ;;
        synthscale-aim) method="aim --workload-degree 3" ;;  # all 3-way marginals (the default)
        synthscale-aim-2way) method="aim --workload-degree 2" ;;
      esac
      cmd[$tool]="synthscale_run {seed} {out} $method" ;;
    mbi-mst|mbi-aim|smartnoise-mst)
      cmd[$tool]="$peer --peer $tool" ;;
    mbi-aim-3way)
      cmd[$tool]="$peer --peer mbi-aim --workload 3way" ;;
    *) echo "dp_synth.sh: unknown tool '$tool'" >&2; exit 2 ;;
  esac
  if [[ "$tool" == mbi-* && ! -f "${PRIVATE_PGM_DIR:-/nonexistent}/mechanisms/mst.py" ]]; then
    echo "dp_synth.sh: PRIVATE_PGM_DIR is not a private-pgm copy; skipping $tool" >&2
    continue
  fi
  selected+=("$tool")
done
[[ ${#selected[@]} -gt 0 ]] || { echo "dp_synth.sh: no tool to run" >&2; exit 1; }

out="$bench_dir/results"
mkdir -p "$out"

# synthscale: the discretised Adult's schema is the codes 0..size-1 of adult-domain.json,
# one bin per code, a public domain (not read from the data).
schema="$bench_dir/adult-discretised.schema.json"
"$python" - "$domain" >"$schema" <<'EOF'
import json, sys
sizes = json.load(open(sys.argv[1]))
columns = [{"name": c, "type": "integer", "nullable": False, "domain_from_data": False,
            "domain": {"min": 0, "max": n - 1, "bins": n}} for c, n in sizes.items()]
print(json.dumps({"synthscale_schema": 1, "columns": columns}, indent=1))
EOF
# One noise key per seed, so that a run is reproducible: SHA-256 of
# "synthscale-bench-noise-key <seed>" as 64 hex digits (32 bytes).
for seed in $seeds; do
  printf 'synthscale-bench-noise-key %s' "$seed" | sha256sum | cut -c1-64 >"$bench_dir/noise-key-seed$seed.hex"
done
# synthscale_run SEED OUT.csv METHOD [ARGS...]: fit, then sample as many rows as the input,
# in one process tree (so wall time and peak RSS cover both); prints {"fit_s": ...,
# "sample_s": ...} like bench/dp_peers.py (fit_s includes reading the CSV).
synthscale_run() {
  local seed="$1" out="$2"
  shift 2
  local start="$EPOCHREALTIME"
  "$bin" --quiet fit "$csv" -o "$out.ssm" --force --schema "$schema" --epsilon "$epsilon" --delta "$delta" \
    --noise-key-file "$bench_dir/noise-key-seed$seed.hex" --method "$@" || return
  local fit_end="$EPOCHREALTIME"
  "$bin" --quiet sample "$out.ssm" -n "$n_rows" -o "$out" --force --seed "$seed" || return
  awk -v a="$start" -v b="$fit_end" -v c="$EPOCHREALTIME" \
    'BEGIN { printf "{\"fit_s\": %.3f, \"sample_s\": %.3f}\n", b - a, c - b }'
}
export -f synthscale_run
export bin csv schema epsilon delta n_rows bench_dir
: >"$out/runs.tsv"  # tool seed status wall_s max_rss_kb fit_s errors_json

for seed in $seeds; do
  for tool in "${selected[@]}"; do
    run="$out/${tool}_seed$seed"
    c="${cmd[$tool]//\{seed\}/$seed}"
    c="${c//\{out\}/$run.csv}"
    echo "$tool seed $seed ..." >&2
    status=ok
    /usr/bin/time -v -o "$run.time" timeout "$timeout_s" bash -c "$c" >"$run.out" 2>"$run.stderr" || status=failed
    if [[ "$(awk -F': ' '/Exit status/ { print $2 }' "$run.time")" == 124 ]]; then status=timeout; fi
    wall="$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$run.time" |
            awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')"
    rss="$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$run.time")"
    fit="$(sed -n 's/.*"fit_s": \([0-9.]*\).*/\1/p' "$run.out" | tail -1)"
    errors="{}"
    if [[ $status == ok ]]; then
      errors="$("$python" "$repo/bench/workload_error.py" "$csv" "$domain" "$run.csv")"
    else
      tail -3 "$run.stderr" >&2
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$seed" "$status" "$wall" "$rss" "${fit:-nan}" \
      "$errors" >>"$out/runs.tsv"
    echo "  $status, ${wall}s wall, fit ${fit:-?}s, peak RSS $((rss / 1024)) MiB, $errors" >&2
  done
done

"$python" - "$out/runs.tsv" "$epsilon" "$delta" "$timeout_s" "$csv" "$domain" <<'EOF'
import json, os, statistics, sys
path, epsilon, delta, timeout_s, csv, domain = sys.argv[1:]
rows = sum(1 for _ in open(csv)) - 1
columns = len(json.load(open(domain)))
runs = {}
for line in open(path):
    tool, seed, status, wall, rss, fit, errors = line.rstrip("\n").split("\t")
    runs.setdefault(tool, []).append((status, float(wall), int(rss) / 1024, float(fit),
                                      json.loads(errors)))
med = lambda xs: statistics.median(xs) if xs else float("nan")
fmt = lambda x, spec: "–" if x != x else format(x, spec)
print(f"\nDP synthesis, {csv} ({rows:,} rows x {columns} columns), epsilon {epsilon}, "
      f"delta {delta}; {os.cpu_count()} cores, load average at the end "
      f"{os.getloadavg()[0]:.1f}. Medians over the seeds that finished (timeout {timeout_s} s). "
      "Wall time and peak RSS are of the whole process (fit + sample); fit s excludes sampling, "
      "and for the Python peers also loading the CSV (synthscale's is the fit command, reading "
      "included). fit / ours: the peer's median fit time over synthscale's with the same "
      "algorithm and workload. "
      "TVD: mean total variation distance over all k-way marginals (lower is better).\n")
# Each peer's fit time against the synthscale run of the same algorithm and workload.
ours = {"mbi-mst": "synthscale", "smartnoise-mst": "synthscale",
        "mbi-aim": "synthscale-aim-2way", "mbi-aim-3way": "synthscale-aim"}
fit_med = {tool: med([r[3] for r in rs if r[0] == "ok"]) for tool, rs in runs.items()}
print("| tool | runs ok | wall s | fit s | fit / ours | peak RSS (MiB) | TVD 1-way | TVD 2-way | TVD 3-way |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for tool, rs in runs.items():
    ok = [r for r in rs if r[0] == "ok"]
    notes = ", ".join(sorted({r[0] for r in rs if r[0] != "ok"}))
    ratio = fit_med[tool] / fit_med[ours[tool]] if ours.get(tool) in fit_med else float("nan")
    cells = [fmt(med([r[1] for r in ok]), ".1f"), fmt(fit_med[tool], ".1f"),
             fmt(ratio, ".0f") + ("×" if ratio == ratio else ""), fmt(med([r[2] for r in ok]), ".0f")]
    cells += [fmt(med([r[4][f"tvd_{d}way"] for r in ok]), ".4f") for d in (1, 2, 3)]
    print(f"| {tool} | {len(ok)}/{len(rs)}{' (' + notes + ')' if notes else ''} | "
          + " | ".join(cells) + " |")
print(f"\nRaw figures: {path}")
EOF
