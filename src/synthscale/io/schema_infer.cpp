#include "synthscale/io/schema_infer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <unordered_set>

#include "synthscale/io/byte_source.h"
#include "synthscale/io/csv_chunker.h"
#include "synthscale/io/csv_tokenizer.h"
#include "synthscale/io/string_hash.h"
#include "synthscale/io/value_parse.h"
#include "synthscale/table/datetime.h"
#include "synthscale/table/schema_from_table.h"

namespace synthscale {
namespace {

using csv_internal::CsvChunker;
using csv_internal::PieceOutcome;

// Integers beyond this are not exact in a double, which schemas store bounds in.
constexpr double kMaxExactInteger = 9.0e15;
// A column still looking numeric stops being an id candidate past this many distinct values.
constexpr std::size_t kMaxNumericIdValues = std::size_t{1} << 22;

using LabelSet = std::unordered_set<std::string, csv_internal::TransparentStringHash, std::equal_to<>>;

// What one piece (or, merged, the whole file) tells about one column.
struct ColumnStats {
  std::uint64_t missing = 0;
  std::uint64_t present = 0;
  bool maybe_bool = true;
  bool maybe_int = true;
  bool maybe_double = true;
  bool maybe_datetime = true;
  bool maybe_number_or_nonfinite = true;  // finite numbers and NaN/Inf spellings only
  bool saw_nonfinite = false;
  bool has_time = false;
  std::int64_t int_min = std::numeric_limits<std::int64_t>::max();
  std::int64_t int_max = std::numeric_limits<std::int64_t>::min();
  double double_min = std::numeric_limits<double>::infinity();
  double double_max = -std::numeric_limits<double>::infinity();
  std::int64_t time_min = std::numeric_limits<std::int64_t>::max();
  std::int64_t time_max = std::numeric_limits<std::int64_t>::min();
  bool labels_overflow = false;
  LabelSet labels;
  std::vector<std::uint64_t> hashes;  // of every value, while the column may be an id

  bool LooksNumeric() const { return maybe_bool || maybe_int || maybe_double || maybe_datetime; }
};

// File-wide state of one column.
struct ColumnState {
  ColumnStats stats;
  bool id_candidate = true;
  csv_internal::HashSet64 seen;
};

class InferSink {
 public:
  InferSink(std::vector<ColumnStats>& stats, const std::vector<ColumnState>& state,
            const csv_internal::MissingTokens& missing, std::size_t max_categories, csv_internal::ParseError& error)
      : stats_(stats), state_(state), missing_(missing), max_categories_(max_categories), error_(error) {}

  bool Field(std::size_t field_idx, std::string_view value, bool quoted, std::size_t offset) {
    if (field_idx >= stats_.size()) {
      if (field_idx == stats_.size()) first_extra_offset_ = offset;
      return true;
    }
    ColumnStats& stats = stats_[field_idx];
    if (!quoted && missing_.Matches(value)) {
      ++stats.missing;
      return true;
    }
    ++stats.present;
    if (stats.LooksNumeric() || stats.maybe_number_or_nonfinite) Classify(stats, value);
    if (!stats.labels_overflow && stats.labels.find(value) == stats.labels.end()) {
      if (stats.labels.size() >= max_categories_) {
        stats.labels_overflow = true;
        LabelSet().swap(stats.labels);
      } else {
        stats.labels.emplace(value);
      }
    }
    if (state_[field_idx].id_candidate) stats.hashes.push_back(csv_internal::HashBytes(value));
    return true;
  }

  bool EndRecord(std::size_t num_fields, std::size_t, std::size_t line_end_offset) {
    if (num_fields == stats_.size()) return true;
    const std::string message = "expected " + std::to_string(stats_.size()) + " fields (as in the header), found " +
                                std::to_string(num_fields) +
                                (num_fields > stats_.size()
                                     ? "; quote values that contain the delimiter, or remove the extra fields"
                                     : "; add the missing fields (an empty field is a missing value)");
    if (num_fields > stats_.size()) {
      error_.Set(message, first_extra_offset_, static_cast<std::ptrdiff_t>(stats_.size()));
    } else {
      error_.Set(message, line_end_offset, -1);
    }
    return false;
  }

 private:
  static void Classify(ColumnStats& stats, std::string_view value) {
    const std::string_view text = csv_internal::TrimSpaces(value);
    if (stats.maybe_bool) {
      bool flag = false;
      stats.maybe_bool = csv_internal::ParseBool(text, flag);
    }
    if (stats.maybe_int) {
      std::int64_t number = 0;
      if (csv_internal::ParseInt64(text, number) == csv_internal::NumberParse::kOk) {
        stats.int_min = std::min(stats.int_min, number);
        stats.int_max = std::max(stats.int_max, number);
      } else {
        stats.maybe_int = false;
      }
    }
    if (stats.maybe_double || stats.maybe_number_or_nonfinite) {
      double number = 0.0;
      const csv_internal::NumberParse parsed = csv_internal::ParseFiniteDouble(text, number);
      if (parsed == csv_internal::NumberParse::kOk) {
        stats.double_min = std::min(stats.double_min, number);
        stats.double_max = std::max(stats.double_max, number);
      } else {
        stats.maybe_double = false;
        if (parsed == csv_internal::NumberParse::kNonFinite) {
          stats.saw_nonfinite = true;
        } else {
          stats.maybe_number_or_nonfinite = false;
        }
      }
    }
    if (stats.maybe_datetime) {
      const std::optional<ParsedDatetime> parsed = ParseDatetime(text);
      if (parsed) {
        stats.time_min = std::min(stats.time_min, parsed->seconds);
        stats.time_max = std::max(stats.time_max, parsed->seconds);
        stats.has_time = stats.has_time || parsed->has_time;
      } else {
        stats.maybe_datetime = false;
      }
    }
  }

  std::vector<ColumnStats>& stats_;
  const std::vector<ColumnState>& state_;
  const csv_internal::MissingTokens& missing_;
  std::size_t max_categories_;
  csv_internal::ParseError& error_;
  std::size_t first_extra_offset_ = 0;
};

// Fold one piece's statistics into the column's file-wide state (pieces in input order).
void Merge(ColumnStats& piece, ColumnState& state, std::size_t max_categories) {
  ColumnStats& total = state.stats;
  total.missing += piece.missing;
  total.present += piece.present;
  total.maybe_bool = total.maybe_bool && piece.maybe_bool;
  total.maybe_int = total.maybe_int && piece.maybe_int;
  total.maybe_double = total.maybe_double && piece.maybe_double;
  total.maybe_datetime = total.maybe_datetime && piece.maybe_datetime;
  total.maybe_number_or_nonfinite = total.maybe_number_or_nonfinite && piece.maybe_number_or_nonfinite;
  total.saw_nonfinite = total.saw_nonfinite || piece.saw_nonfinite;
  total.has_time = total.has_time || piece.has_time;
  total.int_min = std::min(total.int_min, piece.int_min);
  total.int_max = std::max(total.int_max, piece.int_max);
  total.double_min = std::min(total.double_min, piece.double_min);
  total.double_max = std::max(total.double_max, piece.double_max);
  total.time_min = std::min(total.time_min, piece.time_min);
  total.time_max = std::max(total.time_max, piece.time_max);
  if (!total.labels_overflow) {
    if (piece.labels_overflow) {
      total.labels_overflow = true;
    } else {
      for (const std::string& label : piece.labels) {
        if (total.labels.size() >= max_categories && total.labels.find(label) == total.labels.end()) {
          total.labels_overflow = true;
          break;
        }
        total.labels.insert(label);
      }
    }
    if (total.labels_overflow) LabelSet().swap(total.labels);
  }
  if (state.id_candidate) {
    if (total.missing > 0) state.id_candidate = false;
    for (std::size_t idx = 0; state.id_candidate && idx < piece.hashes.size(); ++idx) {
      state.id_candidate = state.seen.Insert(piece.hashes[idx]);
    }
    if (state.id_candidate && total.LooksNumeric() && state.seen.size() > kMaxNumericIdValues) {
      state.id_candidate = false;
    }
    if (!state.id_candidate) state.seen.Clear();
  }
}

ColumnSchema Decide(const std::string& name, const ColumnState& state, const InferOptions& options,
                    std::vector<std::string>& warnings) {
  const ColumnStats& stats = state.stats;
  ColumnSchema column;
  column.name = name;
  column.nullable = stats.missing > 0;
  column.domain_from_data = true;
  if (stats.present == 0) {
    column.type = ColumnType::kText;
    column.domain_from_data = false;
    warnings.push_back("column '" + name + "' has no values (every field is missing): inferred as text, which is "
                       "not modelled");
    return column;
  }
  const bool exact_ints = stats.maybe_int && std::fabs(static_cast<double>(stats.int_min)) <= kMaxExactInteger &&
                          std::fabs(static_cast<double>(stats.int_max)) <= kMaxExactInteger;
  if (stats.maybe_bool && !stats.maybe_int) {
    column.type = ColumnType::kBoolean;
    return column;
  }
  if (exact_ints) {
    column.type = ColumnType::kInteger;
    column.min = static_cast<double>(stats.int_min);
    column.max = static_cast<double>(stats.int_max);
    column.bins = IntegerBins(stats.int_min, stats.int_max, options.integer_bins);
    return column;
  }
  if (stats.maybe_double && !stats.maybe_int) {
    column.type = ColumnType::kContinuous;
    column.min = stats.double_min;
    column.max = stats.double_max;
    column.bins = options.continuous_bins;
    return column;
  }
  if (stats.maybe_datetime) {
    column.type = ColumnType::kDatetime;
    column.datetime_format = stats.has_time ? DatetimeFormat::kDatetime : DatetimeFormat::kDate;
    column.min = static_cast<double>(stats.time_min);
    column.max = static_cast<double>(stats.time_max);
    column.bins = IntegerBins(stats.time_min, stats.time_max, options.integer_bins);
    return column;
  }
  if (stats.maybe_int) {
    warnings.push_back("column '" + name + "' holds integers beyond +-9e15 (not exact as bounds): inferred as a "
                       "string column; if it is a number, declare it continuous in the schema");
  } else if (stats.maybe_number_or_nonfinite && stats.saw_nonfinite) {
    warnings.push_back("column '" + name + "' holds numbers and NaN or infinity: inferred as a string column; if "
                       "NaN means missing, add its spelling as a missing token (e.g. --na nan)");
  }
  if (!stats.labels_overflow) {
    column.type = ColumnType::kCategorical;
    column.categories.assign(stats.labels.begin(), stats.labels.end());
    std::sort(column.categories.begin(), column.categories.end());
    return column;
  }
  column.domain_from_data = false;
  column.type = state.id_candidate && stats.missing == 0 ? ColumnType::kId : ColumnType::kText;
  return column;
}

Result<SchemaInference> Infer(std::unique_ptr<CsvChunker> chunker, const InferOptions& options, const Context& ctx) {
  const std::vector<std::string>& header = chunker->header();
  const std::size_t num_columns = header.size();
  const csv_internal::MissingTokens missing(chunker->options().missing_tokens);
  const csv_internal::TokenizerConfig config = chunker->tokenizer_config();
  std::vector<ColumnState> state(num_columns);
  std::vector<std::vector<ColumnStats>> piece_stats;
  std::vector<std::string> scratch;
  std::vector<PieceOutcome> outcomes;
  std::uint64_t rows = 0;
  while (true) {
    SYNTHSCALE_ASSIGN_OR_RETURN(const bool more, chunker->Next(ctx));
    if (!more) break;
    const std::size_t num_pieces = chunker->num_pieces();
    piece_stats.assign(num_pieces, std::vector<ColumnStats>());
    scratch.resize(std::max(scratch.size(), num_pieces));
    SYNTHSCALE_RETURN_IF_ERROR(chunker->ParsePieces(ctx, outcomes, [&](std::size_t piece_idx,
                                                                       PieceOutcome& outcome) {
      std::vector<ColumnStats>& stats = piece_stats[piece_idx];
      stats.assign(num_columns, ColumnStats{});
      InferSink sink(stats, state, missing, options.max_categories, outcome.error);
      csv_internal::TokenizeRecords(chunker->data(), outcome.span.begin, outcome.span.end, config, sink,
                                    scratch[piece_idx], outcome.counts, outcome.error, SIZE_MAX,
                                    outcome.bad_byte);
    }));
    SYNTHSCALE_RETURN_IF_ERROR(ParallelFor(ctx.pool(), num_columns, 1, [&](std::size_t begin, std::size_t end) {
      for (std::size_t col_idx = begin; col_idx < end; ++col_idx) {
        for (std::size_t piece_idx = 0; piece_idx < num_pieces; ++piece_idx) {
          Merge(piece_stats[piece_idx][col_idx], state[col_idx], options.max_categories);
        }
      }
      return Status::Ok();
    }));
    std::size_t newlines = 0;
    std::size_t chunk_rows = 0;
    for (const PieceOutcome& outcome : outcomes) {
      newlines += outcome.counts.newlines;
      chunk_rows += outcome.counts.rows;
    }
    chunker->Advance(newlines, chunk_rows);
    rows += chunk_rows;
    chunker->ReportProgress(ctx);
  }
  if (rows == 0) {
    SourceLocation location;
    location.file = chunker->name();
    return InvalidData("no data rows: the file has a header row but no records below it", location);
  }
  SchemaInference result;
  result.rows = static_cast<std::size_t>(rows);
  std::vector<ColumnSchema> columns;
  for (std::size_t col_idx = 0; col_idx < num_columns; ++col_idx) {
    columns.push_back(Decide(header[col_idx], state[col_idx], options, result.warnings));
  }
  result.schema = Schema(std::move(columns));
  if (result.schema.AnyDomainFromData()) {
    result.warnings.insert(result.warnings.begin(),
                           "the inferred domains (categories and bounds) were read from the data, so they are NOT "
                           "differentially private; review the schema and replace them with public domains before "
                           "a DP fit");
  }
  return result;
}

Status CheckOptions(const InferOptions& options) {
  if (options.continuous_bins < 1) return InvalidArgument("continuous_bins must be >= 1");
  if (options.integer_bins < 1) return InvalidArgument("integer_bins must be >= 1");
  return Status::Ok();
}

}  // namespace

Result<SchemaInference> InferSchemaFromCsv(const std::string& path, const CsvOptions& csv_options,
                                           const InferOptions& infer_options, const Context& ctx) {
  SYNTHSCALE_RETURN_IF_ERROR(ValidateCsvOptions(csv_options));
  SYNTHSCALE_RETURN_IF_ERROR(CheckOptions(infer_options));
  SYNTHSCALE_ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> source, OpenFileSource(path));
  SYNTHSCALE_ASSIGN_OR_RETURN(std::unique_ptr<CsvChunker> chunker,
                              CsvChunker::Open(std::move(source), path, csv_options));
  return Infer(std::move(chunker), infer_options, ctx);
}

Result<SchemaInference> InferSchemaFromCsvBuffer(std::string_view bytes, const CsvOptions& csv_options,
                                                 const InferOptions& infer_options, const Context& ctx,
                                                 const std::string& name) {
  SYNTHSCALE_RETURN_IF_ERROR(ValidateCsvOptions(csv_options));
  SYNTHSCALE_RETURN_IF_ERROR(CheckOptions(infer_options));
  SYNTHSCALE_ASSIGN_OR_RETURN(std::unique_ptr<CsvChunker> chunker,
                              CsvChunker::Open(MemorySource(bytes), name, csv_options));
  return Infer(std::move(chunker), infer_options, ctx);
}

}  // namespace synthscale
