// Metric: one measurement of the trust report, and the registry of all of them.
//
// A metric reads EvalInputs and returns its details (free-form JSON documented in
// docs/metrics.md) plus the headline entries it contributes to report.summary. A
// metric must be deterministic given EvalOptions::seed (random streams derived from
// the seed and a purpose name, never from thread ids) and exact unless an option asks
// for sampling, which it then records in `sampling`.
#pragma once

#include <cmath>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "synthscale/core/context.h"
#include "synthscale/core/status.h"
#include "synthscale/eval/eval_inputs.h"

namespace synthscale::eval {

// A value with its two-sided confidence interval; NaN bounds when not computed.
struct Estimate {
  double value = NAN;
  double ci_low = NAN;
  double ci_high = NAN;
};

// {"value": v, "ci": [low, high]}; NaN becomes null.
nlohmann::json EstimateToJson(const Estimate& estimate);

struct MetricResult {
  nlohmann::json details = nlohmann::json::object();
  // Entries for report.summary, in the order they should appear.
  std::vector<std::pair<std::string, Estimate>> summary;
  // Any subsampling or approximation applied, in words (empty when exact).
  std::vector<std::string> sampling;
};

enum class Section { kFidelity, kDetection, kUtility, kPrivacy, kSubgroup };
std::string_view SectionName(Section section);

class Metric {
 public:
  virtual ~Metric() = default;
  virtual std::string_view name() const = 0;
  virtual Section section() const = 0;
  virtual std::string_view description() const = 0;  // one line, for --help and the report
  // Why this metric cannot run on these inputs (e.g. "needs --holdout"), or empty.
  virtual std::string Unavailable(const EvalInputs& inputs) const {
    (void)inputs;
    return {};
  }
  virtual Result<MetricResult> Compute(const EvalInputs& inputs, const Context& ctx) const = 0;
};

// Every metric, in report order.
std::vector<std::string> MetricNames();
// Null for an unknown name.
std::unique_ptr<Metric> MakeMetric(std::string_view name);

}  // namespace synthscale::eval
