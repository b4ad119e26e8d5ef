#include "synthscale/pgm/belief_propagation.h"

#include <cmath>
#include <string>
#include <utility>

namespace synthscale {

Result<CalibratedBeliefs> Calibrate(const JunctionTree& tree, const std::vector<Factor>& log_potentials) {
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
    SYNTHSCALE_RETURN_IF_ERROR(message.Subtract(sent_up[clique_idx]));
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
