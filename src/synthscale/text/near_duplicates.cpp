#include "synthscale/text/near_duplicates.h"

#include <algorithm>
#include <numeric>

#include "synthscale/text/hash.h"
#include "synthscale/text/minhash.h"

namespace synthscale::text {

Result<LshCandidates> FindLshCandidates(std::span<const std::uint32_t> signatures, std::span<const std::uint32_t> documents,
                                        std::uint32_t bands, std::uint32_t rows, double threshold, ThreadPool& pool) {
  const std::size_t width = std::size_t{bands} * rows;
  const double prefilter = threshold - kPrefilterMargin;
  std::vector<LshCandidates> per_band(bands);
  SYNTHSCALE_RETURN_IF_ERROR(pool.Run(bands, [&](std::size_t band) -> Status {
    struct Key {
      std::uint64_t hash;
      std::uint32_t document;
    };
    std::vector<Key> keys(documents.size());
    for (std::size_t idx = 0; idx < documents.size(); ++idx) {
      const std::uint32_t* row = signatures.data() + std::size_t{documents[idx]} * width + band * rows;
      keys[idx] = {text_internal::Hash64(row, rows * sizeof(std::uint32_t), text_internal::kBandSeed + band),
                   documents[idx]};
    }
    std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
      return a.hash != b.hash ? a.hash < b.hash : a.document < b.document;
    });
    LshCandidates& out = per_band[band];
    for (std::size_t begin = 0; begin < keys.size();) {
      std::size_t end = begin + 1;
      while (end < keys.size() && keys[end].hash == keys[begin].hash) ++end;
      for (std::size_t member = begin + 1; member < end; ++member) {
        const std::size_t first = member - begin > kBucketWindow ? member - kBucketWindow : begin;
        if (first > begin) ++out.windowed_members;
        const std::span<const std::uint32_t> later(signatures.data() + std::size_t{keys[member].document} * width, width);
        for (std::size_t earlier = first; earlier < member; ++earlier) {
          const std::span<const std::uint32_t> other(signatures.data() + std::size_t{keys[earlier].document} * width,
                                                     width);
          ++out.comparisons;
          if (EstimatedJaccard(other, later) >= prefilter) {
            out.pairs.emplace_back(keys[earlier].document, keys[member].document);
          }
        }
      }
      begin = end;
    }
    return Status::Ok();
  }));
  LshCandidates all;
  for (LshCandidates& band : per_band) {
    all.comparisons += band.comparisons;
    all.windowed_members += band.windowed_members;
    all.pairs.insert(all.pairs.end(), band.pairs.begin(), band.pairs.end());
    band.pairs = {};
  }
  std::sort(all.pairs.begin(), all.pairs.end());
  all.pairs.erase(std::unique(all.pairs.begin(), all.pairs.end()), all.pairs.end());
  return all;
}

DisjointSets::DisjointSets(std::size_t size) : parent_(size) {
  std::iota(parent_.begin(), parent_.end(), std::uint32_t{0});
}

std::uint32_t DisjointSets::Find(std::uint32_t element) {
  while (parent_[element] != element) {
    parent_[element] = parent_[parent_[element]];
    element = parent_[element];
  }
  return element;
}

// The smaller root becomes the parent: the same unions give the same forest in any order
// of equal result, and every root is its set's smallest element.
void DisjointSets::Union(std::uint32_t a, std::uint32_t b) {
  a = Find(a);
  b = Find(b);
  if (a == b) return;
  if (a < b) {
    parent_[b] = a;
  } else {
    parent_[a] = b;
  }
}

std::vector<std::vector<std::uint32_t>> DisjointSets::Clusters() {
  std::vector<std::uint32_t> size(parent_.size(), 0);
  for (std::uint32_t element = 0; element < parent_.size(); ++element) ++size[Find(element)];
  std::vector<std::int64_t> slot(parent_.size(), -1);
  std::vector<std::vector<std::uint32_t>> clusters;
  // Elements in ascending order: a set's first element is its root (the smallest), so
  // clusters come out ordered by their smallest element, members ascending.
  for (std::uint32_t element = 0; element < parent_.size(); ++element) {
    const std::uint32_t root = Find(element);
    if (size[root] < 2) continue;
    if (slot[root] < 0) {
      slot[root] = static_cast<std::int64_t>(clusters.size());
      clusters.emplace_back();
      clusters.back().reserve(size[root]);
    }
    clusters[static_cast<std::size_t>(slot[root])].push_back(element);
  }
  return clusters;
}

}  // namespace synthscale::text
