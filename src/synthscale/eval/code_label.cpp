#include "synthscale/eval/code_label.h"

#include <cstdio>

#include "synthscale/table/datetime.h"
#include "synthscale/table/encoding.h"

namespace synthscale::eval {

namespace {

// Shortest round-trippable-enough form for display ("%.6g": 0.5, 1e+06).
std::string Number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.6g", value);
  return buffer;
}

}  // namespace

std::string CodeLabel(const EvalInputs& inputs, std::size_t column, std::uint32_t code) {
  if (column >= inputs.columns.size()) return "(invalid code " + std::to_string(code) + ")";
  const EvalColumn& eval_column = inputs.columns[column];
  if (code == eval_column.domain_size) return "(missing)";
  if (code == eval_column.domain_size + 1) return "(out of domain)";
  if (code > eval_column.domain_size) return "(invalid code " + std::to_string(code) + ")";
  const ColumnSchema& schema = inputs.schema.column(eval_column.schema_index);
  switch (schema.type) {
    case ColumnType::kCategorical: return schema.categories[code];
    case ColumnType::kBoolean: return code == 0 ? "false" : "true";
    case ColumnType::kInteger:
    case ColumnType::kDatetime: {
      const auto [low, high] = ColumnCodec(schema).IntegerBin(code);
      const auto format = [&](std::int64_t value) {
        if (schema.type == ColumnType::kInteger) return std::to_string(value);
        return FormatDatetime(value, schema.datetime_format == DatetimeFormat::kDatetime);
      };
      return low == high ? format(low) : "[" + format(low) + ", " + format(high) + "]";
    }
    case ColumnType::kContinuous: {
      const double width = (schema.max - schema.min) / static_cast<double>(eval_column.domain_size);
      const double low = schema.min + width * code;
      const bool last = code + 1 == eval_column.domain_size;
      const double high = last ? schema.max : schema.min + width * (code + 1);
      return "[" + Number(low) + ", " + Number(high) + (last ? "]" : ")");
    }
    case ColumnType::kId:
    case ColumnType::kText: break;
  }
  return "(invalid code " + std::to_string(code) + ")";
}

}  // namespace synthscale::eval
