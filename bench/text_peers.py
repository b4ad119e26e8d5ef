"""Near-duplicate detection by a peer, on one core, for bench/text_audit.sh.

    python text_peers.py {datatrove,text-dedup} CORPUS.jsonl OUT_DIR

Runs the peer's MinHash deduplication on CORPUS.jsonl ({"id", "text"} per line) with the
settings synthscale uses by default: word 5-gram shingles, 20 bands x 6 rows (120
permutations), Jaccard threshold 0.8, one process. Writes OUT_DIR/clusters.json (lists of
document ids in corpus order, clusters of two or more) for bench/text_quality.py.

Each peer runs from its own venv (scripts/install-deps.sh --bench-text):
- datatrove 0.10.1: its four MinHash stages (signatures, buckets, clusters, filter) with a
  LocalPipelineExecutor of 1 worker (1 task; 20 tasks, one per band, for the buckets). Its English word tokenizer needs NLTK's
  punkt data, which cannot be downloaded here, so words are split on whitespace after
  datatrove's own text simplification (lower case, punctuation and digits normalised):
  this is the same work as synthscale's tokenisation, and cheaper than NLTK.
- text-dedup 0.4.0 (0.4.1, the newest, needs Python >= 3.12; Debian 12 has 3.11): its
  `minhash` command, see run_text_dedup below.
Neither verifies candidates: a pair sharing a band is a duplicate (their design).
"""
from __future__ import annotations

import json
import pathlib
import shutil
import struct
import sys

SHINGLE_WORDS = 5
BANDS = 20
ROWS = 6
THRESHOLD = 0.8


def corpus_ids(path: pathlib.Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line)["id"] for line in handle if line.strip()]


def write_clusters(out: pathlib.Path, ids: list[str], cluster_of: dict[int, int]) -> None:
    members: dict[int, list[int]] = {}
    for doc, cluster in cluster_of.items():
        members.setdefault(cluster, []).append(doc)
    clusters = sorted(sorted(docs) for docs in members.values() if len(docs) > 1)
    (out / "clusters.json").write_text(json.dumps([[ids[doc] for doc in cluster] for cluster in clusters]))
    print(f"{len(clusters)} clusters, {sum(len(c) for c in clusters)} documents in clusters", file=sys.stderr)


def run_datatrove(corpus: pathlib.Path, out: pathlib.Path) -> None:
    from datatrove.executor.local import LocalPipelineExecutor
    from datatrove.pipeline.dedup import MinhashDedupSignature
    from datatrove.pipeline.dedup.minhash import (MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster,
                                                  MinhashDedupFilter)
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers.jsonl import JsonlWriter
    from datatrove.utils.hashing import HashConfig
    from datatrove.utils.word_tokenizers import WordTokenizer

    class WhitespaceTokenizer(WordTokenizer):
        def word_tokenize(self, text: str) -> list[str]:
            return text.split()

        def sent_tokenize(self, text: str) -> list[str]:
            return [text]

        def span_tokenize(self, text: str) -> list[tuple[int, int]]:
            return [(0, len(text))]

    config = MinhashConfig(n_grams=SHINGLE_WORDS, num_buckets=BANDS, hashes_per_bucket=ROWS,
                           hash_config=HashConfig(precision=64))
    work = out / "work"
    shutil.rmtree(work, ignore_errors=True)
    reader = JsonlReader(str(corpus.parent), glob_pattern=corpus.name, text_key="text", id_key="id")
    common = {"tasks": 1, "workers": 1, "skip_completed": False}
    LocalPipelineExecutor([reader, MinhashDedupSignature(output_folder=str(work / "signatures"), config=config,
                                                         language=WhitespaceTokenizer())],
                          logging_dir=str(work / "logs1"), **common).run()
    # Stage 2 runs one task per band (datatrove requires it), one after another on 1 worker.
    LocalPipelineExecutor([MinhashDedupBuckets(input_folder=str(work / "signatures"),
                                               output_folder=str(work / "buckets"), config=config)],
                          logging_dir=str(work / "logs2"), tasks=BANDS, workers=1, skip_completed=False).run()
    LocalPipelineExecutor([MinhashDedupCluster(input_folder=str(work / "buckets"), output_folder=str(work / "remove"),
                                               config=config, save_cluster_id=True)],
                          logging_dir=str(work / "logs3"), **common).run()
    LocalPipelineExecutor([reader, MinhashDedupFilter(input_folder=str(work / "remove")),
                           JsonlWriter(str(work / "deduplicated"))], logging_dir=str(work / "logs4"), **common).run()
    cluster_of: dict[int, int] = {}
    clusters_file = work / "remove" / "000000.clusters"
    if clusters_file.exists():
        data = clusters_file.read_bytes()
        for doc, cluster in struct.iter_unpack("<II", data):
            cluster_of[doc] = cluster
    write_clusters(out, corpus_ids(corpus), cluster_of)


def run_text_dedup(corpus: pathlib.Path, out: pathlib.Path) -> None:
    """text-dedup's `minhash` (its command line, in process): words split on non-word
    characters after lower-casing, xxh3 shingle hashes, 120 permutations as 20 bands x 6
    rows, union-find over band collisions, one process; min_length 0 keeps every document.
    """
    import os

    os.environ["HF_DATASETS_OFFLINE"] = "1"
    os.environ["HF_HUB_OFFLINE"] = "1"
    from text_dedup import minhash

    shutil.rmtree(out / "cache", ignore_errors=True)
    shutil.rmtree(out / "deduplicated", ignore_errors=True)
    minhash.main.main(args=["--path", "json", "--data_files", str(corpus), "--split", "train",
                            "--cache_dir", str(out / "cache"), "--output", str(out / "deduplicated"),
                            "--column", "text", "--num_proc", "1", "--ngram", str(SHINGLE_WORDS),
                            "--min_length", "0", "--num_perm", str(BANDS * ROWS), "--b", str(BANDS),
                            "--r", str(ROWS), "--threshold", str(THRESHOLD), "--hash_func", "xxh3"],
                      standalone_mode=False)
    cluster_of = {index: minhash.uf.find(index) for index in list(minhash.uf.parent)}
    write_clusters(out, corpus_ids(corpus), cluster_of)


def main() -> int:
    peer, corpus, out = sys.argv[1], pathlib.Path(sys.argv[2]).resolve(), pathlib.Path(sys.argv[3]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    if peer == "datatrove":
        run_datatrove(corpus, out)
    elif peer == "text-dedup":
        run_text_dedup(corpus, out)
    else:
        raise SystemExit(f"unknown peer {peer!r}; choose datatrove or text-dedup")
    return 0


if __name__ == "__main__":
    sys.exit(main())
