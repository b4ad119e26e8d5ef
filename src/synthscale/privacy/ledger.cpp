#include "synthscale/privacy/ledger.h"

#include <cmath>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "synthscale/privacy/format.h"
#include "synthscale/privacy/rational.h"
#include "synthscale/privacy/zcdp.h"

namespace synthscale {
namespace {

using Json = nlohmann::ordered_json;

bool IsFiniteNonNegative(double value) { return std::isfinite(value) && value >= 0.0; }

Status LedgerError(const std::string& message) { return InvalidData("privacy ledger: " + message); }

// Keys of `object` must all be in `known`.
Status CheckKeys(const Json& object, const std::set<std::string>& known, const std::string& where) {
  for (const auto& item : object.items()) {
    if (known.count(item.key()) == 0) return LedgerError("unknown key '" + item.key() + "' in " + where);
  }
  return Status::Ok();
}

Result<double> GetNumber(const Json& object, const std::string& key, const std::string& where) {
  const auto found = object.find(key);
  if (found == object.end()) return LedgerError("missing '" + key + "' in " + where);
  if (!found->is_number()) return LedgerError("'" + key + "' in " + where + " must be a number");
  const double value = found->get<double>();
  if (!IsFiniteNonNegative(value)) return LedgerError("'" + key + "' in " + where + " must be a finite number >= 0");
  return value;
}

Result<std::string> GetString(const Json& object, const std::string& key, const std::string& where) {
  const auto found = object.find(key);
  if (found == object.end()) return LedgerError("missing '" + key + "' in " + where);
  if (!found->is_string()) return LedgerError("'" + key + "' in " + where + " must be a string");
  return found->get<std::string>();
}

Json ChargeToJson(const PrivacyCharge& charge) {
  Json out;
  out["label"] = charge.label;
  out["mechanism"] = charge.mechanism;
  out["neighbouring"] = std::string(NeighbouringName(charge.neighbouring));
  out["sensitivity_norm"] = charge.sensitivity_norm;
  out["sensitivity"] = charge.sensitivity;
  out["sensitivity_exact"] = charge.sensitivity_exact;
  out["noise_scale"] = charge.noise_scale;
  out["noise_exact"] = charge.noise_exact;
  out["rho"] = charge.rho;
  if (charge.epsilon) out["epsilon"] = *charge.epsilon;
  return out;
}

Result<PrivacyCharge> ChargeFromJson(const Json& in, std::size_t index) {
  const std::string where = "charges[" + std::to_string(index) + "]";
  if (!in.is_object()) return LedgerError(where + " must be an object");
  SYNTHSCALE_RETURN_IF_ERROR(CheckKeys(in,
                                       {"label", "mechanism", "neighbouring", "sensitivity_norm", "sensitivity",
                                        "sensitivity_exact", "noise_scale", "noise_exact", "rho", "epsilon"},
                                       where));
  PrivacyCharge charge;
  SYNTHSCALE_ASSIGN_OR_RETURN(charge.label, GetString(in, "label", where));
  SYNTHSCALE_ASSIGN_OR_RETURN(charge.mechanism, GetString(in, "mechanism", where));
  SYNTHSCALE_ASSIGN_OR_RETURN(const std::string neighbouring, GetString(in, "neighbouring", where));
  Result<Neighbouring> parsed = ParseNeighbouring(neighbouring);
  if (!parsed.ok()) return LedgerError(where + ": " + parsed.status().message());
  charge.neighbouring = *parsed;
  SYNTHSCALE_ASSIGN_OR_RETURN(charge.sensitivity_norm, GetString(in, "sensitivity_norm", where));
  SYNTHSCALE_ASSIGN_OR_RETURN(charge.sensitivity, GetNumber(in, "sensitivity", where));
  SYNTHSCALE_ASSIGN_OR_RETURN(charge.sensitivity_exact, GetString(in, "sensitivity_exact", where));
  SYNTHSCALE_ASSIGN_OR_RETURN(charge.noise_scale, GetNumber(in, "noise_scale", where));
  SYNTHSCALE_ASSIGN_OR_RETURN(charge.noise_exact, GetString(in, "noise_exact", where));
  SYNTHSCALE_ASSIGN_OR_RETURN(charge.rho, GetNumber(in, "rho", where));
  if (in.contains("epsilon")) {
    SYNTHSCALE_ASSIGN_OR_RETURN(const double epsilon, GetNumber(in, "epsilon", where));
    charge.epsilon = epsilon;
  }
  return charge;
}

}  // namespace

Result<PrivacyLedger> PrivacyLedger::FromRho(double rho, Neighbouring neighbouring) {
  if (!std::isfinite(rho) || !(rho > 0.0)) {
    return InvalidArgument("privacy budget rho must be a finite number > 0, got " +
                           (std::isnan(rho) ? std::string("NaN") : FormatNumber(rho)));
  }
  return PrivacyLedger(rho, neighbouring);
}

Result<PrivacyLedger> PrivacyLedger::FromEpsilonDelta(double epsilon, double delta, Neighbouring neighbouring) {
  Result<double> rho = RhoFromEpsilonDelta(epsilon, delta);
  if (!rho.ok()) return rho.status().WithContext("privacy budget");
  SYNTHSCALE_ASSIGN_OR_RETURN(PrivacyLedger ledger, FromRho(*rho, neighbouring));
  ledger.target_epsilon_ = epsilon;
  ledger.target_delta_ = delta;
  return ledger;
}

bool PrivacyLedger::CanAfford(double rho) const {
  return IsFiniteNonNegative(rho) && AddRoundUp(spent_rho_, rho) <= budget_rho_;
}

double PrivacyLedger::remaining_rho() const {
  const double remaining = SubtractRoundDown(budget_rho_, spent_rho_);
  return remaining > 0.0 ? remaining : 0.0;
}

Status PrivacyLedger::Charge(PrivacyCharge charge) {
  if (charge.label.empty()) return InvalidArgument("a privacy charge needs a label saying what was measured");
  if (!IsFiniteNonNegative(charge.rho)) {
    return InvalidArgument("privacy charge '" + charge.label + "': rho must be a finite number >= 0, got " +
                           FormatNumber(charge.rho));
  }
  if (charge.epsilon && !IsFiniteNonNegative(*charge.epsilon)) {
    return InvalidArgument("privacy charge '" + charge.label + "': epsilon must be a finite number >= 0");
  }
  if (charge.neighbouring != neighbouring_) {
    return InvalidArgument("privacy charge '" + charge.label + "' is stated for neighbouring relation '" +
                           std::string(NeighbouringName(charge.neighbouring)) + "' but the ledger uses '" +
                           std::string(NeighbouringName(neighbouring_)) + "'; nothing was released");
  }
  const double total = AddRoundUp(spent_rho_, charge.rho);
  if (!(total <= budget_rho_)) {
    return InvalidArgument("privacy budget exceeded: '" + charge.label + "' needs rho = " + FormatNumber(charge.rho) +
                           " but only " + FormatNumber(remaining_rho()) + " of rho = " + FormatNumber(budget_rho_) +
                           " remains; nothing was released");
  }
  spent_rho_ = total;
  charges_.push_back(std::move(charge));
  return Status::Ok();
}

std::string PrivacyLedger::ToJson() const {
  Json out;
  out["synthscale_privacy_ledger"] = kPrivacyLedgerFormatVersion;
  out["accounting"] = "zCDP";
  out["neighbouring"] = std::string(NeighbouringName(neighbouring_));
  Json budget;
  budget["rho"] = budget_rho_;
  if (target_epsilon_) budget["epsilon"] = *target_epsilon_;
  if (target_delta_) budget["delta"] = *target_delta_;
  out["budget"] = budget;
  out["spent_rho"] = spent_rho_;
  if (!noise_key_sha256_.empty()) out["noise_key_sha256"] = noise_key_sha256_;
  Json charges = Json::array();
  for (const PrivacyCharge& charge : charges_) charges.push_back(ChargeToJson(charge));
  out["charges"] = charges;
  return out.dump(2) + "\n";
}

Result<PrivacyLedger> PrivacyLedger::FromJson(std::string_view text) {
  const Json in = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (in.is_discarded()) return LedgerError("not valid JSON");
  if (!in.is_object()) return LedgerError("the top level must be an object");
  SYNTHSCALE_RETURN_IF_ERROR(CheckKeys(in,
                                       {"synthscale_privacy_ledger", "accounting", "neighbouring", "budget",
                                        "spent_rho", "noise_key_sha256", "charges"},
                                       "the ledger"));
  const auto version = in.find("synthscale_privacy_ledger");
  if (version == in.end() || !version->is_number_integer() || version->get<int>() != kPrivacyLedgerFormatVersion) {
    return LedgerError("expected \"synthscale_privacy_ledger\": " + std::to_string(kPrivacyLedgerFormatVersion) +
                       " (a ledger written by another version or not a ledger)");
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(const std::string accounting, GetString(in, "accounting", "the ledger"));
  if (accounting != "zCDP") return LedgerError("accounting must be \"zCDP\", got \"" + accounting + "\"");
  SYNTHSCALE_ASSIGN_OR_RETURN(const std::string neighbouring_name, GetString(in, "neighbouring", "the ledger"));
  Result<Neighbouring> neighbouring = ParseNeighbouring(neighbouring_name);
  if (!neighbouring.ok()) return LedgerError(neighbouring.status().message());

  const auto budget = in.find("budget");
  if (budget == in.end() || !budget->is_object()) return LedgerError("missing object 'budget'");
  SYNTHSCALE_RETURN_IF_ERROR(CheckKeys(*budget, {"rho", "epsilon", "delta"}, "budget"));
  SYNTHSCALE_ASSIGN_OR_RETURN(const double budget_rho, GetNumber(*budget, "rho", "budget"));
  Result<PrivacyLedger> created = FromRho(budget_rho, *neighbouring);
  if (!created.ok()) return LedgerError(created.status().message());
  PrivacyLedger ledger = std::move(created).value();
  if (budget->contains("epsilon") != budget->contains("delta")) {
    return LedgerError("budget must give both 'epsilon' and 'delta' or neither");
  }
  if (budget->contains("epsilon")) {
    SYNTHSCALE_ASSIGN_OR_RETURN(const double epsilon, GetNumber(*budget, "epsilon", "budget"));
    SYNTHSCALE_ASSIGN_OR_RETURN(const double delta, GetNumber(*budget, "delta", "budget"));
    Result<double> implied = RhoFromEpsilonDelta(epsilon, delta);
    if (!implied.ok()) return LedgerError("budget: " + implied.status().message());
    // The budget may not promise more than its (epsilon, delta) allows (a relative slack
    // of 1e-9 absorbs libm differences between the machine that wrote it and this one).
    if (budget_rho > *implied * (1.0 + 1e-9)) {
      return LedgerError("budget rho " + FormatNumber(budget_rho) + " is larger than (epsilon, delta) = (" + FormatNumber(epsilon) +
                         ", " + FormatNumber(delta) + ") allows, rho = " + FormatNumber(*implied));
    }
    ledger.target_epsilon_ = epsilon;
    ledger.target_delta_ = delta;
  }
  if (in.contains("noise_key_sha256")) {
    SYNTHSCALE_ASSIGN_OR_RETURN(ledger.noise_key_sha256_, GetString(in, "noise_key_sha256", "the ledger"));
  }
  const auto charges = in.find("charges");
  if (charges == in.end() || !charges->is_array()) return LedgerError("missing array 'charges'");
  for (std::size_t idx = 0; idx < charges->size(); ++idx) {
    SYNTHSCALE_ASSIGN_OR_RETURN(PrivacyCharge charge, ChargeFromJson((*charges)[idx], idx));
    const Status status = ledger.Charge(std::move(charge));
    if (!status.ok()) return LedgerError("charges[" + std::to_string(idx) + "]: " + status.message());
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(const double spent, GetNumber(in, "spent_rho", "the ledger"));
  if (spent != ledger.spent_rho_) {
    return LedgerError("spent_rho " + FormatNumber(spent) + " does not match the sum of the charges, " +
                       FormatNumber(ledger.spent_rho_) + " (the ledger was edited or damaged)");
  }
  return ledger;
}

}  // namespace synthscale
