// membership_inference: can an attacker holding the synthetic data tell training rows
// (members) from holdout rows (non-members)?
//
// Two attacks score every candidate row x; a higher score claims "member":
//   distance  score = -d(x, nearest synthetic row)   (Gower, nearest_neighbours.h), after
//             the distance-to-closest-record attacks of e.g. Chen et al. 2020 (GAN-Leaks).
//   density   score = log((r_ref(x) + eps) / (r_syn(x) + eps)) with r_set(x) the distance
//             from x to its k-th nearest row of that set (k = 5): a k-NN estimate of the
//             density ratio p_synthetic(x) / p_real(x) (for k-NN densities
//             p ~ k / (n V(r)), with V increasing, the ratio ranks like r_ref / r_syn; eps
//             = 1 / (2 · columns), half the smallest categorical step, keeps exact matches
//             finite). The real reference is one half of the holdout, chosen by a seeded
//             split; the other half are the non-members scored, so no row is both
//             (after the density-ratio attacks of Hilprecht et al. 2019 and DOMIAS, van
//             Breugel et al. 2023).
// For each attack: ROC AUC (ties count 1/2) and advantage = max over thresholds of
// TPR - FPR (Yeom et al. 2018). TPR and FPR are rates within each class, so unequal
// member and non-member counts need neither subsampling nor weights: every training and
// holdout row is used. Intervals: a stratified bootstrap (members and non-members
// resampled separately), scores held fixed.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "synthscale/eval/bootstrap.h"
#include "synthscale/eval/metrics.h"
#include "synthscale/eval/nearest_neighbours.h"

namespace synthscale::eval {

namespace {

constexpr std::size_t kDensityNeighbours = 5;
constexpr std::size_t kRocPoints = 101;

// Candidates sorted by descending score, with equal scores grouped.
struct RankedScores {
  std::vector<std::uint32_t> candidate;  // sorted order → candidate id
  std::vector<std::uint8_t> member;      // sorted order → is member
  std::vector<std::uint32_t> group_end;  // end of each tie group in sorted order
  std::size_t members = 0;
  std::size_t non_members = 0;
};

RankedScores Rank(const std::vector<double>& member_scores, const std::vector<double>& non_member_scores) {
  RankedScores ranked;
  ranked.members = member_scores.size();
  ranked.non_members = non_member_scores.size();
  const std::size_t n = ranked.members + ranked.non_members;
  auto score = [&](std::uint32_t id) {
    return id < ranked.members ? member_scores[id] : non_member_scores[id - ranked.members];
  };
  ranked.candidate.resize(n);
  std::iota(ranked.candidate.begin(), ranked.candidate.end(), 0U);
  std::sort(ranked.candidate.begin(), ranked.candidate.end(), [&](std::uint32_t a, std::uint32_t b) {
    const double sa = score(a);
    const double sb = score(b);
    return sa != sb ? sa > sb : a < b;
  });
  ranked.member.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    ranked.member[i] = ranked.candidate[i] < ranked.members ? 1 : 0;
    if (i + 1 == n || score(ranked.candidate[i]) != score(ranked.candidate[i + 1])) {
      ranked.group_end.push_back(static_cast<std::uint32_t>(i + 1));
    }
  }
  return ranked;
}

struct RocSummary {
  double auc = std::numeric_limits<double>::quiet_NaN();
  double advantage = std::numeric_limits<double>::quiet_NaN();
};

// AUC and advantage with candidate weights (bootstrap multiplicities; all 1 for the point
// estimate), optionally collecting the ROC vertices.
RocSummary Roc(const RankedScores& ranked, const std::vector<std::uint32_t>* weights,
               std::vector<std::pair<double, double>>* curve) {
  double positives = 0.0;
  double negatives = 0.0;
  for (std::size_t i = 0; i < ranked.candidate.size(); ++i) {
    const double w = weights == nullptr ? 1.0 : (*weights)[ranked.candidate[i]];
    (ranked.member[i] != 0 ? positives : negatives) += w;
  }
  RocSummary out;
  if (positives == 0.0 || negatives == 0.0) return out;
  double tp = 0.0;
  double fp = 0.0;
  double area = 0.0;
  double advantage = 0.0;
  if (curve != nullptr) curve->emplace_back(0.0, 0.0);
  std::size_t begin = 0;
  for (std::uint32_t end : ranked.group_end) {
    double group_tp = 0.0;
    double group_fp = 0.0;
    for (std::size_t i = begin; i < end; ++i) {
      const double w = weights == nullptr ? 1.0 : (*weights)[ranked.candidate[i]];
      (ranked.member[i] != 0 ? group_tp : group_fp) += w;
    }
    area += group_fp * (tp + group_tp / 2.0);  // trapezoid: ties count 1/2
    tp += group_tp;
    fp += group_fp;
    advantage = std::max(advantage, tp / positives - fp / negatives);
    if (curve != nullptr) curve->emplace_back(fp / negatives, tp / positives);
    begin = end;
  }
  out.auc = area / (positives * negatives);
  out.advantage = advantage;
  return out;
}

// At most kRocPoints vertices, evenly spaced along the vertex list, ends kept.
nlohmann::json Thin(const std::vector<std::pair<double, double>>& curve) {
  nlohmann::json out = nlohmann::json::array();
  const std::size_t n = curve.size();
  std::size_t last = n;
  for (std::size_t i = 0; i < kRocPoints && n > 0; ++i) {
    const std::size_t at = n <= kRocPoints ? i : i * (n - 1) / (kRocPoints - 1);
    if (at >= n) break;
    if (at == last) continue;
    out.push_back({curve[at].first, curve[at].second});
    last = at;
  }
  return out;
}

struct AttackResult {
  std::string name;
  Estimate auc;
  Estimate advantage;
  nlohmann::json json;
};

Result<AttackResult> Evaluate(std::string name, const std::vector<double>& member_scores,
                              const std::vector<double>& non_member_scores, const EvalOptions& options,
                              const Context& ctx) {
  const RankedScores ranked = Rank(member_scores, non_member_scores);
  std::vector<std::pair<double, double>> curve;
  const RocSummary point = Roc(ranked, nullptr, &curve);
  // One stratified resample per replicate: multiplicities of members and of non-members.
  auto resample = [&](RandomStream& stream) {
    std::vector<std::uint32_t> weights(ranked.members + ranked.non_members, 0);
    for (std::size_t i = 0; i < ranked.members; ++i) ++weights[stream.UniformBelow(ranked.members)];
    for (std::size_t i = 0; i < ranked.non_members; ++i) {
      ++weights[ranked.members + stream.UniformBelow(ranked.non_members)];
    }
    return Roc(ranked, &weights, nullptr);
  };
  // The same purpose for both, so AUC and advantage intervals come from the same resamples.
  const std::string purpose = "membership_inference " + name;
  AttackResult result;
  result.name = name;
  SYNTHSCALE_ASSIGN_OR_RETURN(result.auc, Bootstrap(point.auc, options, purpose, ctx, [&](RandomStream& stream) {
                                return resample(stream).auc;
                              }));
  SYNTHSCALE_ASSIGN_OR_RETURN(result.advantage,
                              Bootstrap(point.advantage, options, purpose, ctx,
                                        [&](RandomStream& stream) { return resample(stream).advantage; }));
  const nlohmann::json auc = EstimateToJson(result.auc);
  const nlohmann::json advantage = EstimateToJson(result.advantage);
  result.json = {{"name", name},
                 {"auc", auc["value"]},
                 {"auc_ci", auc["ci"]},
                 {"advantage", advantage["value"]},
                 {"advantage_ci", advantage["ci"]},
                 {"members", member_scores.size()},
                 {"non_members", non_member_scores.size()},
                 {"roc", Thin(curve)}};
  return result;
}

std::vector<double> KthDistance(const Neighbours& neighbours, std::size_t rows) {
  std::vector<double> out(rows);
  // The k-th rank, or the last present one when the set has fewer than k rows.
  for (std::size_t row = 0; row < rows; ++row) {
    std::size_t rank = neighbours.k - 1;
    while (rank > 0 && neighbours.Index(row, rank) == Neighbours::kNone) --rank;
    out[row] = neighbours.Distance(row, rank);
  }
  return out;
}

class MembershipInference final : public Metric {
 public:
  std::string_view name() const override { return "membership_inference"; }
  Section section() const override { return Section::kPrivacy; }
  std::string_view description() const override {
    return "advantage of distance and density-ratio attacks telling training from holdout rows";
  }
  std::string Unavailable(const EvalInputs& inputs) const override {
    if (!inputs.has_holdout) return "needs --holdout";
    if (inputs.holdout.num_rows < 2) return "needs at least 2 holdout rows";
    return {};
  }

  Result<MetricResult> Compute(const EvalInputs& inputs, const Context& ctx) const override {
    if (std::string why = Unavailable(inputs); !why.empty()) {
      return InvalidArgument("membership_inference " + why);
    }
    std::vector<std::size_t> columns(inputs.columns.size());
    std::iota(columns.begin(), columns.end(), std::size_t{0});
    const DistanceSpec spec = MakeDistanceSpec(inputs, columns);
    const NeighbourRows train = EncodeNeighbourRows(spec, inputs.real);
    const NeighbourRows holdout = EncodeNeighbourRows(spec, inputs.holdout);
    const NeighbourRows synthetic = EncodeNeighbourRows(spec, inputs.synthetic);
    MetricResult result;
    std::vector<AttackResult> attacks;

    // One search per candidate set serves both attacks: rank 0 for the distance attack,
    // rank k - 1 for the density attack.
    const std::size_t k_synthetic = std::min(kDensityNeighbours, synthetic.num_rows);
    SYNTHSCALE_ASSIGN_OR_RETURN(Neighbours train_synthetic, NearestNeighbours(train, synthetic, k_synthetic, ctx));
    SYNTHSCALE_ASSIGN_OR_RETURN(Neighbours holdout_synthetic,
                                NearestNeighbours(holdout, synthetic, k_synthetic, ctx));

    // (a) distance attack: every training row against every holdout row.
    {
      std::vector<double> member_scores(train.num_rows);
      std::vector<double> non_member_scores(holdout.num_rows);
      for (std::size_t row = 0; row < train.num_rows; ++row) member_scores[row] = -train_synthetic.Distance(row, 0);
      for (std::size_t row = 0; row < holdout.num_rows; ++row) {
        non_member_scores[row] = -holdout_synthetic.Distance(row, 0);
      }
      SYNTHSCALE_ASSIGN_OR_RETURN(AttackResult attack, Evaluate("distance", member_scores, non_member_scores,
                                                                inputs.options, ctx));
      attacks.push_back(std::move(attack));
    }

    // (b) density-ratio attack: a seeded half of the holdout is the attacker's real
    // reference sample, the other half the non-members.
    {
      std::vector<std::uint32_t> order(inputs.holdout.num_rows);
      std::iota(order.begin(), order.end(), 0U);
      RandomStream stream(inputs.options.seed, "membership_inference holdout split", 0);
      for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[stream.UniformBelow(i)]);
      const std::size_t reference_rows = order.size() / 2;
      std::vector<std::uint32_t> reference_ids(order.begin(), order.begin() + static_cast<long>(reference_rows));
      std::vector<std::uint32_t> evaluation_ids(order.begin() + static_cast<long>(reference_rows), order.end());
      std::sort(reference_ids.begin(), reference_ids.end());
      std::sort(evaluation_ids.begin(), evaluation_ids.end());
      const NeighbourRows reference = EncodeNeighbourRows(spec, inputs.holdout, reference_ids);
      const NeighbourRows evaluation = EncodeNeighbourRows(spec, inputs.holdout, evaluation_ids);
      const std::size_t k_reference = std::min(kDensityNeighbours, reference.num_rows);
      SYNTHSCALE_ASSIGN_OR_RETURN(Neighbours train_reference, NearestNeighbours(train, reference, k_reference, ctx));
      SYNTHSCALE_ASSIGN_OR_RETURN(Neighbours evaluation_reference,
                                  NearestNeighbours(evaluation, reference, k_reference, ctx));
      const std::vector<double> r_synthetic_train = KthDistance(train_synthetic, train.num_rows);
      const std::vector<double> r_synthetic_holdout = KthDistance(holdout_synthetic, holdout.num_rows);
      const std::vector<double> r_reference_train = KthDistance(train_reference, train.num_rows);
      const std::vector<double> r_reference_evaluation = KthDistance(evaluation_reference, evaluation.num_rows);
      const double eps = 0.5 / static_cast<double>(columns.size());
      auto score = [eps](double r_reference, double r_synthetic) {
        return std::log((r_reference + eps) / (r_synthetic + eps));
      };
      std::vector<double> member_scores(train.num_rows);
      for (std::size_t row = 0; row < train.num_rows; ++row) {
        member_scores[row] = score(r_reference_train[row], r_synthetic_train[row]);
      }
      std::vector<double> non_member_scores(evaluation.num_rows);
      for (std::size_t i = 0; i < evaluation.num_rows; ++i) {
        non_member_scores[i] = score(r_reference_evaluation[i], r_synthetic_holdout[evaluation_ids[i]]);
      }
      SYNTHSCALE_ASSIGN_OR_RETURN(AttackResult attack, Evaluate("density_ratio", member_scores,
                                                                non_member_scores, inputs.options, ctx));
      attack.json["k"] = kDensityNeighbours;
      attack.json["reference_rows"] = reference_rows;
      attacks.push_back(std::move(attack));
      result.sampling.push_back(
          "density_ratio attack: the holdout is split by a seeded permutation into a reference half (" +
          std::to_string(reference_rows) + " rows, the attacker's real sample) and an evaluation half (" +
          std::to_string(evaluation_ids.size()) + " rows, the non-members scored)");
    }

    result.details["attacks"] = nlohmann::json::array();
    const AttackResult* strongest = &attacks.front();
    for (const AttackResult& attack : attacks) {
      result.details["attacks"].push_back(attack.json);
      if (attack.advantage.value > strongest->advantage.value) strongest = &attack;
    }
    result.details["strongest_attack"] = strongest->name;
    result.details["mia_advantage"] = EstimateToJson(strongest->advantage);
    result.summary.emplace_back("mia_advantage", strongest->advantage);
    return result;
  }
};

}  // namespace

std::unique_ptr<Metric> MakeMembershipInferenceMetric() { return std::make_unique<MembershipInference>(); }

}  // namespace synthscale::eval
