#include "synthscale/synth/aim.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <set>

#include "synthscale/pgm/junction_tree.h"
#include "synthscale/privacy/exponential_mechanism.h"

namespace synthscale {
namespace {

constexpr double kBudgetSafety = 1.0 - 1e-9;
// Share of a round's budget for measuring (the rest selects), from the paper.
constexpr double kMeasureShare = 0.9;
// sqrt(2 / pi): E|N(0, sigma^2)| / sigma, the expected L1 error per cell of a measurement.
const double kExpectedAbsNoise = std::sqrt(2.0 / std::numbers::pi);

// All k-subsets of {0, ..., n-1} in lexicographic order.
std::vector<Clique> Combinations(std::uint32_t n, std::uint32_t k) {
  std::vector<Clique> out;
  if (k == 0 || k > n) return out;
  Clique current(k);
  for (std::uint32_t pos = 0; pos < k; ++pos) current[pos] = pos;
  while (true) {
    out.push_back(current);
    std::int64_t pos = static_cast<std::int64_t>(k) - 1;
    while (pos >= 0 && current[static_cast<std::size_t>(pos)] == n - k + static_cast<std::uint32_t>(pos)) --pos;
    if (pos < 0) return out;
    ++current[static_cast<std::size_t>(pos)];
    for (std::size_t next = static_cast<std::size_t>(pos) + 1; next < k; ++next) current[next] = current[next - 1] + 1;
  }
}

// The workload's downward closure with each candidate's weight, in a fixed order.
std::map<Clique, std::uint64_t> Candidates(const std::vector<Clique>& workload) {
  std::set<Clique> closure;
  for (const Clique& clique : workload) {
    const std::uint32_t size = static_cast<std::uint32_t>(clique.size());
    for (std::uint32_t mask = 1; mask < (1u << size); ++mask) {
      Clique subset;
      for (std::uint32_t pos = 0; pos < size; ++pos) {
        if (mask & (1u << pos)) subset.push_back(clique[pos]);
      }
      closure.insert(subset);
    }
  }
  std::map<Clique, std::uint64_t> weights;
  for (const Clique& candidate : closure) {
    std::uint64_t weight = 0;
    for (const Clique& clique : workload) {
      Clique common;
      std::set_intersection(candidate.begin(), candidate.end(), clique.begin(), clique.end(),
                            std::back_inserter(common));
      weight += common.size();
    }
    weights[candidate] = weight;
  }
  return weights;
}

template <typename T>
double L1Distance(std::span<const T> a, std::span<const double> b) {
  double sum = 0.0;
  for (std::size_t cell = 0; cell < a.size(); ++cell) sum += std::abs(static_cast<double>(a[cell]) - b[cell]);
  return sum;
}

}  // namespace

Result<std::vector<Clique>> AimSynthesizer::Workload(const SynthesizerOptions& options, const Domain& domain) {
  const auto num_columns = static_cast<std::uint32_t>(domain.num_attributes());
  if (options.workload.empty()) return Combinations(num_columns, std::min(options.workload_degree, num_columns));
  std::vector<Clique> workload;
  for (const std::vector<std::string>& names : options.workload) {
    std::vector<std::uint32_t> attributes;
    for (const std::string& name : names) {
      const auto found = std::find(domain.names().begin(), domain.names().end(), name);
      if (found == domain.names().end()) {
        return InvalidArgument("workload names column '" + name + "', which the schema does not model");
      }
      attributes.push_back(static_cast<std::uint32_t>(found - domain.names().begin()));
    }
    workload.push_back(MakeClique(std::move(attributes)));
  }
  return workload;
}

Status AimSynthesizer::Fit(const EncodedTable& data, const FitInputs& inputs, const Context& ctx) {
  FitState state;
  SYNTHSCALE_RETURN_IF_ERROR(BeginFit(data, inputs, ctx, state));
  const auto num_columns = static_cast<std::uint32_t>(domain().num_attributes());
  if (num_columns == 0) return InvalidArgument("aim needs at least one modelled column");
  SYNTHSCALE_ASSIGN_OR_RETURN(std::vector<Clique> workload, Workload(options(), domain()));
  const std::map<Clique, std::uint64_t> candidates = Candidates(workload);
  std::vector<Clique> candidate_list;
  std::vector<double> candidate_weight;
  for (const auto& [clique, weight] : candidates) {
    candidate_list.push_back(clique);
    candidate_weight.push_back(static_cast<double>(weight));
  }
  // True answers of every candidate, counted in shared passes over the rows; the rows
  // are read again only for 1-way marginals the workload does not cover.
  SYNTHSCALE_ASSIGN_OR_RETURN(const std::vector<std::vector<std::int64_t>> answers, CountMany(state, candidate_list));
  const auto measure = [&](const Clique& clique, double rho) -> Result<Measurement> {
    const auto found = std::lower_bound(candidate_list.begin(), candidate_list.end(), clique);
    if (found != candidate_list.end() && *found == clique) {
      return MeasureCounts(state, clique, answers[static_cast<std::size_t>(found - candidate_list.begin())], rho);
    }
    return Measure(state, clique, rho);
  };

  PrivacyLedger& ledger = *state.ledger;
  const double rho = ledger.remaining_rho();
  // At least one round per column, so the 1-way measurements take at most 0.9 rho.
  const double rounds = std::max<double>(num_columns, options().max_rounds > 0 ? options().max_rounds
                                                                               : 16.0 * num_columns);
  // sigma is the paper's (unit sensitivity, rho = 1 / (2 sigma^2)); the noise actually
  // added has standard deviation noise_unit * sigma (sqrt(2) larger under replacement).
  const double noise_unit = NoiseUnit(state);
  double sigma = std::sqrt(rounds / (2.0 * kMeasureShare * rho));
  double epsilon = std::sqrt(8.0 * (1.0 - kMeasureShare) * rho / rounds);

  std::vector<Measurement> measurements;
  std::vector<Clique> cliques;
  for (std::uint32_t column = 0; column < num_columns; ++column) {
    const double cost = std::min(1.0 / (2.0 * sigma * sigma),
                                 ledger.remaining_rho() * kBudgetSafety / (num_columns - column));
    SYNTHSCALE_ASSIGN_OR_RETURN(Measurement measurement, measure({column}, cost));
    measurements.push_back(std::move(measurement));
    cliques.push_back({column});
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(GraphicalModel model, EstimateModel(cliques, measurements, nullptr, ctx));

  const double max_weight = *std::max_element(candidate_weight.begin(), candidate_weight.end());
  SYNTHSCALE_ASSIGN_OR_RETURN(
      ScoreSensitivity sensitivity,
      ScoreSensitivity::FromAddRemoveBound(ledger.neighbouring(), Rational::Integer(static_cast<std::uint64_t>(max_weight))));
  const double max_cells = static_cast<double>(MaxModelCells());
  // Below this the remaining budget is not worth a round (a public threshold).
  const double negligible = 1e-6 * ledger.budget_rho();
  std::uint32_t round = 0;
  bool last = false;
  while (!last && ledger.remaining_rho() > negligible) {
    ++round;
    double measure_rho = 1.0 / (2.0 * sigma * sigma);
    double select_rho = epsilon * epsilon / 8.0;
    if (ledger.remaining_rho() < 2.0 * (measure_rho + select_rho)) {
      // The last round: 0.1 of what remains selects, everything left after it measures.
      select_rho = (1.0 - kMeasureShare) * ledger.remaining_rho() * kBudgetSafety;
      measure_rho = ledger.remaining_rho() - select_rho;
      last = true;
    }
    const double spent_after = std::min(ledger.budget_rho(), ledger.spent_rho() + measure_rho + select_rho);
    const double size_limit = max_cells * spent_after / ledger.budget_rho();
    const double noise_sigma = noise_unit * std::sqrt(1.0 / (2.0 * measure_rho));

    // Candidates the model can take, scored by how badly the model answers them; each
    // candidate is scored on its own, in parallel, into its own slot.
    std::vector<std::uint8_t> fits(candidate_list.size(), 0);
    std::vector<double> all_scores(candidate_list.size(), 0.0);
    SYNTHSCALE_RETURN_IF_ERROR(ctx.pool().Run(candidate_list.size(), [&](std::size_t idx) -> Status {
      const Clique& candidate = candidate_list[idx];
      bool fit = std::any_of(model.tree().cliques.begin(), model.tree().cliques.end(),
                             [&](const Clique& held) { return IsSubset(candidate, held); });
      if (!fit) {
        std::vector<Clique> grown = cliques;
        grown.push_back(candidate);
        Result<std::uint64_t> cells = JunctionTreeCells(domain(), grown);
        fit = cells.ok() && static_cast<double>(*cells) <= size_limit;
      }
      if (!fit) return Status::Ok();
      SYNTHSCALE_ASSIGN_OR_RETURN(std::vector<double> estimate, model.Marginal(candidate));
      const double bias = kExpectedAbsNoise * noise_sigma * static_cast<double>(estimate.size());
      fits[idx] = 1;
      all_scores[idx] = candidate_weight[idx] * (L1Distance<std::int64_t>(answers[idx], estimate) - bias);
      return Status::Ok();
    }));
    std::vector<std::size_t> open;
    std::vector<double> scores;
    for (std::size_t idx = 0; idx < candidate_list.size(); ++idx) {
      if (!fits[idx]) continue;
      open.push_back(idx);
      scores.push_back(all_scores[idx]);
    }
    if (open.empty()) break;
    std::size_t chosen_idx = open.front();
    // Which candidates are open is public (model sizes), so a single one needs no selection.
    if (open.size() > 1) {
      SYNTHSCALE_ASSIGN_OR_RETURN(ExponentialMechanism selector, ExponentialMechanism::ForRho(sensitivity, select_rho));
      SYNTHSCALE_ASSIGN_OR_RETURN(Selection selected,
                                  selector.Select(scores, "round " + std::to_string(round) + " selection", ledger,
                                                  *state.noise));
      chosen_idx = open[selected.index];
    }
    const Clique chosen = candidate_list[chosen_idx];
    if (last) measure_rho = ledger.remaining_rho() * kBudgetSafety;
    SYNTHSCALE_ASSIGN_OR_RETURN(Measurement measurement, measure(chosen, measure_rho));
    const double measured_sigma = measurement.sigma;
    measurements.push_back(std::move(measurement));
    if (std::find(cliques.begin(), cliques.end(), chosen) == cliques.end()) cliques.push_back(chosen);
    SYNTHSCALE_ASSIGN_OR_RETURN(std::vector<double> before, model.Marginal(chosen));
    SYNTHSCALE_ASSIGN_OR_RETURN(GraphicalModel next, EstimateModel(cliques, measurements, &model, ctx));
    model = std::move(next);
    SYNTHSCALE_ASSIGN_OR_RETURN(std::vector<double> after, model.Marginal(chosen));
    ctx.Progress("aim: rounds (budget used, per mille)",
                 static_cast<std::uint64_t>(1000.0 * ledger.spent_rho() / ledger.budget_rho()), 1000);
    // The new measurement barely moved the model: measure more precisely from now on.
    if (L1Distance<double>(after, before) <= kExpectedAbsNoise * measured_sigma * static_cast<double>(before.size())) {
      sigma /= 2.0;
      epsilon *= 2.0;
    }
  }
  // The paper's final estimate runs longer (2500 of mbi's iterations against 1000).
  const auto final_iterations = static_cast<int>(2.5 * options().max_iterations);
  SYNTHSCALE_ASSIGN_OR_RETURN(GraphicalModel final_model,
                              EstimateModel(cliques, measurements, &model, ctx, final_iterations));
  Keep(std::move(final_model));
  return Status::Ok();
}

}  // namespace synthscale
