#!/usr/bin/env bash
# Run every libFuzzer target for SECONDS on a scratch copy of its seed corpus.
#   bash tests/fuzz/run.sh BUILD_DIR [SECONDS]      (make fuzz does this with build/fuzz)
# New inputs stay in the scratch copy; add a crashing input to tests/fuzz/corpus/<kind>/
# by hand once the bug is fixed. Exits non-zero if a target finds a crash.
set -euo pipefail
build="${1:?usage: run.sh BUILD_DIR [SECONDS]}"
seconds="${2:-60}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
status=0
for pair in "fuzz_csv_reader:csv" "fuzz_schema_reader:schema" "fuzz_model_file:model" "fuzz_pipeline_file:pipeline" "fuzz_text_corpus:text"; do
  target="${pair%%:*}"
  kind="${pair##*:}"
  binary="$build/tests/fuzz/$target"
  if [[ ! -x "$binary" ]]; then
    echo "run.sh: $binary not built (cmake --preset fuzz && cmake --build --preset fuzz)" >&2
    exit 2
  fi
  mkdir -p "$scratch/$kind" "$scratch/artifacts-$kind"
  cp "$here/corpus/$kind/"* "$scratch/$kind/"
  echo "== $target for ${seconds}s" >&2
  max_len=4096
  [[ "$kind" == model ]] && max_len=16384
  dict=()
  [[ -f "$here/$kind.dict" ]] && dict=(-dict="$here/$kind.dict")
  if ! "$binary" "$scratch/$kind" "${dict[@]}" -max_total_time="$seconds" -max_len="$max_len" \
       -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$scratch/artifacts-$kind/" 2>"$scratch/$target.log"; then
    status=1
    tail -40 "$scratch/$target.log" >&2
    mkdir -p "$build/fuzz-artifacts"
    cp "$scratch/artifacts-$kind/"* "$build/fuzz-artifacts/" 2>/dev/null || true
    echo "run.sh: $target failed; crashing inputs copied to $build/fuzz-artifacts/" >&2
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$scratch/$target.log" >&2 || true
  fi
done
exit "$status"
