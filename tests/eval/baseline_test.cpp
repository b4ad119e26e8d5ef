#include "synthscale/eval/baseline.h"

#include <gtest/gtest.h>

#include <cmath>

#include "eval_privacy_test_util.h"
#include "synthscale/eval/metric.h"

namespace synthscale::eval {
namespace {

using testing_privacy::MakeInputs;
using testing_privacy::TinyColumn;

std::vector<std::vector<double>> Rows(std::size_t count, std::size_t offset) {
  std::vector<std::vector<double>> rows;
  for (std::size_t i = 0; i < count; ++i) {
    rows.push_back({static_cast<double>((i + offset) % 3), static_cast<double>((i * 7 + offset) % 2)});
  }
  return rows;
}

TEST(Baseline, HoldoutSampleScoresLikeTheSameRowsAsSynthetic) {
  // Synthetic = the holdout's 20 rows: the baseline sample (all 20 holdout rows, as the
  // synthetic table has 20) must score exactly what the synthetic table scores.
  const std::vector<TinyColumn> columns = {{"a", false, 3}, {"b", false, 2}};
  EvalInputs inputs = MakeInputs(columns, Rows(40, 0), Rows(20, 1), Rows(20, 1));
  Context ctx(2);
  auto metric = MakeMetric("marginals")->Compute(inputs, ctx);
  ASSERT_TRUE(metric.ok()) << metric.status().ToString();
  double synthetic_tvd = NAN;
  for (const auto& [key, estimate] : metric->summary) {
    if (key == "tvd_2way_mean") synthetic_tvd = estimate.value;
  }
  auto baselines = ComputeBaselines(inputs, {"marginals"}, synthetic_tvd, ctx);
  ASSERT_TRUE(baselines.ok()) << baselines.status().ToString();
  EXPECT_EQ((*baselines)["source"], "holdout sample");
  EXPECT_EQ((*baselines)["rows"], 20);
  EXPECT_DOUBLE_EQ((*baselines)["values"]["tvd_2way_mean"].get<double>(), synthetic_tvd);
  // The subsample curve: a 2-way TVD per fraction, and `fraction` the largest one whose
  // subsample is at least as far from the real rows as the synthetic table.
  const nlohmann::json& curve = (*baselines)["subsample_equivalent"];
  ASSERT_EQ(curve["fractions"].size(), 12u);
  ASSERT_EQ(curve["tvd_2way_mean"].size(), 12u);
  nlohmann::json expected = nullptr;
  for (std::size_t i = 0; i < 12; ++i) {
    if (curve["tvd_2way_mean"][i].is_number() && curve["tvd_2way_mean"][i].get<double>() >= synthetic_tvd) {
      expected = curve["fractions"][i];
    }
  }
  EXPECT_EQ(curve["fraction"], expected);
  // 90 % of 40 rows is far closer to the 40 rows than 1 % (0 rows: null, or 1 row).
  EXPECT_LT(curve["tvd_2way_mean"][11].get<double>(), curve["tvd_2way_mean"][3].get<double>());
}

TEST(Baseline, SameForAnyThreadCountAndNoHoldoutValuesWithoutHoldout) {
  const std::vector<TinyColumn> columns = {{"a", false, 3}, {"b", false, 2}};
  EvalInputs inputs = MakeInputs(columns, Rows(60, 0), Rows(30, 2), Rows(25, 1));
  auto one = ComputeBaselines(inputs, {"marginals", "correlations"}, 0.1, Context(1));
  auto seven = ComputeBaselines(inputs, {"marginals", "correlations"}, 0.1, Context(7));
  ASSERT_TRUE(one.ok() && seven.ok());
  EXPECT_EQ(one->dump(), seven->dump());
  EXPECT_EQ((*one)["rows"], 25);  // as many holdout rows as synthetic ones
  inputs.has_holdout = false;
  inputs.holdout = EvalTable{};
  auto none = ComputeBaselines(inputs, {"marginals"}, 0.1, Context(2));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE((*none)["source"].is_null());
  EXPECT_TRUE((*none)["values"].empty());
  EXPECT_TRUE((*none)["subsample_equivalent"].is_object());  // needs only the real rows
}

}  // namespace
}  // namespace synthscale::eval
