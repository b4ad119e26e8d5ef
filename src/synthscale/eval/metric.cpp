#include "synthscale/eval/metric.h"

#include <cmath>
#include <functional>

#include "synthscale/eval/metrics.h"

namespace synthscale::eval {

namespace {

struct Entry {
  std::string_view name;
  std::function<std::unique_ptr<Metric>()> make;
};

// Report order: fidelity, detection, utility, privacy, subgroup audit.
const std::vector<Entry>& Entries() {
  static const std::vector<Entry> entries = {
      // fidelity
      {"marginals", MakeMarginalsMetric},
      {"column_shapes", MakeColumnShapesMetric},
      {"correlations", MakeCorrelationsMetric},
      // detection
      {"pmse", MakePmseMetric},
      // utility
      {"utility", MakeUtilityMetric},
      // privacy
      {"exact_matches", MakeExactMatchesMetric},
      {"distance_to_closest_record", MakeDistanceToClosestRecordMetric},
      {"membership_inference", MakeMembershipInferenceMetric},
      {"attribute_inference", MakeAttributeInferenceMetric},
      // subgroup
      {"subgroups", MakeSubgroupMetric},
  };
  return entries;
}

nlohmann::json NumberOrNull(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json EstimateToJson(const Estimate& estimate) {
  return {{"value", NumberOrNull(estimate.value)},
          {"ci", {NumberOrNull(estimate.ci_low), NumberOrNull(estimate.ci_high)}}};
}

std::string_view SectionName(Section section) {
  switch (section) {
    case Section::kFidelity: return "fidelity";
    case Section::kDetection: return "detection";
    case Section::kUtility: return "utility";
    case Section::kPrivacy: return "privacy";
    case Section::kSubgroup: return "subgroups";
  }
  return "unknown";
}

std::vector<std::string> MetricNames() {
  std::vector<std::string> names;
  for (const Entry& entry : Entries()) names.emplace_back(entry.name);
  return names;
}

std::unique_ptr<Metric> MakeMetric(std::string_view name) {
  for (const Entry& entry : Entries()) {
    if (entry.name == name) return entry.make();
  }
  return nullptr;
}

}  // namespace synthscale::eval
