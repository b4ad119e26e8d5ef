#include "synthscale/pgm/graphical_model.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <string>
#include <utility>

#include "synthscale/pgm/belief_propagation.h"

namespace synthscale {
namespace {

// Largest factor variable elimination may build in Marginal: 2^28 doubles = 2 GiB.
constexpr std::uint64_t kMaxEliminationCells = std::uint64_t{1} << 28;

// Log-probabilities below this become this value in WarmStartFrom, so potentials stay finite
// (exp(-1e4) is 0 in double precision anyway).
constexpr double kLogFloor = -1.0e4;

Clique Union(const Clique& first, const Clique& second) {
  Clique result;
  std::set_union(first.begin(), first.end(), second.begin(), second.end(), std::back_inserter(result));
  return result;
}

}  // namespace

Result<GraphicalModel> GraphicalModel::Create(const Domain& domain, const std::vector<Clique>& cliques,
                                              std::uint64_t max_cells) {
  SYNTHSCALE_ASSIGN_OR_RETURN(JunctionTree tree, BuildJunctionTree(domain, cliques));
  std::uint64_t total_cells = 0;
  std::size_t largest_idx = 0;
  std::uint64_t largest_cells = 0;
  for (std::size_t clique_idx = 0; clique_idx < tree.cliques.size(); ++clique_idx) {
    const std::uint64_t cells = SaturatingCellCount(domain, tree.cliques[clique_idx]);
    total_cells = cells > std::numeric_limits<std::uint64_t>::max() - total_cells
                      ? std::numeric_limits<std::uint64_t>::max()
                      : total_cells + cells;
    if (cells > largest_cells) {
      largest_cells = cells;
      largest_idx = clique_idx;
    }
  }
  if (total_cells > max_cells) {
    const std::string size_text = total_cells == std::numeric_limits<std::uint64_t>::max()
                                      ? std::string("more than 2^64")
                                      : std::to_string(total_cells);
    return InvalidArgument("graphical model would need " + size_text +
                           " cells in its junction tree (largest clique " +
                           domain.Describe(tree.cliques[largest_idx]) + " with " +
                           (largest_cells == std::numeric_limits<std::uint64_t>::max() ? std::string("more than 2^64")
                                                                                          : std::to_string(largest_cells)) +
                           " cells), more than the cap max_cells = " + std::to_string(max_cells));
  }

  GraphicalModel model;
  model.domain_ = domain;
  model.cliques_ = cliques;
  model.tree_ = std::move(tree);
  model.potentials_.reserve(model.tree_.cliques.size());
  for (const Clique& clique : model.tree_.cliques) {
    SYNTHSCALE_ASSIGN_OR_RETURN(Factor potential, Factor::Create(domain, clique, 0.0));
    model.potentials_.push_back(std::move(potential));
  }
  SYNTHSCALE_RETURN_IF_ERROR(model.Refresh());
  return model;
}

std::uint64_t GraphicalModel::num_cells() const {
  std::uint64_t cells = 0;
  for (const Factor& potential : potentials_) cells += potential.num_cells();
  return cells;
}

Status GraphicalModel::Refresh() {
  SYNTHSCALE_ASSIGN_OR_RETURN(CalibratedBeliefs calibrated, Calibrate(tree_, potentials_));
  SYNTHSCALE_ASSIGN_OR_RETURN(ModelSampler sampler,
                              ModelSampler::Build(tree_, calibrated.beliefs, domain_.num_attributes()));
  beliefs_ = std::move(calibrated.beliefs);
  sampler_ = std::move(sampler);
  return Status::Ok();
}

Status GraphicalModel::SetParameters(std::vector<Factor> potentials, double total) {
  if (!std::isfinite(total) || total <= 0.0) {
    return InvalidArgument("model total must be finite and > 0, got " + std::to_string(total));
  }
  if (potentials.size() != tree_.cliques.size()) {
    return InvalidArgument("model needs one potential per tree clique (" + std::to_string(tree_.cliques.size()) +
                           "), got " + std::to_string(potentials.size()));
  }
  for (std::size_t clique_idx = 0; clique_idx < potentials.size(); ++clique_idx) {
    const Factor& potential = potentials[clique_idx];
    if (potential.clique() != tree_.cliques[clique_idx] ||
        potential.sizes() != potentials_[clique_idx].sizes()) {
      return InvalidArgument("potential " + std::to_string(clique_idx) + " must be over tree clique " +
                             domain_.Describe(tree_.cliques[clique_idx]));
    }
    for (double value : potential.values()) {
      if (!std::isfinite(value)) {
        return InvalidArgument("potential over " + domain_.Describe(tree_.cliques[clique_idx]) +
                               " has a non-finite value " + std::to_string(value));
      }
    }
  }
  std::vector<Factor> previous = std::move(potentials_);
  potentials_ = std::move(potentials);
  const Status refreshed = Refresh();
  if (!refreshed.ok()) {
    potentials_ = std::move(previous);
    return refreshed;
  }
  total_ = total;
  return Status::Ok();
}

Status GraphicalModel::WarmStartFrom(const GraphicalModel& old) {
  if (old.domain_.sizes() != domain_.sizes()) {
    return InvalidArgument("cannot warm-start a model from one over a different domain (" +
                           std::to_string(old.domain_.num_attributes()) + " attributes vs " +
                           std::to_string(domain_.num_attributes()) + ", or different sizes)");
  }
  std::vector<Factor> potentials;
  potentials.reserve(tree_.cliques.size());
  for (std::size_t clique_idx = 0; clique_idx < tree_.cliques.size(); ++clique_idx) {
    SYNTHSCALE_ASSIGN_OR_RETURN(Factor potential, old.LogMarginal(tree_.cliques[clique_idx]));
    for (double& value : potential.mutable_values()) value = std::max(value, kLogFloor);
    if (tree_.parent[clique_idx] != JunctionTree::kNoParent) {
      SYNTHSCALE_ASSIGN_OR_RETURN(Factor separator, potential.LogSumExp(tree_.separator[clique_idx]));
      SYNTHSCALE_RETURN_IF_ERROR(potential.Subtract(separator));
    }
    potentials.push_back(std::move(potential));
  }
  return SetParameters(std::move(potentials), old.total_);
}

Result<std::vector<double>> GraphicalModel::Marginal(const Clique& clique) const {
  SYNTHSCALE_ASSIGN_OR_RETURN(Factor log_marginal, LogMarginal(clique));
  return log_marginal.Exp(total_);
}

Result<Factor> GraphicalModel::LogMarginal(const Clique& clique) const {
  if (!IsValidClique(clique, domain_.num_attributes())) {
    std::string text;
    for (std::uint32_t attribute : clique) text += (text.empty() ? "" : ", ") + std::to_string(attribute);
    return InvalidArgument("marginal clique [" + text +
                           "] must list distinct attribute indices in ascending order, each below " +
                           std::to_string(domain_.num_attributes()));
  }
  // The empty clique's one cell holds everything: exactly log 1.
  if (clique.empty()) return Factor();
  const std::size_t num_cliques = tree_.cliques.size();

  // Contained in a tree clique: marginalise the smallest such belief.
  std::size_t best_idx = num_cliques;
  for (std::size_t clique_idx = 0; clique_idx < num_cliques; ++clique_idx) {
    if (!IsSubset(clique, tree_.cliques[clique_idx])) continue;
    if (best_idx == num_cliques || beliefs_[clique_idx].num_cells() < beliefs_[best_idx].num_cells()) {
      best_idx = clique_idx;
    }
  }
  if (best_idx != num_cliques) return beliefs_[best_idx].LogSumExp(clique);

  // Otherwise eliminate over the smallest subtree covering the clique. On a connected
  // subtree rooted at `top`, p(x) = belief_top * prod_{c != top} belief_c / belief_c(separator).
  std::vector<std::uint8_t> holds(num_cliques, 0);
  for (std::uint32_t attribute : clique) {
    for (std::size_t clique_idx = 0; clique_idx < num_cliques; ++clique_idx) {
      if (std::binary_search(tree_.cliques[clique_idx].begin(), tree_.cliques[clique_idx].end(), attribute)) {
        holds[clique_idx] = 1;
        break;
      }
    }
  }
  std::vector<std::uint8_t> keep(num_cliques, 0);
  for (std::uint32_t clique_idx = 0; clique_idx < num_cliques; ++clique_idx) {
    if (!holds[clique_idx]) continue;
    for (std::uint32_t node = clique_idx; node != JunctionTree::kNoParent && !keep[node]; node = tree_.parent[node]) {
      keep[node] = 1;
    }
  }
  std::uint32_t top = tree_.order[0];
  while (!holds[top]) {
    std::uint32_t kept_child = JunctionTree::kNoParent;
    std::size_t kept_children = 0;
    for (std::uint32_t child : tree_.children[top]) {
      if (keep[child]) {
        kept_child = child;
        ++kept_children;
      }
    }
    if (kept_children != 1) break;
    keep[top] = 0;
    top = kept_child;
  }

  // The subtree's distribution as factors: p(x) = belief_top * prod_{c != top} belief_c /
  // belief_c(separator). Eliminate every other attribute greedily, each time the one whose
  // factors multiply into the fewest cells (ties: lowest index), as Private-PGM's
  // variable elimination does; the product of a whole clique with the target is never formed.
  std::vector<Factor> factors;
  for (std::uint32_t node = 0; node < num_cliques; ++node) {
    if (!keep[node]) continue;
    Factor factor = beliefs_[node];
    if (node != top) {
      SYNTHSCALE_ASSIGN_OR_RETURN(Factor separator, beliefs_[node].LogSumExp(tree_.separator[node]));
      SYNTHSCALE_RETURN_IF_ERROR(factor.Subtract(separator));
    }
    factors.push_back(std::move(factor));
  }
  // Multiply `group` into one factor over the union of their cliques.
  const auto multiply = [&](std::vector<Factor> group) -> Result<Factor> {
    Clique scope;
    for (const Factor& factor : group) scope = Union(scope, factor.clique());
    if (SaturatingCellCount(domain_, scope) > kMaxEliminationCells) {
      return InvalidArgument("marginal on " + domain_.Describe(clique) + " would need a factor over " +
                             domain_.Describe(scope) + " with more than 2^28 cells");
    }
    SYNTHSCALE_ASSIGN_OR_RETURN(Factor product, Factor::Create(domain_, scope, 0.0));
    for (const Factor& factor : group) SYNTHSCALE_RETURN_IF_ERROR(product.Add(factor));
    return product;
  };
  while (true) {
    // Candidates: attributes in some factor but not in the target.
    std::uint32_t best_attribute = 0;
    std::uint64_t best_cells = 0;
    bool found = false;
    Clique all;
    for (const Factor& factor : factors) all = Union(all, factor.clique());
    for (std::uint32_t attribute : all) {
      if (std::binary_search(clique.begin(), clique.end(), attribute)) continue;
      Clique scope;
      for (const Factor& factor : factors) {
        if (std::binary_search(factor.clique().begin(), factor.clique().end(), attribute)) {
          scope = Union(scope, factor.clique());
        }
      }
      const std::uint64_t cells = SaturatingCellCount(domain_, scope);
      if (!found || cells < best_cells) {
        found = true;
        best_cells = cells;
        best_attribute = attribute;
      }
    }
    if (!found) break;
    std::vector<Factor> group;
    std::vector<Factor> rest;
    for (Factor& factor : factors) {
      const bool has = std::binary_search(factor.clique().begin(), factor.clique().end(), best_attribute);
      (has ? group : rest).push_back(std::move(factor));
    }
    SYNTHSCALE_ASSIGN_OR_RETURN(Factor product, multiply(std::move(group)));
    Clique remaining;
    for (std::uint32_t attribute : product.clique()) {
      if (attribute != best_attribute) remaining.push_back(attribute);
    }
    SYNTHSCALE_ASSIGN_OR_RETURN(Factor summed, product.LogSumExp(remaining));
    rest.push_back(std::move(summed));
    factors = std::move(rest);
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(Factor joint, multiply(std::move(factors)));
  if (joint.clique() != clique) return Internal("variable elimination for " + domain_.Describe(clique) + " lost an attribute");
  // Rounding in the products: renormalise so the marginal log-sums to exactly 0.
  joint.Normalize();
  return joint;
}

}  // namespace synthscale
