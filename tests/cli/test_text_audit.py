"""`synthscale text audit` on a multilingual corpus built from Debian's man pages.

The corpus (tests/text/make_corpus.py, seed 7, 60 documents per language in 8 languages)
has planted exact duplicates, near duplicates (Jaccard 0.8 to 1) and far pairs (0.4 to
0.7), spans of the private source (50 to 300 characters, and 20 to 40 that must not be
reported) and leaked benchmark items; the expectations come from the builder's ground
truth and from its independent Python references (exact Jaccard, shared 50-character
windows, 13-gram overlap).
"""
import gzip
import itertools
import json
import pathlib
import subprocess
import sys

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "tests/text"))
import make_corpus  # noqa: E402
import manpage_text  # noqa: E402

pytestmark = pytest.mark.skipif(not manpage_text.available(),
                                reason="man-page translations not installed (scripts/install-deps.sh installs them)")


def audit(binary, out, *args, threads=2, check=0):
    result = subprocess.run([str(binary), "--threads", str(threads), "text", "audit", *map(str, args), "-o", str(out)],
                            capture_output=True, text=True, timeout=300)
    if check is not None:
        assert result.returncode == check, (result.returncode, result.stdout, result.stderr)
    return result


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("text-corpus")
    truth = make_corpus.build(folder, seed=7, docs_per_language=60)
    return folder, truth


@pytest.fixture(scope="module")
def report(synthscale_bin, corpus, tmp_path_factory):
    folder, _ = corpus
    out = tmp_path_factory.mktemp("text-report") / "report"
    audit(synthscale_bin, out, "--synthetic", folder / "synthetic.jsonl", "--source", folder / "source.jsonl",
          "--benchmark", folder / "benchmark.jsonl")
    return json.loads((out / "report.json").read_text()), out


def texts(path):
    return {doc["id"]: doc["text"] for doc in make_corpus.read_jsonl(path)}


def test_planted_duplicates_found_with_recall_and_precision(corpus, report):
    folder, truth = corpus
    result, _ = report
    cluster_of = {}
    for index, cluster in enumerate(result["near_duplicates"]["clusters"]):
        for doc in cluster:
            cluster_of[doc] = index
    exact = [set(cluster) for cluster in result["exact_duplicates"]["clusters"]]
    for planted in truth["exact_clusters"]:
        assert any(set(planted) <= cluster for cluster in exact), planted
    near = truth["near_pairs"]
    assert len(near) >= 20
    found = sum(a in cluster_of and cluster_of.get(a) == cluster_of.get(b) for a, b, _ in near)
    assert found / len(near) >= 0.95, (found, len(near))
    for a, b, similarity in truth["far_pairs"]:
        assert not (a in cluster_of and cluster_of.get(a) == cluster_of.get(b)), (a, b, similarity)
    # Precision: every pair inside a reported cluster has exact Jaccard >= 0.8 (Python reference).
    docs = texts(folder / "synthetic.jsonl")
    pairs = [pair for cluster in result["near_duplicates"]["clusters"] for pair in itertools.combinations(cluster, 2)]
    good = sum(make_corpus.jaccard(docs[a], docs[b]) >= 0.8 - 1e-9 for a, b in pairs)
    assert good / len(pairs) >= 0.95, (good, len(pairs))


def test_memorised_spans_match_the_reference_exactly(corpus, report):
    folder, truth = corpus
    result, _ = report
    synthetic = make_corpus.read_jsonl(folder / "synthetic.jsonl")
    source = make_corpus.read_jsonl(folder / "source.jsonl")
    reported = {doc["id"]: doc for doc in result["memorisation"]["documents"]}
    assert set(reported) == make_corpus.reference_memorised(synthetic, source, 50)
    for planted in truth["memorised"]:
        assert reported[planted["id"]]["longest_span_chars"] >= planted["span_chars"], planted
    source_texts = {doc["id"]: doc["text"] for doc in source}
    synthetic_texts = {doc["id"]: doc["text"] for doc in synthetic}
    for doc in reported.values():
        for example in doc["examples"]:
            text = example["text"]
            assert example["length_chars"] >= 50
            assert text in synthetic_texts[doc["id"]]
            start = example["source_offset_chars"]
            assert source_texts[example["source_id"]][start:start + len(text)] == text


def test_contamination_matches_the_reference_exactly(corpus, report):
    folder, truth = corpus
    result, _ = report
    synthetic = make_corpus.read_jsonl(folder / "synthetic.jsonl")
    items = make_corpus.read_jsonl(folder / "benchmark.jsonl")
    expected = make_corpus.reference_contamination(synthetic, items, 0.5)
    got = {item["benchmark_id"]: item["documents"] for item in result["contamination"]["items"]}
    order = {doc["id"]: index for index, doc in enumerate(synthetic)}
    assert got == {item: sorted(docs, key=order.get) for item, docs in expected.items()}
    for leak in truth["leaked"]:
        assert leak["id"] in got[leak["benchmark_id"]]
    assert all(item["benchmark"] == "benchmark" for item in result["contamination"]["items"])


def test_language_identification_is_accurate_per_language(synthscale_bin, corpus, tmp_path):
    """At least 97 % of each language's documents of 200+ characters get their language."""
    folder, truth = corpus
    by_language = {}
    for doc in make_corpus.read_jsonl(folder / "synthetic.jsonl"):
        if len(doc["text"]) >= 200:
            by_language.setdefault(truth["languages"][doc["id"]], []).append(doc)
    assert set(by_language) == set(manpage_text.LANGUAGES)
    for language, docs in sorted(by_language.items()):
        path = tmp_path / f"{language}.jsonl"
        path.write_text("".join(json.dumps(doc, ensure_ascii=False) + "\n" for doc in docs), encoding="utf-8")
        audit(synthscale_bin, tmp_path / f"out-{language}", "--synthetic", path, "--no-manifest")
        result = json.loads((tmp_path / f"out-{language}" / "report.json").read_text())
        correct = result["languages"].get(language, {}).get("documents", 0)
        assert correct / len(docs) >= 0.97, (language, correct, len(docs), result["summary"])


def test_same_report_for_one_two_and_four_threads(synthscale_bin, corpus, report, tmp_path):
    folder, _ = corpus
    _, out = report
    reference = (out / "report.json").read_bytes()
    for threads in (1, 4):
        audit(synthscale_bin, tmp_path / f"t{threads}", "--synthetic", folder / "synthetic.jsonl", "--source",
              folder / "source.jsonl", "--benchmark", folder / "benchmark.jsonl", "--memorisation-chunk-mb", 1,
              "--no-manifest", threads=threads)
        other = json.loads((tmp_path / f"t{threads}" / "report.json").read_text())
        expected = json.loads(reference)
        expected["settings"]["memorisation_chunk_mb"] = 1
        expected["memorisation"]["chunks"] = other["memorisation"]["chunks"]
        assert other == expected
    audit(synthscale_bin, tmp_path / "again", "--synthetic", folder / "synthetic.jsonl", "--source",
          folder / "source.jsonl", "--benchmark", folder / "benchmark.jsonl", threads=1)
    assert (tmp_path / "again" / "report.json").read_bytes() == reference


def test_gzip_and_plain_text_corpora(synthscale_bin, corpus, report, tmp_path):
    folder, _ = corpus
    result, _ = report
    packed = tmp_path / "synthetic.jsonl.gz"
    packed.write_bytes(gzip.compress((folder / "synthetic.jsonl").read_bytes()))
    audit(synthscale_bin, tmp_path / "gz", "--synthetic", packed, "--no-manifest")
    from_gzip = json.loads((tmp_path / "gz" / "report.json").read_text())
    assert from_gzip["languages"] == result["languages"]
    assert from_gzip["near_duplicates"]["clusters"] == result["near_duplicates"]["clusters"]
    plain = tmp_path / "synthetic.txt"
    docs = make_corpus.read_jsonl(folder / "synthetic.jsonl")
    plain.write_text("".join(doc["text"].replace("\n", " ") + "\n" for doc in docs), encoding="utf-8")
    audit(synthscale_bin, tmp_path / "txt", "--synthetic", plain, "--no-manifest")
    from_text = json.loads((tmp_path / "txt" / "report.json").read_text())
    assert from_text["summary"]["documents"] == len(docs)
    # Plain-text documents are named by line number.
    line_of = {doc["id"]: str(index + 1) for index, doc in enumerate(docs)}
    assert from_text["exact_duplicates"]["clusters"] == [[line_of[d] for d in c] for c in
                                                         result["exact_duplicates"]["clusters"]]


def test_language_targets_flag_under_represented_languages(synthscale_bin, corpus, tmp_path):
    folder, _ = corpus
    targets = tmp_path / "targets.json"
    targets.write_text(json.dumps({"de": 0.5, "ja": 0.5}))
    result = audit(synthscale_bin, tmp_path / "out", "--synthetic", folder / "synthetic.jsonl", "--languages", targets)
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["summary"]["under_represented_languages"] == ["de", "ja"]
    assert report["language_targets"]["missing"] == ["ja"]
    assert report["languages"]["de"]["under_represented"] is True
    assert "under_represented_languages: de, ja" in result.stdout


def test_report_files_manifest_and_page(synthscale_bin, report):
    _, out = report
    manifest = pathlib.Path(str(out / "report.json") + ".manifest.json")
    assert manifest.exists()
    verify = subprocess.run([str(synthscale_bin), "verify", str(manifest)], capture_output=True, text=True)
    assert verify.returncode == 0, verify.stderr
    page = (out / "report.html").read_text()
    assert "<h2>Languages</h2>" in page and "<h2>Benchmark contamination</h2>" in page
    # Self-contained: nothing fetched (quoted corpus text may mention URLs, escaped).
    for fetch in ("<script", "<link", "src=", "href=", "url(", "@import"):
        assert fetch not in page, fetch


def test_errors_have_documented_exit_codes(synthscale_bin, corpus, tmp_path):
    folder, _ = corpus
    synthetic = folder / "synthetic.jsonl"
    usage = audit(synthscale_bin, tmp_path / "a", "--synthetic", synthetic, "--jaccard-threshold", "2", check=2)
    assert "--jaccard-threshold must be in [0.05, 1], got 2" in usage.stderr
    audit(synthscale_bin, tmp_path / "b", "--synthetic", synthetic, "--bands", "x", check=2)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "fine"}\n{"id": "b", "text": fine}\n')
    malformed = audit(synthscale_bin, tmp_path / "c", "--synthetic", bad, check=3)
    assert f"{bad}:2:" in malformed.stderr
    audit(synthscale_bin, tmp_path / "d", "--synthetic", tmp_path / "missing.jsonl", check=4)
    targets = tmp_path / "t.json"
    targets.write_text('{"klingon": 1}')
    unknown = audit(synthscale_bin, tmp_path / "e", "--synthetic", synthetic, "--languages", targets, check=3)
    assert "unknown language code 'klingon'" in unknown.stderr
    audit(synthscale_bin, tmp_path / "f", "--synthetic", synthetic, "--no-manifest")
    exists = audit(synthscale_bin, tmp_path / "f", "--synthetic", synthetic, "--no-manifest", check=6)
    assert "--force" in exists.stderr
    audit(synthscale_bin, tmp_path / "f", "--synthetic", synthetic, "--no-manifest", "--force")
    missing_subcommand = subprocess.run([str(synthscale_bin), "text"], capture_output=True, text=True)
    assert missing_subcommand.returncode == 2
