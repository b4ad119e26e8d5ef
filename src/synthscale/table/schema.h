// Schema: per column its type, public domain and nullability, read from / written to JSON.
//
// The domain is what a synthesizer may produce: the category list of a categorical
// column, or the bounds [min, max] and number of equal-width bins of a numeric or
// datetime column (booleans: {false, true}). `domain_from_data` records that the domain
// was read from the data (schema inference) and is therefore NOT differentially private.
// Format and examples: docs/schema.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "synthscale/core/status.h"
#include "synthscale/table/column_type.h"

namespace synthscale {

// How a datetime column is written back: "date" (YYYY-MM-DD) or "datetime"
// (YYYY-MM-DDTHH:MM:SS, UTC).
enum class DatetimeFormat : std::uint8_t { kDate, kDatetime };

struct ColumnSchema {
  std::string name;
  ColumnType type = ColumnType::kCategorical;
  bool nullable = true;
  bool domain_from_data = false;
  // categorical
  std::vector<std::string> categories;
  // integer, continuous, datetime (datetime bounds in seconds since the epoch)
  double min = 0.0;
  double max = 0.0;
  std::uint32_t bins = 0;
  DatetimeFormat datetime_format = DatetimeFormat::kDate;

  // Number of values in the encoded domain (categories, bins, or 2 for booleans).
  // 0 for id and text columns, which are not modelled.
  std::uint32_t DomainSize() const;
};

class Schema {
 public:
  Schema() = default;
  explicit Schema(std::vector<ColumnSchema> columns) : columns_(std::move(columns)) {}

  // Check names (non-empty, unique), domains (finite bounds, min <= max, bins >= 1,
  // categories non-empty and unique) and types. Errors: kInvalidData naming the column.
  Status Validate() const;

  // Parse schema JSON. `file` names the source in error messages (line and column of
  // syntax errors; the JSON path and column name of semantic ones). Unknown keys are
  // errors. Errors: kInvalidData.
  static Result<Schema> FromJson(std::string_view text, const std::string& file = "<schema>");
  static Result<Schema> ReadFile(const std::string& path);
  // Pretty-printed JSON, stable key order, ending in a newline.
  std::string ToJson() const;

  const std::vector<ColumnSchema>& columns() const { return columns_; }
  std::vector<ColumnSchema>& mutable_columns() { return columns_; }
  std::size_t size() const { return columns_.size(); }
  const ColumnSchema& column(std::size_t idx) const { return columns_[idx]; }
  std::ptrdiff_t FindColumn(std::string_view name) const;
  // Whether any column's domain was read from the data (so a DP fit would leak it).
  bool AnyDomainFromData() const;

 private:
  std::vector<ColumnSchema> columns_;
};

// The version written as "synthscale_schema" and accepted by FromJson.
inline constexpr int kSchemaFormatVersion = 1;

}  // namespace synthscale
