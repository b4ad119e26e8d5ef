// Locate a value inside JSON text by its path, for error messages with line and column.
//
// nlohmann::json does not keep source positions, so a schema that parses but means
// nothing ("type": "colour") would otherwise be reported without a line. This walks the
// text once with a minimal tokenizer (strings, nesting) to find where the value starts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace synthscale {

using JsonPathStep = std::variant<std::string, std::size_t>;  // object key or array index

struct TextPosition {
  std::int64_t line = 0;    // 1-based; 0 when not found
  std::int64_t column = 0;  // 1-based, in characters
};

// Position of the value at `path` (e.g. {"columns", 3, "type"}), or of the deepest
// prefix of the path that exists.
TextPosition LocateJsonPath(std::string_view text, const std::vector<JsonPathStep>& path);
// Line and column of a byte offset.
TextPosition PositionOfOffset(std::string_view text, std::size_t offset);

}  // namespace synthscale
