#include "synthscale/core/random_stream.h"

#include <Random123/philox.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

namespace synthscale {
namespace {

std::vector<std::uint64_t> Words(RandomStream stream, std::size_t count) {
  std::vector<std::uint64_t> words(count);
  for (std::uint64_t& word : words) word = stream.NextU64();
  return words;
}

TEST(PurposeId, IsSha256Prefix) {
  // int.from_bytes(hashlib.sha256(purpose.encode()).digest()[:8], "big") in Python.
  EXPECT_EQ(PurposeId("sample"), 0xaf2bdbe1aa9b6ec1ULL);
  EXPECT_EQ(PurposeId("decode"), 0x713a1417c769dc75ULL);
  EXPECT_EQ(PurposeId(""), 0xe3b0c44298fc1c14ULL);
}

TEST(RandomStream, KnownAnswerPhilox4x64) {
  // Stream (seed 12345, "sample", index 7): key (12345, PurposeId("sample")), counters
  // (7, 0, 0, 0) then (7, 1, 0, 0). Expected words from a from-scratch Python Philox4x64-10
  // that reproduces Random123's published known-answer vectors.
  const std::vector<std::uint64_t> expected = {
      0x59b7c49b03ae8170ULL, 0xa39534f53d014aeaULL, 0xbde6297b5e9af18bULL, 0x0f4901073081b85cULL,
      0x0d7e52b1cf645229ULL, 0x0b6c65db72dec621ULL, 0x4d911899c0b5d77eULL, 0xd08b40a2b2900353ULL,
  };
  EXPECT_EQ(Words(RandomStream(12345, "sample", 7), 8), expected);
  EXPECT_EQ(Words(RandomStream(12345, PurposeId("sample"), 7), 8), expected);
}

TEST(RandomStream, MatchesRandom123Directly) {
  // The documented construction, recomputed with Random123 itself.
  using Philox = r123::Philox4x64_R<10>;
  // Random123's own known-answer vector (kat_vectors: philox4x64 10, zero counter and key).
  const Philox::ctr_type zero = Philox()(Philox::ctr_type{{0, 0, 0, 0}}, Philox::key_type{{0, 0}});
  EXPECT_EQ(zero[0], 0x16554d9eca36314cULL);
  EXPECT_EQ(zero[3], 0x7e68b68aec7ba23bULL);
  for (const std::uint64_t index : {0ULL, 1ULL, 99ULL, ~0ULL}) {
    const std::uint64_t seed = 0x0123456789abcdefULL;
    const std::uint64_t purpose = PurposeId("bootstrap");
    std::vector<std::uint64_t> expected;
    for (std::uint64_t block = 0; block < 3; ++block) {
      const Philox::ctr_type out = Philox()(Philox::ctr_type{{index, block, 0, 0}}, Philox::key_type{{seed, purpose}});
      for (std::size_t word_idx = 0; word_idx < 4; ++word_idx) expected.push_back(out[word_idx]);
    }
    EXPECT_EQ(Words(RandomStream(seed, "bootstrap", index), 12), expected) << "index " << index;
  }
}

TEST(RandomStream, SameIdentitySameSequence) {
  EXPECT_EQ(Words(RandomStream(1, "sample", 5), 100), Words(RandomStream(1, "sample", 5), 100));
}

TEST(RandomStream, DifferentIdentityDifferentSequence) {
  const std::vector<std::uint64_t> base = Words(RandomStream(1, "sample", 5), 16);
  EXPECT_NE(base, Words(RandomStream(1, "sample", 6), 16));
  EXPECT_NE(base, Words(RandomStream(1, "decode", 5), 16));
  EXPECT_NE(base, Words(RandomStream(2, "sample", 5), 16));
  // Neighbouring identities share no words at all (no overlap from shifted counters).
  for (const auto& other : {Words(RandomStream(1, "sample", 6), 16), Words(RandomStream(1, "sample", 4), 16)}) {
    for (std::uint64_t word : base) {
      EXPECT_EQ(std::count(other.begin(), other.end(), word), 0);
    }
  }
}

TEST(RandomStream, StreamsAreIndependentOfDrawOrder) {
  constexpr std::size_t kStreams = 16;
  constexpr std::size_t kDraws = 37;  // not a multiple of the 4-word block
  // Sequential: all of stream 0, then all of stream 1, ...
  std::vector<std::vector<std::uint64_t>> sequential(kStreams);
  for (std::size_t stream_idx = 0; stream_idx < kStreams; ++stream_idx) {
    RandomStream stream(99, "sample", stream_idx);
    for (std::size_t draw = 0; draw < kDraws; ++draw) sequential[stream_idx].push_back(stream.NextU64());
  }
  // Interleaved in reverse, and some streams never touched in between.
  std::vector<RandomStream> streams;
  for (std::size_t stream_idx = 0; stream_idx < kStreams; ++stream_idx) streams.emplace_back(99, "sample", stream_idx);
  std::vector<std::vector<std::uint64_t>> interleaved(kStreams);
  for (std::size_t draw = 0; draw < kDraws; ++draw) {
    for (std::size_t reverse = kStreams; reverse-- > 0;) {
      if (reverse % 3 == 0 && draw < 10) continue;  // stream used later than the others
      interleaved[reverse].push_back(streams[reverse].NextU64());
    }
  }
  for (std::size_t stream_idx = 0; stream_idx < kStreams; stream_idx += 3) {
    for (std::size_t draw = 0; draw < 10; ++draw) interleaved[stream_idx].push_back(streams[stream_idx].NextU64());
  }
  EXPECT_EQ(sequential, interleaved);
  // A copy of a stream continues exactly where the original is.
  RandomStream original(7, "sample", 3);
  original.NextU64();
  RandomStream copy = original;
  EXPECT_EQ(Words(original, 9), Words(copy, 9));
}

TEST(RandomStream, UniformDoubleInUnitIntervalWith53Bits) {
  RandomStream stream(2024, "sample", 0);
  for (int draw = 0; draw < 100000; ++draw) {
    const double value = stream.UniformDouble();
    ASSERT_GE(value, 0.0);
    ASSERT_LT(value, 1.0);
    const double scaled = value * 0x1.0p53;
    ASSERT_EQ(scaled, std::floor(scaled)) << "not a multiple of 2^-53: " << value;
  }
}

double ChiSquareUniform(const std::vector<std::uint64_t>& counts, std::uint64_t draws) {
  const double expected = static_cast<double>(draws) / static_cast<double>(counts.size());
  double statistic = 0.0;
  for (std::uint64_t count : counts) {
    const double diff = static_cast<double>(count) - expected;
    statistic += diff * diff / expected;
  }
  return statistic;
}

// Chi-square critical values at significance 1e-6 (mpmath: Q(df/2, x/2) = 1e-6).
constexpr double kChiSquare1e6Df1 = 23.928;
constexpr double kChiSquare1e6Df2 = 27.631;
constexpr double kChiSquare1e6Df6 = 38.258;
constexpr double kChiSquare1e6Df63 = 131.37;
constexpr double kChiSquare1e6Df999 = 1226.05;

TEST(RandomStream, UniformDoubleIsUniform) {
  // Chi-square over 64 equal bins, seed 11, purpose "sample", one stream per 1000
  // draws, 200000 draws, df 63, significance 1e-6.
  constexpr std::uint64_t kDraws = 200000;
  std::vector<std::uint64_t> counts(64, 0);
  for (std::uint64_t stream_idx = 0; stream_idx < kDraws / 1000; ++stream_idx) {
    RandomStream stream(11, "sample", stream_idx);
    for (int draw = 0; draw < 1000; ++draw) ++counts[static_cast<std::size_t>(stream.UniformDouble() * 64.0)];
  }
  EXPECT_LT(ChiSquareUniform(counts, kDraws), kChiSquare1e6Df63);
}

void ExpectUniformBelow(std::uint64_t bound, std::uint64_t draws, double critical) {
  std::vector<std::uint64_t> counts(bound, 0);
  RandomStream stream(5, "sample", bound);
  for (std::uint64_t draw = 0; draw < draws; ++draw) {
    const std::uint64_t value = stream.UniformBelow(bound);
    ASSERT_LT(value, bound);
    ++counts[value];
  }
  EXPECT_LT(ChiSquareUniform(counts, draws), critical) << "bound " << bound;
}

TEST(RandomStream, UniformBelowIsUniform) {
  // Chi-square goodness of fit, seed 5, purpose "sample", index = bound, significance 1e-6:
  // bound 3 with 300000 draws (df 2), 7 with 300000 (df 6), 1000 with 500000 (df 999).
  ExpectUniformBelow(3, 300000, kChiSquare1e6Df2);
  ExpectUniformBelow(7, 300000, kChiSquare1e6Df6);
  ExpectUniformBelow(1000, 500000, kChiSquare1e6Df999);
}

TEST(RandomStream, UniformBelowHasNoBiasForHugeBounds) {
  // bound = 3 * 2^62. Plain `word % bound` would put half the mass below 2^62 instead
  // of a third; multiply-shift without Lemire's rejection would put half on multiples
  // of 3. Chi-square on the cells {< 2^62, >= 2^62} (df 1) and on value % 3 (df 2),
  // seed 8, 60000 draws, significance 1e-6 each.
  constexpr std::uint64_t kBound = 3ULL << 62;
  constexpr std::uint64_t kDraws = 60000;
  RandomStream stream(8, "sample", 0);
  std::uint64_t low = 0;
  std::vector<std::uint64_t> residues(3, 0);
  for (std::uint64_t draw = 0; draw < kDraws; ++draw) {
    const std::uint64_t value = stream.UniformBelow(kBound);
    ASSERT_LT(value, kBound);
    if (value < (1ULL << 62)) ++low;
    ++residues[value % 3];
  }
  // Multiply-shift without rejection would instead give residue 0 half of the mass.
  EXPECT_LT(ChiSquareUniform(residues, kDraws), kChiSquare1e6Df2) << residues[0] << " " << residues[1] << " " << residues[2];
  const double expected_low = static_cast<double>(kDraws) / 3.0;
  const double expected_high = static_cast<double>(kDraws) - expected_low;
  const double diff_low = static_cast<double>(low) - expected_low;
  const double diff_high = static_cast<double>(kDraws - low) - expected_high;
  EXPECT_LT(diff_low * diff_low / expected_low + diff_high * diff_high / expected_high, kChiSquare1e6Df1)
      << "draws below 2^62: " << low;
}

TEST(RandomStream, UniformBelowEdgeBounds) {
  RandomStream stream(1, "sample", 0);
  for (int draw = 0; draw < 100; ++draw) EXPECT_EQ(stream.UniformBelow(1), 0u);
  for (int draw = 0; draw < 100; ++draw) EXPECT_LT(stream.UniformBelow(2), 2u);
  bool saw_high_bit = false;
  for (int draw = 0; draw < 100; ++draw) {
    const std::uint64_t value = stream.UniformBelow(~0ULL);
    EXPECT_LT(value, ~0ULL);
    saw_high_bit = saw_high_bit || (value >> 63) != 0;
  }
  EXPECT_TRUE(saw_high_bit);
}

TEST(SeedFromOs, DiffersBetweenCalls) {
  EXPECT_NE(SeedFromOs(), SeedFromOs());  // equal with probability 2^-64
}

}  // namespace
}  // namespace synthscale
