// Timing of the four privacy metrics on Adult (run with --gtest_also_run_disabled_tests
// --gtest_filter='PrivacyTiming.*'): train = a seeded half of the 32,561 rows, holdout =
// the other half, synthetic = as many rows with every column shuffled independently.
#include <chrono>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "eval_privacy_test_util.h"
#include "synthscale/eval/metric.h"

namespace synthscale::eval {
namespace {

TEST(PrivacyTiming, DISABLED_AdultHalves) {
  Context ctx(0);
  EvalInputs inputs = testing_privacy::ReadAdult(ctx);
  const EvalTable all = inputs.real;
  const auto order = testing_privacy::Permutation(all.num_rows, 11, "timing split");
  const std::size_t half = all.num_rows / 2;
  inputs.real = testing_privacy::SubsetRows(all, {order.begin(), order.begin() + static_cast<long>(half)});
  inputs.holdout = testing_privacy::SubsetRows(all, {order.begin() + static_cast<long>(half), order.end()});
  inputs.has_holdout = true;
  EvalTable synthetic = inputs.real;
  for (std::size_t c = 0; c < synthetic.codes.size(); ++c) {
    const auto perm = testing_privacy::Permutation(all.num_rows, 200 + c, "timing shuffle");
    const EvalTable source = testing_privacy::SubsetRows(all, {perm.begin(), perm.begin() + static_cast<long>(half)});
    synthetic.codes[c] = source.codes[c];
    synthetic.numeric[c] = source.numeric[c];
  }
  inputs.synthetic = std::move(synthetic);
  inputs.sensitive = {*inputs.FindColumn("marital-status")};
  inputs.quasi_identifiers.clear();
  for (std::size_t c = 0; c < inputs.columns.size(); ++c) {
    if (c != inputs.sensitive[0]) inputs.quasi_identifiers.push_back(c);
  }
  double total = 0;
  for (const char* name : {"exact_matches", "distance_to_closest_record", "membership_inference",
                           "attribute_inference"}) {
    const auto start = std::chrono::steady_clock::now();
    auto result = MakeMetric(name)->Compute(inputs, ctx);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    total += seconds;
    std::printf("%-28s %7.2f s", name, seconds);
    for (const auto& [key, estimate] : result->summary) {
      std::printf("  %s = %.4f [%.4f, %.4f]", key.c_str(), estimate.value, estimate.ci_low, estimate.ci_high);
    }
    std::printf("\n");
    if (std::string(name) == "attribute_inference") {
      std::printf("  %s\n", result->details["columns"].dump().substr(0, 1200).c_str());
    }
  }
  std::printf("total %.2f s with %zu threads (%zu train, %zu holdout, %zu synthetic rows)\n", total,
              ctx.threads(), inputs.real.num_rows, inputs.holdout.num_rows, inputs.synthetic.num_rows);
}

}  // namespace
}  // namespace synthscale::eval
