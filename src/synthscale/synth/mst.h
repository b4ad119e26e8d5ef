// MstSynthesizer: MST, the maximum-spanning-tree mechanism of McKenna, Miklau and Sheldon
// (2021, "Winning the NIST Contest: A scalable and general approach to differentially
// private synthetic data", Section 4), winner lineage of the 2018 NIST DP challenge.
//
// With total budget rho (zCDP), in three equal thirds:
// 1. measure every 1-way marginal with the discrete Gaussian mechanism (rho/3 in total);
//    merge each column's values whose noisy count is below 3 sigma into one value;
// 2. select a spanning tree of column pairs: estimate a model from the 1-way
//    measurements, score each pair by the L1 error of that model on the pair's true
//    marginal (sensitivity 1 per row), and add edges one at a time with the exponential
//    mechanism among pairs joining two components, Kruskal-style (rho/3 in total);
// 3. measure the 2-way marginal of every tree edge (rho/3 in total),
// then estimate a graphical model from all measurements (Private-PGM) and sample it.
// With two columns the tree is their pair (nothing to select): 1-way and 2-way get half
// each; with one column the 1-way marginal gets all.
// Every selection and measurement is charged to the ledger before its noise is drawn.
// Planned shares are scaled by (1 - 1e-9) so floating-point rounding can never make the
// last charge exceed the budget. Mechanism parameters are then rounded to their exact
// grids (noise variance down to multiples of 2^-20, epsilon to multiples of 2^-20), always
// towards less privacy spent, so the ledger's total may fall short of the budget by a
// few parts in 10^5; it never exceeds it.
#pragma once

#include "synthscale/synth/pgm_synthesizer.h"

namespace synthscale {

class MstSynthesizer final : public PgmSynthesizer {
 public:
  explicit MstSynthesizer(SynthesizerOptions options) : PgmSynthesizer(std::move(options)) {}

  std::string_view method() const override { return "mst"; }
  Status Fit(const EncodedTable& data, const FitInputs& inputs, const Context& ctx) override;

 private:
  // Step 2: the tree's edges.
  Result<std::vector<Clique>> SelectTree(const FitState& state, const std::vector<Measurement>& one_way,
                                         double rho);
};

}  // namespace synthscale
