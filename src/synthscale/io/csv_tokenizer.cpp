#include "synthscale/io/csv_tokenizer.h"

#include <cstdio>

namespace synthscale::csv_internal {

std::string Quoted(std::string_view value) {
  constexpr std::size_t kMaxShown = 40;
  std::string out = "'";
  std::size_t shown = 0;
  std::size_t pos = 0;
  while (pos < value.size()) {
    if (shown >= kMaxShown - 3 && value.size() - pos > 3) {
      out += "...";
      break;
    }
    const auto byte = static_cast<unsigned char>(value[pos]);
    if (byte < 0x20 || byte == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += byte == '\n' ? "\\n" : byte == '\r' ? "\\r" : byte == '\t' ? "\\t" : escaped;
      ++pos;
    } else if (byte < 0x80) {
      out += static_cast<char>(byte);
      ++pos;
    } else {
      // Copy a whole well-formed UTF-8 sequence, or show a stray byte escaped.
      std::size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 0;
      bool well_formed = length > 0 && pos + length <= value.size();
      for (std::size_t idx = 1; well_formed && idx < length; ++idx) {
        well_formed = (static_cast<unsigned char>(value[pos + idx]) & 0xC0u) == 0x80u;
      }
      if (well_formed) {
        out.append(value.substr(pos, length));
        pos += length;
      } else {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
        out += escaped;
        ++pos;
      }
    }
    ++shown;
  }
  out += "'";
  return out;
}

}  // namespace synthscale::csv_internal
