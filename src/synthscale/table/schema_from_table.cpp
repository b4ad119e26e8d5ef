#include "synthscale/table/schema_from_table.h"

#include <algorithm>
#include <limits>

namespace synthscale {

std::uint32_t IntegerBins(std::int64_t min, std::int64_t max, std::uint32_t max_bins) {
  const auto range = static_cast<double>(max) - static_cast<double>(min) + 1.0;
  return range <= static_cast<double>(max_bins) ? static_cast<std::uint32_t>(range) : max_bins;
}

Schema SchemaFromTable(const Table& table, const DomainOptions& options) {
  std::vector<ColumnSchema> columns;
  for (const Column& column : table.columns()) {
    ColumnSchema spec;
    spec.name = column.name;
    spec.type = column.type;
    spec.nullable = column.null_count() > 0;
    spec.domain_from_data = IsModelled(column.type);
    const std::size_t rows = column.size();
    switch (column.type) {
      case ColumnType::kCategorical: {
        std::vector<bool> used(column.dictionary.size(), false);
        for (std::size_t row = 0; row < rows; ++row) {
          if (column.valid[row]) used[column.codes[row]] = true;
        }
        for (std::size_t code = 0; code < used.size(); ++code) {
          if (used[code]) spec.categories.push_back(column.dictionary[code]);
        }
        std::sort(spec.categories.begin(), spec.categories.end());
        if (spec.categories.empty()) {
          spec.type = ColumnType::kText;
          spec.domain_from_data = false;
        }
        break;
      }
      case ColumnType::kInteger:
      case ColumnType::kDatetime:
      case ColumnType::kContinuous: {
        double low = std::numeric_limits<double>::infinity();
        double high = -low;
        for (std::size_t row = 0; row < rows; ++row) {
          if (!column.valid[row]) continue;
          const double value = column.type == ColumnType::kContinuous
                                   ? column.doubles[row]
                                   : static_cast<double>(column.ints[row]);
          low = std::min(low, value);
          high = std::max(high, value);
        }
        if (low > high) {  // all missing
          spec.type = ColumnType::kText;
          spec.domain_from_data = false;
          break;
        }
        spec.min = low;
        spec.max = high;
        if (column.type == ColumnType::kDatetime) {
          // Written back as a date unless some value has a time of day.
          bool any_time = false;
          for (std::size_t row = 0; row < rows && !any_time; ++row) {
            any_time = column.valid[row] && column.ints[row] % 86400 != 0;
          }
          spec.datetime_format = any_time ? DatetimeFormat::kDatetime : DatetimeFormat::kDate;
        }
        spec.bins = column.type == ColumnType::kContinuous
                        ? options.continuous_bins
                        : IntegerBins(static_cast<std::int64_t>(low), static_cast<std::int64_t>(high),
                                      options.integer_bins);
        break;
      }
      case ColumnType::kBoolean:
      case ColumnType::kId:
      case ColumnType::kText: break;
    }
    columns.push_back(std::move(spec));
  }
  return Schema(std::move(columns));
}

}  // namespace synthscale
