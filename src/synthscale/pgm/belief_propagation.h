// Belief propagation: calibrate log-potentials on a junction tree.
//
// Two-pass sum-product in log space (Koller & Friedman, "Probabilistic Graphical Models",
// Section 10.2; Private-PGM's belief_propagation): an upward pass sends each clique's
// log-sum-exp onto its separator to its parent, a downward pass gives each child its
// parent's belief marginalised onto the separator, minus the message the child sent up
// (division in log space). Every clique then holds its marginal of the model's distribution
// p(x) ∝ exp(sum_c potential_c(x_c)).
//
// Thread safety: pure function of its inputs.
#pragma once

#include <vector>

#include "synthscale/core/status.h"
#include "synthscale/pgm/factor.h"
#include "synthscale/pgm/junction_tree.h"

namespace synthscale {

struct CalibratedBeliefs {
  // beliefs[clique_idx]: log-probabilities over tree.cliques[clique_idx] (each log-sums to 0
  // up to rounding), the model's marginal on that clique.
  std::vector<Factor> beliefs;
  // log of the partition function sum_x exp(sum_c potential_c(x_c)).
  double log_partition = 0.0;
};

// Calibrate `log_potentials` (one per tree clique, over exactly that clique).
// Errors: kInvalidArgument when the number of potentials or a potential's clique does not
// match the tree; kInvalidData when the potentials give no finite partition function
// (NaN or infinite values).
Result<CalibratedBeliefs> Calibrate(const JunctionTree& tree, const std::vector<Factor>& log_potentials);

// The same marginals in linear space, each clique's scaled to sum to `total` (counts when
// total is the number of records): what estimation needs at every step. One exp per cell of
// the model (exp(potential - the clique's maximum)), then sums and products only: the
// upward pass multiplies each parent by its children's separator sums (each divided by its
// maximum, and a clique rescaled to maximum 1 before it sends, so nothing overflows), the
// downward pass multiplies each child by (parent's marginal on the separator) / (the sum
// the child sent up), 0 where that sum is 0 (every cell it covers is 0 as well). When a
// clique's maximum falls below 1e-150 on the way up, or a downward ratio exceeds 1e150 times
// the total, underflow could cost precision: the marginals are then computed in log space
// (Calibrate) instead. A cell's count can differ from log space's by about total * 1e-158.
// Errors as Calibrate; kInvalidArgument when total is not finite and > 0.
Result<std::vector<Factor>> CalibrateCounts(const JunctionTree& tree, const std::vector<Factor>& log_potentials,
                                            double total);

}  // namespace synthscale
