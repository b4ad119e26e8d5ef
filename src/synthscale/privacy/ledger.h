// PrivacyLedger: the one record of how much privacy a release spends.
//
// The budget (in zCDP rho) is fixed when the ledger is created, from rho directly or from
// a target (epsilon, delta) converted with the tight CKS 2020 bound (zcdp.h). Every
// mechanism call charges the ledger before it draws any noise; a charge that would take
// the total past the budget is refused, the ledger is left unchanged, and the mechanism
// releases nothing. The ledger also fixes the neighbouring relation (the privacy unit)
// and refuses charges made under another one.
//
// Totals are rounded up at every addition (AddRoundUp), so the recorded spend never
// understates the exact sum of the recorded charges, and a sequence of charges that sums
// exactly to the budget in real arithmetic is accepted.
//
// The ledger serialises to JSON (documented in docs/privacy.md, "The ledger") for
// the model file and the manifest; FromJson checks it and re-adds every charge.
// Thread safety: none; one ledger per fit, used from one thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "synthscale/core/crypto.h"
#include "synthscale/core/status.h"
#include "synthscale/privacy/sensitivity.h"

namespace synthscale {

// One line of the ledger: what was measured, how, and what it cost.
struct PrivacyCharge {
  std::string label;      // what was measured, e.g. "marginal (age, sex)"
  std::string mechanism;  // "gaussian", "laplace", "exponential", or the caller's name
  Neighbouring neighbouring = Neighbouring::kAddRemoveOne;
  std::string sensitivity_norm;   // "L1", "L2", "score", or "" when not applicable
  double sensitivity = 0.0;       // in that norm (rounded for display; exact below)
  std::string sensitivity_exact;  // e.g. "2", "sqrt(2)", "1/3"
  double noise_scale = 0.0;       // sigma (Gaussian), b (Laplace), 2 Delta / epsilon (exponential)
  std::string noise_exact;        // e.g. "sigma^2=9/4", "b=3/2", "epsilon=1/2"
  double rho = 0.0;               // zCDP cost, rounded up
  std::optional<double> epsilon;  // pure-DP cost for pure mechanisms (Laplace, exponential)

  friend bool operator==(const PrivacyCharge&, const PrivacyCharge&) = default;
};

class PrivacyLedger {
 public:
  // A ledger allowing rho-zCDP in total. Errors: kInvalidArgument unless rho is finite > 0.
  static Result<PrivacyLedger> FromRho(double rho, Neighbouring neighbouring);
  // A ledger allowing the largest rho that implies (epsilon, delta)-DP (zcdp.h).
  // Errors: kInvalidArgument for epsilon <= 0, delta outside (0, 1), NaN or infinity.
  static Result<PrivacyLedger> FromEpsilonDelta(double epsilon, double delta, Neighbouring neighbouring);

  // Record `charge` if it fits in the budget; otherwise change nothing. Call before
  // drawing noise, and release nothing unless this succeeds. Errors: kInvalidArgument when
  // the budget would be exceeded ("privacy budget exceeded"), the neighbouring relation
  // differs from the ledger's, the label is empty, or rho is not a finite number >= 0.
  Status Charge(PrivacyCharge charge);
  // Whether a charge of `rho` would be accepted now.
  bool CanAfford(double rho) const;

  Neighbouring neighbouring() const { return neighbouring_; }
  double budget_rho() const { return budget_rho_; }
  // The (epsilon, delta) target the budget was derived from, when it was.
  std::optional<double> target_epsilon() const { return target_epsilon_; }
  std::optional<double> target_delta() const { return target_delta_; }
  // Sum of the charges, rounded up; and what is left, rounded down.
  double spent_rho() const { return spent_rho_; }
  double remaining_rho() const;
  const std::vector<PrivacyCharge>& charges() const { return charges_; }

  // Record the SHA-256 commitment of the noise key (never the key) for provenance.
  void SetNoiseKeyCommitment(const Sha256Digest& commitment) { noise_key_sha256_ = ToHex(commitment); }
  const std::string& noise_key_sha256() const { return noise_key_sha256_; }

  // Pretty-printed JSON with a stable key order (docs/privacy.md).
  std::string ToJson() const;
  // Parse and check a ledger: known keys only, a valid budget, every charge valid and
  // re-added, and spent_rho equal to the recomputed sum. Errors: kInvalidData.
  static Result<PrivacyLedger> FromJson(std::string_view text);

 private:
  PrivacyLedger(double budget_rho, Neighbouring neighbouring) : budget_rho_(budget_rho), neighbouring_(neighbouring) {}

  double budget_rho_;
  Neighbouring neighbouring_;
  std::optional<double> target_epsilon_;
  std::optional<double> target_delta_;
  double spent_rho_ = 0.0;
  std::vector<PrivacyCharge> charges_;
  std::string noise_key_sha256_;
};

// The version written as "synthscale_privacy_ledger" and accepted by FromJson.
inline constexpr int kPrivacyLedgerFormatVersion = 1;

}  // namespace synthscale
