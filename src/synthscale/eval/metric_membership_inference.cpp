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
//             finite). The real reference is half of the holdout: the holdout is split by
//             a seeded permutation into halves A and B, holdout rows of A are scored
//             against reference B and those of B against A, and each training row against
//             A or B by a seeded coin, so every training and holdout row is scored, no row
//             is its own reference, and every reference has the same size (after the
//             density-ratio attacks of Hilprecht et al. 2019 and DOMIAS, van Breugel et
//             al. 2023).
// For each attack: ROC AUC (ties count 1/2), advantage = max over thresholds of
// TPR - FPR (Yeom et al. 2018), and the TPR at 1 % and 0.1 % FPR, the measure of
// Carlini et al. 2022 ("Membership inference attacks from first principles"): an attack
// that exposes a few rows with certainty matters even when its AUC is near 0.5. TPR and
// FPR are rates within each class, so unequal member and non-member counts need neither
// subsampling nor weights: every training and holdout row is used. Intervals: a
// stratified bootstrap (members and non-members resampled separately), scores held fixed.
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

// The false-positive rates at which the TPR is reported (Carlini et al. 2022).
constexpr double kLowFpr[] = {0.01, 0.001};

struct RocSummary {
  double auc = std::numeric_limits<double>::quiet_NaN();
  double advantage = std::numeric_limits<double>::quiet_NaN();
  // The largest TPR among thresholds whose FPR is at most kLowFpr[i].
  double tpr_at_low_fpr[2] = {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
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
  double tpr_at_low_fpr[2] = {0.0, 0.0};
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
    for (std::size_t i = 0; i < 2; ++i) {
      // A tie group is one threshold: it is either taken whole or not at all.
      if (fp / negatives <= kLowFpr[i]) tpr_at_low_fpr[i] = std::max(tpr_at_low_fpr[i], tp / positives);
    }
    if (curve != nullptr) curve->emplace_back(fp / negatives, tp / positives);
    begin = end;
  }
  out.auc = area / (positives * negatives);
  out.advantage = advantage;
  out.tpr_at_low_fpr[0] = tpr_at_low_fpr[0];
  out.tpr_at_low_fpr[1] = tpr_at_low_fpr[1];
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
  Estimate tpr_at_low_fpr[2];
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
  // One resample per replicate serves every statistic: AUC, advantage and both TPRs come
  // from the same resampled candidates (RandomStream(seed, purpose, replicate)).
  const std::string purpose = "membership_inference " + name;
  const std::size_t replicates = options.bootstrap_replicates;
  std::vector<RocSummary> replicated(replicates);
  SYNTHSCALE_RETURN_IF_ERROR(ctx.pool().Run(replicates, [&](std::size_t replicate) {
    RandomStream stream(options.seed, purpose, replicate);
    replicated[replicate] = resample(stream);
    return Status::Ok();
  }));
  const auto interval = [&](double point_value, auto field) {
    std::vector<double> values;
    values.reserve(replicates);
    for (const RocSummary& summary : replicated) values.push_back(field(summary));
    return PercentileInterval(point_value, std::move(values), replicates, options);
  };
  AttackResult result;
  result.name = name;
  result.auc = interval(point.auc, [](const RocSummary& summary) { return summary.auc; });
  result.advantage = interval(point.advantage, [](const RocSummary& summary) { return summary.advantage; });
  for (std::size_t i = 0; i < 2; ++i) {
    result.tpr_at_low_fpr[i] =
        interval(point.tpr_at_low_fpr[i], [i](const RocSummary& summary) { return summary.tpr_at_low_fpr[i]; });
  }
  const nlohmann::json auc = EstimateToJson(result.auc);
  const nlohmann::json advantage = EstimateToJson(result.advantage);
  result.json = {{"name", name},
                 {"auc", auc["value"]},
                 {"auc_ci", auc["ci"]},
                 {"advantage", advantage["value"]},
                 {"advantage_ci", advantage["ci"]},
                 {"tpr_at_fpr_1pct", EstimateToJson(result.tpr_at_low_fpr[0])},
                 {"tpr_at_fpr_0_1pct", EstimateToJson(result.tpr_at_low_fpr[1])},
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

// Rows `ids` of `table` split by a seeded coin into two lists (ids stay ascending).
void SplitRows(std::size_t rows, std::uint64_t seed, std::string_view purpose, std::vector<std::uint32_t>& first,
               std::vector<std::uint32_t>& second) {
  std::vector<std::uint32_t> order(rows);
  std::iota(order.begin(), order.end(), 0U);
  RandomStream stream(seed, purpose, 0);
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[stream.UniformBelow(i)]);
  const std::size_t half = rows / 2;
  first.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(half));
  second.assign(order.begin() + static_cast<std::ptrdiff_t>(half), order.end());
  std::sort(first.begin(), first.end());
  std::sort(second.begin(), second.end());
}

// k-th neighbour distance of `table`'s rows `ids` within `reference`, written to out[id].
Status KthDistanceInto(const DistanceSpec& spec, const EvalTable& table, const std::vector<std::uint32_t>& ids,
                       const NeighbourRows& reference, const Context& ctx, std::vector<double>& out) {
  if (ids.empty()) return Status::Ok();
  const NeighbourRows queries = EncodeNeighbourRows(spec, table, ids);
  const std::size_t k = std::min(kDensityNeighbours, reference.num_rows);
  SYNTHSCALE_ASSIGN_OR_RETURN(Neighbours neighbours, NearestNeighbours(queries, reference, k, ctx));
  const std::vector<double> distances = KthDistance(neighbours, queries.num_rows);
  for (std::size_t i = 0; i < ids.size(); ++i) out[ids[i]] = distances[i];
  return Status::Ok();
}

Result<AttackResult> DensityRatioAttack(const EvalInputs& inputs, const DistanceSpec& spec,
                                        const Neighbours& train_synthetic, const Neighbours& holdout_synthetic,
                                        const Context& ctx) {
  std::vector<std::uint32_t> half_a;
  std::vector<std::uint32_t> half_b;
  SplitRows(inputs.holdout.num_rows, inputs.options.seed, "membership_inference holdout split", half_a, half_b);
  std::vector<std::uint32_t> train_a;  // training rows scored against reference A
  std::vector<std::uint32_t> train_b;
  SplitRows(inputs.real.num_rows, inputs.options.seed, "membership_inference train split", train_a, train_b);
  const NeighbourRows reference_a = EncodeNeighbourRows(spec, inputs.holdout, half_a);
  const NeighbourRows reference_b = EncodeNeighbourRows(spec, inputs.holdout, half_b);
  std::vector<double> r_reference_train(inputs.real.num_rows);
  std::vector<double> r_reference_holdout(inputs.holdout.num_rows);
  SYNTHSCALE_RETURN_IF_ERROR(KthDistanceInto(spec, inputs.real, train_a, reference_a, ctx, r_reference_train));
  SYNTHSCALE_RETURN_IF_ERROR(KthDistanceInto(spec, inputs.real, train_b, reference_b, ctx, r_reference_train));
  SYNTHSCALE_RETURN_IF_ERROR(KthDistanceInto(spec, inputs.holdout, half_a, reference_b, ctx, r_reference_holdout));
  SYNTHSCALE_RETURN_IF_ERROR(KthDistanceInto(spec, inputs.holdout, half_b, reference_a, ctx, r_reference_holdout));
  const std::vector<double> r_synthetic_train = KthDistance(train_synthetic, inputs.real.num_rows);
  const std::vector<double> r_synthetic_holdout = KthDistance(holdout_synthetic, inputs.holdout.num_rows);
  const double eps = 0.5 / static_cast<double>(inputs.columns.size());
  const auto score = [eps](double r_reference, double r_synthetic) {
    return std::log((r_reference + eps) / (r_synthetic + eps));
  };
  std::vector<double> member_scores(inputs.real.num_rows);
  for (std::size_t row = 0; row < member_scores.size(); ++row) {
    member_scores[row] = score(r_reference_train[row], r_synthetic_train[row]);
  }
  std::vector<double> non_member_scores(inputs.holdout.num_rows);
  for (std::size_t row = 0; row < non_member_scores.size(); ++row) {
    non_member_scores[row] = score(r_reference_holdout[row], r_synthetic_holdout[row]);
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(AttackResult attack, Evaluate("density_ratio", member_scores, non_member_scores,
                                                            inputs.options, ctx));
  attack.json["k"] = kDensityNeighbours;
  attack.json["reference_rows"] = {half_a.size(), half_b.size()};
  return attack;
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
    if (inputs.holdout.num_rows < 2) return "needs at least 2 holdout rows";  // one per reference half
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

    // (b) density-ratio attack, every row scored against the holdout half it is not in.
    {
      SYNTHSCALE_ASSIGN_OR_RETURN(AttackResult attack,
                                  DensityRatioAttack(inputs, spec, train_synthetic, holdout_synthetic, ctx));
      attacks.push_back(std::move(attack));
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
    // The TPR at a low FPR of whichever attack reaches the higher one.
    for (std::size_t i = 0; i < 2; ++i) {
      const AttackResult* best = &attacks.front();
      for (const AttackResult& attack : attacks) {
        if (attack.tpr_at_low_fpr[i].value > best->tpr_at_low_fpr[i].value) best = &attack;
      }
      const std::string key = i == 0 ? "mia_tpr_at_fpr_1pct" : "mia_tpr_at_fpr_0_1pct";
      result.details[key] = EstimateToJson(best->tpr_at_low_fpr[i]);
      result.details[key]["attack"] = best->name;
      result.summary.emplace_back(key, best->tpr_at_low_fpr[i]);
    }
    return result;
  }
};

}  // namespace

std::unique_ptr<Metric> MakeMembershipInferenceMetric() { return std::make_unique<MembershipInference>(); }

}  // namespace synthscale::eval
