#include "synthscale/pgm/estimation.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "synthscale/pgm/belief_propagation.h"

namespace synthscale {
namespace {

// Halvings of the step size before the line search gives up (mbi uses 25).
constexpr int kMaxLineSearchSteps = 25;

// Where each measurement's gradient goes: the smallest tree clique containing its clique.
struct Assignment {
  std::size_t tree_clique = 0;
};

// The model at one set of potentials: loss, and per measurement its marginal and gradient.
struct Point {
  std::vector<Factor> theta;
  double loss = 0.0;
  std::vector<Factor> projected;  // M_m(mu), counts over measurement m's clique
  std::vector<Factor> gradient;   // (M_m(mu) - y_m) / sigma_m^2, over measurement m's clique
};

Status CheckOptions(const EstimationOptions& options) {
  if (options.max_iterations < 0) {
    return InvalidArgument("estimation max_iterations must be >= 0, got " + std::to_string(options.max_iterations));
  }
  if (!(options.tolerance >= 0.0) || !std::isfinite(options.tolerance)) {
    return InvalidArgument("estimation tolerance must be finite and >= 0, got " + std::to_string(options.tolerance));
  }
  if (options.known_total && (!std::isfinite(*options.known_total) || *options.known_total <= 0.0)) {
    return InvalidArgument("estimation known_total must be finite and > 0, got " +
                           std::to_string(*options.known_total));
  }
  return Status::Ok();
}

Result<std::vector<Assignment>> AssignMeasurements(std::span<const Measurement> measurements,
                                                   const GraphicalModel& model) {
  const Domain& domain = model.domain();
  const JunctionTree& tree = model.tree();
  std::vector<Assignment> assignments;
  assignments.reserve(measurements.size());
  for (std::size_t measurement_idx = 0; measurement_idx < measurements.size(); ++measurement_idx) {
    const Measurement& measurement = measurements[measurement_idx];
    const std::string label = "measurement " + std::to_string(measurement_idx);
    if (!IsValidClique(measurement.clique, domain.num_attributes())) {
      return InvalidArgument(label + ": clique must list distinct attribute indices in ascending order, each below " +
                             std::to_string(domain.num_attributes()));
    }
    const std::uint64_t cells = SaturatingCellCount(domain, measurement.clique);
    if (measurement.values.size() != cells) {
      return InvalidArgument(label + " over " + domain.Describe(measurement.clique) + ": expected " +
                             std::to_string(cells) + " values, got " + std::to_string(measurement.values.size()));
    }
    if (!std::isfinite(measurement.sigma) || measurement.sigma <= 0.0) {
      return InvalidArgument(label + " over " + domain.Describe(measurement.clique) +
                             ": sigma must be finite and > 0, got " + std::to_string(measurement.sigma));
    }
    for (double value : measurement.values) {
      if (!std::isfinite(value)) {
        return InvalidArgument(label + " over " + domain.Describe(measurement.clique) + ": value " +
                               std::to_string(value) + " is not finite");
      }
    }
    std::size_t best = tree.cliques.size();
    for (std::size_t clique_idx = 0; clique_idx < tree.cliques.size(); ++clique_idx) {
      if (!IsSubset(measurement.clique, tree.cliques[clique_idx])) continue;
      if (best == tree.cliques.size() ||
          model.potentials()[clique_idx].num_cells() < model.potentials()[best].num_cells()) {
        best = clique_idx;
      }
    }
    if (best == tree.cliques.size()) {
      return InvalidArgument(label + " over " + domain.Describe(measurement.clique) +
                             " is not contained in any clique of the model; create the model with this clique");
    }
    assignments.push_back({best});
  }
  return assignments;
}

class Objective {
 public:
  Objective(std::span<const Measurement> measurements, std::vector<Assignment> assignments,
            const GraphicalModel& model, double total)
      : measurements_(measurements), assignments_(std::move(assignments)), model_(model), total_(total) {}

  // Calibrate theta and fill the loss, projections and gradients of `point`.
  Status Evaluate(Point& point) const {
    SYNTHSCALE_ASSIGN_OR_RETURN(CalibratedBeliefs calibrated, Calibrate(model_.tree(), point.theta));
    point.projected.resize(measurements_.size());
    point.gradient.resize(measurements_.size());
    point.loss = 0.0;
    // Counts of each tree clique that has measurements, computed once.
    std::vector<std::uint8_t> needed(calibrated.beliefs.size(), 0);
    for (const Assignment& assignment : assignments_) needed[assignment.tree_clique] = 1;
    for (std::size_t clique_idx = 0; clique_idx < calibrated.beliefs.size(); ++clique_idx) {
      if (!needed[clique_idx]) continue;
      for (double& value : calibrated.beliefs[clique_idx].mutable_values()) value = std::exp(value) * total_;
    }
    for (std::size_t measurement_idx = 0; measurement_idx < measurements_.size(); ++measurement_idx) {
      const Measurement& measurement = measurements_[measurement_idx];
      const Factor& counts = calibrated.beliefs[assignments_[measurement_idx].tree_clique];
      SYNTHSCALE_ASSIGN_OR_RETURN(point.projected[measurement_idx], counts.Sum(measurement.clique));
      Factor gradient = point.projected[measurement_idx];
      const double weight = 1.0 / measurement.sigma;
      const std::span<double> values = gradient.mutable_values();
      double loss = 0.0;
      for (std::size_t cell_idx = 0; cell_idx < values.size(); ++cell_idx) {
        const double diff = weight * (values[cell_idx] - measurement.values[cell_idx]);
        loss += diff * diff;
        values[cell_idx] = weight * diff;
      }
      point.loss += 0.5 * loss;
      point.gradient[measurement_idx] = std::move(gradient);
    }
    return Status::Ok();
  }

  // theta = omega - alpha * gradient (each measurement's gradient broadcast onto its tree clique).
  Status Step(const Point& from, double alpha, Point& to) const {
    to.theta = from.theta;
    for (std::size_t measurement_idx = 0; measurement_idx < measurements_.size(); ++measurement_idx) {
      SYNTHSCALE_RETURN_IF_ERROR(to.theta[assignments_[measurement_idx].tree_clique].AddScaled(
          from.gradient[measurement_idx], -alpha));
    }
    return Evaluate(to);
  }

  // <gradient at `from`, mu_from - mu_to>, summed per measurement in index order.
  double Decrease(const Point& from, const Point& to) const {
    double total = 0.0;
    for (std::size_t measurement_idx = 0; measurement_idx < measurements_.size(); ++measurement_idx) {
      const std::span<const double> gradient = from.gradient[measurement_idx].values();
      const std::span<const double> before = from.projected[measurement_idx].values();
      const std::span<const double> after = to.projected[measurement_idx].values();
      for (std::size_t cell_idx = 0; cell_idx < gradient.size(); ++cell_idx) {
        total += gradient[cell_idx] * (before[cell_idx] - after[cell_idx]);
      }
    }
    return total;
  }

 private:
  std::span<const Measurement> measurements_;
  std::vector<Assignment> assignments_;
  const GraphicalModel& model_;
  double total_;
};

}  // namespace

std::optional<double> EstimateTotal(std::span<const Measurement> measurements) {
  if (measurements.empty()) return std::nullopt;
  // Inverse-variance weighting: sum(y_m) has variance cells_m * sigma_m^2.
  double weighted_sum = 0.0;
  double weight_sum = 0.0;
  for (const Measurement& measurement : measurements) {
    double sum = 0.0;
    for (double value : measurement.values) sum += value;
    const double variance = static_cast<double>(measurement.values.size()) * measurement.sigma * measurement.sigma;
    weighted_sum += sum / variance;
    weight_sum += 1.0 / variance;
  }
  return std::max(1.0, weighted_sum / weight_sum);
}

Result<EstimationReport> Estimate(std::span<const Measurement> measurements, const EstimationOptions& options,
                                  const Context& ctx, GraphicalModel& model) {
  SYNTHSCALE_RETURN_IF_ERROR(CheckOptions(options));
  SYNTHSCALE_ASSIGN_OR_RETURN(std::vector<Assignment> assignments, AssignMeasurements(measurements, model));
  double total = model.total();
  if (options.known_total) {
    total = *options.known_total;
  } else if (const std::optional<double> estimated = EstimateTotal(measurements)) {
    total = *estimated;
  }
  if (!std::isfinite(total) || total <= 0.0) {
    return InvalidArgument("estimated total is not finite and > 0: " + std::to_string(total));
  }

  const Objective objective(measurements, std::move(assignments), model, total);
  Point current;
  current.theta = model.potentials();
  SYNTHSCALE_RETURN_IF_ERROR(objective.Evaluate(current));

  EstimationReport report;
  report.total = total;
  std::vector<double> history = {current.loss};
  Point trial;
  double alpha = 1.0;
  while (report.iterations < options.max_iterations && !report.converged) {
    if (current.loss == 0.0) {
      report.converged = true;
      break;
    }
    alpha *= 2.0;
    bool accepted = false;
    for (int halving = 0; halving < kMaxLineSearchSteps; ++halving) {
      SYNTHSCALE_RETURN_IF_ERROR(objective.Step(current, alpha, trial));
      if (current.loss - trial.loss >= 0.5 * alpha * objective.Decrease(current, trial)) {
        accepted = true;
        break;
      }
      alpha *= 0.5;
    }
    if (!accepted) {
      report.converged = true;
      break;
    }
    std::swap(current, trial);
    ++report.iterations;
    history.push_back(current.loss);
    ctx.Progress("estimate", static_cast<std::uint64_t>(report.iterations),
                 static_cast<std::uint64_t>(options.max_iterations));
    if (history.size() > static_cast<std::size_t>(kConvergenceWindow)) {
      const double earlier = history[history.size() - 1 - static_cast<std::size_t>(kConvergenceWindow)];
      if (earlier - current.loss <= options.tolerance * earlier) report.converged = true;
    }
  }
  if (current.loss == 0.0) report.converged = true;
  report.loss = current.loss;
  SYNTHSCALE_RETURN_IF_ERROR(model.SetParameters(std::move(current.theta), total));
  return report;
}

}  // namespace synthscale
