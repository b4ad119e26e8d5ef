// The factories of every registered metric; metric.cpp lists them in report order.
// One metric per file: metric_<name>.cpp.
#pragma once

#include <memory>

#include "synthscale/eval/metric.h"

namespace synthscale::eval {

// fidelity
std::unique_ptr<Metric> MakeMarginalsMetric();
std::unique_ptr<Metric> MakeColumnShapesMetric();
std::unique_ptr<Metric> MakeCorrelationsMetric();

// detection
std::unique_ptr<Metric> MakePmseMetric();

// utility
std::unique_ptr<Metric> MakeUtilityMetric();

// privacy
std::unique_ptr<Metric> MakeExactMatchesMetric();
std::unique_ptr<Metric> MakeDistanceToClosestRecordMetric();
std::unique_ptr<Metric> MakeMembershipInferenceMetric();
std::unique_ptr<Metric> MakeAttributeInferenceMetric();

// subgroup audit
std::unique_ptr<Metric> MakeSubgroupMetric();

}  // namespace synthscale::eval
