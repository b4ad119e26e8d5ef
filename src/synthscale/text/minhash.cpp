#include "synthscale/text/minhash.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "synthscale/core/random_stream.h"
#include "synthscale/text/hash.h"

namespace synthscale::text {
namespace {

std::uint64_t ShingleHash(const std::uint64_t* words, std::size_t count) {
  return text_internal::Hash64(words, count * sizeof(std::uint64_t), text_internal::kShingleSeed);
}

// The hot loop: every shingle updates every permutation's minimum. The inner loop over
// permutations vectorises; a copy compiled for AVX2 doubles its width where the CPU has
// it (integer arithmetic: the same signature on every machine). Chosen by a plain
// __builtin_cpu_supports check rather than target_clones: an ifunc resolver runs before
// the sanitizer runtimes are up, which the ASan and fuzz builds do not survive.
[[gnu::always_inline]] inline void UpdateMinimaBody(const std::uint64_t* shingles, std::size_t count, const std::uint64_t* multipliers,
                             const std::uint64_t* increments, std::uint32_t* minima, std::size_t permutations) {
  for (std::size_t shingle_idx = 0; shingle_idx < count; ++shingle_idx) {
    const std::uint64_t x = shingles[shingle_idx];
    for (std::size_t perm = 0; perm < permutations; ++perm) {
      const auto value = static_cast<std::uint32_t>((multipliers[perm] * x + increments[perm]) >> 32);
      minima[perm] = std::min(minima[perm], value);
    }
  }
}

void UpdateMinimaDefault(const std::uint64_t* shingles, std::size_t count, const std::uint64_t* multipliers,
                         const std::uint64_t* increments, std::uint32_t* minima, std::size_t permutations) {
  UpdateMinimaBody(shingles, count, multipliers, increments, minima, permutations);
}

#if defined(__x86_64__)
[[gnu::target("avx2")]] void UpdateMinimaAvx2(const std::uint64_t* shingles, std::size_t count,
                                              const std::uint64_t* multipliers, const std::uint64_t* increments,
                                              std::uint32_t* minima, std::size_t permutations) {
  UpdateMinimaBody(shingles, count, multipliers, increments, minima, permutations);
}
#endif

using UpdateMinimaFunction = void (*)(const std::uint64_t*, std::size_t, const std::uint64_t*, const std::uint64_t*,
                                      std::uint32_t*, std::size_t);

UpdateMinimaFunction ChooseUpdateMinima() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) return &UpdateMinimaAvx2;
#endif
  return &UpdateMinimaDefault;
}

}  // namespace

MinHasher::MinHasher(std::uint32_t permutations, std::uint64_t seed) : update_minima_(ChooseUpdateMinima()) {
  multipliers_.resize(permutations);
  increments_.resize(permutations);
  for (std::uint32_t perm = 0; perm < permutations; ++perm) {
    RandomStream stream(seed, "text.minhash", perm);
    multipliers_[perm] = stream.NextU64() | 1u;
    increments_[perm] = stream.NextU64();
  }
}

bool MinHasher::Sign(std::span<const std::uint64_t> word_hashes, std::uint32_t shingle_words,
                     std::span<std::uint32_t> signature) const {
  if (word_hashes.empty()) return false;
  std::fill(signature.begin(), signature.end(), std::numeric_limits<std::uint32_t>::max());
  const std::size_t window = std::min<std::size_t>(shingle_words, word_hashes.size());
  const std::size_t count = word_hashes.size() - window + 1;
  // Shingle hashes in blocks, so the permutation loop runs over a cache-resident block.
  constexpr std::size_t kBlock = 64;
  std::uint64_t block[kBlock];
  for (std::size_t begin = 0; begin < count; begin += kBlock) {
    const std::size_t size = std::min(kBlock, count - begin);
    for (std::size_t idx = 0; idx < size; ++idx) block[idx] = ShingleHash(word_hashes.data() + begin + idx, window);
    update_minima_(block, size, multipliers_.data(), increments_.data(), signature.data(), signature.size());
  }
  return true;
}

void ShingleSet(std::span<const std::uint64_t> word_hashes, std::uint32_t shingle_words,
                std::vector<std::uint64_t>& out) {
  out.clear();
  if (word_hashes.empty()) return;
  const std::size_t window = std::min<std::size_t>(shingle_words, word_hashes.size());
  const std::size_t count = word_hashes.size() - window + 1;
  out.reserve(count);
  for (std::size_t idx = 0; idx < count; ++idx) out.push_back(ShingleHash(word_hashes.data() + idx, window));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

double ExactJaccard(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b) {
  if (a.empty() && b.empty()) return 1.0;
  std::size_t common = 0;
  std::size_t idx_a = 0;
  std::size_t idx_b = 0;
  while (idx_a < a.size() && idx_b < b.size()) {
    if (a[idx_a] < b[idx_b]) {
      ++idx_a;
    } else if (b[idx_b] < a[idx_a]) {
      ++idx_b;
    } else {
      ++common, ++idx_a, ++idx_b;
    }
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

double EstimatedJaccard(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  std::size_t equal = 0;
  for (std::size_t idx = 0; idx < a.size(); ++idx) equal += a[idx] == b[idx] ? std::size_t{1} : std::size_t{0};
  return a.empty() ? 0.0 : static_cast<double>(equal) / static_cast<double>(a.size());
}

double CandidateProbability(double jaccard, std::uint32_t bands, std::uint32_t rows) {
  return 1.0 - std::pow(1.0 - std::pow(jaccard, static_cast<double>(rows)), static_cast<double>(bands));
}

}  // namespace synthscale::text
