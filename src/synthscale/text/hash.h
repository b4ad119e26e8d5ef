// Hashes of the text audit (internal to text/; include from .cpp files only, since it
// pulls in xxhash.h). xxHash's XXH3 (Debian's libxxhash-dev, inlined): fast on short
// inputs such as one word or a window of word hashes, and stable across versions and
// machines, so the same corpus gives the same hashes everywhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace synthscale::text_internal {

// Seeds that keep the hash families apart (any fixed distinct values would do).
inline constexpr std::uint64_t kWordSeed = 0x77u;        // one normalised word
inline constexpr std::uint64_t kShingleSeed = 0x5368u;   // a window of word hashes (MinHash)
inline constexpr std::uint64_t kNgramSeed = 0x4e67u;     // a window of word hashes (contamination)
inline constexpr std::uint64_t kQualitySeed = 0x5175u;   // word 2- and 5-grams (repetition)
inline constexpr std::uint64_t kBandSeed = 0x42616e64u;  // one LSH band of a signature
inline constexpr std::uint64_t kWindowSeed = 0x57696eu;  // a byte window (memorisation prefilter)

inline std::uint64_t Hash64(const void* data, std::size_t size, std::uint64_t seed) {
  return XXH3_64bits_withSeed(data, size, seed);
}

// 128 bits of a whole document: exact duplicates are documents with equal hashes (two
// different texts collide with probability about n^2 / 2^129 for n documents).
struct Hash128 {
  std::uint64_t low = 0;
  std::uint64_t high = 0;
  friend bool operator==(const Hash128&, const Hash128&) = default;
  friend auto operator<=>(const Hash128&, const Hash128&) = default;
};

inline Hash128 DocumentHash(std::string_view text) {
  const XXH128_hash_t hash = XXH3_128bits(text.data(), text.size());
  return {hash.low64, hash.high64};
}

}  // namespace synthscale::text_internal
