// RandomStream: a named, counter-based stream of random bits (Random123 Philox4x64-10).
//
// A stream is identified by (seed, purpose, index): the key is (seed, first 64 bits of
// SHA-256(purpose)) and the counter is (index, block, 0, 0). Row i of a sample draws from
// stream i, so the bytes produced never depend on which thread or MPI rank draws them.
// This is sampling (post-processing) randomness; DP noise comes only from Csprng.
//
// Distributions are our own transforms of the raw 64-bit words (not <random>), so the
// same seed gives the same values with every compiler and standard library.
//
// Thread safety: a RandomStream is a small value; give each thread its own.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace synthscale {

// Stable 64-bit id of a purpose name ("sample", "bootstrap", ...): SHA-256 prefix.
std::uint64_t PurposeId(std::string_view purpose);

class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::uint64_t purpose_id, std::uint64_t index);
  RandomStream(std::uint64_t seed, std::string_view purpose, std::uint64_t index)
      : RandomStream(seed, PurposeId(purpose), index) {}

  // Next uniformly distributed 64-bit word.
  std::uint64_t NextU64();
  // Uniform double in [0, 1) with 53 random bits.
  double UniformDouble();
  // Uniform integer in [0, bound), exactly (Lemire's multiply-and-reject). bound > 0.
  std::uint64_t UniformBelow(std::uint64_t bound);

 private:
  void Refill();

  std::array<std::uint64_t, 2> key_;
  std::array<std::uint64_t, 4> counter_;
  std::array<std::uint64_t, 4> block_{};
  unsigned used_ = 4;  // words of block_ already handed out
};

// A fresh 64-bit seed from the operating system, for runs where the user gave none
// (the seed used is then recorded so the run can be replayed).
std::uint64_t SeedFromOs();

}  // namespace synthscale
