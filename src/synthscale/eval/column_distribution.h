// The real and synthetic distribution of one column, counted for a side-by-side plot
// (report.html's "Columns" section; the counts are in report.json so any tool can redraw
// them).
//
//   numeric column      kBins equal-width bins shared by both tables, over the range of
//                       the REAL values (an integer column with at most kBins distinct
//                       values in that range gets one bin per value); synthetic values
//                       outside the range are counted in `synthetic_below` /
//                       `synthetic_above` rather than stretching the axis; missing
//                       values are counted apart.
//   categorical column  the kTopCategories codes most frequent in the real rows (missing
//                       and out-of-domain codes included, labelled from the schema), then
//                       "other" for the rest of both tables.
#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

#include "synthscale/eval/eval_inputs.h"

namespace synthscale::eval {

inline constexpr std::size_t kDistributionBins = 20;
inline constexpr std::size_t kTopCategories = 12;

// {"kind": "numeric", "edges": [kBins + 1], "real": [counts], "synthetic": [counts],
//  "real_missing", "synthetic_missing", "synthetic_below", "synthetic_above"} or
// {"kind": "categorical", "labels": [...], "real": [counts], "synthetic": [counts]}.
nlohmann::json ColumnDistribution(const EvalInputs& inputs, std::size_t column);

}  // namespace synthscale::eval
