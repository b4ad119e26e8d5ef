// attribute_inference: does the synthetic data let an attacker who knows a person's
// quasi-identifiers infer their sensitive value better for training rows than for
// people who were not in the training data?
//
// For each --sensitive column s, with quasi-identifiers Q (the --quasi-identifiers, or all
// modelled columns but the sensitive ones and the target; s itself is always left out):
//   CAP  correct attribution probability (Taub, Elliot, Pampaka and Smith 2018, "Differential
//        correct attribution probability for synthetic data", PSD 2018): for target row t,
//        the synthetic rows equal to t on Q (by code) and the share of them with t's value of
//        s (by code, so numeric columns compare bins). Averaged over target rows with at
//        least one match; the share of rows with a match is reported.
//   kNN  an ML attacker: the k = 5 nearest synthetic rows in Gower distance over Q
//        (nearest_neighbours.h) vote on s's code; a tied vote goes to the label of the
//        nearest row among the tied labels. Accuracy over target rows.
// Each runs with the training rows as targets (the attack) and the holdout rows (the
// control: what the synthetic data reveals about people it was not fitted on, i.e. what
// is learnable from the population). Risk = attack - control; the interval comes from a
// bootstrap resampling the training and holdout targets independently. The summary
// entry attribute_inference_advantage.<s> is the larger of the two risks, with its interval.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "synthscale/eval/bootstrap.h"
#include "synthscale/eval/metrics.h"
#include "synthscale/eval/nearest_neighbours.h"
#include "synthscale/eval/row_key_index.h"

namespace synthscale::eval {

namespace {

constexpr std::size_t kVoters = 5;
constexpr std::size_t kGrain = 4096;

// Per target row: CAP (NaN when no synthetic row matches on Q).
Result<std::vector<double>> CorrectAttribution(const RowKeyIndex& index, const EvalTable& synthetic,
                                               const EvalTable& targets, std::size_t sensitive,
                                               const Context& ctx) {
  std::vector<double> cap(targets.num_rows, std::numeric_limits<double>::quiet_NaN());
  const std::vector<std::uint32_t>& order = index.order();
  const std::vector<std::uint32_t>& synthetic_codes = synthetic.codes[sensitive];
  SYNTHSCALE_RETURN_IF_ERROR(ParallelFor(ctx.pool(), targets.num_rows, kGrain, [&](std::size_t begin, std::size_t end) {
    for (std::size_t row = begin; row < end; ++row) {
      const auto [first, last] = index.Find(targets, row);
      if (first == last) continue;
      // Within a key group the index orders rows by the sensitive code.
      const std::uint32_t code = targets.codes[sensitive][row];
      const auto lo = std::partition_point(order.begin() + static_cast<long>(first), order.begin() + static_cast<long>(last),
                                           [&](std::uint32_t s) { return synthetic_codes[s] < code; });
      const auto hi = std::partition_point(lo, order.begin() + static_cast<long>(last),
                                           [&](std::uint32_t s) { return synthetic_codes[s] == code; });
      cap[row] = static_cast<double>(hi - lo) / static_cast<double>(last - first);
    }
    return Status::Ok();
  }));
  return cap;
}

// Per target row: 1 when the k-NN vote predicts its sensitive code, else 0.
std::vector<double> KnnCorrect(const Neighbours& neighbours, const EvalTable& synthetic,
                               const EvalTable& targets, std::size_t sensitive) {
  std::vector<double> correct(targets.num_rows, 0.0);
  for (std::size_t row = 0; row < targets.num_rows; ++row) {
    std::array<std::uint32_t, kMaxNeighbours> labels{};
    std::size_t voters = 0;
    for (std::size_t rank = 0; rank < neighbours.k; ++rank) {
      const std::uint32_t s = neighbours.Index(row, rank);
      if (s == Neighbours::kNone) break;
      labels[voters++] = synthetic.codes[sensitive][s];
    }
    // Labels in rank order: the first label reaching the top count is the nearest among ties.
    std::uint32_t best = labels[0];
    std::size_t best_votes = 0;
    for (std::size_t i = 0; i < voters; ++i) {
      const auto votes = static_cast<std::size_t>(std::count(labels.begin(), labels.begin() + static_cast<long>(voters), labels[i]));
      if (votes > best_votes) {
        best_votes = votes;
        best = labels[i];
      }
    }
    correct[row] = best == targets.codes[sensitive][row] ? 1.0 : 0.0;
  }
  return correct;
}

double Mean(const std::vector<double>& values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

double ResampledMean(const std::vector<double>& values, RandomStream& stream) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) sum += values[stream.UniformBelow(values.size())];
  return sum / static_cast<double>(values.size());
}

struct Comparison {
  Estimate attack;
  Estimate control;
  Estimate risk;
};

// Attack (training targets) vs control (holdout targets), with intervals.
Result<Comparison> Compare(const std::vector<double>& attack, const std::vector<double>& control,
                           const EvalOptions& options, const std::string& purpose, const Context& ctx) {
  Comparison out;
  SYNTHSCALE_ASSIGN_OR_RETURN(out.attack, MeanWithInterval(attack, options, purpose + " attack", ctx));
  SYNTHSCALE_ASSIGN_OR_RETURN(out.control, MeanWithInterval(control, options, purpose + " control", ctx));
  SYNTHSCALE_ASSIGN_OR_RETURN(out.risk, Bootstrap(Mean(attack) - Mean(control), options, purpose + " risk", ctx,
                                                  [&](RandomStream& stream) {
                                                    const double a = ResampledMean(attack, stream);
                                                    return a - ResampledMean(control, stream);
                                                  }));
  return out;
}

nlohmann::json ComparisonJson(const Comparison& comparison) {
  return {{"attack", EstimateToJson(comparison.attack)},
          {"control", EstimateToJson(comparison.control)},
          {"risk", EstimateToJson(comparison.risk)}};
}

std::vector<double> Finite(const std::vector<double>& values) {
  std::vector<double> out;
  for (double v : values) {
    if (!std::isnan(v)) out.push_back(v);
  }
  return out;
}

class AttributeInference final : public Metric {
 public:
  std::string_view name() const override { return "attribute_inference"; }
  Section section() const override { return Section::kPrivacy; }
  std::string_view description() const override {
    return "how much better a sensitive column is inferred for training rows than for holdout rows";
  }
  std::string Unavailable(const EvalInputs& inputs) const override {
    if (inputs.sensitive.empty()) return "needs --sensitive COL";
    if (!inputs.has_holdout) return "needs --holdout";
    return {};
  }

  Result<MetricResult> Compute(const EvalInputs& inputs, const Context& ctx) const override {
    if (std::string why = Unavailable(inputs); !why.empty()) {
      return InvalidArgument("attribute_inference " + why);
    }
    MetricResult result;
    result.details["columns"] = nlohmann::json::object();
    for (std::size_t sensitive : inputs.sensitive) {
      const std::string& column_name = inputs.columns[sensitive].name;
      std::vector<std::size_t> quasi;
      for (std::size_t q : inputs.quasi_identifiers) {
        if (q != sensitive) quasi.push_back(q);
      }
      if (quasi.empty()) {
        return InvalidArgument("attribute_inference: no quasi-identifiers left for sensitive column '" +
                               column_name + "'; pass --quasi-identifiers with at least one other column");
      }
      nlohmann::json details;
      nlohmann::json quasi_names = nlohmann::json::array();
      for (std::size_t q : quasi) quasi_names.push_back(inputs.columns[q].name);
      details["quasi_identifiers"] = quasi_names;

      // (a) CAP on codes of Q.
      const RowKeyIndex index(MakeRowKey(inputs, quasi, /*numeric_by_value=*/false), inputs.synthetic, sensitive);
      SYNTHSCALE_ASSIGN_OR_RETURN(std::vector<double> cap_train,
                                  CorrectAttribution(index, inputs.synthetic, inputs.real, sensitive, ctx));
      SYNTHSCALE_ASSIGN_OR_RETURN(std::vector<double> cap_holdout,
                                  CorrectAttribution(index, inputs.synthetic, inputs.holdout, sensitive, ctx));
      const std::vector<double> matched_train = Finite(cap_train);
      const std::vector<double> matched_holdout = Finite(cap_holdout);
      SYNTHSCALE_ASSIGN_OR_RETURN(Comparison cap, Compare(matched_train, matched_holdout, inputs.options,
                                                          "attribute_inference cap " + column_name, ctx));
      nlohmann::json cap_json = ComparisonJson(cap);
      cap_json["match_rate_train"] = static_cast<double>(matched_train.size()) / static_cast<double>(inputs.real.num_rows);
      cap_json["match_rate_holdout"] =
          static_cast<double>(matched_holdout.size()) / static_cast<double>(inputs.holdout.num_rows);
      details["cap"] = cap_json;

      // (b) k-NN attacker over Q, fitted on the synthetic rows.
      const DistanceSpec spec = MakeDistanceSpec(inputs, quasi);
      const NeighbourRows synthetic = EncodeNeighbourRows(spec, inputs.synthetic);
      const std::size_t k = std::min(kVoters, synthetic.num_rows);
      SYNTHSCALE_ASSIGN_OR_RETURN(Neighbours train_neighbours,
                                  NearestNeighbours(EncodeNeighbourRows(spec, inputs.real), synthetic, k, ctx));
      SYNTHSCALE_ASSIGN_OR_RETURN(Neighbours holdout_neighbours,
                                  NearestNeighbours(EncodeNeighbourRows(spec, inputs.holdout), synthetic, k, ctx));
      const std::vector<double> knn_train = KnnCorrect(train_neighbours, inputs.synthetic, inputs.real, sensitive);
      const std::vector<double> knn_holdout =
          KnnCorrect(holdout_neighbours, inputs.synthetic, inputs.holdout, sensitive);
      SYNTHSCALE_ASSIGN_OR_RETURN(Comparison knn, Compare(knn_train, knn_holdout, inputs.options,
                                                          "attribute_inference knn " + column_name, ctx));
      nlohmann::json knn_json = ComparisonJson(knn);
      knn_json["k"] = k;
      details["knn"] = knn_json;

      // Headline: the larger risk of the two attacks (CAP's is NaN without matches).
      const Estimate& headline =
          std::isnan(cap.risk.value) || (!std::isnan(knn.risk.value) && knn.risk.value >= cap.risk.value) ? knn.risk
                                                                                                          : cap.risk;
      details["advantage"] = EstimateToJson(headline);
      details["strongest_attack"] = &headline == &knn.risk ? "knn" : "cap";
      result.details["columns"][column_name] = details;
      result.summary.emplace_back("attribute_inference_advantage." + column_name, headline);
    }
    return result;
  }
};

}  // namespace

std::unique_ptr<Metric> MakeAttributeInferenceMetric() { return std::make_unique<AttributeInference>(); }

}  // namespace synthscale::eval
