// synthscale_bench_text_stages: throughput of each stage of the text audit on one corpus.
//
//   synthscale_bench_text_stages <synthetic.jsonl[.gz]> [--source S] [--benchmark B]
//                                [--threads N] [--chunk-mb M]
//
// Reads the corpus into memory (timed: read + JSON parse), then runs every stage over all
// documents on N threads (default 1, so the numbers are per core), each stage on its own:
// normalisation (scan), language identification (CLD2), quality signals, MinHash
// signatures, LSH candidates, contamination lookups (with --benchmark), and memorisation
// (with --source): the window prefilter over all documents, then the suffix arrays of the
// candidates against the source in chunks of M MiB.
// Prints one Markdown row per stage: wall seconds, CPU seconds (the process's user + system
// time: on a shared machine this, not the wall time, is what one core spent), and MB/s and
// documents/s of the synthetic text per CPU second.
// docs/benchmarks.md ("Text audit") records the results; bench/text_audit.sh runs it.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "synthscale/core/thread_pool.h"
#include "synthscale/text/contamination.h"
#include "synthscale/text/corpus.h"
#include "synthscale/text/language_id.h"
#include "synthscale/text/memorisation.h"
#include "synthscale/text/minhash.h"
#include "synthscale/text/near_duplicates.h"
#include "synthscale/text/quality.h"
#include "synthscale/text/scan.h"

namespace {

using namespace synthscale;
using namespace synthscale::text;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kGrain = 64;

double CpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// A stage's start: wall clock and process CPU time.
struct Start {
  Clock::time_point wall = Clock::now();
  double cpu = CpuSeconds();
};

void Row(const char* stage, const Start& start, double bytes, double documents) {
  const double wall = std::chrono::duration<double>(Clock::now() - start.wall).count();
  const double cpu = CpuSeconds() - start.cpu;
  std::printf("| %s | %.2f | %.2f | %.1f | %.0f |\n", stage, wall, cpu, bytes / 1e6 / cpu, documents / cpu);
  std::fflush(stdout);
}

int Fail(const Status& status) {
  std::fprintf(stderr, "synthscale_bench_text_stages: %s\n", status.ToString().c_str());
  return 1;
}

// Run `body(doc)` for every document on the pool, in tasks of kGrain documents.
template <typename Body>
Status ForEachDocument(ThreadPool& pool, std::size_t documents, const Body& body) {
  return ParallelFor(pool, documents, kGrain, [&](std::size_t begin, std::size_t end) {
    thread_local DocumentScanner scanner;
    for (std::size_t doc = begin; doc < end; ++doc) body(doc, scanner);
    return Status::Ok();
  });
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: synthscale_bench_text_stages <synthetic> [--source S] [--benchmark B] "
                         "[--threads N] [--chunk-mb M]\n");
    return 2;
  }
  std::string synthetic = argv[1];
  std::string source_path;
  std::string benchmark_path;
  std::size_t threads = 1;
  std::size_t chunk_mb = 256;
  for (int arg = 2; arg + 1 < argc; arg += 2) {
    const std::string flag = argv[arg];
    if (flag == "--source") source_path = argv[arg + 1];
    else if (flag == "--benchmark") benchmark_path = argv[arg + 1];
    else if (flag == "--threads") threads = std::strtoul(argv[arg + 1], nullptr, 10);
    else if (flag == "--chunk-mb") chunk_mb = std::strtoul(argv[arg + 1], nullptr, 10);
    else return Fail(InvalidArgument("unknown flag " + flag));
  }
  ThreadPool pool(threads);
  constexpr std::uint32_t kShingleWords = 5, kBands = 20, kRows = 6, kNgramWords = 13, kMinSpanChars = 50;
  constexpr double kThreshold = 0.8;

  // Read + parse: the documents into memory.
  Start start;
  Result<CorpusContents> corpus = ReadWholeCorpus(synthetic, CorpusOptions{}, pool);
  if (!corpus.ok()) return Fail(corpus.status());
  const std::vector<std::string>& texts = corpus->texts;
  const std::size_t documents = texts.size();
  double bytes = 0;
  for (const std::string& text : texts) bytes += static_cast<double>(text.size());
  const auto n = static_cast<double>(documents);
  std::printf("%zu documents, %.1f MB of text, %zu thread(s)\n\n"
              "| stage | wall s | CPU s | MB/s per CPU s | documents/s per CPU s |\n|---|---|---|---|---|\n",
              documents, bytes / 1e6, pool.size());
  Row("read + parse JSONL", start, bytes, n);

  start = Start{};
  Status status = ForEachDocument(pool, documents, [&](std::size_t doc, DocumentScanner& scanner) { scanner.Scan(texts[doc]); });
  if (!status.ok()) return Fail(status);
  Row("normalise (words, classes, script)", start, bytes, n);

  start = Start{};
  std::vector<std::uint16_t> languages(documents);
  status = ForEachDocument(pool, documents, [&](std::size_t doc, DocumentScanner&) {
    languages[doc] = IdentifyLanguage(texts[doc]).slot;
  });
  if (!status.ok()) return Fail(status);
  Row("language identification (CLD2)", start, bytes, n);

  start = Start{};
  status = ForEachDocument(pool, documents, [&](std::size_t doc, DocumentScanner& scanner) {
    thread_local RepetitionScratch scratch;
    scanner.Scan(texts[doc]);
    (void)MeasureRepetition(scanner.word_hashes(), scanner.word_chars(), scratch);
  });
  if (!status.ok()) return Fail(status);
  Row("normalise + quality signals", start, bytes, n);

  const MinHasher hasher(kBands * kRows, 0);
  std::vector<std::uint32_t> signatures(documents * hasher.permutations());
  std::vector<std::uint8_t> has_words(documents, 0);
  start = Start{};
  status = ForEachDocument(pool, documents, [&](std::size_t doc, DocumentScanner& scanner) {
    scanner.Scan(texts[doc]);
    const std::span<std::uint32_t> signature(signatures.data() + doc * hasher.permutations(), hasher.permutations());
    has_words[doc] = hasher.Sign(scanner.word_hashes(), kShingleWords, signature) ? 1 : 0;
  });
  if (!status.ok()) return Fail(status);
  Row("normalise + MinHash signature (120 permutations)", start, bytes, n);

  std::vector<std::uint32_t> with_words;
  for (std::uint32_t doc = 0; doc < documents; ++doc) {
    if (has_words[doc] != 0) with_words.push_back(doc);
  }
  start = Start{};
  Result<LshCandidates> candidates = FindLshCandidates(signatures, with_words, kBands, kRows, kThreshold, pool);
  if (!candidates.ok()) return Fail(candidates.status());
  Row("LSH buckets and candidates", start, bytes, n);

  start = Start{};
  std::vector<std::int64_t> slot(documents, -1);
  std::vector<std::uint32_t> needed;
  for (const auto& [a, b] : candidates->pairs) {
    for (std::uint32_t doc : {a, b}) {
      if (slot[doc] < 0) slot[doc] = static_cast<std::int64_t>(needed.size()), needed.push_back(doc);
    }
  }
  std::vector<std::vector<std::uint64_t>> shingles(needed.size());
  status = ParallelFor(pool, needed.size(), kGrain, [&](std::size_t begin, std::size_t end) {
    DocumentScanner scanner;
    for (std::size_t idx = begin; idx < end; ++idx) {
      scanner.Scan(texts[needed[idx]]);
      ShingleSet(scanner.word_hashes(), kShingleWords, shingles[idx]);
    }
    return Status::Ok();
  });
  if (!status.ok()) return Fail(status);
  std::size_t verified = 0;
  for (const auto& [a, b] : candidates->pairs) {
    verified += ExactJaccard(shingles[static_cast<std::size_t>(slot[a])], shingles[static_cast<std::size_t>(slot[b])]) >= kThreshold ? std::size_t{1} : std::size_t{0};
  }
  Row("exact Jaccard of candidates (shingle sets)", start, bytes, n);
  std::fprintf(stderr, "%zu candidate pairs, %zu verified\n", candidates->pairs.size(), verified);

  if (!benchmark_path.empty()) {
    Result<CorpusContents> items = ReadWholeCorpus(benchmark_path, CorpusOptions{}, pool);
    if (!items.ok()) return Fail(items.status());
    ContaminationIndex index(kNgramWords);
    DocumentScanner scanner;
    for (const std::string& item : items->texts) {
      scanner.Scan(item);
      index.AddItem(scanner.word_hashes());
    }
    index.Finish();
    start = Start{};
    status = ForEachDocument(pool, documents, [&](std::size_t doc, DocumentScanner& doc_scanner) {
      thread_local std::vector<std::pair<std::uint32_t, std::uint64_t>> scratch;
      thread_local std::vector<std::pair<std::uint32_t, std::uint32_t>> hits;
      doc_scanner.Scan(texts[doc]);
      index.Match(doc_scanner.word_hashes(), scratch, hits);
    });
    if (!status.ok()) return Fail(status);
    Row("normalise + contamination lookup (13-grams)", start, bytes, n);
  }

  if (!source_path.empty()) {
    Result<CorpusContents> source_docs = ReadWholeCorpus(source_path, CorpusOptions{}, pool);
    if (!source_docs.ok()) return Fail(source_docs.status());
    ConcatenatedTexts source(kSourceSeparator);
    for (const std::string& text : source_docs->texts) source.Add(text);
    start = Start{};
    const SourceWindows windows(source, kMinSpanChars);
    std::vector<std::uint8_t> candidate(documents, 0);
    status = ForEachDocument(pool, documents, [&](std::size_t doc, DocumentScanner&) {
      candidate[doc] = windows.MayShare(texts[doc]) ? 1 : 0;
    });
    if (!status.ok()) return Fail(status);
    Row("memorisation prefilter (hashed source windows)", start, bytes, n);
    start = Start{};
    ConcatenatedTexts chunk(kSyntheticSeparator);
    std::size_t chunk_documents = 0;
    std::size_t memorised = 0;
    for (std::size_t doc = 0; doc <= documents; ++doc) {
      if (doc == documents || chunk.bytes().size() >= chunk_mb << 20) {
        Result<std::vector<MemorisedDocument>> found = FindMemorisedSpans(source, chunk, kMinSpanChars, pool);
        if (!found.ok()) return Fail(found.status());
        memorised += found->size();
        chunk.Clear();
      }
      if (doc < documents && candidate[doc] != 0) {
        chunk.Add(texts[doc]);
        ++chunk_documents;
      }
    }
    const std::string stage = "memorisation: suffix arrays of " + std::to_string(source.bytes().size() / 1000000) +
                              " MB source + " + std::to_string(chunk_documents) + " candidate documents";
    Row(stage.c_str(), start, bytes, n);
    std::fprintf(stderr, "%zu candidates, %zu memorised documents\n", chunk_documents, memorised);
  }
  return 0;
}
