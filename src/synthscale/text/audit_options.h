// TextAuditOptions: every setting of `synthscale text audit`, declared once.
//
// kAuditOptionTable names each option with its type, default, bounds and help; the CLI
// makes its flags from it, the Python package its keyword arguments, and FromJson reads
// the same names (unknown names are errors that list the known ones). docs/text.md
// documents the same table.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "synthscale/core/status.h"
#include "synthscale/text/corpus.h"

namespace synthscale::text {

struct TextAuditOptions {
  CorpusOptions corpus;                  // format, id_field, text_field (every input)
  std::uint32_t shingle_words = 5;       // words per MinHash shingle
  double jaccard_threshold = 0.8;        // near duplicates: exact Jaccard of shingle sets >= this
  std::uint32_t bands = 20;              // LSH bands ...
  std::uint32_t rows = 6;                // ... of this many rows: bands * rows permutations
  std::uint64_t seed = 0;                // of the MinHash permutations
  std::uint32_t min_span_chars = 50;     // memorisation: shared spans of at least this many code points
  std::uint32_t ngram_words = 13;        // contamination: words per n-gram
  double contamination_overlap = 0.5;    // share of an item's n-grams a document must hold
  double under_represented_ratio = 0.8;  // share < ratio * target share flags a language
  std::uint32_t memorisation_chunk_mb = 256;  // synthetic text per suffix array, in MiB

  std::uint32_t permutations() const { return bands * rows; }

  // Errors: kInvalidArgument naming the option, its bounds and the value.
  Status Validate() const;
  // The options as a JSON object (the report's "settings"): every key of the table.
  nlohmann::json ToJson() const;
  // Options from a JSON object of table keys (Python's keyword arguments); absent keys
  // keep their defaults. Errors: kInvalidArgument for an unknown key (listing the known
  // ones), a value of the wrong type, or one out of bounds.
  static Result<TextAuditOptions> FromJson(const nlohmann::json& json);
};

enum class AuditOptionType : std::uint8_t { kUnsigned, kNumber, kString };

struct AuditOptionInfo {
  const char* name;           // JSON key and Python keyword; the CLI flag is --name-with-dashes
  AuditOptionType type;
  const char* default_value;  // as a user would type it
  double min;                 // bounds of numbers (inclusive)
  double max;
  const char* help;
};

std::span<const AuditOptionInfo> AuditOptionTable();
// "jaccard_threshold" -> "--jaccard-threshold".
std::string AuditOptionFlag(std::string_view name);

}  // namespace synthscale::text
