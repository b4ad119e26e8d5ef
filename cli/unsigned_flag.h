// A CLI11 check for flags that take a 64-bit non-negative integer (seeds, rows, shard
// numbers). CLI11 2.1 reads "-1" into a uint64 as 2^64 - 1 and clamps "18446744073709551616"
// to 2^64 - 1 (strtoull's wrap-around and saturation), which would silently turn a typo into
// another seed. Only decimal digits of a value below 2^64 are accepted.
#pragma once

#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdint>
#include <string>
#include <system_error>

namespace synthscale::cli {

inline const CLI::Validator kUnsignedDecimal(
    [](std::string& text) -> std::string {
      if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
        return "must be a non-negative integer, got '" + text + "'";
      }
      std::uint64_t value = 0;
      if (std::from_chars(text.data(), text.data() + text.size(), value).ec != std::errc()) {
        return "must be below 2^64 (18446744073709551616), got " + text;
      }
      return {};
    },
    "", "unsigned decimal");  // no description: the help already says UINT

}  // namespace synthscale::cli
