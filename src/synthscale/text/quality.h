// Repetition signals of one document, after Gopher's quality filters (Rae et al. 2021,
// appendix A): the characters in the most frequent word 2-gram (when it occurs more than
// once) and the characters in word 5-grams that occur more than once (each character
// counted once). Characters are the code points of the words (scan.h), so both are
// shares of the document's word characters; the audit sums them per language.
//
// Thread safety: the function shares no state; give each thread its own scratch.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace synthscale::text {

// Gopher's default cut-off for the duplicate 5-gram share: a document above it counts as
// repetitive.
inline constexpr double kRepetitiveShare = 0.15;

struct RepetitionCounts {
  std::uint64_t word_chars = 0;
  std::uint64_t top_bigram_chars = 0;
  std::uint64_t duplicate_5gram_chars = 0;
};

struct RepetitionScratch {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> grams;  // (hash, first word)
  std::vector<std::uint8_t> covered;
};

RepetitionCounts MeasureRepetition(std::span<const std::uint64_t> word_hashes,
                                   std::span<const std::uint32_t> word_chars, RepetitionScratch& scratch);

}  // namespace synthscale::text
