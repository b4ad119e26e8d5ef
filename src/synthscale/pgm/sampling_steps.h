// Forward-sampling steps: a calibrated junction tree as its samplers walk it.
//
// Walking the tree in order (root first, each clique after its parent), a clique's
// attributes split into its separator with the parent (already set when the clique is
// reached) and the attributes it adds. Both samplers (ModelSampler, row by row; and
// RoundedSampler, all rows jointly) need, per clique, that split and the clique's
// probabilities laid out as [separator cell][new cell], last attribute fastest within each.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "synthscale/core/status.h"
#include "synthscale/pgm/factor.h"
#include "synthscale/pgm/junction_tree.h"

namespace synthscale {

struct SamplingStep {
  std::uint32_t clique_idx = 0;
  std::vector<std::uint32_t> separator_attributes;
  std::vector<std::uint64_t> separator_strides;  // separator cell = sum value * stride
  std::vector<std::uint32_t> new_attributes;
  std::vector<std::uint32_t> new_sizes;
  std::uint64_t separator_cells = 1;
  std::uint64_t new_cells = 1;
};

// Call visit(step, weights) for each tree clique in tree order, with weights[separator cell
// * new_cells + new cell] = exp(log belief), unnormalised. `weights` is the caller's to keep
// (move from it) or drop; a visit's error stops the walk and is returned.
// Errors: kInvalidArgument when the beliefs do not match the tree (one per clique, over it),
// or a clique adds more than 2^32 cells to its separator.
Status ForEachSamplingStep(const JunctionTree& tree, const std::vector<Factor>& log_beliefs,
                           const std::function<Status(SamplingStep step, std::vector<double>& weights)>& visit);

}  // namespace synthscale
