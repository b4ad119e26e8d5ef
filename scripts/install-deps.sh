#!/usr/bin/env bash
# Install everything synthscale needs to build, test, fuzz and benchmark.
# Idempotent: quiet when every package is already present. The only place
# dependencies are installed (Debian packages + the project's .venv).
#
#   scripts/install-deps.sh           Debian packages + .venv (requirements-dev.txt)
#   scripts/install-deps.sh --bench   the same, then .venv-bench from
#                                     requirements-bench-dp.txt (the DP synthesis peers
#                                     of bench/dp_synth.sh; ~1.1 GB, opt-in)
#   scripts/install-deps.sh --bench-eval  the same, then .venv-bench-eval from
#                                     requirements-bench-eval.txt (SDMetrics and Anonymeter,
#                                     the peers of bench/eval.sh; opt-in)
#   scripts/install-deps.sh --bench-text  the same, then .venv-bench-text-datatrove and
#                                     .venv-bench-text-dedup from requirements-bench-text-*.txt
#                                     (datatrove and text-dedup, the peers of
#                                     bench/text_audit.sh, each in its own venv; opt-in)
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH=0
BENCH_EVAL=0
BENCH_TEXT=0
for arg in "$@"; do
  case "$arg" in
    --bench) BENCH=1 ;;
    --bench-eval) BENCH_EVAL=1 ;;
    --bench-text) BENCH_TEXT=1 ;;
    *) echo "install-deps: unknown argument '$arg' (--bench, --bench-eval or --bench-text)" >&2; exit 2 ;;
  esac
done

DEBIAN_PACKAGES=(
  build-essential cmake ninja-build g++ pkg-config git
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev libspdlog-dev libyaml-cpp-dev
  librandom123-dev libsodium-dev libfast-float-dev zlib1g-dev libzstd-dev
  clang-14 libclang-rt-14-dev
  python3 python3-dev python3-venv
  hyperfine time
  libxgboost-dev libeigen3-dev chromium
  # The text audit: language ID, suffix arrays, hashing, Unicode properties; and the man
  # pages its tests and benchmark build their multilingual corpora from (docs/text.md).
  libcld2-dev libdivsufsort-dev libxxhash-dev libicu-dev
  manpages manpages-de manpages-fr manpages-es manpages-it manpages-nl manpages-pl manpages-ru
)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing Debian packages: ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ensure_venv VENV REQUIREMENTS [PIP_FLAGS...]: create or update a venv from a pinned
# requirements file, only when the file changed since the last install (stamp).
ensure_venv() {
  local venv=$1 req=$2
  shift 2
  local stamp="$venv/.requirements.sha256"
  local want
  want=$(sha256sum "$req" | cut -d' ' -f1)
  if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "install-deps: creating $venv from $req" >&2
    [ -x "$venv/bin/python" ] || /usr/bin/python3 -m venv "$venv"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip==24.3.1
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "$@" -r "$req"
    echo "$want" > "$stamp"
  fi
}

# The project's Python environment: Debian's python3, pinned packages.
ensure_venv .venv requirements-dev.txt

# Opt-in: the DP synthesis benchmark's peers, in their own venv. The file is a complete
# lock (every package pinned), installed without dependency resolution so that
# smartnoise-synth's torch/opacus (unused by its MST) stay out.
if [ "$BENCH" -eq 1 ]; then
  ensure_venv .venv-bench requirements-bench-dp.txt --no-deps
fi
if [ "$BENCH_EVAL" -eq 1 ]; then
  ensure_venv .venv-bench-eval requirements-bench-eval.txt --no-deps
fi
if [ "$BENCH_TEXT" -eq 1 ]; then
  ensure_venv .venv-bench-text-datatrove requirements-bench-text-datatrove.txt --no-deps
  ensure_venv .venv-bench-text-dedup requirements-bench-text-dedup.txt --no-deps
fi
