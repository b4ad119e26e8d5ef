#include "synthscale/text/audit_options.h"

#include <array>
#include <cmath>

namespace synthscale::text {
namespace {

constexpr std::array<AuditOptionInfo, 13> kTable{{
    {"format", AuditOptionType::kString, "auto", 0, 0,
     "Corpus format of every input: auto (by extension: .jsonl/.ndjson/.json or .txt, optionally .gz; "
     "else by the first byte), jsonl (one JSON object per line) or text (one document per line)"},
    {"id_field", AuditOptionType::kString, "id", 0, 0,
     "JSONL field with the document id (string or integer; absent: the line number)"},
    {"text_field", AuditOptionType::kString, "text", 0, 0, "JSONL field with the document text"},
    {"shingle_words", AuditOptionType::kUnsigned, "5", 1, 64, "Words per shingle for near duplicates"},
    {"jaccard_threshold", AuditOptionType::kNumber, "0.8", 0.05, 1.0,
     "Near duplicates: pairs whose shingle sets have exact Jaccard similarity of at least this"},
    {"bands", AuditOptionType::kUnsigned, "20", 1, 512,
     "MinHash LSH bands; recall at Jaccard s is 1 - (1 - s^rows)^bands"},
    {"rows", AuditOptionType::kUnsigned, "6", 1, 64, "MinHash LSH rows per band (bands * rows permutations)"},
    {"seed", AuditOptionType::kUnsigned, "0", 0, 18446744073709551615.0,
     "Seed of the MinHash permutations (the report is deterministic given it)"},
    {"min_span_chars", AuditOptionType::kUnsigned, "50", 8, 1000000,
     "Memorisation: report spans of at least this many characters (Unicode code points) shared with --source"},
    {"ngram_words", AuditOptionType::kUnsigned, "13", 3, 64, "Contamination: words per n-gram"},
    {"contamination_overlap", AuditOptionType::kNumber, "0.5", 0.0001, 1.0,
     "Contamination: a document contains a benchmark item when it holds at least this share of the item's n-grams"},
    {"under_represented_ratio", AuditOptionType::kNumber, "0.8", 0.0, 1.0,
     "Languages: flag a target language whose share is below this times its target share"},
    {"memorisation_chunk_mb", AuditOptionType::kUnsigned, "256", 1, 65536,
     "Memorisation: MiB of synthetic text per suffix array (memory is about 9 bytes per byte of source + chunk, "
     "plus 8 per chunk byte)"},
}};

constexpr std::size_t kTableSize = kTable.size();

const AuditOptionInfo* FindOption(std::string_view name) {
  for (std::size_t idx = 0; idx < kTableSize; ++idx) {
    if (name == kTable[idx].name) return &kTable[idx];
  }
  return nullptr;
}

// Integers without a fraction ("512", not "512.0"); other numbers as JSON writes them.
std::string FormatNumber(double value) {
  if (std::isfinite(value) && std::floor(value) == value && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<std::int64_t>(value));
  }
  nlohmann::json json = value;
  return json.dump();
}

Status OutOfBounds(const AuditOptionInfo& info, const std::string& got) {
  return InvalidArgument(std::string(info.name) + " must be in [" + FormatNumber(info.min) + ", " +
                         FormatNumber(info.max) + "], got " + got);
}

Status CheckNumber(const AuditOptionInfo& info, double value) {
  if (!std::isfinite(value) || value < info.min || value > info.max) return OutOfBounds(info, FormatNumber(value));
  return Status::Ok();
}

}  // namespace

std::span<const AuditOptionInfo> AuditOptionTable() { return {kTable.data(), kTableSize}; }

std::string AuditOptionFlag(std::string_view name) {
  std::string flag = "--";
  for (char c : name) flag += c == '_' ? '-' : c;
  return flag;
}

Status TextAuditOptions::Validate() const {
  const auto check_unsigned = [](const char* name, std::uint64_t value) -> Status {
    const AuditOptionInfo& info = *FindOption(name);
    if (static_cast<double>(value) < info.min || static_cast<double>(value) > info.max) {
      return OutOfBounds(info, std::to_string(value));
    }
    return Status::Ok();
  };
  SYNTHSCALE_RETURN_IF_ERROR(check_unsigned("shingle_words", shingle_words));
  SYNTHSCALE_RETURN_IF_ERROR(CheckNumber(*FindOption("jaccard_threshold"), jaccard_threshold));
  SYNTHSCALE_RETURN_IF_ERROR(check_unsigned("bands", bands));
  SYNTHSCALE_RETURN_IF_ERROR(check_unsigned("rows", rows));
  SYNTHSCALE_RETURN_IF_ERROR(check_unsigned("min_span_chars", min_span_chars));
  SYNTHSCALE_RETURN_IF_ERROR(check_unsigned("ngram_words", ngram_words));
  SYNTHSCALE_RETURN_IF_ERROR(CheckNumber(*FindOption("contamination_overlap"), contamination_overlap));
  SYNTHSCALE_RETURN_IF_ERROR(CheckNumber(*FindOption("under_represented_ratio"), under_represented_ratio));
  SYNTHSCALE_RETURN_IF_ERROR(check_unsigned("memorisation_chunk_mb", memorisation_chunk_mb));
  if (corpus.id_field.empty()) return InvalidArgument("id_field must not be empty");
  if (corpus.text_field.empty()) return InvalidArgument("text_field must not be empty");
  if (corpus.id_field == corpus.text_field) {
    return InvalidArgument("id_field and text_field must differ, both are '" + corpus.text_field + "'");
  }
  return Status::Ok();
}

nlohmann::json TextAuditOptions::ToJson() const {
  return {
      {"format", CorpusFormatName(corpus.format)},
      {"id_field", corpus.id_field},
      {"text_field", corpus.text_field},
      {"shingle_words", shingle_words},
      {"jaccard_threshold", jaccard_threshold},
      {"bands", bands},
      {"rows", rows},
      {"seed", std::to_string(seed)},  // a string: JSON numbers lose 64-bit integers
      {"min_span_chars", min_span_chars},
      {"ngram_words", ngram_words},
      {"contamination_overlap", contamination_overlap},
      {"under_represented_ratio", under_represented_ratio},
      {"memorisation_chunk_mb", memorisation_chunk_mb},
  };
}

Result<TextAuditOptions> TextAuditOptions::FromJson(const nlohmann::json& json) {
  if (!json.is_object()) return InvalidArgument("text audit options must be a JSON object");
  TextAuditOptions options;
  for (const auto& [name, value] : json.items()) {
    const AuditOptionInfo* info = FindOption(name);
    if (info == nullptr) {
      std::string known;
      for (const AuditOptionInfo& option : AuditOptionTable()) known += (known.empty() ? "" : ", ") + std::string(option.name);
      return InvalidArgument("unknown text audit option '" + name + "'; known options: " + known);
    }
    if (info->type == AuditOptionType::kString) {
      if (!value.is_string()) return InvalidArgument(name + " must be a string, got " + value.dump());
      const std::string text = value.get<std::string>();
      if (name == "format") {
        SYNTHSCALE_ASSIGN_OR_RETURN(options.corpus.format, ParseCorpusFormat(text));
      } else if (name == "id_field") {
        options.corpus.id_field = text;
      } else {
        options.corpus.text_field = text;
      }
      continue;
    }
    // The seed may come as a string: 64-bit integers do not survive every JSON reader.
    if (name == "seed" && value.is_string()) {
      const std::string text = value.get<std::string>();
      std::size_t used = 0;
      try {
        if (text.empty() || text[0] == '-') throw std::invalid_argument("sign");
        options.seed = std::stoull(text, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != text.size()) return InvalidArgument("seed must be a non-negative integer, got " + value.dump());
      continue;
    }
    if (!value.is_number()) return InvalidArgument(name + " must be a number, got " + value.dump());
    if (info->type == AuditOptionType::kUnsigned) {
      if (!value.is_number_integer() || (value.is_number_integer() && !value.is_number_unsigned() && value.get<std::int64_t>() < 0)) {
        return InvalidArgument(name + " must be a non-negative integer, got " + value.dump());
      }
      const std::uint64_t number = value.get<std::uint64_t>();
      if (name != "seed" && (static_cast<double>(number) < info->min || static_cast<double>(number) > info->max)) {
        return OutOfBounds(*info, std::to_string(number));
      }
      if (name == "seed") options.seed = number;
      else if (name == "shingle_words") options.shingle_words = static_cast<std::uint32_t>(number);
      else if (name == "bands") options.bands = static_cast<std::uint32_t>(number);
      else if (name == "rows") options.rows = static_cast<std::uint32_t>(number);
      else if (name == "min_span_chars") options.min_span_chars = static_cast<std::uint32_t>(number);
      else if (name == "ngram_words") options.ngram_words = static_cast<std::uint32_t>(number);
      else if (name == "memorisation_chunk_mb") options.memorisation_chunk_mb = static_cast<std::uint32_t>(number);
      continue;
    }
    const double number = value.get<double>();
    SYNTHSCALE_RETURN_IF_ERROR(CheckNumber(*info, number));
    if (name == "jaccard_threshold") options.jaccard_threshold = number;
    else if (name == "contamination_overlap") options.contamination_overlap = number;
    else options.under_represented_ratio = number;
  }
  SYNTHSCALE_RETURN_IF_ERROR(options.Validate());
  return options;
}

}  // namespace synthscale::text
