// JunctionTree: the tree of cliques that graphical-model inference runs on.
//
// From the measured cliques we build the interaction graph (attributes adjacent when they
// share a clique; every attribute of the domain is a node, so an attribute no clique
// mentions becomes a singleton clique), triangulate it by greedy elimination, keep the
// maximal elimination cliques and join them by a maximum spanning tree on separator size.
// This is the construction of Private-PGM (McKenna et al., ICML 2019, Section 4; mbi's
// junction_tree.py) with its greedy "min-cost" order: eliminate next the attribute whose
// elimination clique (itself and its remaining neighbours) has the fewest cells. Ties are
// broken by the lowest attribute index, and the spanning tree (Prim's algorithm from clique
// 0) by the lowest clique index, so the same cliques always give the same tree.
//
// Thread safety: plain values; the functions are pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "synthscale/core/status.h"
#include "synthscale/marginal/domain.h"

namespace synthscale {

// Most attributes a model may have: elimination keeps an attributes x attributes adjacency
// matrix (16 MiB here) and takes cubic time in the attribute count.
inline constexpr std::size_t kMaxModelAttributes = 4096;

struct JunctionTree {
  static constexpr std::uint32_t kNoParent = std::numeric_limits<std::uint32_t>::max();

  // Maximal cliques of the triangulated graph, in elimination order. Together they cover
  // every attribute of the domain, and every input clique is a subset of at least one.
  std::vector<Clique> cliques;
  // parent[clique_idx]: the neighbour towards the root (clique 0); kNoParent for the root.
  std::vector<std::uint32_t> parent;
  // separator[clique_idx] = cliques[clique_idx] ∩ cliques[parent]; empty for the root.
  std::vector<Clique> separator;
  // children[clique_idx], ascending.
  std::vector<std::vector<std::uint32_t>> children;
  // Every clique index once, root first, each clique after its parent (Prim's order).
  std::vector<std::uint32_t> order;
};

// Build the junction tree of `cliques` over `domain`.
// Errors: kInvalidArgument when the domain has no attributes, more than kMaxModelAttributes,
// or an attribute of size 0, or
// a clique is not valid (unsorted, repeated or out-of-range index). The result's cliques may
// have more cells than any cap: use JunctionTreeCells to check before allocating factors.
Result<JunctionTree> BuildJunctionTree(const Domain& domain, const std::vector<Clique>& cliques);

// Total cells of the junction tree's cliques (what a GraphicalModel over `cliques` stores per
// factor table), computed without allocating any factor. Saturates at UINT64_MAX when the
// sum or a clique's cell count does not fit, so any cap refuses such a model.
// Errors: as BuildJunctionTree.
Result<std::uint64_t> JunctionTreeCells(const Domain& domain, const std::vector<Clique>& cliques);

// Cells of `clique` (product of sizes), saturating at UINT64_MAX.
std::uint64_t SaturatingCellCount(const Domain& domain, const Clique& clique);

}  // namespace synthscale
