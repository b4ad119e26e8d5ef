// report.json from the audit's results: every key is documented in docs/text.md.
#include <algorithm>

#include "synthscale/core/version.h"
#include "synthscale/text/audit.h"
#include "synthscale/text/audit_results.h"
#include "synthscale/text/language_id.h"
#include "synthscale/text/minhash.h"
#include "synthscale/text/near_duplicates.h"
#include "synthscale/text/report.h"
#include "synthscale/text/scan.h"

namespace synthscale::text {
namespace {

using nlohmann::json;

// At most this many document ids per contaminated item (the count is always given).
constexpr std::size_t kMaxListedDocuments = 1000;

double Share(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

std::string BaseName(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

json IdLists(const AuditResults& results, const std::vector<std::vector<std::uint32_t>>& clusters) {
  json lists = json::array();
  for (const std::vector<std::uint32_t>& cluster : clusters) {
    json ids = json::array();
    for (std::uint32_t doc : cluster) ids.push_back(std::string(results.Id(doc)));
    lists.push_back(std::move(ids));
  }
  return lists;
}

std::uint64_t Removable(const std::vector<std::vector<std::uint32_t>>& clusters) {
  std::uint64_t removable = 0;
  for (const auto& cluster : clusters) removable += cluster.size() - 1;
  return removable;
}

std::uint64_t InClusters(const std::vector<std::vector<std::uint32_t>>& clusters) {
  std::uint64_t members = 0;
  for (const auto& cluster : clusters) members += cluster.size();
  return members;
}

struct LanguageView {
  const std::int64_t* totals;
  std::size_t scripts;
  std::int64_t operator[](std::size_t field) const { return totals[field]; }
};

json LanguagesSection(const AuditResults& results, std::int64_t total_documents, json& quality) {
  const std::size_t stride = LanguageTotals::kFields + results.scripts;
  json languages = json::object();
  for (std::uint16_t slot = 0; slot < LanguageSlotCount(); ++slot) {
    const LanguageView view{results.language_totals.data() + std::size_t{slot} * stride, results.scripts};
    const std::int64_t documents = view[LanguageTotals::kDocuments];
    if (documents == 0) continue;
    const std::string code = LanguageSlotCode(slot);
    json scripts = json::object();
    std::string dominant = "Zyyy";
    std::int64_t dominant_count = 0;
    for (std::size_t script = 0; script < results.scripts; ++script) {
      const std::int64_t count = view[LanguageTotals::kFields + script];
      if (count == 0) continue;
      scripts[ScriptCode(static_cast<int>(script))] = count;
      if (count > dominant_count) {
        dominant_count = count;
        dominant = ScriptCode(static_cast<int>(script));
      }
    }
    languages[code] = {
        {"name", LanguageSlotName(slot)},
        {"documents", documents},
        {"share", Share(documents, total_documents)},
        {"unreliable_documents", view[LanguageTotals::kUnreliable]},
        {"script", dominant},
        {"scripts", std::move(scripts)},
    };
    const std::int64_t chars = view[LanguageTotals::kChars];
    json histogram_counts = json::array();
    for (std::size_t bin = 0; bin < kLengthBins; ++bin) histogram_counts.push_back(view[LanguageTotals::kLengthHistogram + bin]);
    quality[code] = {
        {"documents", documents},
        {"mean_chars", Share(chars, documents)},
        {"mean_words", Share(view[LanguageTotals::kWords], documents)},
        {"mean_bytes", Share(view[LanguageTotals::kBytes], documents)},
        {"length_histogram", {{"upper_edges_chars", kLengthEdges}, {"documents", std::move(histogram_counts)}}},
        {"character_classes",
         {{"letters", Share(view[LanguageTotals::kLetters], chars)},
          {"digits", Share(view[LanguageTotals::kDigits], chars)},
          {"whitespace", Share(view[LanguageTotals::kWhitespace], chars)},
          {"punctuation", Share(view[LanguageTotals::kPunctuation], chars)},
          {"symbols", Share(view[LanguageTotals::kSymbols], chars)},
          {"other", Share(view[LanguageTotals::kOther], chars)}}},
        {"top_bigram_char_share", Share(view[LanguageTotals::kTopBigramChars], view[LanguageTotals::kWordChars])},
        {"duplicate_5gram_char_share",
         Share(view[LanguageTotals::kDuplicate5gramChars], view[LanguageTotals::kWordChars])},
        {"repetitive_documents", view[LanguageTotals::kRepetitive]},
    };
  }
  return languages;
}

// Shares against the targets: under-represented when share < ratio * target share.
json TargetsSection(const AuditResults& results, json& languages, std::int64_t total_documents) {
  if (results.targets.empty()) return nullptr;
  json under = json::array();
  json missing = json::array();
  json untargeted = json::array();
  json rows = json::array();
  for (const LanguageTarget& target : results.targets) {
    const bool present = languages.contains(target.code);
    const std::int64_t documents = present ? languages[target.code]["documents"].get<std::int64_t>() : 0;
    const double share = Share(documents, total_documents);
    const bool is_under = share < results.options.under_represented_ratio * target.share;
    if (is_under) under.push_back(target.code);
    if (!present) missing.push_back(target.code);
    if (present) {
      languages[target.code]["target_share"] = target.share;
      languages[target.code]["representation_ratio"] = share / target.share;
      languages[target.code]["under_represented"] = is_under;
    }
    rows.push_back({{"language", target.code},
                    {"target_share", target.share},
                    {"share", share},
                    {"documents", documents},
                    {"representation_ratio", share / target.share},
                    {"under_represented", is_under}});
  }
  for (const auto& item : languages.items()) {
    const std::string code = item.key();  // a named copy: clang 14 cannot capture a structured binding
    const bool targeted = std::any_of(results.targets.begin(), results.targets.end(),
                                      [&](const LanguageTarget& target) { return target.code == code; });
    if (!targeted) untargeted.push_back(code);
  }
  return {{"file", BaseName(results.targets_path)},
          {"under_represented_ratio", results.options.under_represented_ratio},
          {"targets", std::move(rows)},
          {"under_represented", std::move(under)},
          {"missing", std::move(missing)},
          {"untargeted", std::move(untargeted)}};
}

json NearDuplicatesSection(const AuditResults& results) {
  const TextAuditOptions& options = results.options;
  json curve = json::array();
  for (int step = 10; step <= 20; ++step) {
    const double jaccard = step * 0.05;
    curve.push_back({{"jaccard", jaccard},
                     {"candidate_probability", CandidateProbability(jaccard, options.bands, options.rows)}});
  }
  return {
      {"clusters", IdLists(results, results.near_clusters)},
      {"cluster_count", results.near_clusters.size()},
      {"documents_in_clusters", InClusters(results.near_clusters)},
      {"removable_documents", Removable(results.near_clusters)},
      {"shingle_words", options.shingle_words},
      {"jaccard_threshold", options.jaccard_threshold},
      {"bands", options.bands},
      {"rows", options.rows},
      {"permutations", options.permutations()},
      {"prefilter_margin", kPrefilterMargin},
      {"bucket_window", kBucketWindow},
      {"recall_curve", std::move(curve)},
      {"documents_without_words", results.documents_without_words},
      {"signature_comparisons", results.lsh_comparisons},
      {"windowed_bucket_members", results.lsh_windowed_members},
      {"candidate_pairs", results.candidate_pairs},
      {"verified_pairs", results.verified_pairs},
  };
}

json MemorisationSection(const AuditResults& results) {
  if (!results.has_source) return nullptr;
  json documents = json::array();
  for (const auto& [doc, found] : results.memorised) {
    json examples = json::array();
    for (const MemorisedSpan& span : found.examples) {
      examples.push_back({{"offset_chars", span.offset_chars},
                          {"length_chars", span.length_chars},
                          {"source_id", results.source_ids[span.source]},
                          {"source_offset_chars", span.source_offset_chars},
                          {"text", span.text}});
    }
    documents.push_back({{"id", std::string(results.Id(doc))},
                         {"source_id", results.source_ids[found.source]},
                         {"longest_span_chars", found.longest_chars},
                         {"memorised_chars", found.memorised_chars},
                         {"memorised_share", Share(static_cast<std::int64_t>(found.memorised_chars),
                                                   static_cast<std::int64_t>(found.document_chars))},
                         {"spans", found.spans},
                         {"examples", std::move(examples)}});
  }
  return {{"min_span_chars", results.options.min_span_chars},
          {"source", {{"file", BaseName(results.source_path)},
                      {"documents", results.source_documents},
                      {"bytes", results.source_bytes}}},
          {"document_count", results.memorised.size()},
          {"documents", std::move(documents)},
          {"candidate_documents", results.memorisation_candidates},
          {"chunks", results.memorisation_chunks}};
}

json ContaminationSection(const AuditResults& results) {
  if (results.benchmarks.empty()) return nullptr;
  const double threshold = results.options.contamination_overlap;
  json items = json::array();
  std::vector<std::uint64_t> contaminated_per_benchmark(results.benchmarks.size(), 0);
  std::vector<std::uint8_t> document_contaminated;
  std::uint64_t contaminated_documents = 0;
  std::vector<std::uint32_t> dirty;
  for (std::size_t begin = 0; begin < results.hits.size();) {
    const std::uint32_t item = results.hits[begin].item;
    std::size_t end = begin;
    double max_overlap = 0.0;
    std::vector<std::uint32_t> documents;
    const std::uint32_t ngrams = results.item_ngrams[item];
    for (; end < results.hits.size() && results.hits[end].item == item; ++end) {
      const double overlap = static_cast<double>(results.hits[end].ngrams) / static_cast<double>(ngrams);
      max_overlap = std::max(max_overlap, overlap);
      if (overlap >= threshold) documents.push_back(results.hits[end].document);
    }
    begin = end;
    if (documents.empty()) continue;
    ++contaminated_per_benchmark[results.item_benchmark[item]];
    dirty.insert(dirty.end(), documents.begin(), documents.end());
    json ids = json::array();
    for (std::size_t idx = 0; idx < documents.size() && idx < kMaxListedDocuments; ++idx) {
      ids.push_back(std::string(results.Id(documents[idx])));
    }
    items.push_back({{"benchmark", results.benchmarks[results.item_benchmark[item]].name},
                     {"benchmark_id", results.item_ids[item]},
                     {"ngrams", ngrams},
                     {"max_overlap", max_overlap},
                     {"document_count", documents.size()},
                     {"documents", std::move(ids)}});
  }
  std::sort(dirty.begin(), dirty.end());
  contaminated_documents = static_cast<std::uint64_t>(std::unique(dirty.begin(), dirty.end()) - dirty.begin());
  json benchmarks = json::array();
  std::uint64_t contaminated_items = 0;
  for (std::size_t idx = 0; idx < results.benchmarks.size(); ++idx) {
    const BenchmarkSummary& benchmark = results.benchmarks[idx];
    contaminated_items += contaminated_per_benchmark[idx];
    benchmarks.push_back({{"name", benchmark.name},
                          {"file", BaseName(benchmark.path)},
                          {"items", benchmark.items},
                          {"too_short", benchmark.too_short},
                          {"contaminated_items", contaminated_per_benchmark[idx]}});
  }
  return {{"ngram_words", results.options.ngram_words},
          {"overlap_threshold", threshold},
          {"max_listed_documents", kMaxListedDocuments},
          {"benchmarks", std::move(benchmarks)},
          {"contaminated_items", contaminated_items},
          {"contaminated_documents", contaminated_documents},
          {"items", std::move(items)}};
}

}  // namespace

nlohmann::json BuildTextReport(const AuditResults& results) {
  const std::size_t stride = LanguageTotals::kFields + results.scripts;
  std::int64_t total_documents = 0;
  std::int64_t total_bytes = 0;
  std::int64_t total_chars = 0;
  std::int64_t undetermined = 0;
  std::int64_t identified_languages = 0;
  std::string top_language;
  std::int64_t top_documents = 0;
  for (std::uint16_t slot = 0; slot < LanguageSlotCount(); ++slot) {
    const std::int64_t* totals = results.language_totals.data() + std::size_t{slot} * stride;
    total_documents += totals[LanguageTotals::kDocuments];
    total_bytes += totals[LanguageTotals::kBytes];
    total_chars += totals[LanguageTotals::kChars];
    if (totals[LanguageTotals::kDocuments] == 0) continue;
    if (slot == UndeterminedSlot() || slot == MixedSlot()) {
      undetermined += totals[LanguageTotals::kDocuments];
      continue;
    }
    ++identified_languages;
    if (totals[LanguageTotals::kDocuments] > top_documents) {
      top_documents = totals[LanguageTotals::kDocuments];
      top_language = LanguageSlotCode(slot);
    }
  }
  json quality = json::object();
  json languages = LanguagesSection(results, total_documents, quality);
  json targets = TargetsSection(results, languages, total_documents);
  json memorisation = MemorisationSection(results);
  json contamination = ContaminationSection(results);

  json settings = results.options.ToJson();
  settings["language_targets"] = results.targets_path.empty() ? json(nullptr) : json(BaseName(results.targets_path));
  json summary = {
      {"documents", total_documents},
      {"languages_identified", identified_languages},
      {"top_language", top_language.empty() ? json(nullptr) : json(top_language)},
      {"undetermined_or_mixed_documents", undetermined},
      {"exact_duplicate_clusters", results.exact_clusters.size()},
      {"exact_duplicate_removable_documents", Removable(results.exact_clusters)},
      {"near_duplicate_clusters", results.near_clusters.size()},
      {"near_duplicate_removable_documents", Removable(results.near_clusters)},
      {"memorised_documents", results.has_source ? json(results.memorised.size()) : json(nullptr)},
      {"contaminated_items", contamination.is_null() ? json(nullptr) : contamination["contaminated_items"]},
      {"contaminated_documents", contamination.is_null() ? json(nullptr) : contamination["contaminated_documents"]},
      {"under_represented_languages", targets.is_null() ? json(nullptr) : targets["under_represented"]},
  };
  return {
      {"format", "synthscale-text-report"},
      {"version", kTextReportVersion},
      {"generator",
       {{"name", "synthscale"},
        {"version", Version()},
        {"commit", GitCommit()},
        {"language_identifier", LanguageIdentifierVersion()}}},
      {"settings", std::move(settings)},
      {"inputs",
       {{"synthetic", {{"file", BaseName(results.synthetic_path)}, {"documents", total_documents},
                       {"bytes", total_bytes}, {"characters", total_chars}}}}},
      {"summary", std::move(summary)},
      {"languages", std::move(languages)},
      {"language_targets", std::move(targets)},
      {"quality", std::move(quality)},
      {"exact_duplicates",
       {{"clusters", IdLists(results, results.exact_clusters)},
        {"cluster_count", results.exact_clusters.size()},
        {"documents_in_clusters", InClusters(results.exact_clusters)},
        {"removable_documents", Removable(results.exact_clusters)}}},
      {"near_duplicates", NearDuplicatesSection(results)},
      {"memorisation", std::move(memorisation)},
      {"contamination", std::move(contamination)},
  };
}

std::string TextReportJson(const nlohmann::json& report) { return report.dump(2) + "\n"; }

}  // namespace synthscale::text
