#include "synthscale/io/csv_reader.h"

#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "synthscale/io/append_buffer.h"
#include "synthscale/io/byte_source.h"
#include "synthscale/io/csv_chunker.h"
#include "synthscale/io/csv_tokenizer.h"
#include "synthscale/io/string_hash.h"
#include "synthscale/io/value_parse.h"
#include "synthscale/table/datetime.h"

namespace synthscale {
namespace csv_internal {

struct ColumnPlan {
  std::size_t schema_idx = 0;
  ColumnType type = ColumnType::kText;
  bool reject_missing = false;  // strict domain and not nullable
  bool check_bounds = false;    // strict domain and a numeric or datetime column
  double min = 0.0;
  double max = 0.0;
  const LabelIndex* categories = nullptr;
  std::uint32_t num_categories = 0;
};

struct ReadPlan {
  explicit ReadPlan(const CsvOptions& options) : missing(options.missing_tokens), strict(options.strict_domain) {}
  Schema schema;
  std::vector<ColumnPlan> by_csv;     // one per CSV column, in file order
  std::vector<LabelIndex> indexes;    // one per schema column (empty unless categorical)
  MissingTokens missing;
  bool strict;
};

// Labels outside the schema's categories met in one piece (only when !strict_domain).
struct PieceExtras {
  std::vector<std::string> labels;
  std::unordered_map<std::string, std::uint32_t, TransparentStringHash, std::equal_to<>> codes;
};

// One column of one piece, in the storage of its type (see Column).
struct PieceColumn {
  AppendBuffer<std::uint8_t> valid;
  AppendBuffer<std::int64_t> ints;
  AppendBuffer<double> doubles;
  AppendBuffer<std::uint32_t> codes;
  AppendBuffer<std::uint64_t> ends;  // id and text: where each string ends in `bytes`
  AppendBuffer<char> bytes;

  std::size_t size() const { return valid.size(); }
  void Clear() {
    valid.clear();
    ints.clear();
    doubles.clear();
    codes.clear();
    ends.clear();
    bytes.clear();
  }
  void AppendNull(ColumnType type) {
    valid.push_back(0);
    switch (type) {
      case ColumnType::kCategorical: codes.push_back(0); break;
      case ColumnType::kInteger:
      case ColumnType::kDatetime:
      case ColumnType::kBoolean: ints.push_back(0); break;
      case ColumnType::kContinuous: doubles.push_back(0.0); break;
      case ColumnType::kId:
      case ColumnType::kText: ends.push_back(bytes.size()); break;
    }
  }
  void AppendString(std::string_view value) {
    valid.push_back(1);
    bytes.append(value.data(), value.size());
    ends.push_back(bytes.size());
  }
};

struct PieceColumns {
  std::vector<PieceColumn> columns;  // one per schema column
  std::vector<PieceExtras> extras;   // one per schema column
};

namespace {

std::string FormatNumber(double value) {
  char text[64];
  const std::to_chars_result result = std::to_chars(text, text + sizeof text, value);
  return std::string(text, result.ptr);
}

std::string FormatBound(double value, ColumnType type) {
  if (type == ColumnType::kDatetime) return FormatDatetime(static_cast<std::int64_t>(value), true);
  return FormatNumber(value);
}

void ClearColumn(Column& column) {
  column.valid.clear();
  column.codes.clear();
  column.ints.clear();
  column.doubles.clear();
  column.strings.offsets.assign(1, 0);
  column.strings.bytes.clear();
}

bool SameSchema(const Schema& left, const Schema& right) {
  if (left.size() != right.size()) return false;
  for (std::size_t col_idx = 0; col_idx < left.size(); ++col_idx) {
    const ColumnSchema& a = left.column(col_idx);
    const ColumnSchema& b = right.column(col_idx);
    if (a.name != b.name || a.type != b.type || a.nullable != b.nullable || a.min != b.min || a.max != b.max ||
        a.categories != b.categories) {
      return false;
    }
  }
  return true;
}

// Converts each field to its column's type and appends it to the piece's columns.
class TypedSink {
 public:
  TypedSink(const ReadPlan& plan, PieceColumns& out, ParseError& error)
      : plan_(plan), out_(out), error_(error), num_fields_(plan.by_csv.size()) {}

  bool Field(std::size_t field_idx, std::string_view value, bool quoted, std::size_t offset) {
    if (field_idx >= num_fields_) {
      if (field_idx == num_fields_) first_extra_offset_ = offset;
      return true;
    }
    const ColumnPlan& plan = plan_.by_csv[field_idx];
    PieceColumn& column = out_.columns[plan.schema_idx];
    if (!quoted && plan_.missing.Matches(value)) {
      if (plan.reject_missing) {
        return Fail("missing value " + Quoted(value) + " in a column the schema marks as not nullable; fill it in, "
                    "or set \"nullable\": true for this column in the schema (or allow values outside the "
                    "domain with --allow-out-of-domain)",
                    offset, field_idx);
      }
      column.AppendNull(plan.type);
      return true;
    }
    switch (plan.type) {
      case ColumnType::kInteger: return Integer(plan, column, value, offset, field_idx);
      case ColumnType::kContinuous: return Continuous(plan, column, value, offset, field_idx);
      case ColumnType::kBoolean: {
        bool flag = false;
        if (!ParseBool(TrimSpaces(value), flag)) {
          return Fail("expected a boolean (true/false, yes/no or 1/0), found " + Quoted(value) +
                          "; fix the value, or change the column's type in the schema",
                      offset, field_idx);
        }
        column.valid.push_back(1);
        column.ints.push_back(flag ? 1 : 0);
        return true;
      }
      case ColumnType::kDatetime: {
        const std::optional<ParsedDatetime> parsed = ParseDatetime(TrimSpaces(value));
        if (!parsed) {
          return Fail("expected a date or datetime (YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS in UTC), found " +
                          Quoted(value) + "; fix the value, or change the column's type in the schema",
                      offset, field_idx);
        }
        if (plan.check_bounds && !InBounds(plan, static_cast<double>(parsed->seconds))) {
          return OutOfBounds(plan, value, offset, field_idx);
        }
        column.valid.push_back(1);
        column.ints.push_back(parsed->seconds);
        return true;
      }
      case ColumnType::kCategorical: return Category(plan, column, value, offset, field_idx);
      case ColumnType::kId:
      case ColumnType::kText:
        column.AppendString(value);
        return true;
    }
    return true;
  }

  bool EndRecord(std::size_t num_fields, std::size_t record_offset, std::size_t line_end_offset) {
    (void)record_offset;
    if (num_fields == num_fields_) return true;
    const std::string message = "expected " + std::to_string(num_fields_) + " fields (as in the header), found " +
                                std::to_string(num_fields) +
                                (num_fields > num_fields_
                                     ? "; quote values that contain the delimiter, or remove the extra fields"
                                     : "; add the missing fields (an empty field is a missing value)");
    if (num_fields > num_fields_) {
      error_.Set(message, first_extra_offset_, static_cast<std::ptrdiff_t>(num_fields_));
    } else {
      error_.Set(message, line_end_offset, -1);
    }
    return false;
  }

 private:
  bool Fail(std::string message, std::size_t offset, std::size_t field_idx) {
    error_.Set(std::move(message), offset, static_cast<std::ptrdiff_t>(field_idx));
    return false;
  }

  static bool InBounds(const ColumnPlan& plan, double value) { return value >= plan.min && value <= plan.max; }

  bool OutOfBounds(const ColumnPlan& plan, std::string_view value, std::size_t offset, std::size_t field_idx) {
    return Fail("value " + Quoted(TrimSpaces(value)) + " is outside the schema's domain [" +
                    FormatBound(plan.min, plan.type) + ", " + FormatBound(plan.max, plan.type) +
                    "]; widen the bounds in the schema, or allow values outside the domain with "
                    "--allow-out-of-domain",
                offset, field_idx);
  }

  bool Integer(const ColumnPlan& plan, PieceColumn& column, std::string_view value, std::size_t offset,
               std::size_t field_idx) {
    std::int64_t number = 0;
    switch (ParseInt64(TrimSpaces(value), number)) {
      case NumberParse::kOk: break;
      case NumberParse::kOverflow:
        return Fail("integer overflow: " + Quoted(value) +
                        " does not fit in 64 bits (-9223372036854775808 to 9223372036854775807); make the "
                        "column continuous or text in the schema",
                    offset, field_idx);
      case NumberParse::kInvalid:
      case NumberParse::kNonFinite:
        return Fail("expected an integer, found " + Quoted(value) +
                        "; fix the value, or change the column's type in the schema (e.g. to continuous)",
                    offset, field_idx);
    }
    if (plan.check_bounds && !InBounds(plan, static_cast<double>(number))) {
      return OutOfBounds(plan, value, offset, field_idx);
    }
    column.valid.push_back(1);
    column.ints.push_back(number);
    return true;
  }

  bool Continuous(const ColumnPlan& plan, PieceColumn& column, std::string_view value, std::size_t offset,
                  std::size_t field_idx) {
    double number = 0.0;
    switch (ParseFiniteDouble(TrimSpaces(value), number)) {
      case NumberParse::kOk: break;
      case NumberParse::kNonFinite:
        return Fail(Quoted(value) + " is not a finite number (NaN and infinity are not allowed); write a missing "
                    "value as an empty field or a missing token such as NA",
                    offset, field_idx);
      case NumberParse::kInvalid:
      case NumberParse::kOverflow:
        return Fail("expected a number, found " + Quoted(value) +
                        "; fix the value, or change the column's type in the schema",
                    offset, field_idx);
    }
    if (plan.check_bounds && !InBounds(plan, number)) return OutOfBounds(plan, value, offset, field_idx);
    column.valid.push_back(1);
    column.doubles.push_back(number);
    return true;
  }

  bool Category(const ColumnPlan& plan, PieceColumn& column, std::string_view value, std::size_t offset,
                std::size_t field_idx) {
    const std::uint32_t code = plan.categories->Find(value);
    if (code != LabelIndex::kNotFound) {
      column.valid.push_back(1);
      column.codes.push_back(code);
      return true;
    }
    if (plan_.strict) {
      const std::vector<std::string>& labels = plan_.schema.column(plan.schema_idx).categories;
      std::string known;
      for (std::size_t idx = 0; idx < labels.size() && idx < 5; ++idx) known += (idx ? ", " : "") + Quoted(labels[idx]);
      if (labels.size() > 5) known += ", ...";
      return Fail("category " + Quoted(value) + " is not in the schema's " + std::to_string(labels.size()) +
                      " categories (" + known +
                      "); add it to the schema, or allow values outside the domain with --allow-out-of-domain",
                  offset, field_idx);
    }
    PieceExtras& extras = out_.extras[plan.schema_idx];
    auto found = extras.codes.find(value);
    if (found == extras.codes.end()) {
      const auto extra = static_cast<std::uint32_t>(extras.labels.size());
      extras.labels.emplace_back(value);
      found = extras.codes.emplace(extras.labels.back(), plan.num_categories + extra).first;
    }
    column.valid.push_back(1);
    column.codes.push_back(found->second);
    return true;
  }

  const ReadPlan& plan_;
  PieceColumns& out_;
  ParseError& error_;
  std::size_t num_fields_;
  std::size_t first_extra_offset_ = 0;
};

// Append the pieces' columns, in piece order, to `out`.
Status AppendPieces(const ReadPlan& plan, std::vector<PieceColumns>& pieces, std::size_t num_pieces, Table* out,
                    const Context& ctx) {
  const std::size_t num_columns = plan.schema.size();
  std::size_t added_rows = 0;
  for (std::size_t piece_idx = 0; piece_idx < num_pieces; ++piece_idx) {
    added_rows += num_columns == 0 ? 0 : pieces[piece_idx].columns[0].size();
  }
  SYNTHSCALE_RETURN_IF_ERROR(ParallelFor(ctx.pool(), num_columns, 1, [&](std::size_t begin, std::size_t end) {
    for (std::size_t col_idx = begin; col_idx < end; ++col_idx) {
      Column& dst = out->mutable_column(col_idx);
      const std::size_t base_rows = dst.size();
      dst.valid.reserve(base_rows + added_rows);
      // Labels outside the schema already in `dst`, for remapping piece-local codes.
      const auto num_categories = static_cast<std::uint32_t>(plan.schema.column(col_idx).categories.size());
      std::unordered_map<std::string_view, std::uint32_t> dst_extras;
      bool extras_indexed = false;
      for (std::size_t piece_idx = 0; piece_idx < num_pieces; ++piece_idx) {
        const PieceColumn& src = pieces[piece_idx].columns[col_idx];
        const std::size_t rows = src.size();
        dst.valid.insert(dst.valid.end(), src.valid.data(), src.valid.data() + rows);
        switch (dst.type) {
          case ColumnType::kCategorical: {
            const std::vector<std::string>& labels = pieces[piece_idx].extras[col_idx].labels;
            if (labels.empty()) {
              dst.codes.insert(dst.codes.end(), src.codes.data(), src.codes.data() + rows);
              break;
            }
            if (!extras_indexed) {
              for (std::size_t code = num_categories; code < dst.dictionary.size(); ++code) {
                dst_extras.emplace(dst.dictionary[code], static_cast<std::uint32_t>(code));
              }
              extras_indexed = true;
            }
            std::vector<std::uint32_t> remap(labels.size());
            for (std::size_t extra = 0; extra < labels.size(); ++extra) {
              auto found = dst_extras.find(labels[extra]);
              if (found == dst_extras.end()) {
                // Rebuild the views if the dictionary is about to move its strings.
                const bool reallocates = dst.dictionary.size() == dst.dictionary.capacity();
                dst.dictionary.push_back(labels[extra]);
                if (reallocates) {
                  dst_extras.clear();
                  for (std::size_t code = num_categories; code < dst.dictionary.size(); ++code) {
                    dst_extras.emplace(dst.dictionary[code], static_cast<std::uint32_t>(code));
                  }
                  found = dst_extras.find(labels[extra]);
                } else {
                  found = dst_extras.emplace(dst.dictionary.back(),
                                             static_cast<std::uint32_t>(dst.dictionary.size() - 1)).first;
                }
              }
              remap[extra] = found->second;
            }
            dst.codes.reserve(dst.codes.size() + rows);
            for (std::size_t row = 0; row < rows; ++row) {
              const std::uint32_t code = src.codes[row];
              dst.codes.push_back(code < num_categories || src.valid[row] == 0 ? code : remap[code - num_categories]);
            }
            break;
          }
          case ColumnType::kInteger:
          case ColumnType::kDatetime:
          case ColumnType::kBoolean: dst.ints.insert(dst.ints.end(), src.ints.data(), src.ints.data() + rows); break;
          case ColumnType::kContinuous:
            dst.doubles.insert(dst.doubles.end(), src.doubles.data(), src.doubles.data() + rows);
            break;
          case ColumnType::kId:
          case ColumnType::kText: {
            const std::uint64_t byte_base = dst.strings.bytes.size();
            dst.strings.bytes.append(src.bytes.data(), src.bytes.size());
            dst.strings.offsets.reserve(dst.strings.offsets.size() + rows);
            for (std::size_t row = 0; row < rows; ++row) dst.strings.offsets.push_back(byte_base + src.ends[row]);
            break;
          }
        }
      }
    }
    return Status::Ok();
  }));
  out->SetNumRows(out->num_rows() + added_rows);
  return Status::Ok();
}

}  // namespace
}  // namespace csv_internal

using csv_internal::CsvChunker;
using csv_internal::PieceOutcome;

CsvReader::CsvReader(std::unique_ptr<CsvChunker> chunker) : chunker_(std::move(chunker)) {}
CsvReader::~CsvReader() = default;

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path, const CsvOptions& options) {
  SYNTHSCALE_RETURN_IF_ERROR(ValidateCsvOptions(options));
  SYNTHSCALE_ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> source, OpenFileSource(path));
  SYNTHSCALE_ASSIGN_OR_RETURN(std::unique_ptr<CsvChunker> chunker, CsvChunker::Open(std::move(source), path, options));
  return std::unique_ptr<CsvReader>(new CsvReader(std::move(chunker)));
}

Result<std::unique_ptr<CsvReader>> CsvReader::OpenBuffer(std::string_view bytes, const CsvOptions& options,
                                                         const std::string& name) {
  SYNTHSCALE_RETURN_IF_ERROR(ValidateCsvOptions(options));
  SYNTHSCALE_ASSIGN_OR_RETURN(std::unique_ptr<CsvChunker> chunker,
                              CsvChunker::Open(MemorySource(bytes), name, options));
  return std::unique_ptr<CsvReader>(new CsvReader(std::move(chunker)));
}

const std::vector<std::string>& CsvReader::header() const { return chunker_->header(); }

Status CsvReader::PreparePlan(const Schema& schema) {
  if (plan_ != nullptr && csv_internal::SameSchema(plan_->schema, schema)) return Status::Ok();
  plan_.reset();
  const Status valid = schema.Validate();
  if (!valid.ok()) return valid.WithContext("invalid schema");
  const std::vector<std::string>& header = chunker_->header();
  auto plan = std::make_unique<csv_internal::ReadPlan>(chunker_->options());
  plan->schema = schema;
  for (std::size_t csv_idx = 0; csv_idx < header.size(); ++csv_idx) {
    if (schema.FindColumn(header[csv_idx]) < 0) {
      SourceLocation location = chunker_->HeaderLocation(csv_idx);
      location.field = header[csv_idx];
      return InvalidData("column " + csv_internal::Quoted(header[csv_idx]) +
                             " is in the CSV header but not in the schema; add it to the schema, or remove the "
                             "column from the file",
                         location);
    }
  }
  for (std::size_t col_idx = 0; col_idx < schema.size(); ++col_idx) {
    const std::string& name = schema.column(col_idx).name;
    if (std::find(header.begin(), header.end(), name) == header.end()) {
      SourceLocation location;
      location.file = chunker_->name();
      location.line = chunker_->HeaderLocation(0).line;
      location.field = name;
      return InvalidData("column " + csv_internal::Quoted(name) +
                             " of the schema is not in the CSV header; add the column to the file, or remove it "
                             "from the schema",
                         location);
    }
  }
  const bool strict = chunker_->options().strict_domain;
  plan->indexes.resize(schema.size());
  for (std::size_t col_idx = 0; col_idx < schema.size(); ++col_idx) {
    if (plan->schema.column(col_idx).type == ColumnType::kCategorical) {
      plan->indexes[col_idx] = csv_internal::LabelIndex(&plan->schema.column(col_idx).categories);
    }
  }
  for (const std::string& name : header) {
    const auto schema_idx = static_cast<std::size_t>(schema.FindColumn(name));
    const ColumnSchema& column = plan->schema.column(schema_idx);
    csv_internal::ColumnPlan entry;
    entry.schema_idx = schema_idx;
    entry.type = column.type;
    entry.reject_missing = strict && !column.nullable;
    entry.check_bounds = strict && (column.type == ColumnType::kInteger || column.type == ColumnType::kContinuous ||
                                    column.type == ColumnType::kDatetime);
    entry.min = column.min;
    entry.max = column.max;
    entry.categories = &plan->indexes[schema_idx];
    entry.num_categories = static_cast<std::uint32_t>(column.categories.size());
    plan->by_csv.push_back(entry);
  }
  plan_ = std::move(plan);
  return Status::Ok();
}

void CsvReader::ResetTable(Table* table) const {
  const Schema& schema = plan_->schema;
  bool same_shape = table->num_columns() == schema.size();
  for (std::size_t col_idx = 0; same_shape && col_idx < schema.size(); ++col_idx) {
    same_shape = table->column(col_idx).name == schema.column(col_idx).name &&
                 table->column(col_idx).type == schema.column(col_idx).type;
  }
  if (!same_shape) {
    *table = Table();
    for (const ColumnSchema& spec : schema.columns()) {
      Column column;
      column.name = spec.name;
      column.type = spec.type;
      column.dictionary = spec.categories;
      table->AddColumn(std::move(column));
    }
  }
  for (std::size_t col_idx = 0; col_idx < schema.size(); ++col_idx) {
    Column& column = table->mutable_column(col_idx);
    csv_internal::ClearColumn(column);
    column.dictionary = schema.column(col_idx).categories;
  }
  table->SetNumRows(0);
}

Result<bool> CsvReader::ReadChunkInto(const Context& ctx, Table* out) {
  const csv_internal::ReadPlan& plan = *plan_;
  const std::size_t num_columns = plan.schema.size();
  while (true) {
    SYNTHSCALE_ASSIGN_OR_RETURN(const bool more, chunker_->Next(ctx));
    if (!more) return false;
    const std::size_t num_pieces = chunker_->num_pieces();
    if (pieces_.size() < num_pieces) pieces_.resize(num_pieces);
    if (scratch_.size() < num_pieces) scratch_.resize(num_pieces);
    const csv_internal::TokenizerConfig config = chunker_->tokenizer_config();
    SYNTHSCALE_RETURN_IF_ERROR(chunker_->ParsePieces(ctx, outcomes_, [&](std::size_t piece_idx,
                                                                         PieceOutcome& outcome) {
      csv_internal::PieceColumns& piece = pieces_[piece_idx];
      if (piece.columns.size() != num_columns) {
        piece.columns.resize(num_columns);
        piece.extras.resize(num_columns);
      }
      for (std::size_t col_idx = 0; col_idx < num_columns; ++col_idx) {
        piece.columns[col_idx].Clear();
        piece.extras[col_idx].labels.clear();
        piece.extras[col_idx].codes.clear();
      }
      csv_internal::TypedSink sink(plan, piece, outcome.error);
      csv_internal::TokenizeRecords(chunker_->data(), outcome.span.begin, outcome.span.end, config, sink,
                                    scratch_[piece_idx], outcome.counts, outcome.error, SIZE_MAX,
                                    outcome.bad_byte);
    }));
    std::size_t newlines = 0;
    std::size_t rows = 0;
    for (std::size_t piece_idx = 0; piece_idx < num_pieces; ++piece_idx) {
      newlines += outcomes_[piece_idx].counts.newlines;
      rows += outcomes_[piece_idx].counts.rows;
    }
    SYNTHSCALE_RETURN_IF_ERROR(csv_internal::AppendPieces(plan, pieces_, num_pieces, out, ctx));
    chunker_->Advance(newlines, rows);
    rows_read_ += rows;
    chunker_->ReportProgress(ctx);
    if (rows > 0) return true;
  }
}

Result<bool> CsvReader::NextBatch(const Schema& schema, const Context& ctx, Table* batch) {
  if (!failure_.ok()) return failure_;
  Status status = PreparePlan(schema);
  if (!status.ok()) {
    failure_ = status;
    return status;
  }
  ResetTable(batch);
  if (finished_) return false;
  Result<bool> more = ReadChunkInto(ctx, batch);
  if (!more.ok()) {
    failure_ = more.status();
    ResetTable(batch);
    return failure_;
  }
  if (!*more) {
    finished_ = true;
    if (rows_read_ == 0) {
      SourceLocation location;
      location.file = chunker_->name();
      failure_ = InvalidData("no data rows: the file has a header row but no records below it", location);
      return failure_;
    }
  }
  return *more;
}

Result<Table> ReadCsv(const std::string& path, const Schema& schema, const CsvOptions& options,
                      const Context& ctx) {
  SYNTHSCALE_ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader, CsvReader::Open(path, options));
  SYNTHSCALE_RETURN_IF_ERROR(reader->PreparePlan(schema));
  Table table;
  reader->ResetTable(&table);
  while (true) {
    SYNTHSCALE_ASSIGN_OR_RETURN(const bool more, reader->ReadChunkInto(ctx, &table));
    if (!more) break;
  }
  if (reader->rows_read_ == 0) {
    SourceLocation location;
    location.file = path;
    return InvalidData("no data rows: the file has a header row but no records below it", location);
  }
  return table;
}

}  // namespace synthscale
