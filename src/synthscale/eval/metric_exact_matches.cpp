// exact_matches: how many synthetic rows copy a training row outright.
//
// A synthetic row matches when some training row has, on every modelled column, the same
// value (numeric columns by value, categorical by code, missing = missing). The control is
// the same share for holdout rows: real rows drawn from the same population also repeat
// training rows (small domains, duplicates in the data), and that base rate is what a
// generator that never copies would show. Documented in docs/metrics.md.
#include <cstdint>
#include <numeric>
#include <vector>

#include "synthscale/eval/bootstrap.h"
#include "synthscale/eval/metrics.h"
#include "synthscale/eval/row_key_index.h"

namespace synthscale::eval {

namespace {

constexpr std::size_t kGrain = 4096;

// 1 for each row of `query` whose key is present in `index`, else 0.
Result<std::vector<double>> MatchIndicators(const RowKeyIndex& index, const EvalTable& query,
                                            const Context& ctx) {
  std::vector<double> matched(query.num_rows, 0.0);
  SYNTHSCALE_RETURN_IF_ERROR(
      ParallelFor(ctx.pool(), query.num_rows, kGrain, [&](std::size_t begin, std::size_t end) {
        for (std::size_t row = begin; row < end; ++row) {
          const auto [first, last] = index.Find(query, row);
          matched[row] = first < last ? 1.0 : 0.0;
        }
        return Status::Ok();
      }));
  return matched;
}

class ExactMatches final : public Metric {
 public:
  std::string_view name() const override { return "exact_matches"; }
  Section section() const override { return Section::kPrivacy; }
  std::string_view description() const override {
    return "share of synthetic rows identical to a training row, against the holdout's base rate";
  }

  Result<MetricResult> Compute(const EvalInputs& inputs, const Context& ctx) const override {
    std::vector<std::size_t> columns(inputs.columns.size());
    std::iota(columns.begin(), columns.end(), std::size_t{0});
    const RowKeyIndex train_index(MakeRowKey(inputs, columns, /*numeric_by_value=*/true), inputs.real);
    SYNTHSCALE_ASSIGN_OR_RETURN(std::vector<double> synthetic,
                                MatchIndicators(train_index, inputs.synthetic, ctx));
    SYNTHSCALE_ASSIGN_OR_RETURN(Estimate rate, MeanWithInterval(synthetic, inputs.options,
                                                                "exact_matches synthetic", ctx));
    MetricResult result;
    const double synthetic_matches = std::accumulate(synthetic.begin(), synthetic.end(), 0.0);
    result.details["columns"] = inputs.columns.size();
    result.details["synthetic_rows"] = inputs.synthetic.num_rows;
    result.details["synthetic_matches"] = static_cast<std::uint64_t>(synthetic_matches);
    result.details["exact_match_rate"] = EstimateToJson(rate);
    if (inputs.has_holdout) {
      SYNTHSCALE_ASSIGN_OR_RETURN(std::vector<double> holdout,
                                  MatchIndicators(train_index, inputs.holdout, ctx));
      SYNTHSCALE_ASSIGN_OR_RETURN(Estimate control, MeanWithInterval(holdout, inputs.options,
                                                                     "exact_matches holdout", ctx));
      const double holdout_matches = std::accumulate(holdout.begin(), holdout.end(), 0.0);
      result.details["holdout_rows"] = inputs.holdout.num_rows;
      result.details["holdout_matches"] = static_cast<std::uint64_t>(holdout_matches);
      result.details["holdout_match_rate"] = EstimateToJson(control);
    } else {
      result.details["holdout_match_rate"] = nullptr;
      result.details["note"] = "no holdout given: the base rate of a fresh real sample is unknown";
    }
    result.summary.emplace_back("exact_match_rate", rate);
    return result;
  }
};

}  // namespace

std::unique_ptr<Metric> MakeExactMatchesMetric() { return std::make_unique<ExactMatches>(); }

}  // namespace synthscale::eval
