// The neighbouring relation (what "one person's data" means) and the sensitivities that
// every mechanism derives its noise from.
//
// A mechanism is private with respect to one neighbouring relation; the ledger fixes one
// for the whole release and refuses charges made under the other. Sensitivities are
// stated under the relation they are valid for, so the relation is part of the value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "synthscale/core/status.h"
#include "synthscale/privacy/rational.h"

namespace synthscale {

enum class Neighbouring : std::uint8_t {
  // D' is D with one row added or removed ("unbounded" DP). The row count is private.
  kAddRemoveOne,
  // D' is D with one row replaced by any other row ("bounded" DP). The row count is
  // public: it is the same in D and D'.
  kReplaceOne,
};

// "add_remove_one_row" or "replace_one_row": the names used in JSON and messages.
std::string_view NeighbouringName(Neighbouring neighbouring);
// Errors: kInvalidArgument naming the accepted values.
Result<Neighbouring> ParseNeighbouring(std::string_view name);

// How much one row can move an integer count vector f(D), in the norms the mechanisms use:
// l1 = max ||f(D) - f(D')||_1 (Laplace), l2_squared = max ||f(D) - f(D')||_2^2 (Gaussian;
// squared so that sqrt(2) stays exact), both over neighbouring D, D' under `neighbouring`.
struct CountSensitivity {
  Neighbouring neighbouring = Neighbouring::kAddRemoveOne;
  Rational l1;
  Rational l2_squared;

  // Counts to which every row adds 1 in at most `cells_per_row` cells: 1 for a histogram
  // or a single marginal, k for k marginals measured together. Adding or removing a row
  // changes at most c cells by 1: l1 = c, l2^2 = c. Replacing a row removes it from <= c
  // cells and adds the new row to <= c cells: l1 = 2c, l2^2 = 2c (L2 = sqrt(2) for a
  // histogram). Errors: kInvalidArgument when cells_per_row is 0 or above 2^62.
  static Result<CountSensitivity> Counts(Neighbouring neighbouring, std::uint64_t cells_per_row = 1);

  // From bounds that hold for adding or removing one row, ||f(D + x) - f(D)||. Under
  // replacement the triangle inequality gives l1 <= 2 * l1 and l2 <= 2 * l2 (so l2^2 times
  // 4); use Counts when the tighter 0/1-count bound applies. Errors: kInvalidArgument when
  // both bounds are 0 or the scaled fraction overflows.
  static Result<CountSensitivity> FromAddRemoveBounds(Neighbouring neighbouring, const Rational& l1,
                                                      const Rational& l2_squared);
};

// How much one row can move any candidate's score in the exponential mechanism:
// bound = max over candidates r and neighbouring D, D' of |u(D, r) - u(D', r)|.
struct ScoreSensitivity {
  Neighbouring neighbouring = Neighbouring::kAddRemoveOne;
  Rational bound;

  // From the bound under adding or removing one row; under replacement it doubles
  // (triangle inequality). Errors: kInvalidArgument when the bound is 0 or overflows.
  static Result<ScoreSensitivity> FromAddRemoveBound(Neighbouring neighbouring, const Rational& bound);
};

}  // namespace synthscale
