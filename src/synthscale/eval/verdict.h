// Verdicts: the first screen of the trust report, for a data steward who has a minute.
//
// Each headline summary entry is judged against the value a perfect generator would get
// (its "expected" value: 0 for a distance, 0.5 for a detection AUC, the train share for
// the DCR share, ...) and, where one was computed, against a baseline: the same metric
// with a real holdout sample of the synthetic table's size in place of the synthetic
// table (baseline.h). The gap from that reference is compared with two documented
// thresholds (docs/metrics.md, "Verdicts"): pass, caution or fail. A section's verdict is
// its worst check, with a sentence in plain words. Pure functions of report.json's
// content, so the verdicts are as deterministic as the numbers.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace synthscale::eval {

// The report's sections in verdict order: fidelity, detection, utility, privacy, fairness.
const std::vector<std::string>& VerdictSections();

// {"fidelity": {"verdict": "pass"|"caution"|"fail"|"not computed", "text": "...",
//   "checks": [{"key", "value", "expected", "baseline", "gap", "pass_below",
//   "caution_below", "verdict", "text"}]}, ...}, from report.json's `summary`,
// `sections`, `inputs` and `baselines` (null when absent).
nlohmann::json BuildVerdicts(const nlohmann::json& report);

}  // namespace synthscale::eval
