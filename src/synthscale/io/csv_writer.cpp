#include "synthscale/io/csv_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

#include "synthscale/io/csv_options.h"
#include "synthscale/table/datetime.h"

namespace synthscale {
namespace {

// Rows per formatting task, and tasks formatted before their text is written (bounds
// the memory of one Append).
constexpr std::size_t kRowsPerBlock = 4096;
constexpr std::size_t kBlocksPerRound = 64;

bool EqualsDefaultMissingToken(std::string_view value) {
  static const std::vector<std::string> kTokens = CsvOptions{}.missing_tokens;
  return std::find(kTokens.begin(), kTokens.end(), value) != kTokens.end();
}

// Append `value` as one field, quoted when reading it back would otherwise differ.
void AppendText(std::string& out, std::string_view value, char delimiter) {
  bool needs_quotes = EqualsDefaultMissingToken(value);
  for (const char ch : value) {
    if (needs_quotes) break;
    needs_quotes = ch == delimiter || ch == '"' || ch == '\n' || ch == '\r';
  }
  if (!needs_quotes) {
    out.append(value);
    return;
  }
  out.push_back('"');
  for (const char ch : value) {
    if (ch == '"') out.push_back('"');
    out.push_back(ch);
  }
  out.push_back('"');
}

template <typename Number>
void AppendNumber(std::string& out, Number value) {
  char text[64];
  const std::to_chars_result result = std::to_chars(text, text + sizeof text, value);
  out.append(text, result.ptr);
}

struct ColumnWriter {
  const Column* column = nullptr;
  ColumnType type = ColumnType::kText;
  bool with_time = false;
  std::vector<std::string> labels;  // categorical: each dictionary entry, already quoted as needed
};

void AppendField(std::string& out, const ColumnWriter& writer, std::size_t row, char delimiter) {
  const Column& column = *writer.column;
  if (!column.is_valid(row)) return;  // missing: an empty field
  switch (writer.type) {
    case ColumnType::kCategorical: {
      const std::uint32_t code = column.codes[row];
      if (code < writer.labels.size()) out.append(writer.labels[code]);
      return;
    }
    case ColumnType::kInteger: AppendNumber(out, column.ints[row]); return;
    case ColumnType::kContinuous:
      if (std::isfinite(column.doubles[row])) AppendNumber(out, column.doubles[row]);
      return;
    case ColumnType::kDatetime: out.append(FormatDatetime(column.ints[row], writer.with_time)); return;
    case ColumnType::kBoolean: out.append(column.ints[row] != 0 ? "true" : "false"); return;
    case ColumnType::kId:
    case ColumnType::kText: AppendText(out, column.strings.at(row), delimiter); return;
  }
}

}  // namespace

Result<CsvWriter> CsvWriter::Create(const std::string& path, const Schema& schema, bool force, char delimiter) {
  if (delimiter == '"' || delimiter == '\n' || delimiter == '\r' || delimiter == '\0') {
    return InvalidArgument("the CSV delimiter must not be a quote, CR, LF or NUL byte");
  }
  if (schema.size() == 0) return InvalidArgument("cannot write a CSV file with no columns");
  SYNTHSCALE_ASSIGN_OR_RETURN(AtomicOutputFile file, AtomicOutputFile::Create(path, force));
  std::string header;
  for (std::size_t col_idx = 0; col_idx < schema.size(); ++col_idx) {
    if (col_idx > 0) header.push_back(delimiter);
    AppendText(header, schema.column(col_idx).name, delimiter);
  }
  header.push_back('\n');
  SYNTHSCALE_RETURN_IF_ERROR(file.Write(header));
  return CsvWriter(std::move(file), schema, delimiter);
}

Status CsvWriter::Append(const Table& batch, const Context& ctx) {
  std::vector<ColumnWriter> writers(schema_.size());
  for (std::size_t col_idx = 0; col_idx < schema_.size(); ++col_idx) {
    const ColumnSchema& spec = schema_.column(col_idx);
    const std::ptrdiff_t found = batch.FindColumn(spec.name);
    if (found < 0) return InvalidArgument("the table to write has no column '" + spec.name + "' of the schema");
    ColumnWriter& writer = writers[col_idx];
    writer.column = &batch.column(static_cast<std::size_t>(found));
    writer.type = spec.type;
    writer.with_time = spec.datetime_format == DatetimeFormat::kDatetime;
    if (writer.column->type != spec.type) {
      return InvalidArgument("column '" + spec.name + "' of the table is " +
                             std::string(ColumnTypeName(writer.column->type)) + " but the schema says " +
                             std::string(ColumnTypeName(spec.type)));
    }
    if (writer.column->size() != batch.num_rows()) {
      return InvalidArgument("column '" + spec.name + "' has " + std::to_string(writer.column->size()) +
                             " values but the table has " + std::to_string(batch.num_rows()) + " rows");
    }
    for (const std::string& label : writer.column->dictionary) {
      std::string rendered;
      AppendText(rendered, label, delimiter_);
      writer.labels.push_back(std::move(rendered));
    }
  }
  const std::size_t rows = batch.num_rows();
  const std::size_t blocks = (rows + kRowsPerBlock - 1) / kRowsPerBlock;
  std::vector<std::string> texts;
  for (std::size_t first_block = 0; first_block < blocks; first_block += kBlocksPerRound) {
    const std::size_t round = std::min(kBlocksPerRound, blocks - first_block);
    texts.resize(round);
    SYNTHSCALE_RETURN_IF_ERROR(ctx.pool().Run(round, [&](std::size_t task_idx) {
      const std::size_t begin = (first_block + task_idx) * kRowsPerBlock;
      const std::size_t end = std::min(rows, begin + kRowsPerBlock);
      std::string& text = texts[task_idx];
      text.clear();
      for (std::size_t row = begin; row < end; ++row) {
        for (std::size_t col_idx = 0; col_idx < writers.size(); ++col_idx) {
          if (col_idx > 0) text.push_back(delimiter_);
          AppendField(text, writers[col_idx], row, delimiter_);
        }
        text.push_back('\n');
      }
      return Status::Ok();
    }));
    for (const std::string& text : texts) SYNTHSCALE_RETURN_IF_ERROR(file_.Write(text));
  }
  rows_written_ += rows;
  return Status::Ok();
}

Status CsvWriter::Commit() { return file_.Commit(); }

Status WriteCsv(const Table& table, const std::string& path, const Schema& schema, bool force, const Context& ctx) {
  SYNTHSCALE_ASSIGN_OR_RETURN(CsvWriter writer, CsvWriter::Create(path, schema, force));
  SYNTHSCALE_RETURN_IF_ERROR(writer.Append(table, ctx));
  return writer.Commit();
}

}  // namespace synthscale
