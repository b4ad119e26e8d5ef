#include "synthscale/eval/column_distribution.h"

#include <gtest/gtest.h>

#include <cmath>

#include "eval_privacy_test_util.h"

namespace synthscale::eval {
namespace {

using testing_privacy::MakeInputs;
using testing_privacy::TinyColumn;

TEST(ColumnDistribution, NumericBinsAreSharedAndOutliersCountedApart) {
  // Real 0..9; synthetic 5, 9, 100 (above the real range) and a missing value.
  const std::vector<TinyColumn> columns = {{"x", true, 10}};
  std::vector<std::vector<double>> real;
  for (int v = 0; v < 10; ++v) real.push_back({static_cast<double>(v)});
  EvalInputs inputs = MakeInputs(columns, real, {}, {{5.0}, {9.0}, {100.0}, {NAN}});
  const nlohmann::json d = ColumnDistribution(inputs, 0);
  EXPECT_EQ(d["kind"], "numeric");
  ASSERT_EQ(d["edges"].size(), kDistributionBins + 1);
  EXPECT_DOUBLE_EQ(d["edges"].front().get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(d["edges"].back().get<double>(), 9.0);
  std::uint64_t real_total = 0;
  for (const auto& count : d["real"]) real_total += count.get<std::uint64_t>();
  EXPECT_EQ(real_total, 10u);
  EXPECT_EQ(d["real"].back(), 1);  // the maximum falls in the last, closed bin
  EXPECT_EQ(d["synthetic"].back(), 1);  // 9
  EXPECT_EQ(d["synthetic_above"], 1);
  EXPECT_EQ(d["synthetic_below"], 0);
  EXPECT_EQ(d["synthetic_missing"], 1);
  EXPECT_EQ(d["real_missing"], 0);
}

}  // namespace
}  // namespace synthscale::eval
