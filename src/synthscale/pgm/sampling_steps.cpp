#include "synthscale/pgm/sampling_steps.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <string>

namespace synthscale {

Status ForEachSamplingStep(const JunctionTree& tree, const std::vector<Factor>& log_beliefs,
                           const std::function<Status(SamplingStep step, std::vector<double>& weights)>& visit) {
  if (log_beliefs.size() != tree.cliques.size()) {
    return InvalidArgument("sampler needs one belief per tree clique (" + std::to_string(tree.cliques.size()) +
                           "), got " + std::to_string(log_beliefs.size()));
  }
  for (std::uint32_t clique_idx : tree.order) {
    const Factor& belief = log_beliefs[clique_idx];
    const Clique& clique = tree.cliques[clique_idx];
    if (belief.clique() != clique) {
      return InvalidArgument("belief " + std::to_string(clique_idx) + " is not over its tree clique");
    }
    const Clique& separator = tree.separator[clique_idx];
    Clique fresh;
    std::set_difference(clique.begin(), clique.end(), separator.begin(), separator.end(), std::back_inserter(fresh));

    SamplingStep step;
    step.clique_idx = clique_idx;
    const std::vector<std::uint32_t>& sizes = belief.sizes();
    const std::vector<std::uint64_t> separator_strides = SubCliqueStrides(clique, sizes, separator);
    const std::vector<std::uint64_t> fresh_strides = SubCliqueStrides(clique, sizes, fresh);
    for (std::size_t pos = 0; pos < clique.size(); ++pos) {
      if (std::binary_search(separator.begin(), separator.end(), clique[pos])) {
        step.separator_attributes.push_back(clique[pos]);
        step.separator_strides.push_back(separator_strides[pos]);
        step.separator_cells *= sizes[pos];
      } else {
        step.new_attributes.push_back(clique[pos]);
        step.new_sizes.push_back(sizes[pos]);
        step.new_cells *= sizes[pos];
      }
    }
    if (step.new_cells > (std::uint64_t{1} << 32)) {
      return InvalidArgument("sampler: clique " + std::to_string(clique_idx) + " adds " +
                             std::to_string(step.new_cells) + " cells to its separator, more than 2^32");
    }
    std::vector<std::uint64_t> table_strides(clique.size());
    for (std::size_t pos = 0; pos < clique.size(); ++pos) {
      table_strides[pos] = separator_strides[pos] * step.new_cells + fresh_strides[pos];
    }

    // Probabilities, transposed into [separator cell][new cell] order.
    std::vector<double> weights(belief.num_cells(), 0.0);
    const std::span<const double> log_values = belief.values();
    double* table = weights.data();
    const StridedWalk walk(sizes, table_strides);
    walk.ForEachRun([&](std::uint64_t outer_offset, std::uint64_t table_offset, std::uint64_t length,
                        std::uint64_t table_step) {
      for (std::uint64_t cell_idx = 0; cell_idx < length; ++cell_idx) {
        table[table_offset + cell_idx * table_step] = std::exp(log_values[outer_offset + cell_idx]);
      }
    });
    SYNTHSCALE_RETURN_IF_ERROR(visit(std::move(step), weights));
  }
  return Status::Ok();
}

}  // namespace synthscale
