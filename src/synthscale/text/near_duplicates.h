// Near-duplicate candidates by locality-sensitive hashing over MinHash signatures, and
// clusters as connected components.
//
// The signature's permutations are cut into `bands` bands of `rows` rows; two documents
// whose signatures agree on a whole band land in the same bucket of that band. Within a
// bucket (documents in corpus order) each document is compared with the up to
// kBucketWindow documents before it, and a pair whose estimated Jaccard is at least
// threshold - kPrefilterMargin becomes a candidate. The caller verifies candidates by
// exact Jaccard. Comparing with a window instead of every earlier member bounds the work
// in buckets of thousands of near-identical documents; the members still end up
// connected through their neighbours.
//
// Recall at Jaccard s: CandidateProbability(s, bands, rows) (minhash.h) times the chance
// that the estimate clears the prefilter, Phi(margin / sqrt(s (1 - s) / (bands * rows)))
// (0.997 at s = 0.8 with 120 permutations), for pairs not separated by the window.
//
// Thread safety: the functions share no state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "synthscale/core/status.h"
#include "synthscale/core/thread_pool.h"

namespace synthscale::text {

inline constexpr std::size_t kBucketWindow = 32;
inline constexpr double kPrefilterMargin = 0.1;

struct LshCandidates {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;  // (earlier, later) document index, sorted, unique
  std::uint64_t comparisons = 0;       // signature comparisons made
  std::uint64_t windowed_members = 0;  // bucket members with more than kBucketWindow documents before them
};

// Candidate pairs among `documents` (indices into the signature matrix `signatures`, of
// `bands * rows` entries per document; ascending). Deterministic for any thread count.
Result<LshCandidates> FindLshCandidates(std::span<const std::uint32_t> signatures, std::span<const std::uint32_t> documents,
                                        std::uint32_t bands, std::uint32_t rows, double threshold, ThreadPool& pool);

// Disjoint sets over 0 .. size-1 (union by index, path halving).
class DisjointSets {
 public:
  explicit DisjointSets(std::size_t size);
  std::uint32_t Find(std::uint32_t element);
  void Union(std::uint32_t a, std::uint32_t b);
  // Sets of two or more elements, each sorted, ordered by their smallest element.
  std::vector<std::vector<std::uint32_t>> Clusters();

 private:
  std::vector<std::uint32_t> parent_;
};

}  // namespace synthscale::text
