#include "synthscale/text/contamination.h"

#include <algorithm>

#include "synthscale/text/hash.h"

namespace synthscale::text {

std::uint64_t ContaminationIndex::NgramHash(const std::uint64_t* words) const {
  return text_internal::Hash64(words, std::size_t{ngram_words_} * sizeof(std::uint64_t), text_internal::kNgramSeed);
}

std::uint32_t ContaminationIndex::AddItem(std::span<const std::uint64_t> word_hashes) {
  const auto item = static_cast<std::uint32_t>(ngram_counts_.size());
  std::vector<std::uint64_t> hashes;
  if (word_hashes.size() >= ngram_words_) {
    for (std::size_t start = 0; start + ngram_words_ <= word_hashes.size(); ++start) {
      hashes.push_back(NgramHash(word_hashes.data() + start));
    }
    std::sort(hashes.begin(), hashes.end());
    hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  }
  ngram_counts_.push_back(static_cast<std::uint32_t>(hashes.size()));
  for (std::uint64_t hash : hashes) table_.emplace_back(hash, item);
  return item;
}

void ContaminationIndex::Finish() {
  std::sort(table_.begin(), table_.end());
  filter_.assign((std::size_t{1} << kFilterBits) / 64, 0);
  for (const auto& [hash, item] : table_) {
    const std::uint64_t bit = hash >> (64 - kFilterBits);
    filter_[bit / 64] |= std::uint64_t{1} << (bit % 64);
  }
}

void ContaminationIndex::Match(std::span<const std::uint64_t> word_hashes,
                               std::vector<std::pair<std::uint32_t, std::uint64_t>>& scratch,
                               std::vector<std::pair<std::uint32_t, std::uint32_t>>& hits) const {
  hits.clear();
  scratch.clear();
  if (table_.empty() || word_hashes.size() < ngram_words_) return;
  for (std::size_t start = 0; start + ngram_words_ <= word_hashes.size(); ++start) {
    const std::uint64_t hash = NgramHash(word_hashes.data() + start);
    const std::uint64_t bit = hash >> (64 - kFilterBits);
    if ((filter_[bit / 64] & (std::uint64_t{1} << (bit % 64))) == 0) continue;
    auto it = std::lower_bound(table_.begin(), table_.end(), std::make_pair(hash, std::uint32_t{0}));
    for (; it != table_.end() && it->first == hash; ++it) scratch.emplace_back(it->second, hash);
  }
  if (scratch.empty()) return;
  std::sort(scratch.begin(), scratch.end());
  scratch.erase(std::unique(scratch.begin(), scratch.end()), scratch.end());
  for (const auto& [item, hash] : scratch) {
    if (hits.empty() || hits.back().first != item) hits.emplace_back(item, 0);
    ++hits.back().second;
  }
}

}  // namespace synthscale::text
