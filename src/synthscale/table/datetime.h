// Datetime parsing and formatting (ISO 8601 subset, UTC, proleptic Gregorian calendar).
//
// Accepted: YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS, YYYY-MM-DD HH:MM:SS, each optionally with a
// trailing 'Z'. Stored as seconds since 1970-01-01T00:00:00Z. Hand-written rather than
// std::chrono::parse because libstdc++ 12 lacks it, and because a parser that returns
// "not a datetime" without throwing is what the CSV reader's hot loop needs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace synthscale {

struct ParsedDatetime {
  std::int64_t seconds;
  bool has_time;  // whether a time of day was written
};

std::optional<ParsedDatetime> ParseDatetime(std::string_view text);
// "YYYY-MM-DD" (with_time false) or "YYYY-MM-DDTHH:MM:SS".
std::string FormatDatetime(std::int64_t seconds, bool with_time);

// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil).
std::int64_t DaysFromCivil(std::int64_t year, unsigned month, unsigned day);

}  // namespace synthscale
