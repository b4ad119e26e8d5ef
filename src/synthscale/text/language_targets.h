// Target language shares: a JSON object mapping language codes (as the report writes
// them, e.g. "de", "fr") to positive weights, e.g. {"de": 0.25, "fr": 0.25, "pl": 0.5}.
// Weights are normalised to shares (so {"de": 1, "fr": 1} means half each).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "synthscale/core/status.h"

namespace synthscale::text {

struct LanguageTarget {
  std::string code;
  double share = 0.0;
};

// Parse the targets in `text` read from `file`, sorted by code. Errors: kInvalidData with
// line and column for malformed JSON; naming the entry for a code CLD2 does not know, a
// weight that is not a positive finite number, or an empty object.
Result<std::vector<LanguageTarget>> ParseLanguageTargets(std::string_view text, const std::string& file);
// Read and parse a file. Errors: kIO, and those of ParseLanguageTargets.
Result<std::vector<LanguageTarget>> ReadLanguageTargets(const std::string& path);

}  // namespace synthscale::text
