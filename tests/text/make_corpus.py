#!/usr/bin/env python3
"""Build a multilingual test corpus for `synthscale text audit`, with planted defects.

    python3 tests/text/make_corpus.py OUT_DIR [--seed 7] [--docs-per-language 100]
                                      [--scale-bytes N]

Reads the man pages Debian installs (manpage_text.py: English plus the de, fr, es, it,
nl, pl and ru translations) and writes, in OUT_DIR:

  synthetic.jsonl   the corpus to audit: man-page documents with planted exact
                    duplicates, near duplicates (word-5-shingle Jaccard in [0.8, 1)),
                    far pairs (Jaccard in [0.4, 0.7), must NOT cluster), spans of the
                    private source (50 to 300 characters: must be found; 20 to 40
                    characters: must not), and leaked benchmark items (whole items:
                    overlap 1; a quarter of an item: below the default overlap 0.5)
  source.jsonl      the "private source": documents of other pages
  benchmark.jsonl   benchmark items: documents of yet other pages
  truth.json        what was planted, and each document's language

Everything is drawn from random.Random(seed), so the same seed and the same installed
packages give the same files. --scale-bytes N appends generated documents until
synthetic.jsonl holds about N bytes (the benchmark corpus): each is a shuffle of
sentences of one language with 30 % of its words replaced by words of the same language,
so it is new text (Jaccard to any other document well below 0.5) in a known language.
The reference implementations the tests compare with (exact Jaccard, 13-gram overlap,
shared spans) live here too, written independently of the C++ code.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import random
import re
import sys
import unicodedata

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import manpage_text  # noqa: E402

SHINGLE_WORDS = 5
NGRAM_WORDS = 13


# --- the documented normalisation (docs/text.md), written independently ---------------
def words(text: str) -> list[str]:
    """Maximal runs of letters, marks and digits, lower-cased (simple case mapping)."""
    out: list[str] = []
    current: list[str] = []
    for ch in text:
        if unicodedata.category(ch)[0] in "LMN":
            lowered = ch.lower()
            current.append(lowered if len(lowered) == 1 else ch)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[tuple[str, ...]]:
    w = words(text)
    if not w:
        return set()
    if len(w) < k:
        return {tuple(w)}
    return {tuple(w[i:i + k]) for i in range(len(w) - k + 1)}


def jaccard(a: str, b: str, k: int = SHINGLE_WORDS) -> float:
    sa, sb = shingles(a, k), shingles(b, k)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def ngrams(text: str, n: int = NGRAM_WORDS) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i:i + n]) for i in range(len(w) - n + 1)}


# --- documents from man pages ----------------------------------------------------------
def language_documents(language: str, rng: random.Random, wanted: int, min_chars: int = 120,
                       max_chars: int = 1500) -> list[list[str]]:
    """Documents (lists of paragraphs of one page) in `language`, pages in seeded order."""
    paths = manpage_text.pages(language)
    rng.shuffle(paths)
    docs: list[list[str]] = []
    for path in paths:
        paragraphs = manpage_text.page_paragraphs(path, language)
        current: list[str] = []
        target = rng.randint(min_chars, max_chars)
        for paragraph in paragraphs:
            current.append(paragraph)
            if sum(len(p) + 1 for p in current) >= target:
                docs.append(current)
                current = []
                target = rng.randint(min_chars, max_chars)
        if len(docs) >= wanted:
            break
    return docs[:wanted]


def mutate(text: str, vocabulary: list[str], edits: int, rng: random.Random) -> str:
    tokens = text.split(" ")
    for _ in range(edits):
        position = rng.randrange(len(tokens))
        if rng.random() < 0.7:
            tokens[position] = rng.choice(vocabulary)
        elif len(tokens) > 10:
            del tokens[position]
    return " ".join(tokens)


def perturb_to(text: str, vocabulary: list[str], low: float, high: float, rng: random.Random):
    """A copy whose Jaccard with `text` is in [low, high), or None."""
    tokens = len(text.split(" "))
    for _ in range(40):
        edits = max(1, int(rng.uniform(0.2, 1.0) * tokens * (1 - low) / 5.0 * 1.6))
        copy = mutate(text, vocabulary, edits, rng)
        similarity = jaccard(text, copy)
        if low <= similarity < high:
            return copy, similarity
    return None


def insert_at_word_boundary(text: str, insert: str, rng: random.Random) -> str:
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    position = rng.choice(spaces) if spaces else len(text)
    return text[:position] + " " + insert + " " + text[position:].lstrip(" ")


def source_span(text: str, length: int, rng: random.Random) -> str | None:
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == " " and i + 1 + length <= len(text)]
    starts = [s for s in starts if s + length <= len(text)]
    if not starts:
        return None
    start = rng.choice(starts)
    return text[start:start + length]


def build(out: pathlib.Path, seed: int = 7, docs_per_language: int = 100,
          languages=manpage_text.LANGUAGES, scale_bytes: int = 0) -> dict:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    synthetic: list[dict] = []
    source: list[dict] = []
    benchmark: list[dict] = []
    truth: dict = {"languages": {}, "exact_clusters": [], "near_pairs": [], "far_pairs": [],
                   "memorised": [], "short_spans": [], "leaked": [], "partial_leaks": []}
    vocabulary: dict[str, list[str]] = {}
    sentences: dict[str, list[str]] = {}
    for language in languages:
        docs = language_documents(language, rng, docs_per_language + docs_per_language // 3 + 8)
        texts = [" ".join(d) for d in docs]
        base = texts[:docs_per_language]
        # Generated documents reuse the base documents' sentences and words only, so they
        # share no planted source or benchmark text.
        vocabulary[language] = sorted({t for text in base for t in text.split(" ") if t.isalpha()})
        sentences[language] = [s for text in base for s in re.split(r"(?<=[.!?;])\s+", text) if len(s) > 20]
        for text in base:
            doc_id = f"syn-{len(synthetic):06d}"
            synthetic.append({"id": doc_id, "text": text})
            truth["languages"][doc_id] = language
        rest = texts[docs_per_language:]
        source.extend({"id": f"src-{len(source):05d}", "text": t, "language": language} for t in rest[:-8])
        benchmark.extend({"id": f"q-{language}-{i}", "text": t, "language": language}
                         for i, t in enumerate(rest[-8:]))

    base_count = len(synthetic)
    pick = list(range(base_count))
    rng.shuffle(pick)
    used: set[int] = set()

    def take(predicate=lambda doc: True):
        """The next unused base document (in seeded order) that satisfies `predicate`."""
        for index in pick:
            if index not in used and predicate(synthetic[index]):
                used.add(index)
                return synthetic[index]
        raise RuntimeError("corpus too small for the planted defects")

    def add(text: str, language: str) -> str:
        doc_id = f"syn-{len(synthetic):06d}"
        synthetic.append({"id": doc_id, "text": text})
        truth["languages"][doc_id] = language
        return doc_id

    rate = max(1, base_count // 20)  # 5 % of the base documents for each kind of defect
    long_enough = lambda doc: len(doc["text"].split(" ")) >= 60  # noqa: E731
    for _ in range(rate):  # exact duplicates: clusters of 2 or 3
        doc = take()
        copies = [add(doc["text"], truth["languages"][doc["id"]]) for _ in range(rng.choice((1, 1, 2)))]
        truth["exact_clusters"].append([doc["id"], *copies])
    for kind, low, high in (("near_pairs", 0.8, 1.0), ("far_pairs", 0.4, 0.7)):
        for _ in range(rate):
            doc = take(long_enough)
            language = truth["languages"][doc["id"]]
            made = perturb_to(doc["text"], vocabulary[language], low, high, rng)
            if made is None:
                continue
            copy_id = add(made[0], language)
            truth[kind].append([doc["id"], copy_id, round(made[1], 6)])
    for kind, low, high in (("memorised", 50, 300), ("short_spans", 20, 40)):
        for _ in range(rate):
            doc = take()
            src = rng.choice([s for s in source if s["language"] == truth["languages"][doc["id"]]])
            span = source_span(src["text"], rng.randint(low, high), rng)
            if span is None or span.strip() != span:
                continue
            doc["text"] = insert_at_word_boundary(doc["text"], span, rng)
            truth[kind].append({"id": doc["id"], "source_id": src["id"], "span_chars": len(span), "span": span})
    # Planted text is of the host document's language, so every document keeps one language.
    same_language = lambda language: lambda doc: truth["languages"][doc["id"]] == language  # noqa: E731
    for item in benchmark:
        roll = rng.random()
        if roll < 0.25:
            doc = take(same_language(item["language"]))
            doc["text"] = doc["text"] + " " + item["text"]
            truth["leaked"].append({"benchmark_id": item["id"], "id": doc["id"]})
        elif roll < 0.4:
            doc = take(same_language(item["language"]))
            item_words = item["text"].split(" ")
            doc["text"] = doc["text"] + " " + " ".join(item_words[:len(item_words) // 4])
            truth["partial_leaks"].append({"benchmark_id": item["id"], "id": doc["id"]})

    order = list(range(len(synthetic)))
    rng.shuffle(order)
    synthetic = [synthetic[i] for i in order]
    path = out / "synthetic.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for doc in synthetic:
            handle.write(json.dumps(doc, ensure_ascii=False) + "\n")
        if scale_bytes:
            _append_generated(handle, path, scale_bytes, sentences, vocabulary, rng, truth)
    with (out / "source.jsonl").open("w", encoding="utf-8") as handle:
        for doc in source:
            handle.write(json.dumps({"id": doc["id"], "text": doc["text"]}, ensure_ascii=False) + "\n")
    with (out / "benchmark.jsonl").open("w", encoding="utf-8") as handle:
        for item in benchmark:
            handle.write(json.dumps({"id": item["id"], "text": item["text"]}, ensure_ascii=False) + "\n")
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth


def _append_generated(handle, path: pathlib.Path, scale_bytes: int, sentences, vocabulary, rng, truth) -> None:
    """New documents of known language until the file holds about `scale_bytes` bytes.

    Planted at known rates among them: 1 % get an exact copy and 3 % a near copy (Jaccard
    in [0.8, 1)), recorded in `truth` like the base corpus's.
    """
    languages = sorted(sentences)
    handle.flush()
    written = handle.tell()
    index = 0

    def emit(doc_id: str, text: str, language: str) -> None:
        nonlocal written
        line = json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n"
        handle.write(line)
        written += len(line.encode("utf-8"))
        truth["languages"][doc_id] = language

    while written < scale_bytes:
        language = languages[index % len(languages)]
        pool, words_of = sentences[language], vocabulary[language]
        tokens = " ".join(rng.choices(pool, k=rng.randint(2, 10))).split(" ")
        # 30 % of the words replaced (drawn in bulk: this loop writes a gigabyte).
        substitutes = rng.choices(words_of, k=len(tokens))
        replace = rng.choices((True, False), weights=(3, 7), k=len(tokens))
        text = " ".join([new if swap else old for old, new, swap in zip(tokens, substitutes, replace)])
        doc_id = f"gen-{index:08d}"
        emit(doc_id, text, language)
        roll = rng.random()
        if roll < 0.01:
            emit(doc_id + "-copy", text, language)
            truth["exact_clusters"].append([doc_id, doc_id + "-copy"])
        elif roll < 0.04 and len(tokens) >= 60:
            made = perturb_to(text, words_of, 0.8, 1.0, rng)
            if made is not None:
                emit(doc_id + "-near", made[0], language)
                truth["near_pairs"].append([doc_id, doc_id + "-near", round(made[1], 6)])
        index += 1


# --- independent references for the tests ------------------------------------------------
def read_jsonl(path: pathlib.Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def reference_memorised(synthetic: list[dict], source: list[dict], min_chars: int = 50) -> set[str]:
    """Ids of synthetic documents sharing a span of >= min_chars code points with the source."""
    windows = set()
    for doc in source:
        text = doc["text"]
        windows.update(text[i:i + min_chars] for i in range(len(text) - min_chars + 1))
    found = set()
    for doc in synthetic:
        text = doc["text"]
        if any(text[i:i + min_chars] in windows for i in range(len(text) - min_chars + 1)):
            found.add(doc["id"])
    return found


def reference_contamination(synthetic: list[dict], items: list[dict], threshold: float = 0.5,
                            n: int = NGRAM_WORDS) -> dict[str, list[str]]:
    """Benchmark item id -> ids of documents holding >= threshold of its n-grams."""
    index: dict[tuple, list[int]] = {}
    item_grams = []
    for item_idx, item in enumerate(items):
        grams = ngrams(item["text"], n)
        item_grams.append(grams)
        for gram in grams:
            index.setdefault(gram, []).append(item_idx)
    result: dict[str, list[str]] = {}
    for doc in synthetic:
        hits: dict[int, int] = {}
        for gram in ngrams(doc["text"], n):
            for item_idx in index.get(gram, ()):
                hits[item_idx] = hits.get(item_idx, 0) + 1
        for item_idx, count in hits.items():
            if count / len(item_grams[item_idx]) >= threshold:
                result.setdefault(items[item_idx]["id"], []).append(doc["id"])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--docs-per-language", type=int, default=100)
    parser.add_argument("--scale-bytes", type=int, default=0)
    args = parser.parse_args()
    truth = build(args.out, args.seed, args.docs_per_language, scale_bytes=args.scale_bytes)
    print(f"make_corpus: {len(truth['languages'])} synthetic documents in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
