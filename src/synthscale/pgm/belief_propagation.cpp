#include "synthscale/pgm/belief_propagation.h"

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "synthscale/pgm/exp_kernels.h"

namespace synthscale {

namespace {

Status CheckPotentials(const JunctionTree& tree, const std::vector<Factor>& log_potentials) {
  const std::size_t num_cliques = tree.cliques.size();
  if (log_potentials.size() != num_cliques) {
    return InvalidArgument("belief propagation needs one potential per tree clique (" + std::to_string(num_cliques) +
                           "), got " + std::to_string(log_potentials.size()));
  }
  for (std::size_t clique_idx = 0; clique_idx < num_cliques; ++clique_idx) {
    if (log_potentials[clique_idx].clique() != tree.cliques[clique_idx]) {
      return InvalidArgument("potential " + std::to_string(clique_idx) + " is not over its tree clique");
    }
  }
  return Status::Ok();
}

Status NonFinite(double value) {
  return InvalidData("graphical model potentials give a partition function of " + std::to_string(value) +
                     " (non-finite potentials)");
}

// Below this largest value a product of messages has lost cells to underflow (or soon
// would, in the subnormal range), so linear-space calibration gives up for log space.
constexpr double kSmallestMaximum = 1e-150;
// Above this times the total, a downward ratio gives up for log space (see its use).
constexpr double kLargestRatio = 1e150;

// Divide a linear factor by its largest value. False when that value is below
// kSmallestMaximum (or NaN): the potentials are too peaked for linear space.
bool ScaleToMaximumOne(Factor& factor) {
  const std::span<double> values = factor.mutable_values();
  const double largest = MaxOf(values.data(), values.size(), -std::numeric_limits<double>::infinity());
  if (!(largest >= kSmallestMaximum) || !std::isfinite(largest)) return false;
  const double inverse = 1.0 / largest;
  for (double& value : values) value *= inverse;
  return true;
}

// CalibrateCounts in linear space; nullopt when underflow makes it inexact.
Result<std::optional<std::vector<Factor>>> CalibrateCountsLinear(const JunctionTree& tree,
                                                                  const std::vector<Factor>& log_potentials,
                                                                  double total) {
  const std::size_t num_cliques = tree.cliques.size();
  // exp(potential - its maximum): every clique's largest cell is 1.
  std::vector<Factor> upward = log_potentials;
  for (Factor& factor : upward) {
    const std::span<double> values = factor.mutable_values();
    const double largest = MaxOf(values.data(), values.size(), -std::numeric_limits<double>::infinity());
    if (!std::isfinite(largest)) return NonFinite(largest);
    for (double& value : values) value -= largest;
    ExpScaled(values.data(), values.data(), values.size(), 1.0);
  }
  // Upward pass, leaves first; sent_up[c] is c's separator sum, before the parent's scaling.
  std::vector<Factor> sent_up(num_cliques);
  for (std::size_t order_pos = num_cliques; order_pos-- > 0;) {
    const std::uint32_t clique_idx = tree.order[order_pos];
    const std::uint32_t parent_idx = tree.parent[clique_idx];
    if (parent_idx == JunctionTree::kNoParent) continue;
    if (!ScaleToMaximumOne(upward[clique_idx])) return std::optional<std::vector<Factor>>();
    SYNTHSCALE_ASSIGN_OR_RETURN(sent_up[clique_idx], upward[clique_idx].Sum(tree.separator[clique_idx]));
    Factor message = sent_up[clique_idx];
    if (!ScaleToMaximumOne(message)) return std::optional<std::vector<Factor>>();
    SYNTHSCALE_RETURN_IF_ERROR(upward[parent_idx].Multiply(message));
  }
  // The root's marginal, then downward: child = upward_child * parent marginal / sent_up.
  std::vector<Factor> beliefs = std::move(upward);
  const std::uint32_t root = tree.order[0];
  {
    if (!ScaleToMaximumOne(beliefs[root])) return std::optional<std::vector<Factor>>();
    const std::span<double> values = beliefs[root].mutable_values();
    double sum = 0.0;
    for (double value : values) sum += value;
    // A NaN potential anywhere reaches the root through the upward messages.
    if (!std::isfinite(sum)) return NonFinite(sum);
    const double scale = total / sum;
    for (double& value : values) value *= scale;
  }
  for (std::size_t order_pos = 1; order_pos < num_cliques; ++order_pos) {
    const std::uint32_t clique_idx = tree.order[order_pos];
    const std::uint32_t parent_idx = tree.parent[clique_idx];
    SYNTHSCALE_ASSIGN_OR_RETURN(Factor ratio, beliefs[parent_idx].Sum(tree.separator[clique_idx]));
    const std::span<double> ratio_values = ratio.mutable_values();
    const std::span<const double> sent = sent_up[clique_idx].values();
    for (std::size_t cell_idx = 0; cell_idx < ratio_values.size(); ++cell_idx) {
      const double cell_ratio = sent[cell_idx] > 0.0 ? ratio_values[cell_idx] / sent[cell_idx] : 0.0;
      // A child's sum can be tiny where the model's marginal is not (each upward step may
      // pass a maximum just above kSmallestMaximum): a huge ratio means the child's cells
      // lost precision to underflow, and it could overflow. Bounding it also bounds the
      // mass an underflowed cell can drop, to about total * 1e-158.
      if (!(cell_ratio <= kLargestRatio * total)) return std::optional<std::vector<Factor>>();
      ratio_values[cell_idx] = cell_ratio;
    }
    SYNTHSCALE_RETURN_IF_ERROR(beliefs[clique_idx].Multiply(ratio));
  }
  return std::optional<std::vector<Factor>>(std::move(beliefs));
}

}  // namespace

Result<std::vector<Factor>> CalibrateCounts(const JunctionTree& tree, const std::vector<Factor>& log_potentials,
                                            double total) {
  SYNTHSCALE_RETURN_IF_ERROR(CheckPotentials(tree, log_potentials));
  if (!std::isfinite(total) || total <= 0.0) {
    return InvalidArgument("calibrated counts need a finite total > 0, got " + std::to_string(total));
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(std::optional<std::vector<Factor>> linear,
                              CalibrateCountsLinear(tree, log_potentials, total));
  if (linear) return std::move(*linear);
  // Too peaked for linear space: calibrate in log space and exponentiate.
  SYNTHSCALE_ASSIGN_OR_RETURN(CalibratedBeliefs calibrated, Calibrate(tree, log_potentials));
  for (Factor& belief : calibrated.beliefs) {
    const std::span<double> values = belief.mutable_values();
    ExpScaled(values.data(), values.data(), values.size(), total);
  }
  return std::move(calibrated.beliefs);
}

Result<CalibratedBeliefs> Calibrate(const JunctionTree& tree, const std::vector<Factor>& log_potentials) {
  SYNTHSCALE_RETURN_IF_ERROR(CheckPotentials(tree, log_potentials));
  const std::size_t num_cliques = tree.cliques.size();

  // Upward pass, leaves first: upward[c] = potential_c + messages from c's children.
  std::vector<Factor> upward = log_potentials;
  std::vector<Factor> sent_up(num_cliques);
  for (std::size_t order_pos = num_cliques; order_pos-- > 0;) {
    const std::uint32_t clique_idx = tree.order[order_pos];
    const std::uint32_t parent_idx = tree.parent[clique_idx];
    if (parent_idx == JunctionTree::kNoParent) continue;
    SYNTHSCALE_ASSIGN_OR_RETURN(sent_up[clique_idx], upward[clique_idx].LogSumExp(tree.separator[clique_idx]));
    SYNTHSCALE_RETURN_IF_ERROR(upward[parent_idx].Add(sent_up[clique_idx]));
  }

  // Downward pass, root first: belief_c = upward_c + (belief_parent onto separator - sent_up_c).
  CalibratedBeliefs result;
  result.beliefs = std::move(upward);
  for (std::size_t order_pos = 0; order_pos < num_cliques; ++order_pos) {
    const std::uint32_t clique_idx = tree.order[order_pos];
    const std::uint32_t parent_idx = tree.parent[clique_idx];
    if (parent_idx == JunctionTree::kNoParent) continue;
    SYNTHSCALE_ASSIGN_OR_RETURN(Factor message, result.beliefs[parent_idx].LogSumExp(tree.separator[clique_idx]));
    // message and sent_up are over the same separator. Where the child sent up -inf (all its
    // cells for that separator value are impossible), so is the message: -inf - (-inf)
    // would be NaN.
    const std::span<double> message_values = message.mutable_values();
    const std::span<const double> sent = sent_up[clique_idx].values();
    for (std::size_t cell_idx = 0; cell_idx < message_values.size(); ++cell_idx) {
      message_values[cell_idx] = sent[cell_idx] == -std::numeric_limits<double>::infinity()
                                     ? -std::numeric_limits<double>::infinity()
                                     : message_values[cell_idx] - sent[cell_idx];
    }
    SYNTHSCALE_RETURN_IF_ERROR(result.beliefs[clique_idx].Add(message));
  }

  result.log_partition = result.beliefs[tree.order[0]].LogSumExpAll();
  if (!std::isfinite(result.log_partition)) {
    return InvalidData("graphical model potentials give a partition function of " +
                       std::to_string(result.log_partition) + " (non-finite potentials)");
  }
  for (Factor& belief : result.beliefs) {
    for (double& value : belief.mutable_values()) value -= result.log_partition;
  }
  return result;
}

}  // namespace synthscale
