#include "synthscale/text/language_targets.h"

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "synthscale/text/language_id.h"

namespace synthscale::text {
namespace {

SourceLocation LocationOf(std::string_view text, std::size_t offset, const std::string& file) {
  SourceLocation location;
  location.file = file;
  location.line = 1;
  location.column = 1;
  for (std::size_t idx = 0; idx < offset && idx < text.size(); ++idx) {
    if (text[idx] == '\n') {
      ++location.line;
      location.column = 1;
    } else if ((static_cast<unsigned char>(text[idx]) & 0xC0) != 0x80) {
      ++location.column;
    }
  }
  return location;
}

}  // namespace

Result<std::vector<LanguageTarget>> ParseLanguageTargets(std::string_view text, const std::string& file) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    std::string message = error.what();
    const std::size_t colon = message.find(": ");
    if (colon != std::string::npos) message = message.substr(colon + 2);
    return InvalidData("language targets: " + message,
                       LocationOf(text, error.byte > 0 ? error.byte - 1 : 0, file));
  }
  SourceLocation location;
  location.file = file;
  if (!json.is_object() || json.empty()) {
    return InvalidData("language targets must be a non-empty JSON object of language code to weight, e.g. "
                       "{\"de\": 0.5, \"fr\": 0.5}",
                       location);
  }
  std::vector<LanguageTarget> targets;
  double total = 0.0;
  for (const auto& [code, weight] : json.items()) {
    location.field = code;
    if (LanguageSlotOfCode(code) >= LanguageSlotCount()) {
      return InvalidData("unknown language code '" + code +
                             "'; use ISO 639-1 codes as the report writes them (e.g. \"de\", \"fr\", \"zh\"), or "
                             "\"und\" / \"mul\"",
                         location);
    }
    if (!weight.is_number() || !std::isfinite(weight.get<double>()) || weight.get<double>() <= 0.0) {
      return InvalidData("the weight of '" + code + "' must be a positive number, got " + weight.dump(), location);
    }
    targets.push_back({code, weight.get<double>()});
    total += weight.get<double>();
  }
  for (LanguageTarget& target : targets) target.share /= total;
  std::sort(targets.begin(), targets.end(), [](const LanguageTarget& a, const LanguageTarget& b) { return a.code < b.code; });
  return targets;
}

Result<std::vector<LanguageTarget>> ReadLanguageTargets(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
    return IOError("'" + path + "' is a directory, expected a JSON file of language targets", path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return IOError("cannot open the language targets '" + path + "'; check the path", path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return IOError("cannot read the language targets '" + path + "'", path);
  return ParseLanguageTargets(buffer.str(), path);
}

}  // namespace synthscale::text
