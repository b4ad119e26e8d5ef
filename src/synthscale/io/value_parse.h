// Text -> value conversions shared by the CSV reader and schema inference, so a schema
// inferred from a file always reads that file back (internal to io/). None allocates or
// throws; callers trim spaces first.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <system_error>

#include <fast_float/fast_float.h>

namespace synthscale::csv_internal {

enum class NumberParse : std::uint8_t { kOk, kInvalid, kOverflow, kNonFinite };

// A 64-bit signed integer: optional sign ('+' or '-') and decimal digits, nothing else.
inline NumberParse ParseInt64(std::string_view text, std::int64_t& value) {
  const char* first = text.data();
  const char* last = first + text.size();
  if (first != last && *first == '+') {
    ++first;
    if (first != last && *first == '-') return NumberParse::kInvalid;
  }
  const std::from_chars_result result = std::from_chars(first, last, value);
  if (result.ec == std::errc::result_out_of_range) {
    // from_chars stops at the first non-digit even when out of range: only a run of
    // digits is an overflow; "99999999999999999999x" is simply not an integer.
    const char* digits = first + (first != last && *first == '-' ? 1 : 0);
    for (const char* p = digits; p != last; ++p) {
      if (*p < '0' || *p > '9') return NumberParse::kInvalid;
    }
    return NumberParse::kOverflow;
  }
  if (result.ec != std::errc() || result.ptr != last || first == last) return NumberParse::kInvalid;
  return NumberParse::kOk;
}

// A finite double in decimal or scientific notation, with an optional sign. NaN and
// infinity (spelled out, or a value beyond the double range) are kNonFinite.
inline NumberParse ParseFiniteDouble(std::string_view text, double& value) {
  const char* first = text.data();
  const char* last = first + text.size();
  if (first != last && *first == '+') {
    ++first;
    if (first != last && *first == '-') return NumberParse::kInvalid;
  }
  if (first == last) return NumberParse::kInvalid;
  const fast_float::from_chars_result result = fast_float::from_chars(first, last, value);
  if (result.ec != std::errc() || result.ptr != last) {
    return result.ec == std::errc::result_out_of_range && result.ptr == last ? NumberParse::kNonFinite
                                                                              : NumberParse::kInvalid;
  }
  return std::isfinite(value) ? NumberParse::kOk : NumberParse::kNonFinite;
}

// true/false, yes/no (any case) or 1/0.
inline bool ParseBool(std::string_view text, bool& value) {
  char lower[6];
  if (text.empty() || text.size() > 5) return false;
  for (std::size_t idx = 0; idx < text.size(); ++idx) {
    const char ch = text[idx];
    lower[idx] = ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;  // ASCII only, no locale
  }
  const std::string_view word(lower, text.size());
  if (word == "true" || word == "yes" || word == "1") {
    value = true;
    return true;
  }
  if (word == "false" || word == "no" || word == "0") {
    value = false;
    return true;
  }
  return false;
}

}  // namespace synthscale::csv_internal
