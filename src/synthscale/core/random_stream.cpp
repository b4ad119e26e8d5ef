#include "synthscale/core/random_stream.h"

#include <sodium.h>

#include <Random123/philox.h>

#include "synthscale/core/crypto.h"
#include "synthscale/core/int128.h"

namespace synthscale {

std::uint64_t PurposeId(std::string_view purpose) {
  const Sha256Digest digest = Sha256(purpose);
  std::uint64_t id = 0;
  for (int byte_idx = 0; byte_idx < 8; ++byte_idx) {
    id = (id << 8) | digest[static_cast<std::size_t>(byte_idx)];
  }
  return id;
}

RandomStream::RandomStream(std::uint64_t seed, std::uint64_t purpose_id, std::uint64_t index)
    : key_{seed, purpose_id}, counter_{index, 0, 0, 0} {}

void RandomStream::Refill() {
  using Philox = r123::Philox4x64_R<10>;
  Philox philox;
  Philox::ctr_type ctr = {{counter_[0], counter_[1], counter_[2], counter_[3]}};
  Philox::key_type key = {{key_[0], key_[1]}};
  const Philox::ctr_type out = philox(ctr, key);
  for (std::size_t word_idx = 0; word_idx < 4; ++word_idx) block_[word_idx] = out[word_idx];
  ++counter_[1];  // next block of this stream
  used_ = 0;
}

std::uint64_t RandomStream::NextU64() {
  if (used_ == 4) Refill();
  return block_[used_++];
}

double RandomStream::UniformDouble() {
  // Top 53 bits scaled by 2^-53: every value is exactly representable.
  return static_cast<double>(NextU64() >> 11) * 0x1.0p-53;
}

std::uint64_t RandomStream::UniformBelow(std::uint64_t bound) {
  // Lemire, "Fast random integer generation in an interval", ACM TOMACS 2019.
  UInt128 product = static_cast<UInt128>(NextU64()) * bound;
  auto low = static_cast<std::uint64_t>(product);
  if (low < bound) {
    const std::uint64_t threshold = (0 - bound) % bound;
    while (low < threshold) {
      product = static_cast<UInt128>(NextU64()) * bound;
      low = static_cast<std::uint64_t>(product);
    }
  }
  return static_cast<std::uint64_t>(product >> 64);
}

std::uint64_t SeedFromOs() {
  std::uint64_t seed = 0;
  if (sodium_init() < 0) return 0x5eed5eed5eed5eedULL;  // unreachable in practice
  randombytes_buf(&seed, sizeof seed);
  return seed;
}

}  // namespace synthscale
