#include "synthscale/synth/mst.h"

#include <cmath>
#include <numeric>

#include "synthscale/privacy/exponential_mechanism.h"

namespace synthscale {
namespace {

// Shares are planned slightly below the budget (see mst.h).
constexpr double kBudgetSafety = 1.0 - 1e-9;

// Union-find over columns, for Kruskal's rule "join two components".
class DisjointSets {
 public:
  explicit DisjointSets(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), std::size_t{0}); }
  std::size_t Find(std::size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void Union(std::size_t a, std::size_t b) { parent_[Find(a)] = Find(b); }

 private:
  std::vector<std::size_t> parent_;
};

}  // namespace

Result<std::vector<Clique>> MstSynthesizer::SelectTree(const FitState& state, const std::vector<Measurement>& one_way,
                                                       double rho) {
  const std::uint32_t num_columns = static_cast<std::uint32_t>(domain().num_attributes());
  std::vector<Clique> singles;
  for (std::uint32_t column = 0; column < num_columns; ++column) singles.push_back({column});
  SYNTHSCALE_ASSIGN_OR_RETURN(GraphicalModel independent, EstimateModel(singles, one_way, nullptr, *state.ctx));

  std::vector<Clique> pairs;
  for (std::uint32_t a = 0; a < num_columns; ++a) {
    for (std::uint32_t b = a + 1; b < num_columns; ++b) pairs.push_back({a, b});
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(std::vector<std::vector<std::int64_t>> truth, CountMany(state, pairs));
  // Score: how badly the independent model gets the pair, ||x - x_hat||_1. One row moves
  // x by 1 in one cell and x_hat not at all (it comes from noisy counts): sensitivity 1.
  std::vector<double> weights(pairs.size());
  for (std::size_t pair_idx = 0; pair_idx < pairs.size(); ++pair_idx) {
    SYNTHSCALE_ASSIGN_OR_RETURN(std::vector<double> estimate, independent.Marginal(pairs[pair_idx]));
    double l1 = 0.0;
    for (std::size_t cell = 0; cell < estimate.size(); ++cell) {
      l1 += std::abs(static_cast<double>(truth[pair_idx][cell]) - estimate[cell]);
    }
    weights[pair_idx] = l1;
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(ScoreSensitivity sensitivity,
                              ScoreSensitivity::FromAddRemoveBound(state.ledger->neighbouring(), Rational::Integer(1)));
  SYNTHSCALE_ASSIGN_OR_RETURN(ExponentialMechanism mechanism,
                              ExponentialMechanism::ForRho(sensitivity, rho / (num_columns - 1)));
  DisjointSets components(num_columns);
  std::vector<Clique> edges;
  for (std::uint32_t step = 0; step + 1 < num_columns; ++step) {
    std::vector<std::size_t> open;
    std::vector<double> scores;
    for (std::size_t pair_idx = 0; pair_idx < pairs.size(); ++pair_idx) {
      if (components.Find(pairs[pair_idx][0]) == components.Find(pairs[pair_idx][1])) continue;
      open.push_back(pair_idx);
      scores.push_back(weights[pair_idx]);
    }
    SYNTHSCALE_ASSIGN_OR_RETURN(
        Selection selected,
        mechanism.Select(scores, "tree edge " + std::to_string(step + 1) + " of " + std::to_string(num_columns - 1),
                         *state.ledger, *state.noise));
    const Clique& edge = pairs[open[selected.index]];
    components.Union(edge[0], edge[1]);
    edges.push_back(edge);
  }
  return edges;
}

Status MstSynthesizer::Fit(const EncodedTable& data, const FitInputs& inputs, const Context& ctx) {
  FitState state;
  SYNTHSCALE_RETURN_IF_ERROR(BeginFit(data, inputs, ctx, state));
  const std::uint32_t num_columns = static_cast<std::uint32_t>(state.original.num_attributes());
  if (num_columns == 0) return InvalidArgument("mst needs at least one modelled column");
  const double rho = state.ledger->remaining_rho() * kBudgetSafety;
  // One column: the 1-way marginal gets everything. Two: the only tree is the one pair
  // (a public fact), so no selection is paid for; the budget is halved between 1- and 2-way.
  const double one_way_share = num_columns == 1 ? rho : (num_columns == 2 ? rho / 2.0 : rho / 3.0);
  const double select_share = num_columns > 2 ? rho / 3.0 : 0.0;
  const double two_way_share = rho - one_way_share - select_share;

  ctx.Progress("mst: measuring 1-way marginals", 0, 3);
  std::vector<Measurement> measurements;
  for (std::uint32_t column = 0; column < num_columns; ++column) {
    SYNTHSCALE_ASSIGN_OR_RETURN(Measurement measurement, Measure(state, {column}, one_way_share / num_columns));
    measurements.push_back(std::move(measurement));
  }
  Compress(measurements, 3.0 * measurements.front().sigma);

  std::vector<Clique> cliques;
  for (std::uint32_t column = 0; column < num_columns; ++column) cliques.push_back({column});
  if (num_columns > 1) {
    ctx.Progress("mst: selecting the tree", 1, 3);
    std::vector<Clique> edges = {{0, 1}};
    if (num_columns > 2) {
      SYNTHSCALE_ASSIGN_OR_RETURN(edges, SelectTree(state, measurements, select_share));
    }
    ctx.Progress("mst: measuring 2-way marginals", 2, 3);
    for (const Clique& edge : edges) {
      SYNTHSCALE_ASSIGN_OR_RETURN(Measurement measurement,
                                  Measure(state, edge, two_way_share / static_cast<double>(edges.size())));
      measurements.push_back(std::move(measurement));
      cliques.push_back(edge);
    }
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(GraphicalModel model, EstimateModel(cliques, measurements, nullptr, ctx));
  Keep(std::move(model));
  ctx.Progress("mst", 3, 3);
  return Status::Ok();
}

}  // namespace synthscale
