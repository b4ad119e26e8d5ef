"""Quality of the text audit on the benchmark corpus, for bench/text_audit.sh.

    python3 text_quality.py CORPUS_DIR BENCH_DIR SYNTHSCALE_BIN

Prints Markdown tables:
- near duplicates at Jaccard 0.8, per tool (synthscale: BENCH_DIR/dedup/report.json;
  peers: BENCH_DIR/<peer>/clusters.json): recall = planted near-duplicate pairs (exact
  Jaccard of word 5-shingles in [0.8, 1), tests/text/make_corpus.py) whose two documents
  share a cluster; precision = share of pairs inside clusters whose exact Jaccard is at
  least 0.8, on a seeded uniform sample of up to 5000 such pairs (Python reference);
- language identification: per language, the share of documents of 200+ characters that
  synthscale labels with the language of their man page (audits of one file per
  language), for the real man-page documents and for the generated ones;
- memorisation (BENCH_DIR/audit-1/report.json): planted spans found, and whether every
  reported example is a span of at least 50 characters of the named source document.
"""
from __future__ import annotations

import json
import pathlib
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests/text"))
import make_corpus  # noqa: E402

SAMPLE_PAIRS = 5000
LID_SAMPLE = 2000


def load_texts(path: pathlib.Path, wanted: set[str]) -> dict[str, str]:
    texts = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            if doc["id"] in wanted:
                texts[doc["id"]] = doc["text"]
    return texts


def sample_pairs(clusters: list[list[str]], rng: random.Random) -> list[tuple[str, str]]:
    weights = [len(c) * (len(c) - 1) // 2 for c in clusters]
    total = sum(weights)
    if total == 0:
        return []
    if total <= SAMPLE_PAIRS:
        return [(a, b) for c in clusters for i, a in enumerate(c) for b in c[i + 1:]]
    pairs = []
    for cluster in rng.choices(clusters, weights=weights, k=SAMPLE_PAIRS):
        a, b = rng.sample(cluster, 2)
        pairs.append((a, b))
    return pairs


def near_duplicates(corpus: pathlib.Path, bench: pathlib.Path, truth: dict) -> None:
    tools = {"synthscale": bench / "dedup/report.json"}
    for peer in ("datatrove", "text-dedup"):
        tools[peer] = bench / peer / "clusters.json"
    print("| tool | clusters | documents in clusters | recall (planted pairs) | precision (sampled pairs, J >= 0.8) |")
    print("|---|---|---|---|---|")
    rng = random.Random(7)
    for tool, path in tools.items():
        if not path.exists():
            print(f"| {tool} | not run | | | |")
            continue
        data = json.loads(path.read_text())
        clusters = data["near_duplicates"]["clusters"] if tool == "synthscale" else data
        cluster_of = {doc: index for index, cluster in enumerate(clusters) for doc in cluster}
        planted = truth["near_pairs"]
        found = sum(a in cluster_of and cluster_of[a] == cluster_of.get(b) for a, b, _ in planted)
        pairs = sample_pairs(clusters, rng)
        texts = load_texts(corpus / "synthetic.jsonl", {doc for pair in pairs for doc in pair})
        good = sum(make_corpus.jaccard(texts[a], texts[b]) >= 0.8 - 1e-9 for a, b in pairs)
        precision = good / len(pairs) if pairs else float("nan")
        print(f"| {tool} | {len(clusters)} | {sum(len(c) for c in clusters)} | {found / len(planted):.4f} "
              f"({found} of {len(planted)}) | {precision:.4f} ({good} of {len(pairs)}) |")


def language_accuracy(corpus: pathlib.Path, truth: dict, binary: str) -> None:
    rng = random.Random(7)
    groups: dict[tuple[str, str], list[dict]] = {}
    with (corpus / "synthetic.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            if len(doc["text"]) < 200:
                continue
            kind = "generated" if doc["id"].startswith("gen-") else "man page"
            groups.setdefault((truth["languages"][doc["id"]], kind), []).append(doc)
    print("| language | man-page documents | accuracy | generated documents (sample) | accuracy |")
    print("|---|---|---|---|---|")
    rows: dict[str, dict[str, list[str]]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for (language, kind), docs in sorted(groups.items()):
            if len(docs) > LID_SAMPLE:
                docs = rng.sample(docs, LID_SAMPLE)
            path = pathlib.Path(scratch) / f"{language}-{kind.replace(' ', '-')}.jsonl"
            path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
            out = pathlib.Path(scratch) / f"out-{path.stem}"
            subprocess.run([binary, "text", "audit", "--synthetic", str(path), "--no-manifest", "-o", str(out)],
                           check=True, capture_output=True)
            report = json.loads((out / "report.json").read_text())
            correct = report["languages"].get(language, {}).get("documents", 0)
            rows.setdefault(language, {})[kind] = [str(len(docs)), f"{correct / len(docs):.4f}"]
    for language, kinds in sorted(rows.items()):
        cells = kinds.get("man page", ["0", "n/a"]) + kinds.get("generated", ["0", "n/a"])
        print(f"| {language} | " + " | ".join(cells) + " |")


def memorisation(corpus: pathlib.Path, bench: pathlib.Path, truth: dict) -> None:
    report = json.loads((bench / "audit-1/report.json").read_text())
    section = report["memorisation"]
    reported = {doc["id"]: doc for doc in section["documents"]}
    planted = truth["memorised"]
    found = sum(p["id"] in reported and reported[p["id"]]["longest_span_chars"] >= p["span_chars"] for p in planted)
    sources = load_texts(corpus / "source.jsonl", {e["source_id"] for d in reported.values() for e in d["examples"]})
    wrong = 0
    for doc in reported.values():
        for example in doc["examples"]:
            start = example["source_offset_chars"]
            text = example["text"]
            if example["length_chars"] < 50 or sources[example["source_id"]][start:start + len(text)] != text:
                wrong += 1
    print(f"planted memorised spans found: {found} of {len(planted)}; documents reported: {len(reported)}; "
          f"reported examples that are not a >= 50-character span of their source: {wrong}")


def main() -> int:
    corpus, bench, binary = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
    truth = json.loads((corpus / "truth.json").read_text())
    near_duplicates(corpus, bench, truth)
    print()
    language_accuracy(corpus, truth, binary)
    print()
    memorisation(corpus, bench, truth)
    return 0


if __name__ == "__main__":
    sys.exit(main())
