// The exponential mechanism for private selection, sampled exactly.
//
// Selects candidate r with probability proportional to exp(epsilon * u_r / (2 Delta)),
// where u_r is the candidate's score (higher is better) and Delta its sensitivity under
// the ledger's neighbouring relation (McSherry & Talwar 2007). It is epsilon-DP, and
// epsilon-bounded-range, hence (epsilon^2 / 8)-zCDP (Cesar & Rogers 2021), the
// cost AIM uses; the ledger is charged that rho and records epsilon too.
//
// Exact sampling, no floating-point softmax. With u* the best score, candidate r has
// weight exp(-gamma_r), gamma_r = epsilon (u* - u_r) / (2 Delta) >= 0, an exact fraction.
// Draw r uniformly and accept it with probability exp(-gamma_r) (SampleBernoulliExp);
// otherwise draw again. An accepted r has probability exp(-gamma_r) / sum_s exp(-gamma_s),
// exactly the exponential mechanism, because every round is independent and accepts r
// with probability exp(-gamma_r)/n. The best candidate is accepted with probability 1/n per
// round, so the expected number of rounds is at most n. (Permute-and-flip is also
// epsilon-DP but samples a different distribution, for which we do not rely on the
// epsilon^2/8 bound; report-noisy-max equals this mechanism only with Gumbel noise, which
// has no exact integer sampler here.)
//
// Real-valued scores (Select) are first floored to a grid of step Delta / 2^20. Because
// the step divides Delta, the floored scores still have sensitivity Delta (for integers
// a - b <= M implies floor(a) - floor(b) <= M), so the privacy guarantee is unchanged and
// the selection probabilities move by at most a factor exp(epsilon / 2^20).
//
// Side channel: the number of rounds (running time) depends on all scores; see
// docs/privacy.md, "Side channels".
// Thread safety: const methods are safe to call concurrently with different Csprngs and
// ledgers.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "synthscale/core/crypto.h"
#include "synthscale/core/status.h"
#include "synthscale/privacy/ledger.h"
#include "synthscale/privacy/rational.h"
#include "synthscale/privacy/released.h"
#include "synthscale/privacy/sensitivity.h"

namespace synthscale {

class ExponentialMechanism {
 public:
  // Grid steps per sensitivity for real-valued scores (Select).
  static constexpr std::uint64_t kScoreStepsPerSensitivity = std::uint64_t{1} << 20;

  // Errors: kInvalidArgument when epsilon or the score sensitivity is 0.
  static Result<ExponentialMechanism> Create(const ScoreSensitivity& sensitivity, const Rational& epsilon);
  // The largest epsilon on the grid of multiples of 2^-20 that is at most `epsilon`.
  static Result<ExponentialMechanism> ForEpsilon(const ScoreSensitivity& sensitivity, double epsilon);
  // The largest epsilon on that grid whose cost epsilon^2 / 8 is at most `rho`.
  static Result<ExponentialMechanism> ForRho(const ScoreSensitivity& sensitivity, double rho);

  const ScoreSensitivity& sensitivity() const { return sensitivity_; }
  const Rational& exact_epsilon() const { return epsilon_; }
  double epsilon() const { return epsilon_.ToDoubleUp(); }
  double rho() const { return rho_; }
  PrivacyCharge ChargeFor(const std::string& label) const;

  // Charge `ledger`, then select among integer scores. Errors (nothing charged):
  // kInvalidArgument for no candidates, scores too far apart for exact 128-bit arithmetic,
  // or a refused charge.
  Result<Selection> SelectInteger(std::span<const std::int64_t> scores, const std::string& label,
                                  PrivacyLedger& ledger, Csprng& noise) const;
  // The same for real scores, floored to the grid above. Errors also for NaN or infinite
  // scores, or scores beyond 2^62 grid steps.
  Result<Selection> Select(std::span<const double> scores, const std::string& label, PrivacyLedger& ledger,
                           Csprng& noise) const;

 private:
  ExponentialMechanism(const ScoreSensitivity& sensitivity, const Rational& epsilon, double rho)
      : sensitivity_(sensitivity), epsilon_(epsilon), rho_(rho) {}

  // Selection among integer scores whose sensitivity is `units` (in the scores' unit).
  Result<Selection> SelectScaled(std::span<const std::int64_t> scores, const Rational& units,
                                 const std::string& label, PrivacyLedger& ledger, Csprng& noise) const;

  ScoreSensitivity sensitivity_;
  Rational epsilon_;
  double rho_;
};

}  // namespace synthscale
