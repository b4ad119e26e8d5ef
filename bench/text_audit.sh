#!/usr/bin/env bash
# Text audit benchmark: a >= 1 GB multilingual corpus built from Debian's man pages
# (tests/text/make_corpus.py --scale-bytes), audited by synthscale, and its near-duplicate
# stage against datatrove's MinHash deduplication and text-dedup's MinHash on the same file
# with the same shingles, bands and rows. Results: docs/benchmarks.md ("Text audit").
#
#   bash scripts/install-deps.sh --bench-text    # the peers, each in its own venv (once)
#   cmake --build --preset release --target synthscale_cli synthscale_bench_text_stages
#   bash bench/text_audit.sh
#
# Protocol (the machine is shared and noisy: compare only within one run):
#   1. Build BENCH_DIR/corpus (BENCH_MB MB of synthetic.jsonl, seed 7) unless it exists.
#   2. synthscale_bench_text_stages on 1 thread: wall and CPU seconds, MB/s and
#      documents/s per CPU second of every stage (read + parse, normalise, CLD2, quality,
#      MinHash, LSH, exact verification, contamination, one memorisation suffix array).
#   3. The whole audit (`synthscale --threads T text audit`, with source and benchmark)
#      under /usr/bin/time -v for T = 1 and T = BENCH_THREADS: wall time, CPU time (user +
#      system: what the cores spent, the fair measure on a shared machine), peak RSS.
#   4. Near duplicates only, on 1 core each, under /usr/bin/time -v: synthscale (audit of
#      the synthetic file alone), datatrove (its 4 MinHash stages, 1 task), text-dedup
#      (minhash, 1 process); bench/text_peers.py runs the peers and writes their clusters.
#   5. bench/text_quality.py: recall and precision of planted near duplicates at Jaccard
#      0.8 for every tool; language identification accuracy per language on documents of
#      200+ characters; planted memorised spans found and false positives.
#
# Environment: BENCH_DIR (default /tmp/synthscale-text-bench), BENCH_MB (1100),
# BENCH_THREADS (all cores), BENCH_PEERS (default "datatrove text-dedup"),
# SYNTHSCALE_BIN, STAGES_BIN.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_dir="${BENCH_DIR:-/tmp/synthscale-text-bench}"
megabytes="${BENCH_MB:-1100}"
threads="${BENCH_THREADS:-$(nproc)}"
peers="${BENCH_PEERS:-datatrove text-dedup}"
bin="${SYNTHSCALE_BIN:-$repo/build/release/cli/synthscale}"
stages="${STAGES_BIN:-$repo/build/release/bench/synthscale_bench_text_stages}"

case "$(realpath -m "$bench_dir")/" in
  "$repo"/*) echo "text_audit.sh: BENCH_DIR must be outside the repository ($repo)" >&2; exit 2 ;;
esac
for program in "$bin" "$stages"; do
  if [[ ! -x "$program" ]]; then
    echo "text_audit.sh: $program not built (cmake --build --preset release)" >&2
    exit 2
  fi
done

corpus="$bench_dir/corpus"
mkdir -p "$bench_dir"
if [[ ! -s "$corpus/truth.json" ]]; then
  echo "== building a ${megabytes} MB corpus in $corpus" >&2
  python3 "$repo/tests/text/make_corpus.py" "$corpus" --docs-per-language 1000 \
      --scale-bytes $((megabytes * 1000 * 1000))
fi
ls -l "$corpus" >&2

timed() {  # timed NAME COMMAND...: run under /usr/bin/time -v; wall s, CPU s (user + system), peak RSS
  local name=$1
  shift
  /usr/bin/time -v "$@" > "$bench_dir/$name.out" 2> "$bench_dir/$name.time"
  local wall cpu rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$bench_dir/$name.time")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.1f", s}' "$bench_dir/$name.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$bench_dir/$name.time")
  echo "| $name | $wall | $cpu | $rss |"
}

echo "## stages, 1 thread"
"$stages" "$corpus/synthetic.jsonl" --source "$corpus/source.jsonl" --benchmark "$corpus/benchmark.jsonl" --threads 1

echo
echo "## whole audit and near duplicates"
echo "| run | wall s | CPU s | peak RSS MiB |"
echo "|---|---|---|---|"
audit=("$bin" text audit --synthetic "$corpus/synthetic.jsonl" --source "$corpus/source.jsonl"
       --benchmark "$corpus/benchmark.jsonl" --no-manifest --force)
timed "synthscale-audit-1-thread" "$bin" --threads 1 "${audit[@]:1}" -o "$bench_dir/audit-1"
timed "synthscale-audit-${threads}-threads" "$bin" --threads "$threads" "${audit[@]:1}" -o "$bench_dir/audit-$threads"
cmp "$bench_dir/audit-1/report.json" "$bench_dir/audit-$threads/report.json"
timed "synthscale-near-duplicates-1-thread" "$bin" --threads 1 text audit --synthetic "$corpus/synthetic.jsonl" \
    --no-manifest --force -o "$bench_dir/dedup"
for peer in $peers; do
  case "$peer" in
    datatrove) venv="$repo/.venv-bench-text-datatrove" ;;
    text-dedup) venv="$repo/.venv-bench-text-dedup" ;;
    *) echo "text_audit.sh: unknown peer '$peer' (datatrove or text-dedup)" >&2; exit 2 ;;
  esac
  if [[ ! -x "$venv/bin/python" ]]; then
    echo "| $peer | not installed (scripts/install-deps.sh --bench-text) | | |"
    continue
  fi
  timed "$peer-near-duplicates-1-process" "$venv/bin/python" "$repo/bench/text_peers.py" "$peer" \
      "$corpus/synthetic.jsonl" "$bench_dir/$peer" || echo "| $peer | failed: see $bench_dir/$peer-near-duplicates-1-process.time | | |"
done

echo
echo "## quality"
python3 "$repo/bench/text_quality.py" "$corpus" "$bench_dir" "$bin"
