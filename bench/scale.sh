#!/usr/bin/env bash
# Scale test of the DP synthesizers: MST and AIM fitted on 1M and 10M rows of Adult-like data,
# wall time and peak memory (docs/benchmarks.md, "Scale").
#
#   cmake --preset release && cmake --build --preset release --target synthscale_cli
#   bash bench/scale.sh
#
# 1. Fit MST on the bundled Adult (data/adult/adult.csv, 32,561 rows x 15 columns, public
#    schema data/adult/adult.schema.json) and sample BENCH_ROWS (default "1000000 10000000")
#    rows from it to CSV files in BENCH_DIR: the large inputs (10M rows: about 1.1 GB).
# 2. On each of those files, fit MST and AIM (epsilon 1, delta 1e-9, the same public schema,
#    AIM with its default workload, all 3-way marginals), each under /usr/bin/time -v: wall
#    time and peak RSS of the whole process, reading and encoding the CSV included. A fit
#    over BENCH_TIMEOUT seconds (default 2400) is killed and reported as such.
# The fit streams the CSV batch by batch into codes (1 or 2 bytes a value), in columns
# reserved once from a bound of the rows, so its memory should grow with the rows only by
# the encoded table (15 columns of 1-byte codes: 15 bytes a row), not by the text; the last
# table prints that growth between consecutive row counts (BENCH_ROWS may list several). Noise keys are fixed (BENCH_SEED), so a run can be repeated.
#
# Environment: BENCH_DIR (default /tmp/synthscale-bench-scale; never inside the repository),
# BENCH_ROWS ("1000000 10000000"), BENCH_METHODS ("mst aim"), BENCH_TIMEOUT (2400),
# BENCH_SEED (0), BENCH_THREADS (0 = all cores), SYNTHSCALE_BIN (default
# build/release/cli/synthscale).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_dir="${BENCH_DIR:-/tmp/synthscale-bench-scale}"
row_counts="${BENCH_ROWS:-1000000 10000000}"
methods="${BENCH_METHODS:-mst aim}"
timeout_s="${BENCH_TIMEOUT:-2400}"
seed="${BENCH_SEED:-0}"
threads="${BENCH_THREADS:-0}"
bin="${SYNTHSCALE_BIN:-$repo/build/release/cli/synthscale}"
adult="$repo/data/adult/adult.csv"
schema="$repo/data/adult/adult.schema.json"

case "$(realpath -m "$bench_dir")/" in
  "$repo"/*) echo "scale.sh: BENCH_DIR must be outside the repository ($repo)" >&2; exit 2 ;;
esac
[[ -x "$bin" ]] || { echo "scale.sh: no synthscale at $bin (SYNTHSCALE_BIN)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "scale.sh: /usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
mkdir -p "$bench_dir"

# About 115 bytes a CSV row, plus headroom for the models.
largest=0
for rows in $row_counts; do ((rows > largest)) && largest=$rows; done
need_mb=$((largest * 2 * 115 / 1000000 + 200))
free_mb=$(df -Pm "$bench_dir" | awk 'NR == 2 { print $4 }')
if ((free_mb < need_mb)); then
  echo "scale.sh: $bench_dir has $free_mb MB free; need about $need_mb MB" >&2
  exit 2
fi

printf 'synthscale-bench-scale-key %s' "$seed" | sha256sum | cut -c1-64 >"$bench_dir/noise-key.hex"
log="$bench_dir/runs.tsv"
: >"$log"  # step rows method status wall_s max_rss_kb user_s sys_s

# timed STEP ROWS METHOD TIMEOUT COMMAND...: run under /usr/bin/time -v, append to runs.tsv.
timed() {
  local step="$1" rows="$2" method="$3" limit="$4" status=ok
  shift 4
  local stem="$bench_dir/$step-$method-$rows"
  echo "$step $method on $rows rows ..." >&2
  /usr/bin/time -v -o "$stem.time" timeout "$limit" "$@" >"$stem.out" 2>"$stem.stderr" || status=failed
  if [[ "$(awk -F': ' '/Exit status/ { print $2 }' "$stem.time")" == 124 ]]; then status=timeout; fi
  local wall rss user sys
  wall="$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$stem.time" |
          awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')"
  rss="$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$stem.time")"
  user="$(awk -F': ' '/User time/ { print $2 }' "$stem.time")"
  sys="$(awk -F': ' '/System time/ { print $2 }' "$stem.time")"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$step" "$rows" "$method" "$status" "$wall" "$rss" "$user" "$sys" >>"$log"
  echo "  $status, ${wall}s wall, ${user}s user, peak RSS $((rss / 1024)) MiB" >&2
  [[ $status == ok ]] || tail -3 "$stem.stderr" >&2
}

# 1. The inputs: rows sampled from an MST model of the bundled Adult.
source_model="$bench_dir/adult-mst.ssm"
"$bin" --quiet --threads "$threads" fit "$adult" -o "$source_model" --force --method mst --schema "$schema" \
  --epsilon 1 --delta 1e-9 --noise-key-file "$bench_dir/noise-key.hex"
for rows in $row_counts; do
  csv="$bench_dir/adult-$rows.csv"
  timed sample "$rows" mst "$timeout_s" "$bin" --quiet --threads "$threads" sample "$source_model" -n "$rows" \
    --seed "$seed" -o "$csv" --force
  echo "  $csv: $(($(stat -c %s "$csv") / 1000000)) MB" >&2
done

# 2. The fits, smallest input first.
for rows in $row_counts; do
  for method in $methods; do
    timed fit "$rows" "$method" "$timeout_s" "$bin" --threads "$threads" fit "$bench_dir/adult-$rows.csv" \
      -o "$bench_dir/fit-$method-$rows.ssm" --force --method "$method" --schema "$schema" --epsilon 1 \
      --delta 1e-9 --noise-key-file "$bench_dir/noise-key.hex"
  done
done

echo
echo "Scale: $(nproc) cores, load average at the end $(cut -d' ' -f1 /proc/loadavg); $("$bin" --version 2>&1 | head -1)"
echo
echo "| step | rows | method | status | wall s | CPU s (user+sys) | peak RSS (MiB) | CSV MB |"
echo "|---|---:|---|---|---:|---:|---:|---:|"
while IFS=$'\t' read -r step rows method status wall rss user sys; do
  mb=$(($(stat -c %s "$bench_dir/adult-$rows.csv") / 1000000))
  printf '| %s | %s | %s | %s | %.1f | %.1f | %d | %d |\n' "$step" "$rows" "$method" "$status" "$wall" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$((rss / 1024))" "$mb"
done <"$log"

# Growth of the peak with the rows, per method: between consecutive row counts, the peak's
# increase per added row, against the encoded table's bytes a row (sum of code widths).
echo
echo "| method | rows | peak growth (MiB) | bytes a row |"
echo "|---|---|---:|---:|"
for method in $methods; do
  awk -F'\t' -v m="$method" '$1 == "fit" && $3 == m && $4 == "ok" { print $2, $6 }' "$log" | sort -n |
    awk -v m="$method" 'NR > 1 { printf "| %s | %s -> %s | %.1f | %.1f |\n", m, rows, $1, ($2 - rss) / 1024,
                                         ($2 - rss) * 1024 / ($1 - rows) }
                        { rows = $1; rss = $2 }'
done
echo
echo "Raw figures: $log (and $bench_dir/*.time)"
