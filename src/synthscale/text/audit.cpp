#include "synthscale/text/audit.h"

#include <unicode/uscript.h>

#include <algorithm>
#include <memory>

#include "synthscale/text/audit_results.h"
#include "synthscale/text/contamination.h"
#include "synthscale/text/corpus.h"
#include "synthscale/text/hash.h"
#include "synthscale/text/language_id.h"
#include "synthscale/text/language_targets.h"
#include "synthscale/text/memorisation.h"
#include "synthscale/text/minhash.h"
#include "synthscale/text/near_duplicates.h"
#include "synthscale/text/quality.h"
#include "synthscale/text/report.h"
#include "synthscale/text/scan.h"

namespace synthscale::text {
namespace {

// Documents analysed per task: fixed, so results never depend on the thread count.
constexpr std::size_t kDocumentsPerTask = 64;
constexpr std::size_t kPairsPerTask = 4096;

// A benchmark's name: its file name without folders and extensions ("mmlu.jsonl.gz" -> "mmlu").
std::string BenchmarkName(const std::string& path) {
  std::string name = path.substr(path.find_last_of('/') + 1);
  const std::size_t dot = name.find('.');
  if (dot != std::string::npos && dot > 0) name.resize(dot);
  return name;
}

// What one document contributes to its language's sums.
struct DocumentFacts {
  std::uint16_t slot = 0;
  bool reliable = false;
  int script = -1;
  std::uint64_t bytes = 0;
  std::uint64_t words = 0;
  CharacterCounts counts;
  RepetitionCounts repetition;
};

std::size_t LengthBin(std::uint64_t chars) {
  return static_cast<std::size_t>(std::upper_bound(kLengthEdges.begin(), kLengthEdges.end(), chars) -
                                  kLengthEdges.begin());
}

class Auditor {
 public:
  Auditor(const TextAuditInputs& inputs, const TextAuditOptions& options, const Context& ctx)
      : inputs_(inputs), options_(options), ctx_(ctx), hasher_(options.permutations(), options.seed),
        index_(options.ngram_words) {
    results_.options = options;
    results_.synthetic_path = inputs.synthetic;
    results_.source_path = inputs.source;
    results_.targets_path = inputs.language_targets;
    results_.scripts = static_cast<std::size_t>(USCRIPT_CODE_LIMIT);
    stride_ = LanguageTotals::kFields + results_.scripts;
    results_.language_totals.assign(std::size_t{LanguageSlotCount()} * stride_, 0);
  }

  Status ReadTargets() {
    if (inputs_.language_targets.empty()) return Status::Ok();
    SYNTHSCALE_ASSIGN_OR_RETURN(results_.targets, ReadLanguageTargets(inputs_.language_targets));
    return Status::Ok();
  }

  Status ReadBenchmarks() {
    DocumentScanner scanner;
    for (const std::string& path : inputs_.benchmarks) {
      BenchmarkSummary summary;
      summary.name = BenchmarkName(path);
      summary.path = path;
      for (const BenchmarkSummary& other : results_.benchmarks) {
        if (other.name == summary.name) {
          return InvalidArgument("two benchmarks are named '" + summary.name + "' ('" + other.path + "' and '" + path +
                                 "'); a benchmark's name is its file name without extensions, so rename one");
        }
      }
      ctx_.Progress("text audit: reading benchmark " + summary.name, 0, 0);
      SYNTHSCALE_ASSIGN_OR_RETURN(CorpusContents items, ReadWholeCorpus(path, options_.corpus, ctx_.pool()));
      summary.first_item = static_cast<std::uint32_t>(index_.items());
      summary.items = items.ids.size();
      for (std::size_t idx = 0; idx < items.ids.size(); ++idx) {
        scanner.Scan(items.texts[idx]);
        const std::uint32_t item = index_.AddItem(scanner.word_hashes());
        if (index_.ngrams(item) == 0) ++summary.too_short;
        results_.item_ids.push_back(items.ids[idx]);
        results_.item_benchmark.push_back(static_cast<std::uint32_t>(results_.benchmarks.size()));
        results_.item_ngrams.push_back(index_.ngrams(item));
      }
      results_.benchmarks.push_back(std::move(summary));
    }
    index_.Finish();
    return Status::Ok();
  }

  Status ReadSource() {
    if (inputs_.source.empty()) return Status::Ok();
    ctx_.Progress("text audit: reading the source", 0, 0);
    SYNTHSCALE_ASSIGN_OR_RETURN(CorpusContents source, ReadWholeCorpus(inputs_.source, options_.corpus, ctx_.pool()));
    results_.has_source = true;
    results_.source_documents = source.ids.size();
    for (const std::string& text : source.texts) {
      source_.Add(text);
      results_.source_bytes += text.size();
    }
    results_.source_ids = std::move(source.ids);
    windows_ = std::make_unique<SourceWindows>(source_, options_.min_span_chars);
    return Status::Ok();
  }

  // Pass 1: every document once.
  Status AnalyseSynthetic() {
    SYNTHSCALE_ASSIGN_OR_RETURN(std::unique_ptr<CorpusReader> reader,
                                CorpusReader::Open(inputs_.synthetic, options_.corpus));
    const std::size_t width = options_.permutations();
    CorpusBatch batch;
    std::vector<DocumentFacts> facts;
    std::vector<std::uint8_t> may_share;  // passed the memorisation prefilter
    for (;;) {
      SYNTHSCALE_ASSIGN_OR_RETURN(bool more, reader->Next(batch, ctx_.pool()));
      if (!more) break;
      const std::size_t base = results_.documents;
      const std::size_t count = batch.size();
      facts.assign(count, DocumentFacts{});
      may_share.assign(count, 0);
      hashes_.resize(base + count);
      has_words_.resize(base + count, 0);
      signatures_.resize((base + count) * width);
      lines_.resize(base + count);
      const std::size_t num_tasks = NumTasks(count, kDocumentsPerTask);
      std::vector<std::vector<ContaminationHit>> task_hits(num_tasks);
      SYNTHSCALE_RETURN_IF_ERROR(ctx_.pool().Run(num_tasks, [&](std::size_t task_idx) -> Status {
        const TaskRange range = TaskBounds(task_idx, count, kDocumentsPerTask);
        DocumentScanner scanner;
        RepetitionScratch repetition;
        std::vector<std::pair<std::uint32_t, std::uint64_t>> match_scratch;
        std::vector<std::pair<std::uint32_t, std::uint32_t>> matches;
        for (std::size_t idx = range.begin; idx < range.end; ++idx) {
          const CorpusDocument& doc = batch.documents()[idx];
          const std::size_t global = base + idx;
          hashes_[global] = text_internal::DocumentHash(doc.text);
          scanner.Scan(doc.text);
          const LanguageGuess guess = IdentifyLanguage(doc.text);
          DocumentFacts& fact = facts[idx];
          fact.slot = guess.slot;
          fact.reliable = guess.reliable;
          fact.script = scanner.dominant_script();
          fact.bytes = doc.text.size();
          fact.words = scanner.word_hashes().size();
          fact.counts = scanner.counts();
          fact.repetition = MeasureRepetition(scanner.word_hashes(), scanner.word_chars(), repetition);
          const std::span<std::uint32_t> signature(signatures_.data() + global * width, width);
          has_words_[global] = hasher_.Sign(scanner.word_hashes(), options_.shingle_words, signature) ? 1 : 0;
          if (windows_ && windows_->MayShare(doc.text)) may_share[idx] = 1;
          if (index_.items() > 0) {
            index_.Match(scanner.word_hashes(), match_scratch, matches);
            for (const auto& [item, found] : matches) {
              task_hits[task_idx].push_back({item, static_cast<std::uint32_t>(global), found});
            }
          }
        }
        return Status::Ok();
      }));
      for (std::size_t idx = 0; idx < count; ++idx) {
        const CorpusDocument& doc = batch.documents()[idx];
        AddFacts(facts[idx]);
        results_.id_bytes += doc.id;
        results_.id_starts.push_back(results_.id_bytes.size());
        lines_[base + idx] = doc.line;
      }
      for (const std::vector<ContaminationHit>& hits : task_hits) hits_.insert(hits_.end(), hits.begin(), hits.end());
      results_.documents += count;
      if (results_.has_source) {
        for (std::size_t idx = 0; idx < count; ++idx) {
          if (may_share[idx] == 0) continue;  // cannot share a span of min_span_chars with the source
          ++results_.memorisation_candidates;
          chunk_.Add(batch.documents()[idx].text);
          chunk_docs_.push_back(static_cast<std::uint32_t>(base + idx));
          if (chunk_.bytes().size() >= std::size_t{options_.memorisation_chunk_mb} << 20) {
            SYNTHSCALE_RETURN_IF_ERROR(CheckChunk());
          }
        }
      }
      ctx_.Progress("text audit: analysing " + inputs_.synthetic, reader->consumed(), reader->total());
    }
    if (results_.has_source && chunk_.size() > 0) SYNTHSCALE_RETURN_IF_ERROR(CheckChunk());
    return CheckUniqueIds();
  }

  Status FindDuplicates() {
    const std::size_t n = results_.documents;
    // Exact duplicates: equal 128-bit hashes of the text.
    std::vector<std::uint32_t> order(n);
    for (std::uint32_t doc = 0; doc < n; ++doc) order[doc] = doc;
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      return hashes_[a] != hashes_[b] ? hashes_[a] < hashes_[b] : a < b;
    });
    DisjointSets sets(n);
    std::vector<std::uint8_t> representative(n, 1);
    for (std::size_t begin = 0; begin < n;) {
      std::size_t end = begin + 1;
      while (end < n && hashes_[order[end]] == hashes_[order[begin]]) ++end;
      if (end - begin > 1) {
        std::vector<std::uint32_t> cluster(order.begin() + static_cast<std::ptrdiff_t>(begin),
                                           order.begin() + static_cast<std::ptrdiff_t>(end));
        for (std::size_t member = 1; member < cluster.size(); ++member) {
          sets.Union(cluster[0], cluster[member]);
          representative[cluster[member]] = 0;
        }
        results_.exact_clusters.push_back(std::move(cluster));
      }
      begin = end;
    }
    std::sort(results_.exact_clusters.begin(), results_.exact_clusters.end());

    // Near duplicates among one representative per exact cluster, with words.
    std::vector<std::uint32_t> candidates_of;
    for (std::uint32_t doc = 0; doc < n; ++doc) {
      if (has_words_[doc] == 0) ++results_.documents_without_words;
      if (representative[doc] != 0 && has_words_[doc] != 0) candidates_of.push_back(doc);
    }
    ctx_.Progress("text audit: near-duplicate candidates", 0, 0);
    SYNTHSCALE_ASSIGN_OR_RETURN(LshCandidates candidates,
                                FindLshCandidates(signatures_, candidates_of, options_.bands, options_.rows,
                                                  options_.jaccard_threshold, ctx_.pool()));
    signatures_ = {};
    results_.lsh_comparisons = candidates.comparisons;
    results_.lsh_windowed_members = candidates.windowed_members;
    results_.candidate_pairs = candidates.pairs.size();
    if (!candidates.pairs.empty()) {
      SYNTHSCALE_ASSIGN_OR_RETURN(std::vector<std::uint8_t> verified, VerifyPairs(candidates.pairs));
      for (std::size_t idx = 0; idx < candidates.pairs.size(); ++idx) {
        if (verified[idx] == 0) continue;
        ++results_.verified_pairs;
        sets.Union(candidates.pairs[idx].first, candidates.pairs[idx].second);
      }
    }
    results_.near_clusters = sets.Clusters();
    return Status::Ok();
  }

  void CollectHits() {
    std::sort(hits_.begin(), hits_.end(), [](const ContaminationHit& a, const ContaminationHit& b) {
      return a.item != b.item ? a.item < b.item : a.document < b.document;
    });
    results_.hits = std::move(hits_);
  }

  Status ReduceTotals(const Communicator& comm) { return comm.AllReduceSum(results_.language_totals); }

  AuditResults& results() { return results_; }

 private:
  void AddFacts(const DocumentFacts& fact) {
    std::int64_t* totals = results_.language_totals.data() + std::size_t{fact.slot} * stride_;
    const auto add = [&](std::size_t field, std::uint64_t value) { totals[field] += static_cast<std::int64_t>(value); };
    add(LanguageTotals::kDocuments, 1);
    add(LanguageTotals::kUnreliable, fact.reliable ? 0 : 1);
    add(LanguageTotals::kBytes, fact.bytes);
    add(LanguageTotals::kChars, fact.counts.chars);
    add(LanguageTotals::kWords, fact.words);
    add(LanguageTotals::kLetters, fact.counts.letters);
    add(LanguageTotals::kDigits, fact.counts.digits);
    add(LanguageTotals::kWhitespace, fact.counts.whitespace);
    add(LanguageTotals::kPunctuation, fact.counts.punctuation);
    add(LanguageTotals::kSymbols, fact.counts.symbols);
    add(LanguageTotals::kOther, fact.counts.other);
    add(LanguageTotals::kWordChars, fact.repetition.word_chars);
    add(LanguageTotals::kTopBigramChars, fact.repetition.top_bigram_chars);
    add(LanguageTotals::kDuplicate5gramChars, fact.repetition.duplicate_5gram_chars);
    // Repetitive: duplicate 5-grams cover more than kRepetitiveShare of the word characters.
    const bool repetitive = static_cast<double>(fact.repetition.duplicate_5gram_chars) >
                            kRepetitiveShare * static_cast<double>(fact.repetition.word_chars);
    add(LanguageTotals::kRepetitive, repetitive ? 1 : 0);
    add(LanguageTotals::kLengthHistogram + LengthBin(fact.counts.chars), 1);
    if (fact.script >= 0) add(LanguageTotals::kFields + static_cast<std::size_t>(fact.script), 1);
  }

  Status CheckChunk() {
    ctx_.Progress("text audit: memorisation (suffix array)", results_.memorisation_chunks, 0);
    SYNTHSCALE_ASSIGN_OR_RETURN(std::vector<MemorisedDocument> found,
                                FindMemorisedSpans(source_, chunk_, options_.min_span_chars, ctx_.pool()));
    for (MemorisedDocument& doc : found) {
      results_.memorised.emplace_back(chunk_docs_[doc.document], std::move(doc));
    }
    ++results_.memorisation_chunks;
    chunk_.Clear();
    chunk_docs_.clear();
    return Status::Ok();
  }

  Status CheckUniqueIds() {
    const std::size_t n = results_.documents;
    std::vector<std::uint32_t> order(n);
    for (std::uint32_t doc = 0; doc < n; ++doc) order[doc] = doc;
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      const std::string_view id_a = results_.Id(a);
      const std::string_view id_b = results_.Id(b);
      return id_a != id_b ? id_a < id_b : a < b;
    });
    for (std::size_t idx = 1; idx < n; ++idx) {
      if (results_.Id(order[idx]) == results_.Id(order[idx - 1])) {
        SourceLocation location;
        location.file = inputs_.synthetic;
        location.line = lines_[order[idx]];
        return InvalidData("duplicate document id '" + std::string(results_.Id(order[idx])) + "' (first on line " +
                               std::to_string(lines_[order[idx - 1]]) +
                               "); ids must be unique, or leave them out to use line numbers",
                           location);
      }
    }
    lines_ = {};
    return Status::Ok();
  }

  // Pass 2: exact Jaccard of the candidate pairs, from their shingle sets.
  Result<std::vector<std::uint8_t>> VerifyPairs(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& pairs) {
    const std::size_t n = results_.documents;
    std::vector<std::int64_t> slot(n, -1);
    std::vector<std::uint32_t> needed;
    for (const auto& [a, b] : pairs) {
      for (std::uint32_t doc : {a, b}) {
        if (slot[doc] < 0) {
          slot[doc] = 0;
          needed.push_back(doc);
        }
      }
    }
    std::sort(needed.begin(), needed.end());
    for (std::size_t idx = 0; idx < needed.size(); ++idx) slot[needed[idx]] = static_cast<std::int64_t>(idx);
    std::vector<std::vector<std::uint64_t>> shingles(needed.size());

    SYNTHSCALE_ASSIGN_OR_RETURN(std::unique_ptr<CorpusReader> reader,
                                CorpusReader::Open(inputs_.synthetic, options_.corpus));
    CorpusBatch batch;
    std::size_t base = 0;
    for (;;) {
      SYNTHSCALE_ASSIGN_OR_RETURN(bool more, reader->Next(batch, ctx_.pool()));
      if (!more) break;
      const std::size_t count = batch.size();
      if (base + count > n) break;
      const std::size_t num_tasks = NumTasks(count, kDocumentsPerTask);
      SYNTHSCALE_RETURN_IF_ERROR(ctx_.pool().Run(num_tasks, [&](std::size_t task_idx) -> Status {
        const TaskRange range = TaskBounds(task_idx, count, kDocumentsPerTask);
        DocumentScanner scanner;
        for (std::size_t idx = range.begin; idx < range.end; ++idx) {
          const std::int64_t at = slot[base + idx];
          if (at < 0) continue;
          const CorpusDocument& doc = batch.documents()[idx];
          if (text_internal::DocumentHash(doc.text) != hashes_[base + idx]) {
            return IOError("'" + inputs_.synthetic + "' changed while it was being audited (line " +
                               std::to_string(doc.line) + " differs); audit a file nobody is writing",
                           inputs_.synthetic);
          }
          scanner.Scan(doc.text);
          ShingleSet(scanner.word_hashes(), options_.shingle_words, shingles[static_cast<std::size_t>(at)]);
        }
        return Status::Ok();
      }));
      base += count;
      ctx_.Progress("text audit: verifying near duplicates", reader->consumed(), reader->total());
    }
    if (base != n) {
      return IOError("'" + inputs_.synthetic + "' changed while it was being audited (" + std::to_string(n) +
                         " documents, then " + std::to_string(base) + "); audit a file nobody is writing",
                     inputs_.synthetic);
    }
    std::vector<std::uint8_t> verified(pairs.size(), 0);
    SYNTHSCALE_RETURN_IF_ERROR(ParallelFor(ctx_.pool(), pairs.size(), kPairsPerTask, [&](std::size_t begin, std::size_t end) {
      for (std::size_t idx = begin; idx < end; ++idx) {
        const auto& a = shingles[static_cast<std::size_t>(slot[pairs[idx].first])];
        const auto& b = shingles[static_cast<std::size_t>(slot[pairs[idx].second])];
        verified[idx] = ExactJaccard(a, b) >= options_.jaccard_threshold ? 1 : 0;
      }
      return Status::Ok();
    }));
    return verified;
  }

  const TextAuditInputs& inputs_;
  const TextAuditOptions& options_;
  const Context& ctx_;
  MinHasher hasher_;
  ContaminationIndex index_;
  ConcatenatedTexts source_{kSourceSeparator};
  std::unique_ptr<SourceWindows> windows_;
  ConcatenatedTexts chunk_{kSyntheticSeparator};
  std::vector<std::uint32_t> chunk_docs_;
  std::size_t stride_ = 0;
  AuditResults results_;
  std::vector<text_internal::Hash128> hashes_;
  std::vector<std::uint8_t> has_words_;
  std::vector<std::uint32_t> signatures_;
  std::vector<std::int64_t> lines_;
  std::vector<ContaminationHit> hits_;
};

}  // namespace

Result<nlohmann::json> RunTextAudit(const TextAuditInputs& inputs, const TextAuditOptions& options, const Context& ctx,
                                    const Communicator& comm) {
  SYNTHSCALE_RETURN_IF_ERROR(options.Validate());
  if (inputs.synthetic.empty()) return InvalidArgument("no synthetic corpus given; pass --synthetic FILE");
  auto auditor = std::make_unique<Auditor>(inputs, options, ctx);
  SYNTHSCALE_RETURN_IF_ERROR(auditor->ReadTargets());
  SYNTHSCALE_RETURN_IF_ERROR(auditor->ReadBenchmarks());
  SYNTHSCALE_RETURN_IF_ERROR(auditor->ReadSource());
  SYNTHSCALE_RETURN_IF_ERROR(auditor->AnalyseSynthetic());
  SYNTHSCALE_RETURN_IF_ERROR(auditor->FindDuplicates());
  auditor->CollectHits();
  SYNTHSCALE_RETURN_IF_ERROR(auditor->ReduceTotals(comm));
  return BuildTextReport(auditor->results());
}

}  // namespace synthscale::text
