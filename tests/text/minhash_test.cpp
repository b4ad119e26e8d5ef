#include "synthscale/text/minhash.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "synthscale/core/random_stream.h"
#include "synthscale/text/hash.h"
#include "synthscale/text/near_duplicates.h"

namespace synthscale::text {
namespace {

TEST(MinHash, SameWordsSameSignatureAndSeedMatters) {
  const std::vector<std::uint64_t> words = {11, 22, 33, 44, 55, 66, 77};
  const MinHasher hasher(120, 0);
  std::vector<std::uint32_t> a(120), b(120), c(120);
  ASSERT_TRUE(hasher.Sign(words, 5, a));
  ASSERT_TRUE(MinHasher(120, 0).Sign(words, 5, b));
  ASSERT_TRUE(MinHasher(120, 1).Sign(words, 5, c));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_DOUBLE_EQ(EstimatedJaccard(a, b), 1.0);
  EXPECT_FALSE(hasher.Sign({}, 5, a));
}

// Whichever kernel this CPU runs (AVX2 or portable) gives the documented formula:
// min over shingles of (a_j * x + b_j) mod 2^64 >> 32.
TEST(MinHash, SignatureIsTheDocumentedFormula) {
  std::vector<std::uint64_t> words;
  for (std::uint64_t idx = 0; idx < 300; ++idx) words.push_back(idx * 0x9E3779B97F4A7C15ull);
  const MinHasher hasher(120, 42);
  std::vector<std::uint32_t> signature(120);
  ASSERT_TRUE(hasher.Sign(words, 5, signature));
  for (std::uint32_t perm = 0; perm < 120; ++perm) {
    RandomStream stream(42, "text.minhash", perm);
    const std::uint64_t a = stream.NextU64() | 1u;
    const std::uint64_t b = stream.NextU64();
    std::uint32_t expected = 0xFFFFFFFFu;
    for (std::size_t start = 0; start + 5 <= words.size(); ++start) {
      const std::uint64_t x = text_internal::Hash64(words.data() + start, 5 * sizeof(std::uint64_t),
                                                    text_internal::kShingleSeed);
      expected = std::min(expected, static_cast<std::uint32_t>((a * x + b) >> 32));
    }
    EXPECT_EQ(signature[perm], expected) << "permutation " << perm;
  }
}

TEST(MinHash, ShortDocumentIsOneShingle) {
  std::vector<std::uint64_t> shingles;
  ShingleSet(std::vector<std::uint64_t>{1, 2, 3}, 5, shingles);
  EXPECT_EQ(shingles.size(), 1u);
  ShingleSet(std::vector<std::uint64_t>{1, 2, 3, 1, 2, 3, 1}, 3, shingles);
  EXPECT_EQ(shingles.size(), 3u);  // 123 231 312, repeats dropped
}

TEST(MinHash, ExactJaccardOfSortedSets) {
  const std::vector<std::uint64_t> a = {1, 2, 3, 4};
  const std::vector<std::uint64_t> b = {3, 4, 5};
  EXPECT_DOUBLE_EQ(ExactJaccard(a, b), 2.0 / 5.0);
  EXPECT_DOUBLE_EQ(ExactJaccard({}, {}), 1.0);
  EXPECT_DOUBLE_EQ(ExactJaccard(a, {}), 0.0);
}

TEST(MinHash, CandidateProbabilityIsTheSCurve) {
  // 1 - (1 - 0.8^6)^20, computed by hand: 0.8^6 = 0.262144; 0.737856^20 = 0.0023...
  EXPECT_NEAR(CandidateProbability(0.8, 20, 6), 1.0 - std::pow(1.0 - 0.262144, 20), 1e-12);
  EXPECT_NEAR(CandidateProbability(0.8, 20, 6), 0.99771, 1e-4);
  EXPECT_DOUBLE_EQ(CandidateProbability(1.0, 20, 6), 1.0);
  EXPECT_DOUBLE_EQ(CandidateProbability(0.0, 20, 6), 0.0);
}

// Pairs of documents whose single-word shingle sets have Jaccard exactly `similarity`:
// 100 distinct words in each set, 100 * J / (1 + J) ... built as U + X and U + Y with
// |U| = u and |X| = |Y| = d, J = u / (u + 2d), u + 2d = 100.
std::vector<std::uint32_t> PairSignatures(const MinHasher& hasher, double similarity, std::size_t pairs,
                                          std::uint64_t seed) {
  const auto shared = static_cast<std::size_t>(std::lround(100 * similarity));
  const std::size_t own = (100 - shared) / 2;
  std::vector<std::uint32_t> signatures(2 * pairs * hasher.permutations());
  RandomStream stream(seed, "test.minhash.pairs", 0);
  for (std::size_t pair = 0; pair < pairs; ++pair) {
    std::vector<std::uint64_t> a, b;
    for (std::size_t idx = 0; idx < shared; ++idx) {
      const std::uint64_t word = stream.NextU64();
      a.push_back(word);
      b.push_back(word);
    }
    for (std::size_t idx = 0; idx < own; ++idx) {
      a.push_back(stream.NextU64());
      b.push_back(stream.NextU64());
    }
    const std::size_t width = hasher.permutations();
    EXPECT_TRUE(hasher.Sign(a, 1, std::span<std::uint32_t>(signatures.data() + 2 * pair * width, width)));
    EXPECT_TRUE(hasher.Sign(b, 1, std::span<std::uint32_t>(signatures.data() + (2 * pair + 1) * width, width)));
  }
  return signatures;
}

// The measured check of the S-curve: the share of pairs at Jaccard s that LSH (20 bands
// of 6 rows, prefilter off) makes candidates matches 1 - (1 - s^6)^20. Seed 7; for each s,
// 400 pairs; two-sided binomial z-test at significance 1e-6 (|z| < 4.89), plus 0.02 for
// multiply-add-shift hashing being only approximately min-wise independent.
TEST(MinHashStatistical, LshCandidateRateFollowsTheSCurve) {
  const std::uint32_t bands = 20, rows = 6;
  const MinHasher hasher(bands * rows, 7);
  ThreadPool pool(2);
  constexpr std::size_t kPairs = 400;
  for (double similarity : {0.5, 0.6, 0.7, 0.8, 0.9}) {
    const std::vector<std::uint32_t> signatures = PairSignatures(hasher, similarity, kPairs, 7);
    std::vector<std::uint32_t> documents(2 * kPairs);
    for (std::uint32_t doc = 0; doc < documents.size(); ++doc) documents[doc] = doc;
    // threshold = kPrefilterMargin: the prefilter admits every bucket collision.
    Result<LshCandidates> candidates = FindLshCandidates(signatures, documents, bands, rows, kPrefilterMargin, pool);
    ASSERT_TRUE(candidates.ok());
    std::size_t found = 0;
    for (const auto& [a, b] : candidates->pairs) found += (a % 2 == 0 && b == a + 1) ? 1 : 0;
    const double expected = CandidateProbability(similarity, bands, rows);
    const double rate = static_cast<double>(found) / static_cast<double>(kPairs);
    const double sd = std::sqrt(expected * (1 - expected) / static_cast<double>(kPairs));
    EXPECT_NEAR(rate, expected, 4.89 * sd + 0.02) << "Jaccard " << similarity;
  }
}

}  // namespace
}  // namespace synthscale::text
