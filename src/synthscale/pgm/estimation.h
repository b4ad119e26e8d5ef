// Estimate: fit a GraphicalModel to noisy marginal measurements.
//
// Private-PGM's estimator (McKenna, Sheldon, Miklau, ICML 2019, Section 4, Algorithm 1 with
// the Armijo line search of mbi's FactoredInference.mirror_descent): entropic mirror descent
// on the model's marginals mu, which in the potentials' coordinates is
//   theta <- theta - alpha * grad L(mu),  mu <- belief propagation(theta) * total,
// on the weighted L2 loss
//   L(mu) = sum_m || (M_m(mu) - y_m) / sigma_m ||^2 / 2,
// where M_m(mu) is the model's marginal (counts) on measurement m's clique. Each iteration
// doubles the previous step size alpha (starting from 1) and halves it, at most 25 times,
// until L(new) <= L(old) - alpha/2 * <grad L(mu_old), mu_old - mu_new> (Armijo).
//
// Warm start: the fit starts from the model's current potentials, so a model fresh from
// GraphicalModel::Create starts at the uniform distribution and one prepared with
// WarmStartFrom(previous round's model) continues from that model's distribution.
//
// Thread safety: Estimate mutates `model` only; do not use `model` elsewhere meanwhile.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "synthscale/core/context.h"
#include "synthscale/core/status.h"
#include "synthscale/marginal/domain.h"
#include "synthscale/pgm/graphical_model.h"

namespace synthscale {

// One noisy marginal: values are counts in the dense layout of `clique` plus Gaussian noise
// of standard deviation sigma (times cell_scale[cell] when cell_scale is not empty: a cell
// that sums k noisy counts, like MST's merged rare values, has noise sigma * sqrt(k)). A
// cell's weight in the loss is 1 / (its noise's standard deviation), as in Private-PGM.
struct Measurement {
  Clique clique;
  std::vector<double> values;
  double sigma = 1.0;
  std::vector<double> cell_scale = {};  // empty, or one finite value > 0 per cell
};

struct EstimationOptions {
  // Most mirror-descent iterations (each one or more belief propagations), as mbi's default.
  int max_iterations = 1000;
  // Converged when the loss decreased by at most tolerance * (its value kConvergenceWindow
  // iterations earlier) over the last kConvergenceWindow iterations, or the loss is 0.
  double tolerance = 1e-7;
  // The number of records when it is known (e.g. public); otherwise it is estimated from the
  // measurements: the inverse-variance weighted mean of their sums (a measurement over c
  // cells with noise sigma has sum variance c * sigma^2, or sigma^2 * sum of cell_scale^2),
  // at least 1. With no measurements
  // and no known total the model keeps its total.
  std::optional<double> known_total;
};

inline constexpr int kConvergenceWindow = 10;

struct EstimationReport {
  int iterations = 0;      // mirror-descent iterations run
  double loss = 0.0;       // L at the returned potentials
  double total = 0.0;      // the total the model was fitted with
  // True when the tolerance criterion held, or when no step of the line search could lower
  // the loss further (the loss is then at its minimum to floating-point precision).
  bool converged = false;
};

// Fit `model`'s potentials (and total) to `measurements`, starting from its current potentials.
// Errors: kInvalidArgument for bad options (max_iterations < 0, tolerance negative or NaN,
// known_total not finite and > 0) or a bad measurement (invalid clique, values.size() not the
// clique's cell count, a non-finite value, sigma not finite and > 0, cell_scale neither empty
// nor one finite value > 0 per cell, or a clique not contained
// in any clique of the model's junction tree; the message names the measurement index and
// clique). On error the model is unchanged.
// Measurements of the same clique are merged into their inverse-variance weighted mean
// first (the loss changes by a constant, which the report adds back), and each step
// calibrates in linear space (CalibrateCounts: one exp per model cell).
// Deterministic: the same inputs give the same bits whatever ctx.threads() (projections and
// gradients are computed per measurement and per clique in parallel, each into its own slot,
// and summed in measurement order; ctx reports progress as "estimate").
Result<EstimationReport> Estimate(std::span<const Measurement> measurements, const EstimationOptions& options,
                                  const Context& ctx, GraphicalModel& model);

// The total Estimate would use for these measurements without a known total (see
// EstimationOptions::known_total); nullopt when there are no measurements.
std::optional<double> EstimateTotal(std::span<const Measurement> measurements);

}  // namespace synthscale
