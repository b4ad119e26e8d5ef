#include "synthscale/text/quality.h"

#include <algorithm>

#include "synthscale/text/hash.h"

namespace synthscale::text {
namespace {

void HashGrams(std::span<const std::uint64_t> words, std::size_t n, RepetitionScratch& scratch) {
  scratch.grams.clear();
  for (std::size_t start = 0; start + n <= words.size(); ++start) {
    scratch.grams.emplace_back(
        text_internal::Hash64(words.data() + start, n * sizeof(std::uint64_t), text_internal::kQualitySeed + n),
        static_cast<std::uint32_t>(start));
  }
  std::sort(scratch.grams.begin(), scratch.grams.end());
}

}  // namespace

RepetitionCounts MeasureRepetition(std::span<const std::uint64_t> word_hashes,
                                   std::span<const std::uint32_t> word_chars, RepetitionScratch& scratch) {
  RepetitionCounts counts;
  for (std::uint32_t chars : word_chars) counts.word_chars += chars;

  // The most frequent 2-gram (ties: the one that appears first in the text).
  HashGrams(word_hashes, 2, scratch);
  std::size_t best_count = 1;
  std::uint32_t best_start = 0;
  for (std::size_t begin = 0; begin < scratch.grams.size();) {
    std::size_t end = begin + 1;
    while (end < scratch.grams.size() && scratch.grams[end].first == scratch.grams[begin].first) ++end;
    const std::size_t count = end - begin;
    const std::uint32_t start = scratch.grams[begin].second;  // sorted: the first occurrence
    if (count > best_count || (count == best_count && count > 1 && start < best_start)) {
      best_count = count;
      best_start = start;
    }
    begin = end;
  }
  if (best_count > 1) {
    counts.top_bigram_chars = best_count * (std::uint64_t{word_chars[best_start]} + word_chars[best_start + 1]);
  }

  // Words inside a 5-gram that occurs more than once.
  constexpr std::size_t kGram = 5;
  HashGrams(word_hashes, kGram, scratch);
  scratch.covered.assign(word_hashes.size(), 0);
  for (std::size_t begin = 0; begin < scratch.grams.size();) {
    std::size_t end = begin + 1;
    while (end < scratch.grams.size() && scratch.grams[end].first == scratch.grams[begin].first) ++end;
    if (end - begin > 1) {
      for (std::size_t idx = begin; idx < end; ++idx) {
        std::fill_n(scratch.covered.begin() + scratch.grams[idx].second, kGram, std::uint8_t{1});
      }
    }
    begin = end;
  }
  for (std::size_t word = 0; word < word_hashes.size(); ++word) {
    if (scratch.covered[word] != 0) counts.duplicate_5gram_chars += word_chars[word];
  }
  return counts;
}

}  // namespace synthscale::text
