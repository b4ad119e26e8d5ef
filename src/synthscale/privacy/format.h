// Numbers in privacy messages and labels: the shortest text that reads back as the same
// double ("1e-06", "0.1", "-1"), so a message never shows a rounded or misleading value.
#pragma once

#include <charconv>
#include <string>
#include <system_error>

namespace synthscale {

inline std::string FormatNumber(double value) {
  char buffer[64];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return error == std::errc() ? std::string(buffer, end) : std::string("?");
}

}  // namespace synthscale
