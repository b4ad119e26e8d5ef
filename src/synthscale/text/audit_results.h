// What the text audit's passes produce, before it becomes report.json (internal to
// text/: audit.cpp fills it, report_json.cpp turns it into JSON).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "synthscale/text/audit_options.h"
#include "synthscale/text/language_targets.h"
#include "synthscale/text/memorisation.h"

namespace synthscale::text {

// Upper edges (code points) of the document-length histogram; the last bin is open.
inline constexpr std::array<std::uint64_t, 10> kLengthEdges = {50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000};
inline constexpr std::size_t kLengthBins = kLengthEdges.size() + 1;

// Integer sums per language slot, laid out so that one AllReduceSum adds them across ranks.
struct LanguageTotals {
  enum Field : std::size_t {
    kDocuments, kUnreliable, kBytes, kChars, kWords, kLetters, kDigits, kWhitespace, kPunctuation, kSymbols,
    kOther, kWordChars, kTopBigramChars, kDuplicate5gramChars, kRepetitive, kLengthHistogram,
    kFields = kLengthHistogram + kLengthBins,
  };
};

struct BenchmarkSummary {
  std::string name;  // file name without folders and extensions
  std::string path;
  std::uint64_t items = 0;
  std::uint64_t too_short = 0;  // items with fewer words than one n-gram
  std::uint32_t first_item = 0;  // index of its first item in the contamination index
};

struct ContaminationHit {
  std::uint32_t item;
  std::uint32_t document;
  std::uint32_t ngrams;  // distinct item n-grams found in the document
};

struct AuditResults {
  TextAuditOptions options;
  std::string synthetic_path;
  std::string source_path;
  std::string targets_path;

  // Synthetic documents, in corpus order.
  std::uint64_t documents = 0;
  std::string id_bytes;
  std::vector<std::uint64_t> id_starts{0};
  std::string_view Id(std::size_t doc) const {
    return std::string_view(id_bytes).substr(id_starts[doc], id_starts[doc + 1] - id_starts[doc]);
  }

  // Per language slot (LanguageSlotCount()): LanguageTotals::kFields sums, then the
  // letters of each dominant script (kScripts entries).
  std::vector<std::int64_t> language_totals;
  std::size_t scripts = 0;  // ICU's script code count
  std::vector<LanguageTarget> targets;

  std::vector<std::vector<std::uint32_t>> exact_clusters;
  std::vector<std::vector<std::uint32_t>> near_clusters;
  std::uint64_t documents_without_words = 0;
  std::uint64_t lsh_comparisons = 0;
  std::uint64_t lsh_windowed_members = 0;
  std::uint64_t candidate_pairs = 0;
  std::uint64_t verified_pairs = 0;

  bool has_source = false;
  std::uint64_t source_documents = 0;
  std::uint64_t source_bytes = 0;
  std::vector<std::string> source_ids;
  std::vector<std::pair<std::uint32_t, MemorisedDocument>> memorised;  // (synthetic document, result), in order
  std::uint64_t memorisation_candidates = 0;  // documents that passed the window prefilter
  std::uint64_t memorisation_chunks = 0;

  std::vector<BenchmarkSummary> benchmarks;
  std::vector<std::string> item_ids;
  std::vector<std::uint32_t> item_benchmark;
  std::vector<std::uint32_t> item_ngrams;
  std::vector<ContaminationHit> hits;  // every (item, document) with at least one shared n-gram, by item then document
};

}  // namespace synthscale::text
