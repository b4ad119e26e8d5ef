// ColumnType: the logical type of a column, as named in schema JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace synthscale {

enum class ColumnType : std::uint8_t {
  kCategorical,  // a finite set of labels, dictionary-encoded
  kInteger,      // signed 64-bit integers
  kContinuous,   // finite doubles (NaN and infinity are rejected: use a missing token)
  kDatetime,     // seconds since 1970-01-01T00:00:00Z, signed 64-bit
  kBoolean,      // true / false
  kId,           // a unique identifier per row: never modelled, regenerated on output
  kText,         // free text: never modelled (a later issue adds text support)
};

std::string_view ColumnTypeName(ColumnType type);
std::optional<ColumnType> ParseColumnType(std::string_view name);
// Whether synthesizers model this column (everything but id and text).
bool IsModelled(ColumnType type);

}  // namespace synthscale
