#include "synthscale/pgm/junction_tree.h"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <string>

namespace synthscale {
namespace {

constexpr std::uint64_t kSaturated = std::numeric_limits<std::uint64_t>::max();

std::uint64_t SaturatingMultiply(std::uint64_t lhs, std::uint64_t rhs) {
  if (lhs != 0 && rhs > kSaturated / lhs) return kSaturated;
  return lhs * rhs;
}

std::uint64_t SaturatingAdd(std::uint64_t lhs, std::uint64_t rhs) {
  return rhs > kSaturated - lhs ? kSaturated : lhs + rhs;
}

Status CheckInputs(const Domain& domain, const std::vector<Clique>& cliques) {
  if (domain.num_attributes() == 0) return InvalidArgument("a graphical model needs at least one attribute");
  if (domain.num_attributes() > kMaxModelAttributes) {
    return InvalidArgument("a graphical model supports at most " + std::to_string(kMaxModelAttributes) +
                           " attributes, got " + std::to_string(domain.num_attributes()));
  }
  for (std::uint32_t attribute = 0; attribute < domain.num_attributes(); ++attribute) {
    if (domain.size(attribute) == 0) {
      return InvalidArgument("attribute '" + domain.name(attribute) + "' must have at least one value, got size 0");
    }
  }
  for (std::size_t clique_idx = 0; clique_idx < cliques.size(); ++clique_idx) {
    if (!IsValidClique(cliques[clique_idx], domain.num_attributes())) {
      std::string text;
      for (std::uint32_t attribute : cliques[clique_idx]) text += (text.empty() ? "" : ", ") + std::to_string(attribute);
      return InvalidArgument("clique " + std::to_string(clique_idx) + " [" + text +
                             "] must list distinct attribute indices in ascending order, each below " +
                             std::to_string(domain.num_attributes()));
    }
  }
  return Status::Ok();
}

// Greedy min-cost elimination; returns the elimination clique of each attribute in order.
std::vector<Clique> EliminationCliques(const Domain& domain, const std::vector<Clique>& cliques) {
  const std::size_t num_attributes = domain.num_attributes();
  std::vector<std::uint8_t> adjacent(num_attributes * num_attributes, 0);
  for (const Clique& clique : cliques) {
    for (std::uint32_t first : clique) {
      for (std::uint32_t second : clique) {
        if (first != second) adjacent[first * num_attributes + second] = 1;
      }
    }
  }
  std::vector<std::uint8_t> eliminated(num_attributes, 0);
  std::vector<Clique> result;
  result.reserve(num_attributes);
  for (std::size_t step = 0; step < num_attributes; ++step) {
    std::uint32_t best_attribute = 0;
    std::uint64_t best_cost = kSaturated;
    bool found = false;
    for (std::uint32_t attribute = 0; attribute < num_attributes; ++attribute) {
      if (eliminated[attribute]) continue;
      std::uint64_t cost = domain.size(attribute);
      const std::uint8_t* row = &adjacent[attribute * num_attributes];
      for (std::uint32_t other = 0; other < num_attributes; ++other) {
        if (row[other] && !eliminated[other]) cost = SaturatingMultiply(cost, domain.size(other));
      }
      if (!found || cost < best_cost) {
        found = true;
        best_cost = cost;
        best_attribute = attribute;
      }
    }
    Clique clique;
    const std::uint8_t* row = &adjacent[best_attribute * num_attributes];
    for (std::uint32_t other = 0; other < num_attributes; ++other) {
      if (other == best_attribute || (row[other] && !eliminated[other])) clique.push_back(other);
    }
    // Connect the remaining neighbours (fill edges), then remove the attribute.
    for (std::uint32_t first : clique) {
      for (std::uint32_t second : clique) {
        if (first != second) adjacent[first * num_attributes + second] = 1;
      }
    }
    eliminated[best_attribute] = 1;
    result.push_back(std::move(clique));
  }
  return result;
}

// Elimination cliques that are not a subset of another (the first of equal ones kept).
std::vector<Clique> MaximalCliques(const std::vector<Clique>& candidates) {
  std::vector<Clique> maximal;
  for (std::size_t candidate_idx = 0; candidate_idx < candidates.size(); ++candidate_idx) {
    const Clique& candidate = candidates[candidate_idx];
    bool dominated = false;
    for (std::size_t other_idx = 0; other_idx < candidates.size() && !dominated; ++other_idx) {
      if (other_idx == candidate_idx) continue;
      const Clique& other = candidates[other_idx];
      if (other.size() < candidate.size() || !IsSubset(candidate, other)) continue;
      dominated = other.size() > candidate.size() || other_idx < candidate_idx;
    }
    if (!dominated) maximal.push_back(candidate);
  }
  return maximal;
}

std::size_t IntersectionSize(const Clique& first, const Clique& second) {
  std::size_t count = 0;
  auto first_it = first.begin();
  auto second_it = second.begin();
  while (first_it != first.end() && second_it != second.end()) {
    if (*first_it < *second_it) {
      ++first_it;
    } else if (*second_it < *first_it) {
      ++second_it;
    } else {
      ++count;
      ++first_it;
      ++second_it;
    }
  }
  return count;
}

// Prim's maximum spanning tree on separator sizes, from clique 0.
void ConnectTree(JunctionTree& tree) {
  const std::size_t num_cliques = tree.cliques.size();
  tree.parent.assign(num_cliques, JunctionTree::kNoParent);
  tree.separator.assign(num_cliques, Clique{});
  tree.children.assign(num_cliques, {});
  tree.order.clear();
  std::vector<std::uint8_t> in_tree(num_cliques, 0);
  std::vector<std::size_t> best_weight(num_cliques, 0);
  std::vector<std::uint32_t> best_link(num_cliques, JunctionTree::kNoParent);
  std::uint32_t next = 0;
  for (std::size_t step = 0; step < num_cliques; ++step) {
    in_tree[next] = 1;
    tree.order.push_back(next);
    if (best_link[next] != JunctionTree::kNoParent) {
      tree.parent[next] = best_link[next];
      tree.children[best_link[next]].push_back(next);
      std::set_intersection(tree.cliques[next].begin(), tree.cliques[next].end(),
                            tree.cliques[best_link[next]].begin(), tree.cliques[best_link[next]].end(),
                            std::back_inserter(tree.separator[next]));
    }
    const std::uint32_t added = next;
    bool have_next = false;
    for (std::uint32_t clique_idx = 0; clique_idx < num_cliques; ++clique_idx) {
      if (in_tree[clique_idx]) continue;
      const std::size_t weight = IntersectionSize(tree.cliques[added], tree.cliques[clique_idx]);
      if (best_link[clique_idx] == JunctionTree::kNoParent || weight > best_weight[clique_idx]) {
        best_weight[clique_idx] = weight;
        best_link[clique_idx] = added;
      }
      if (!have_next || best_weight[clique_idx] > best_weight[next]) {
        next = clique_idx;
        have_next = true;
      }
    }
  }
  for (auto& children : tree.children) std::sort(children.begin(), children.end());
}

}  // namespace

std::uint64_t SaturatingCellCount(const Domain& domain, const Clique& clique) {
  std::uint64_t cells = 1;
  for (std::uint32_t attribute : clique) cells = SaturatingMultiply(cells, domain.size(attribute));
  return cells;
}

Result<JunctionTree> BuildJunctionTree(const Domain& domain, const std::vector<Clique>& cliques) {
  SYNTHSCALE_RETURN_IF_ERROR(CheckInputs(domain, cliques));
  JunctionTree tree;
  tree.cliques = MaximalCliques(EliminationCliques(domain, cliques));
  ConnectTree(tree);
  return tree;
}

Result<std::uint64_t> JunctionTreeCells(const Domain& domain, const std::vector<Clique>& cliques) {
  SYNTHSCALE_RETURN_IF_ERROR(CheckInputs(domain, cliques));
  std::uint64_t total = 0;
  for (const Clique& clique : MaximalCliques(EliminationCliques(domain, cliques))) {
    total = SaturatingAdd(total, SaturatingCellCount(domain, clique));
  }
  return total;
}

}  // namespace synthscale
