#include "synthscale/pgm/junction_tree.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

namespace synthscale {
namespace {

Domain SizedDomain(const std::vector<std::uint32_t>& sizes) {
  std::vector<std::string> names;
  for (std::size_t attribute = 0; attribute < sizes.size(); ++attribute) names.push_back("x" + std::to_string(attribute));
  return Domain(names, sizes);
}

// The junction-tree properties: a spanning tree in which every input clique is inside a
// tree clique and the cliques holding any one attribute form a connected subtree.
void ExpectValidTree(const Domain& domain, const std::vector<Clique>& input, const JunctionTree& tree) {
  const std::size_t num_cliques = tree.cliques.size();
  ASSERT_EQ(tree.parent.size(), num_cliques);
  ASSERT_EQ(tree.order.size(), num_cliques);
  ASSERT_EQ(tree.parent[tree.order[0]], JunctionTree::kNoParent);
  std::vector<bool> seen(num_cliques, false);
  for (std::uint32_t clique_idx : tree.order) {
    if (tree.parent[clique_idx] != JunctionTree::kNoParent) {
      EXPECT_TRUE(seen[tree.parent[clique_idx]]) << "parent after child";
      Clique separator;
      std::set_intersection(tree.cliques[clique_idx].begin(), tree.cliques[clique_idx].end(),
                            tree.cliques[tree.parent[clique_idx]].begin(), tree.cliques[tree.parent[clique_idx]].end(),
                            std::back_inserter(separator));
      EXPECT_EQ(tree.separator[clique_idx], separator);
    }
    seen[clique_idx] = true;
  }
  for (const Clique& clique : input) {
    EXPECT_TRUE(std::any_of(tree.cliques.begin(), tree.cliques.end(),
                            [&](const Clique& tree_clique) { return IsSubset(clique, tree_clique); }));
  }
  for (std::uint32_t attribute = 0; attribute < domain.num_attributes(); ++attribute) {
    std::size_t holders = 0;
    std::size_t linked = 0;
    for (std::size_t clique_idx = 0; clique_idx < num_cliques; ++clique_idx) {
      const Clique& clique = tree.cliques[clique_idx];
      if (!std::binary_search(clique.begin(), clique.end(), attribute)) continue;
      ++holders;
      const std::uint32_t parent = tree.parent[clique_idx];
      if (parent != JunctionTree::kNoParent &&
          std::binary_search(tree.cliques[parent].begin(), tree.cliques[parent].end(), attribute)) {
        ++linked;
      }
    }
    EXPECT_GE(holders, 1u) << "attribute " << attribute << " in no clique";
    EXPECT_EQ(linked + 1, holders) << "attribute " << attribute << " breaks running intersection";
  }
}

TEST(JunctionTree, ChainKeepsItsCliques) {
  const Domain domain = SizedDomain({2, 3, 4, 5});
  const std::vector<Clique> cliques = {{0, 1}, {1, 2}, {2, 3}};
  const JunctionTree tree = BuildJunctionTree(domain, cliques).value();
  ExpectValidTree(domain, cliques, tree);
  std::vector<Clique> sorted = tree.cliques;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, cliques);
}

TEST(JunctionTree, CycleIsTriangulated) {
  const Domain domain = SizedDomain({2, 3, 4, 2});
  const std::vector<Clique> cliques = {{0, 1}, {1, 2}, {2, 3}, {0, 3}};
  const JunctionTree tree = BuildJunctionTree(domain, cliques).value();
  ExpectValidTree(domain, cliques, tree);
  ASSERT_EQ(tree.cliques.size(), 2u);
  EXPECT_EQ(tree.cliques[0].size(), 3u);
  EXPECT_EQ(tree.cliques[1].size(), 3u);
  // Min-cost eliminates a size-2 attribute first: 0 (cost 2*3*2 = 12) before 3 (2*4*2 = 16).
  EXPECT_EQ(tree.cliques[0], (Clique{0, 1, 3}));
}

TEST(JunctionTree, UncoveredAttributesBecomeSingletons) {
  const Domain domain = SizedDomain({2, 3, 4});
  const JunctionTree tree = BuildJunctionTree(domain, {{0, 2}}).value();
  ExpectValidTree(domain, {{0, 2}}, tree);
  EXPECT_NE(std::find(tree.cliques.begin(), tree.cliques.end(), Clique{1}), tree.cliques.end());
  const JunctionTree empty = BuildJunctionTree(domain, {}).value();
  EXPECT_EQ(empty.cliques.size(), 3u);
  ExpectValidTree(domain, {}, empty);
}

TEST(JunctionTree, SameInputSameTree) {
  const Domain domain = SizedDomain({3, 3, 3, 3, 3, 3, 3});
  const std::vector<Clique> cliques = {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {0, 6}, {2, 5}, {1, 4}};
  const JunctionTree first = BuildJunctionTree(domain, cliques).value();
  const JunctionTree second = BuildJunctionTree(domain, cliques).value();
  ExpectValidTree(domain, cliques, first);
  EXPECT_EQ(first.cliques, second.cliques);
  EXPECT_EQ(first.parent, second.parent);
  EXPECT_EQ(first.order, second.order);
}

TEST(JunctionTree, CellsMatchTreeWithoutBuildingFactors) {
  const Domain domain = SizedDomain({2, 3, 4, 2, 5});
  const std::vector<Clique> cliques = {{0, 1}, {1, 2}, {2, 3}, {0, 3}, {3, 4}};
  const JunctionTree tree = BuildJunctionTree(domain, cliques).value();
  std::uint64_t expected = 0;
  for (const Clique& clique : tree.cliques) expected += domain.CellCount(clique).value();
  EXPECT_EQ(JunctionTreeCells(domain, cliques).value(), expected);
  // {0,1,3} (12) + {1,2,3} (24) + {3,4} (10).
  EXPECT_EQ(expected, 46u);
}

TEST(JunctionTree, CellsSaturateInsteadOfOverflowing) {
  const Domain domain = SizedDomain({1u << 31, 1u << 31, 1u << 31});
  EXPECT_EQ(JunctionTreeCells(domain, {{0, 1, 2}}).value(), std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(JunctionTreeCells(domain, {{0, 1}}).value(), (std::uint64_t{1} << 62) + (std::uint64_t{1} << 31));
}

TEST(JunctionTree, RejectsBadInput) {
  const Domain domain = SizedDomain({2, 3});
  Result<JunctionTree> unsorted = BuildJunctionTree(domain, {{1, 0}});
  ASSERT_FALSE(unsorted.ok());
  EXPECT_EQ(unsorted.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(unsorted.status().message().find("clique 0 [1, 0]"), std::string::npos);
  Result<std::uint64_t> out_of_range = JunctionTreeCells(domain, {{0}, {0, 2}});
  ASSERT_FALSE(out_of_range.ok());
  EXPECT_NE(out_of_range.status().message().find("each below 2"), std::string::npos);
  Result<JunctionTree> empty = BuildJunctionTree(Domain(), {});
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("at least one attribute"), std::string::npos);
  Result<JunctionTree> zero_size = BuildJunctionTree(SizedDomain({2, 0}), {});
  ASSERT_FALSE(zero_size.ok());
  EXPECT_NE(zero_size.status().message().find("got size 0"), std::string::npos);
}

}  // namespace
}  // namespace synthscale
