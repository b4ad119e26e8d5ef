#!/usr/bin/env bash
# CSV ingest benchmark: synthscale's parse + encode against pandas, pyarrow, polars and
# DuckDB reading the same generated mixed-type CSV (~1 GB), side by side in one run.
# Results and how to read them: docs/benchmarks.md ("CSV ingest").
#
#   bash bench/ingest.sh            (or: make bench)
#
# Builds nothing. It expects build/release/bench/synthscale_bench_ingest:
#   cmake --preset release && cmake --build --preset release --target synthscale_bench_ingest
# and the peers in the project's venv:
#   .venv/bin/pip install -r requirements-bench.txt
# Without the program it still times the peers; a missing peer is skipped.
#
# Protocol (the machine is shared and noisy, so only ratios from one run are meaningful):
#   1. Generate BENCH_DIR/mixed.csv (BENCH_MB MB) and mixed_half.csv (its first half)
#      unless they exist, with their schema JSON. Never inside the repository.
#   2. Warm-up round: every tool once under /usr/bin/time -v: this warms the page cache
#      and gives each tool's peak RSS (largest resident set of the process). synthscale
#      and pyarrow also read the half-size file, to show how peak memory scales.
#   3. BENCH_RUNS timed rounds; each round runs every tool once, in turn (hyperfine
#      --runs 1 per round when hyperfine is installed, else /usr/bin/time), so a slow
#      spell of the machine hits every tool alike. The median of the rounds is reported.
#   4. A Markdown table: tool, median seconds (whole process, start-up included),
#      MB/s, time relative to synthscale, peak RSS.
#
# Environment: BENCH_DIR (default /tmp/synthscale-bench), BENCH_MB (1000), BENCH_RUNS (3),
# BENCH_THREADS (all cores), BENCH_TOOLS (default "synthscale pyarrow polars duckdb pandas"),
# SYNTHSCALE_BENCH_BIN (default build/release/bench/synthscale_bench_ingest),
# PYTHON (default .venv/bin/python).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_dir="${BENCH_DIR:-/tmp/synthscale-bench}"
megabytes="${BENCH_MB:-1000}"
runs="${BENCH_RUNS:-3}"
threads="${BENCH_THREADS:-$(nproc)}"
tools="${BENCH_TOOLS:-synthscale pyarrow polars duckdb pandas}"
bin="${SYNTHSCALE_BENCH_BIN:-$repo/build/release/bench/synthscale_bench_ingest}"
python="${PYTHON:-$repo/.venv/bin/python}"

case "$(realpath -m "$bench_dir")/" in
  "$repo"/*) echo "ingest.sh: BENCH_DIR must be outside the repository ($repo)" >&2; exit 2 ;;
esac
if [[ ! -x "$python" ]]; then
  echo "ingest.sh: no Python at $python; run scripts/install-deps.sh first" >&2
  exit 2
fi
if [[ ! -x /usr/bin/time ]]; then
  echo "ingest.sh: /usr/bin/time is needed for peak memory (apt-get install time)" >&2
  exit 2
fi
mkdir -p "$bench_dir"

full="$bench_dir/mixed_${megabytes}mb.csv"
half="$bench_dir/mixed_${megabytes}mb_half.csv"
schema="$bench_dir/mixed.schema.json"
gen() {  # gen OUT MEGABYTES
  echo "generating $1 ($2 MB) ..." >&2
  "$python" "$repo/bench/gen_mixed_csv.py" "$1" --megabytes "$2" --schema "$schema"
}
[[ -s "$full" && -s "$schema" ]] || gen "$full" "$megabytes"
[[ -s "$half" ]] || gen "$half" "$(awk -v m="$megabytes" 'BEGIN { print m / 2 }')"

# The commands, one per tool, as words (no shell needed).
declare -A cmd=()
selected=()
for tool in $tools; do
  case "$tool" in
    synthscale)
      if [[ ! -x "$bin" ]]; then
        echo "ingest.sh: $bin not built; skipping synthscale. Build it with:" >&2
        echo "  cmake --preset release && cmake --build --preset release --target synthscale_bench_ingest" >&2
        continue
      fi
      cmd[$tool]="$bin {csv} $schema --threads $threads" ;;
    pandas|pyarrow|polars|duckdb)
      if ! "$python" -c "import $tool" 2>/dev/null; then
        echo "ingest.sh: $tool is not installed in the venv; skipping it" \
             "(.venv/bin/pip install -r requirements-bench.txt)" >&2
        continue
      fi
      cmd[$tool]="$python $repo/bench/ingest_peers.py $tool {csv} $schema --threads $threads" ;;
    *) echo "ingest.sh: unknown tool '$tool'" >&2; exit 2 ;;
  esac
  selected+=("$tool")
done
if [[ ${#selected[@]} -eq 0 ]]; then
  echo "ingest.sh: no tool to run" >&2
  exit 1
fi

out="$bench_dir/results"
rm -rf "$out"
mkdir -p "$out"
: >"$out/times.tsv"   # tool  round  seconds
: >"$out/memory.tsv"  # tool  file  seconds  max_rss_kb

# run_measured TOOL LABEL CSV: one run under /usr/bin/time -v; appends to memory.tsv.
run_measured() {
  local tool="$1" label="$2" csv="$3" log
  log="$out/${tool}_${label}.time"
  # shellcheck disable=SC2086  # the command is a list of words on purpose
  if ! /usr/bin/time -v -o "$log" ${cmd[$tool]//\{csv\}/$csv} 2>"$out/${tool}_${label}.stderr"; then
    echo "ingest.sh: $tool failed on $csv; see $out/${tool}_${label}.stderr" >&2
    cat "$out/${tool}_${label}.stderr" >&2
    exit 1
  fi
  local rss wall
  rss="$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")"
  wall="$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$log" |
          awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')"
  printf '%s\t%s\t%s\t%s\n' "$tool" "$label" "$wall" "$rss" >>"$out/memory.tsv"
  printf '  %-11s %-5s %8.2f s  peak RSS %8.1f MiB\n' "$tool" "$label" "$wall" \
    "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" >&2
}

echo "warm-up round (peak memory, /usr/bin/time -v):" >&2
for tool in "${selected[@]}"; do
  run_measured "$tool" full "$full"
done
for tool in synthscale pyarrow; do
  if [[ -n "${cmd[$tool]:-}" ]]; then
    run_measured "$tool" half "$half"
  fi
done

use_hyperfine=0
command -v hyperfine >/dev/null && use_hyperfine=1
for ((round = 1; round <= runs; round++)); do
  echo "timed round $round/$runs$([[ $use_hyperfine == 1 ]] && echo ' (hyperfine)'):" >&2
  if [[ $use_hyperfine == 1 ]]; then
    args=()
    for tool in "${selected[@]}"; do
      args+=(-n "$tool" "${cmd[$tool]//\{csv\}/$full}")
    done
    hyperfine -N --runs 1 --style basic --export-json "$out/round_$round.json" "${args[@]}" \
      >"$out/round_$round.log" 2>&1 || { cat "$out/round_$round.log" >&2; exit 1; }
    "$python" - "$out/round_$round.json" "$round" >>"$out/times.tsv" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"{r['command']}\t{sys.argv[2]}\t{r['times'][0]:.4f}")
EOF
  else
    for tool in "${selected[@]}"; do
      # shellcheck disable=SC2086
      /usr/bin/time -f '%e' -o "$out/t" ${cmd[$tool]//\{csv\}/$full} 2>/dev/null
      printf '%s\t%s\t%s\n' "$tool" "$round" "$(cat "$out/t")" >>"$out/times.tsv"
    done
  fi
  awk -F'\t' -v r="$round" '$2 == r { printf "  %-11s %8.2f s\n", $1, $3 }' "$out/times.tsv" >&2
done

"$python" - "$out" "$full" "$half" "$threads" "$runs" <<'EOF'
import os, re, statistics, sys
out, full, half, threads, runs = sys.argv[1:]
times, memory = {}, {}  # times[tool][round] = seconds
for line in open(os.path.join(out, "times.tsv")):
    tool, rnd, seconds = line.rstrip("\n").split("\t")
    times.setdefault(tool, {})[rnd] = float(seconds)
for line in open(os.path.join(out, "memory.tsv")):
    tool, label, seconds, rss = line.rstrip("\n").split("\t")
    memory[(tool, label)] = (float(seconds), int(rss) / 1024)
mb = os.path.getsize(full) / 1e6
half_mb = os.path.getsize(half) / 1e6
with open(full, "rb") as f:
    rows = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 24), b"")) - 1
median = {tool: statistics.median(v.values()) for tool, v in times.items()}
ours = times.get("synthscale")
cpu = "?"
for line in open("/proc/cpuinfo"):
    if line.startswith("model name"):
        cpu = line.split(":", 1)[1].strip()
        break
print(f"\nCSV ingest: {os.path.basename(full)}, {mb:.0f} MB, {rows} rows x 12 columns; "
      f"{os.cpu_count()} cores ({cpu}), {threads} threads per tool; {runs} interleaved rounds; "
      f"whole-process wall time (start-up included); peak RSS from /usr/bin/time -v "
      f"(warm-up round); load average at the end {os.getloadavg()[0]:.1f}.\n")
if ours:
    print("'time / synthscale' is the median over rounds of the tool's time divided by "
          "synthscale's in the same round (paired: a slow spell of the machine cancels out).\n")
print("| tool | median s (min–max) | MB/s | time / synthscale (min–max) | peak RSS (MiB) |")
print("|---|---:|---:|---:|---:|")
for tool in sorted(median, key=median.get):
    t = median[tool]
    ratio = "n/a"
    if ours:
        paired = [times[tool][r] / ours[r] for r in times[tool] if r in ours]
        ratio = f"{statistics.median(paired):.2f}× ({min(paired):.2f}–{max(paired):.2f})"
    rss = memory.get((tool, "full"), (0, float("nan")))[1]
    spread = f"{min(times[tool].values()):.2f}–{max(times[tool].values()):.2f}"
    print(f"| {tool} | {t:.2f} ({spread}) | {mb / t:.0f} | {ratio} | {rss:.0f} |")


def encoded_mib(label):
    try:
        text = open(os.path.join(out, f"synthscale_{label}.stderr")).read()
    except OSError:
        return None
    found = re.search(r"encoded ([0-9.]+) MB", text)
    return float(found.group(1)) * 1e6 / 2**20 if found else None


halves = [tool for tool in ("synthscale", "pyarrow") if (tool, "half") in memory]
if halves:
    print("\nPeak memory against file size (one run each, /usr/bin/time -v); for synthscale, "
          "'output' is the encoded table it returns and 'rest' is peak RSS minus it:\n")
    print(f"| tool | {half_mb:.0f} MB file: peak RSS (MiB) | {mb:.0f} MB file: peak RSS (MiB) |")
    print("|---|---:|---:|")
    for tool in halves:
        cells = []
        for label in ("half", "full"):
            rss = memory[(tool, label)][1]
            cell = f"{rss:.0f}"
            enc = encoded_mib(label) if tool == "synthscale" else None
            if enc is not None:
                cell += f" (output {enc:.0f} + rest {rss - enc:.0f})"
            cells.append(cell)
        print(f"| {tool} | {cells[0]} | {cells[1]} |")
print(f"\nRaw figures: {out}/times.tsv, {out}/memory.tsv")
EOF
