// Baselines: what real data scores on the report's own metrics, computed on the spot.
//
// A distance between finite samples is never 0, even for a perfect generator, so a
// number like "mean 2-way TVD 0.031" means little on its own. Two references make it
// readable (after NIST SDNist's subsample comparison):
//   holdout baseline   the fidelity and subgroup metrics run again with a
//                      seeded sample of real holdout rows, as many as the synthetic
//                      rows (all of them when the holdout is smaller), in place of the
//                      synthetic table: what fresh real data of that size scores;
//   subsample curve    the mean 2-way TVD between the real rows and a seeded random
//                      subsample of them, for fractions 1 % to 90 %, so a synthetic
//                      table's TVD reads as "as close as a subsample of x %".
// Baselines are point values (no bootstrap) and deterministic given the seed:
// RandomStream(seed, "baseline/holdout sample", 0) and (seed, "baseline/subsample", f).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "synthscale/core/context.h"
#include "synthscale/core/status.h"
#include "synthscale/eval/eval_inputs.h"

namespace synthscale::eval {

// The metrics that get a holdout baseline (when they ran and there is a holdout).
const std::vector<std::string>& BaselineMetrics();

// {"source": "holdout sample" | null, "rows": k | null,
//  "values": {summary key: value},
//  "subsample_equivalent": {"fractions": [...], "tvd_2way_mean": [...], "fraction": f | null}}
// `ran` lists the metrics that ran; `synthetic_tvd_2way` is the report's tvd_2way_mean
// (NaN when not computed: the subsample curve is then skipped).
// Errors: any metric's error.
Result<nlohmann::json> ComputeBaselines(const EvalInputs& inputs, const std::vector<std::string>& ran,
                                        double synthetic_tvd_2way, const Context& ctx);

}  // namespace synthscale::eval
