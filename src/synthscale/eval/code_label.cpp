#include "synthscale/eval/code_label.h"

#include "synthscale/privacy/format.h"
#include "synthscale/table/datetime.h"
#include "synthscale/table/encoding.h"

namespace synthscale::eval {

std::string CodeLabel(const EvalInputs& inputs, std::size_t column, std::uint32_t code) {
  const EvalColumn& info = inputs.columns[column];
  if (code == info.domain_size) return "(missing)";
  if (code > info.domain_size) return "(out of domain)";
  const ColumnSchema& schema = inputs.schema.columns()[info.schema_index];
  switch (info.type) {
    case ColumnType::kCategorical: return schema.categories[code];
    case ColumnType::kBoolean: return code == 0 ? "false" : "true";
    case ColumnType::kInteger:
    case ColumnType::kDatetime: {
      const auto [low, high] = ColumnCodec(schema).IntegerBin(code);
      if (info.type == ColumnType::kInteger) {
        return low == high ? std::to_string(low) : "[" + std::to_string(low) + ", " + std::to_string(high) + "]";
      }
      const bool with_time = schema.datetime_format == DatetimeFormat::kDatetime;
      if (low == high) return FormatDatetime(low, with_time);
      return "[" + FormatDatetime(low, with_time) + ", " + FormatDatetime(high, with_time) + "]";
    }
    case ColumnType::kContinuous: {
      const double width = (schema.max - schema.min) / static_cast<double>(info.domain_size);
      const double low = schema.min + width * code;
      const bool last = code + 1 == info.domain_size;
      return "[" + FormatNumber(low) + ", " + FormatNumber(last ? schema.max : low + width) + (last ? "]" : ")");
    }
    case ColumnType::kId:
    case ColumnType::kText: break;
  }
  return std::to_string(code);
}

}  // namespace synthscale::eval
