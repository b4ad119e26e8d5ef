"""synthscale.text: audit synthetic text corpora (docs/text.md).

The same audit as ``synthscale text audit`` on the command line, computed by the same
library: language shares (CLD2), exact and near duplicates (MinHash LSH, verified by exact
Jaccard), spans memorised from a private source (suffix arrays) and leaked benchmark items
(word 13-grams). The result is report.json as a dict, byte-identical for any ``threads``.

>>> import synthscale                                                  # doctest: +SKIP
>>> report = synthscale.text.audit("synthetic.jsonl", source="private.jsonl",  # doctest: +SKIP
...                                benchmarks=["mmlu.jsonl"], languages={"de": 0.5, "fr": 0.5})
>>> report["summary"]["memorised_documents"]                           # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Mapping, Optional, Sequence, Union

from synthscale import _core
from synthscale._errors import InvalidArgumentError
from synthscale._synthesizer import _check_seed, _check_threads

PathLike = Union[str, "os.PathLike[str]"]

__all__ = ["audit"]


def _path(argument: str, value) -> str:
    try:
        return os.fspath(value)
    except TypeError:
        raise InvalidArgumentError(f"{argument} must be a path (str or os.PathLike), got {value!r}") from None


def audit(synthetic: PathLike, *, source: Optional[PathLike] = None, benchmarks: Sequence[PathLike] = (),
          languages: Union[Mapping[str, float], PathLike, None] = None, output_dir: Optional[PathLike] = None,
          overwrite: bool = False, threads: Optional[int] = None, format: str = "auto", id_field: str = "id",
          text_field: str = "text", shingle_words: int = 5, jaccard_threshold: float = 0.8, bands: int = 20,
          rows: int = 6, seed: int = 0, min_span_chars: int = 50, ngram_words: int = 13,
          contamination_overlap: float = 0.5, under_represented_ratio: float = 0.8,
          memorisation_chunk_mb: int = 256) -> dict:
    """Audit a synthetic text corpus; return report.json as a dict.

    Args:
        synthetic: the corpus, JSONL (one object per line, ``id_field`` and ``text_field``)
            or plain text (one document per line), gzip or not.
        source: the private source corpus; synthetic documents sharing a span of at least
            ``min_span_chars`` characters with it are reported (``report["memorisation"]``).
        benchmarks: benchmark item files; items whose ``ngram_words``-grams a document holds
            at ``contamination_overlap`` or more are reported (``report["contamination"]``).
        languages: target language shares, as a dict ``{"de": 0.5, "fr": 0.5}`` (passed to the
            library as a temporary ``languages.json``, the name the report records) or a path
            to such a JSON file; under-represented languages are flagged.
        output_dir: when given, also write report.json and report.html there.
        overwrite: replace an existing report in ``output_dir``.
        threads: worker threads (None = all cores); the result does not depend on it.
        format, id_field, text_field, shingle_words, jaccard_threshold, bands, rows, seed,
        min_span_chars, ngram_words, contamination_overlap, under_represented_ratio,
        memorisation_chunk_mb: the audit options, as ``synthscale text audit --help``
            and docs/text.md describe them (``synthscale._core.text_audit_options()``).

    Raises:
        InvalidArgumentError: a bad option.
        InvalidDataError: a malformed corpus line (with file, line and column) or duplicate ids.
        SynthscaleIOError: a missing or unreadable file.
        OutputExistsError: the report exists in ``output_dir`` and not ``overwrite``.
    """
    threads = _check_threads(threads)
    if _check_seed("seed", seed) is None:
        raise InvalidArgumentError("seed must be an int (the audit is deterministic given it), got None")
    if isinstance(benchmarks, (str, bytes)) or isinstance(benchmarks, os.PathLike):
        benchmarks = [benchmarks]
    options = {
        "format": format, "id_field": id_field, "text_field": text_field, "shingle_words": shingle_words,
        "jaccard_threshold": jaccard_threshold, "bands": bands, "rows": rows, "seed": str(seed),
        "min_span_chars": min_span_chars, "ngram_words": ngram_words,
        "contamination_overlap": contamination_overlap, "under_represented_ratio": under_represented_ratio,
        "memorisation_chunk_mb": memorisation_chunk_mb,
    }
    for name, value in options.items():
        if isinstance(value, bool):
            raise InvalidArgumentError(f"{name} must be a number, got {value!r}")
    bench_paths = [_path("benchmarks", b) for b in benchmarks]
    source_path = "" if source is None else _path("source", source)
    with tempfile.TemporaryDirectory(prefix="synthscale-text-") as scratch:
        if languages is None:
            languages_path = ""
        elif isinstance(languages, Mapping):
            languages_path = os.path.join(scratch, "languages.json")
            with open(languages_path, "w", encoding="utf-8") as handle:
                json.dump(dict(languages), handle)
        else:
            languages_path = _path("languages", languages)
        text = _core.text_audit(_path("synthetic", synthetic), source_path, bench_paths, languages_path,
                                json.dumps(options), threads)
    if output_dir is not None:
        _core.write_text_report(text, os.fspath(output_dir), overwrite)
    return json.loads(text)
