#include "synthscale/privacy/sensitivity.h"

namespace synthscale {
namespace {

Result<Rational> Scale(const Rational& value, std::uint64_t factor, std::string_view name) {
  return Rational::FromWide(static_cast<UInt128>(value.numerator()) * factor, value.denominator(), name);
}

}  // namespace

std::string_view NeighbouringName(Neighbouring neighbouring) {
  switch (neighbouring) {
    case Neighbouring::kAddRemoveOne: return "add_remove_one_row";
    case Neighbouring::kReplaceOne: return "replace_one_row";
  }
  return "unknown";
}

Result<Neighbouring> ParseNeighbouring(std::string_view name) {
  if (name == "add_remove_one_row") return Neighbouring::kAddRemoveOne;
  if (name == "replace_one_row") return Neighbouring::kReplaceOne;
  return InvalidArgument("neighbouring relation must be 'add_remove_one_row' or 'replace_one_row', got '" +
                         std::string(name) + "'");
}

Result<CountSensitivity> CountSensitivity::Counts(Neighbouring neighbouring, std::uint64_t cells_per_row) {
  if (cells_per_row == 0 || cells_per_row > (std::uint64_t{1} << 62)) {
    return InvalidArgument("cells_per_row must be in [1, 2^62], got " + std::to_string(cells_per_row));
  }
  const std::uint64_t factor = neighbouring == Neighbouring::kReplaceOne ? 2 : 1;
  CountSensitivity sensitivity;
  sensitivity.neighbouring = neighbouring;
  sensitivity.l1 = Rational::Integer(cells_per_row * factor);
  sensitivity.l2_squared = Rational::Integer(cells_per_row * factor);
  return sensitivity;
}

Result<CountSensitivity> CountSensitivity::FromAddRemoveBounds(Neighbouring neighbouring, const Rational& l1,
                                                               const Rational& l2_squared) {
  if (l1.is_zero() && l2_squared.is_zero()) {
    return InvalidArgument("a count sensitivity of 0 means the counts do not depend on the data; "
                           "give the L1 and squared L2 bounds of one row's contribution");
  }
  const bool replace = neighbouring == Neighbouring::kReplaceOne;
  CountSensitivity sensitivity;
  sensitivity.neighbouring = neighbouring;
  SYNTHSCALE_ASSIGN_OR_RETURN(sensitivity.l1, Scale(l1, replace ? 2 : 1, "L1 sensitivity"));
  SYNTHSCALE_ASSIGN_OR_RETURN(sensitivity.l2_squared, Scale(l2_squared, replace ? 4 : 1, "squared L2 sensitivity"));
  return sensitivity;
}

Result<ScoreSensitivity> ScoreSensitivity::FromAddRemoveBound(Neighbouring neighbouring, const Rational& bound) {
  if (bound.is_zero()) return InvalidArgument("score sensitivity must be > 0, got 0");
  ScoreSensitivity sensitivity;
  sensitivity.neighbouring = neighbouring;
  SYNTHSCALE_ASSIGN_OR_RETURN(sensitivity.bound,
                              Scale(bound, neighbouring == Neighbouring::kReplaceOne ? 2 : 1, "score sensitivity"));
  return sensitivity;
}

}  // namespace synthscale
