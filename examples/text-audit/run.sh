#!/usr/bin/env bash
# The text audit on a small multilingual corpus built from Debian's man pages (English and
# the de, fr, es, it, nl, pl, ru translations), with planted duplicates, memorised spans of
# a "private" source and leaked benchmark items. See README.md.
#   bash examples/text-audit/run.sh [OUT_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
BIN=${SYNTHSCALE_BIN:-$repo/build/release/cli/synthscale}
out=${1:-$(mktemp -d)}
mkdir -p "$out"

# 1. The corpus: synthetic.jsonl, source.jsonl, benchmark.jsonl and the planted truth.
python3 "$repo/tests/text/make_corpus.py" "$out/corpus" --docs-per-language 40

# 2. Target shares: half German, the rest spread over French, Polish and Japanese.
cat > "$out/targets.json" <<'JSON'
{"de": 0.5, "fr": 0.2, "pl": 0.2, "ja": 0.1}
JSON

# 3. The audit: report.json, report.html and the manifest in $out/audit.
"$BIN" text audit --synthetic "$out/corpus/synthetic.jsonl" --source "$out/corpus/source.jsonl" \
    --benchmark "$out/corpus/benchmark.jsonl" --languages "$out/targets.json" -o "$out/audit" --force

# 4. What was planted against what was found.
python3 - "$out" <<'PY'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
truth = json.loads((out / "corpus/truth.json").read_text())
report = json.loads((out / "audit/report.json").read_text())
near = {frozenset(c) for c in report["near_duplicates"]["clusters"]}
found_near = sum(any({a, b} <= c for c in near) for a, b, _ in truth["near_pairs"])
memorised = {d["id"] for d in report["memorisation"]["documents"]}
found_memorised = sum(p["id"] in memorised for p in truth["memorised"])
leaked = {(i["benchmark_id"], d) for i in report["contamination"]["items"] for d in i["documents"]}
found_leaked = sum((p["benchmark_id"], p["id"]) in leaked for p in truth["leaked"])
print(f"near-duplicate pairs found: {found_near} of {len(truth['near_pairs'])} planted")
print(f"memorised documents found: {found_memorised} of {len(truth['memorised'])} planted")
print(f"leaked benchmark items found: {found_leaked} of {len(truth['leaked'])} planted")
print("languages:", ", ".join(f"{code} {entry['documents']}" for code, entry in report["languages"].items()))
print("open", out / "audit/report.html")
PY
