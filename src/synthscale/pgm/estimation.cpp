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
  // Per tree clique, the sum of the gradients assigned to it, broadcast onto the clique
  // (empty for cliques without measurements). Filled only for accepted points: a rejected
  // line-search trial never steps.
  std::vector<Factor> tree_gradient;
};

// Measurements of the same clique merged into one, cell by cell: the inverse-variance
// weighted mean y = sum(y_m / sd_m^2) / sum(1 / sd_m^2) with 1 / sd^2 = sum(1 / sd_m^2) (sd_m
// is sigma_m times the cell's scale). The loss changes by a constant only (sum_m
// ||(mu - y_m) / sd_m||^2 = ||(mu - y) / sd||^2 + const), so the gradient, every step and the
// minimiser are the same, for one pass over the clique instead of one per measurement. AIM
// measures a clique again when it is chosen again.
struct MergedMeasurements {
  std::vector<Measurement> merged;
  double loss_constant = 0.0;  // added to the merged loss, so the reported loss is the original's
};

MergedMeasurements MergeRepeatedCliques(std::span<const Measurement> measurements) {
  MergedMeasurements result;
  std::vector<std::size_t> first_of;  // merged index -> the first original measurement
  std::vector<std::vector<std::size_t>> members;
  for (std::size_t measurement_idx = 0; measurement_idx < measurements.size(); ++measurement_idx) {
    std::size_t merged_idx = 0;
    while (merged_idx < first_of.size() && measurements[first_of[merged_idx]].clique != measurements[measurement_idx].clique) {
      ++merged_idx;
    }
    if (merged_idx == first_of.size()) {
      first_of.push_back(measurement_idx);
      members.emplace_back();
    }
    members[merged_idx].push_back(measurement_idx);
  }
  for (const std::vector<std::size_t>& group : members) {
    const Measurement& first = measurements[group.front()];
    if (group.size() == 1) {
      result.merged.push_back(first);
      continue;
    }
    // Per cell: precision p = sum_m 1 / sd_m^2 and mean y = sum_m y_m / sd_m^2 / p.
    const std::size_t cells = first.values.size();
    Measurement combined;
    combined.clique = first.clique;
    combined.values.assign(cells, 0.0);
    std::vector<double> precision(cells, 0.0);
    double sigma_precision = 0.0;   // sum_m 1 / sigma_m^2, the merged sigma's
    bool scaled = false;
    for (std::size_t measurement_idx : group) {
      const Measurement& measurement = measurements[measurement_idx];
      sigma_precision += 1.0 / (measurement.sigma * measurement.sigma);
      scaled = scaled || !measurement.cell_scale.empty();
      for (std::size_t cell_idx = 0; cell_idx < cells; ++cell_idx) {
        const double sd = measurement.sigma * (measurement.cell_scale.empty() ? 1.0 : measurement.cell_scale[cell_idx]);
        const double weight = 1.0 / (sd * sd);
        precision[cell_idx] += weight;
        combined.values[cell_idx] += weight * measurement.values[cell_idx];
      }
    }
    for (std::size_t cell_idx = 0; cell_idx < cells; ++cell_idx) combined.values[cell_idx] /= precision[cell_idx];
    // The constant, sum_m ||(y_m - y) / sd_m||^2 / 2, summed directly (not as a difference
    // of large sums of squares, which would cancel).
    double spread = 0.0;
    for (std::size_t measurement_idx : group) {
      const Measurement& measurement = measurements[measurement_idx];
      for (std::size_t cell_idx = 0; cell_idx < cells; ++cell_idx) {
        const double sd = measurement.sigma * (measurement.cell_scale.empty() ? 1.0 : measurement.cell_scale[cell_idx]);
        const double diff = (measurement.values[cell_idx] - combined.values[cell_idx]) / sd;
        spread += diff * diff;
      }
    }
    combined.sigma = 1.0 / std::sqrt(sigma_precision);
    if (scaled) {
      for (double cell_precision : precision) combined.cell_scale.push_back(std::sqrt(sigma_precision / cell_precision));
    }
    result.loss_constant += 0.5 * spread;
    result.merged.push_back(std::move(combined));
  }
  return result;
}

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
    if (!measurement.cell_scale.empty() &&
        (measurement.cell_scale.size() != cells ||
         !std::all_of(measurement.cell_scale.begin(), measurement.cell_scale.end(),
                      [](double scale) { return std::isfinite(scale) && scale > 0.0; }))) {
      return InvalidArgument(label + " over " + domain.Describe(measurement.clique) +
                             ": cell_scale must be empty or hold one finite value > 0 per cell");
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
            const GraphicalModel& model, double total, double loss_constant, ThreadPool& pool)
      : measurements_(measurements),
        assignments_(std::move(assignments)),
        model_(model),
        total_(total),
        loss_constant_(loss_constant),
        pool_(pool) {
    needed_.assign(model.tree().cliques.size(), 0);
    for (const Assignment& assignment : assignments_) needed_[assignment.tree_clique] = 1;
  }

  // Calibrate theta and fill the loss, projections and gradients of `point`. Each tree
  // clique and each measurement is its own task writing its own slot; the loss is summed
  // in measurement order afterwards, so the bits do not depend on the thread count.
  Status Evaluate(Point& point) const {
    SYNTHSCALE_ASSIGN_OR_RETURN(const std::vector<Factor> clique_counts,
                                CalibrateCounts(model_.tree(), point.theta, total_));
    point.projected.resize(measurements_.size());
    point.gradient.resize(measurements_.size());
    std::vector<double> losses(measurements_.size(), 0.0);
    SYNTHSCALE_RETURN_IF_ERROR(pool_.Run(measurements_.size(), [&](std::size_t measurement_idx) -> Status {
      const Measurement& measurement = measurements_[measurement_idx];
      const Factor& counts = clique_counts[assignments_[measurement_idx].tree_clique];
      SYNTHSCALE_ASSIGN_OR_RETURN(point.projected[measurement_idx], counts.Sum(measurement.clique));
      Factor& gradient = point.gradient[measurement_idx];
      gradient = point.projected[measurement_idx];
      const std::span<double> values = gradient.mutable_values();
      double loss = 0.0;
      for (std::size_t cell_idx = 0; cell_idx < values.size(); ++cell_idx) {
        const double weight =
            1.0 / (measurement.cell_scale.empty() ? measurement.sigma : measurement.sigma * measurement.cell_scale[cell_idx]);
        const double diff = weight * (values[cell_idx] - measurement.values[cell_idx]);
        loss += diff * diff;
        values[cell_idx] = weight * diff;
      }
      losses[measurement_idx] = 0.5 * loss;
      return Status::Ok();
    }));
    point.loss = loss_constant_;
    for (double loss : losses) point.loss += loss;
    return Status::Ok();
  }

  // Sum each tree clique's measurement gradients onto the clique (in measurement order).
  Status AccumulateGradient(Point& point) const {
    point.tree_gradient.resize(point.theta.size());
    return pool_.Run(point.theta.size(), [&](std::size_t clique_idx) -> Status {
      Factor& total = point.tree_gradient[clique_idx];
      if (!needed_[clique_idx]) {
        total = Factor();
        return Status::Ok();
      }
      total = point.theta[clique_idx];
      for (double& value : total.mutable_values()) value = 0.0;
      for (std::size_t measurement_idx = 0; measurement_idx < measurements_.size(); ++measurement_idx) {
        if (assignments_[measurement_idx].tree_clique != clique_idx) continue;
        SYNTHSCALE_RETURN_IF_ERROR(total.Add(point.gradient[measurement_idx]));
      }
      return Status::Ok();
    });
  }

  // theta = omega - alpha * gradient, then evaluate. `from` must have its tree gradient.
  Status Step(const Point& from, double alpha, Point& to) const {
    to.theta.resize(from.theta.size());
    SYNTHSCALE_RETURN_IF_ERROR(pool_.Run(from.theta.size(), [&](std::size_t clique_idx) {
      to.theta[clique_idx] = from.theta[clique_idx];
      if (needed_[clique_idx]) {
        const std::span<double> out = to.theta[clique_idx].mutable_values();
        const std::span<const double> step = from.tree_gradient[clique_idx].values();
        for (std::size_t cell_idx = 0; cell_idx < out.size(); ++cell_idx) out[cell_idx] -= alpha * step[cell_idx];
      }
      return Status::Ok();
    }));
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
  double loss_constant_;
  ThreadPool& pool_;
  std::vector<std::uint8_t> needed_;  // tree cliques with at least one measurement
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
    double scale_squares = static_cast<double>(measurement.values.size());
    if (!measurement.cell_scale.empty()) {
      scale_squares = 0.0;
      for (double scale : measurement.cell_scale) scale_squares += scale * scale;
    }
    const double variance = scale_squares * measurement.sigma * measurement.sigma;
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

  // Validated above against the original list, so errors name the caller's indices.
  const MergedMeasurements merged = MergeRepeatedCliques(measurements);
  SYNTHSCALE_ASSIGN_OR_RETURN(assignments, AssignMeasurements(merged.merged, model));
  const Objective objective(merged.merged, std::move(assignments), model, total, merged.loss_constant, ctx.pool());
  Point current;
  current.theta = model.potentials();
  SYNTHSCALE_RETURN_IF_ERROR(objective.Evaluate(current));
  SYNTHSCALE_RETURN_IF_ERROR(objective.AccumulateGradient(current));

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
    SYNTHSCALE_RETURN_IF_ERROR(objective.AccumulateGradient(current));
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
