// Table: typed, nullable, column-major data in memory.
//
// One Column holds one of the storages below, chosen by its type; the others stay empty.
//   categorical -> codes (index into dictionary)      integer, datetime -> ints
//   continuous  -> doubles                            boolean -> ints (0 or 1)
//   id, text    -> strings (offsets into bytes)
// `valid[row]` is 0 for a missing value; the storage then holds 0 / "" at that row.
// A Table knows nothing of schemas' domains: values outside a domain are kept as read,
// and only encoding maps them to the out-of-domain code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "synthscale/table/column_type.h"

namespace synthscale {

// Variable-length strings packed into one buffer: string i is bytes[offsets[i], offsets[i+1]).
struct StringStorage {
  std::vector<std::uint64_t> offsets{0};
  std::string bytes;

  std::size_t size() const { return offsets.size() - 1; }
  std::string_view at(std::size_t idx) const {
    return std::string_view(bytes).substr(offsets[idx], offsets[idx + 1] - offsets[idx]);
  }
  void push_back(std::string_view value) {
    bytes.append(value);
    offsets.push_back(bytes.size());
  }
};

struct Column {
  std::string name;
  ColumnType type = ColumnType::kText;
  std::vector<std::uint8_t> valid;
  std::vector<std::uint32_t> codes;
  std::vector<std::string> dictionary;
  std::vector<std::int64_t> ints;
  std::vector<double> doubles;
  StringStorage strings;

  std::size_t size() const { return valid.size(); }
  bool is_valid(std::size_t row) const { return valid[row] != 0; }
  std::size_t null_count() const;

  // Appenders keep the storage and validity in step.
  void AppendNull();
  void AppendCode(std::uint32_t code);
  void AppendInt(std::int64_t value);
  void AppendDouble(double value);
  void AppendString(std::string_view value);
  // Append a category label, adding it to the dictionary if new (linear lookup: for
  // building small tables by hand; the CSV reader uses hashed dictionaries).
  void AppendCategory(std::string_view label);
  // Append rows [begin, end) of `other` (same type; categorical codes are remapped
  // through `other`'s dictionary into this one's).
  void AppendRange(const Column& other, std::size_t begin, std::size_t end);
};

class Table {
 public:
  Table() = default;

  std::size_t num_rows() const { return num_rows_; }
  std::size_t num_columns() const { return columns_.size(); }
  const std::vector<Column>& columns() const { return columns_; }
  const Column& column(std::size_t idx) const { return columns_[idx]; }
  Column& mutable_column(std::size_t idx) { return columns_[idx]; }
  // Index of the column with this name, or -1.
  std::ptrdiff_t FindColumn(std::string_view name) const;

  void AddColumn(Column column);
  // Call after appending the same number of values to every column.
  void SetNumRows(std::size_t num_rows) { num_rows_ = num_rows; }
  // Append all rows of `other`, whose columns must match by position and type.
  void AppendRows(const Table& other);

 private:
  std::vector<Column> columns_;
  std::size_t num_rows_ = 0;
};

}  // namespace synthscale
