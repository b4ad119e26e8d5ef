#include "synthscale/text/near_duplicates.h"

#include <vector>

#include <gtest/gtest.h>

#include "synthscale/text/minhash.h"

namespace synthscale::text {
namespace {

TEST(DisjointSets, ClustersSortedByFirstMember) {
  DisjointSets sets(8);
  sets.Union(7, 2);
  sets.Union(5, 6);
  sets.Union(6, 1);
  sets.Union(2, 2);
  EXPECT_EQ(sets.Clusters(), (std::vector<std::vector<std::uint32_t>>{{1, 5, 6}, {2, 7}}));
}

std::vector<std::uint32_t> Signatures(const std::vector<std::vector<std::uint64_t>>& docs, const MinHasher& hasher) {
  std::vector<std::uint32_t> signatures(docs.size() * hasher.permutations());
  for (std::size_t doc = 0; doc < docs.size(); ++doc) {
    EXPECT_TRUE(hasher.Sign(docs[doc], 5, std::span<std::uint32_t>(signatures.data() + doc * hasher.permutations(),
                                                                    hasher.permutations())));
  }
  return signatures;
}

TEST(LshCandidates, FindsNearCopiesNotStrangersAndIgnoresThreadCount) {
  std::vector<std::vector<std::uint64_t>> docs;
  for (std::uint64_t base = 0; base < 30; ++base) {
    std::vector<std::uint64_t> words;
    for (std::uint64_t idx = 0; idx < 200; ++idx) words.push_back(base * 1000 + idx);
    docs.push_back(words);
    words[100] = 999999;  // one word changed: 5 of 196 shingles differ
    docs.push_back(words);
  }
  const MinHasher hasher(120, 3);
  const std::vector<std::uint32_t> signatures = Signatures(docs, hasher);
  std::vector<std::uint32_t> all(docs.size());
  for (std::uint32_t doc = 0; doc < all.size(); ++doc) all[doc] = doc;
  ThreadPool one(1), four(4);
  Result<LshCandidates> serial = FindLshCandidates(signatures, all, 20, 6, 0.8, one);
  Result<LshCandidates> parallel = FindLshCandidates(signatures, all, 20, 6, 0.8, four);
  ASSERT_TRUE(serial.ok() && parallel.ok());
  EXPECT_EQ(serial->pairs, parallel->pairs);
  EXPECT_EQ(serial->comparisons, parallel->comparisons);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> expected;
  for (std::uint32_t doc = 0; doc < docs.size(); doc += 2) expected.emplace_back(doc, doc + 1);
  EXPECT_EQ(serial->pairs, expected);
}

TEST(LshCandidates, BigBucketsAreComparedThroughAWindow) {
  // 100 identical documents: one bucket per band; each member meets its 32 predecessors.
  std::vector<std::vector<std::uint64_t>> docs(100, std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6});
  const MinHasher hasher(12, 0);
  const std::vector<std::uint32_t> signatures = Signatures(docs, hasher);
  std::vector<std::uint32_t> all(docs.size());
  for (std::uint32_t doc = 0; doc < all.size(); ++doc) all[doc] = doc;
  ThreadPool pool(2);
  Result<LshCandidates> candidates = FindLshCandidates(signatures, all, 3, 4, 0.8, pool);
  ASSERT_TRUE(candidates.ok());
  EXPECT_EQ(candidates->windowed_members, 3u * (100 - 1 - kBucketWindow));
  DisjointSets sets(docs.size());
  for (const auto& [a, b] : candidates->pairs) sets.Union(a, b);
  ASSERT_EQ(sets.Clusters().size(), 1u);
  EXPECT_EQ(sets.Clusters()[0].size(), 100u);
}

}  // namespace
}  // namespace synthscale::text
