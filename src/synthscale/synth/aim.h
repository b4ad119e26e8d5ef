// AimSynthesizer: AIM, the adaptive and iterative mechanism of McKenna, Mullins, Sheldon
// and Miklau (2022, "AIM: An Adaptive and Iterative Mechanism for Differentially Private
// Synthetic Data", Algorithm 2), workload-aware DP synthesis.
//
// Workload W: all marginals of `workload_degree` columns (default 3), or the column sets
// listed in the options. Candidates are W's downward closure; candidate r has weight
// c_r = sum over w in W of |r ∩ w|.
// With budget rho and T = max_rounds (default 16 x columns):
// - measure every 1-way marginal with sigma_0 = sqrt(T / (2 * 0.9 * rho)) and estimate a
//   model from them;
// - each round: select, with the exponential mechanism (epsilon = sqrt(8 * 0.1 * rho / T),
//   cost epsilon^2 / 8), the candidate maximising c_r (||x_r - model_r||_1 -
//   sqrt(2/pi) sigma n_r) among those whose addition keeps the model within
//   max_model_size * (rho spent after this round / rho) (or that the model already holds);
//   the score's sensitivity is max_r c_r. Measure it with sigma (cost 1 / (2 sigma^2)),
//   re-estimate (warm start), and when the model's answer moved by at most
//   sqrt(2/pi) sigma n_r, halve sigma and double epsilon (budget annealing, Section 4.3);
// - when the remaining budget cannot pay two more rounds, spend all of it on a last one;
// then estimate once more with 2.5 x the iterations and sample.
// Every measurement, the initial 1-way ones included, is charged to the ledger for what
// it measured, before its noise is drawn. The last round spends the remaining budget
// scaled by (1 - 1e-9), so rounding cannot overspend; mechanism parameters rounded to
// their exact grids may leave a few parts in 10^5 of the budget unspent.
#pragma once

#include "synthscale/synth/pgm_synthesizer.h"

namespace synthscale {

class AimSynthesizer final : public PgmSynthesizer {
 public:
  explicit AimSynthesizer(SynthesizerOptions options) : PgmSynthesizer(std::move(options)) {}

  std::string_view method() const override { return "aim"; }
  Status Fit(const EncodedTable& data, const FitInputs& inputs, const Context& ctx) override;

  // The workload's column sets as cliques of `domain`. Errors: kInvalidArgument for an
  // unknown column name.
  static Result<std::vector<Clique>> Workload(const SynthesizerOptions& options, const Domain& domain);
};

}  // namespace synthscale
