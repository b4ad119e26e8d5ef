#include "synthscale/table/column_type.h"

#include <array>
#include <utility>

namespace synthscale {
namespace {

constexpr std::array<std::pair<ColumnType, std::string_view>, 7> kNames = {{
    {ColumnType::kCategorical, "categorical"},
    {ColumnType::kInteger, "integer"},
    {ColumnType::kContinuous, "continuous"},
    {ColumnType::kDatetime, "datetime"},
    {ColumnType::kBoolean, "boolean"},
    {ColumnType::kId, "id"},
    {ColumnType::kText, "text"},
}};

}  // namespace

std::string_view ColumnTypeName(ColumnType type) {
  for (const auto& [value, name] : kNames) {
    if (value == type) return name;
  }
  return "unknown";
}

std::optional<ColumnType> ParseColumnType(std::string_view name) {
  for (const auto& [value, type_name] : kNames) {
    if (type_name == name) return value;
  }
  return std::nullopt;
}

bool IsModelled(ColumnType type) { return type != ColumnType::kId && type != ColumnType::kText; }

}  // namespace synthscale
