// Benchmark contamination: word n-grams (13 by default, as in GPT-3's decontamination,
// Brown et al. 2020, appendix C) of benchmark items found in synthetic documents.
//
// Items and documents are normalised alike (scan.h: case-folded words, punctuation and
// spacing dropped). An n-gram is n consecutive words, hashed with XXH3-64 over their word
// hashes. An item's overlap with a document is the share of the item's distinct n-grams
// that occur in the document; the audit reports the documents where it reaches the
// chosen threshold. Items with fewer than n words have no n-gram and are counted as too
// short, never matched.
//
// Lookups: the items' (n-gram, item) pairs sorted by hash, behind a one-hash Bloom
// filter of 2^24 bits that rejects most of a document's n-grams without a search.
//
// Thread safety: build on one thread; Match is const and may run on many.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace synthscale::text {

class ContaminationIndex {
 public:
  explicit ContaminationIndex(std::uint32_t ngram_words) : ngram_words_(ngram_words) {}

  // Add one item given its word hashes; returns its index. Items without n-grams get
  // an index too (ngrams(item) == 0).
  std::uint32_t AddItem(std::span<const std::uint64_t> word_hashes);
  // Sort the table and build the filter; call once after the last AddItem.
  void Finish();

  std::uint32_t ngram_words() const { return ngram_words_; }
  std::size_t items() const { return ngram_counts_.size(); }
  // Distinct n-grams of item `item`.
  std::uint32_t ngrams(std::uint32_t item) const { return ngram_counts_[item]; }

  // For a document's word hashes: (item, distinct n-grams of the item found), ascending
  // by item, into `hits`. `scratch` is reused between calls.
  void Match(std::span<const std::uint64_t> word_hashes, std::vector<std::pair<std::uint32_t, std::uint64_t>>& scratch,
             std::vector<std::pair<std::uint32_t, std::uint32_t>>& hits) const;

 private:
  static constexpr unsigned kFilterBits = 24;

  std::uint64_t NgramHash(const std::uint64_t* words) const;

  std::uint32_t ngram_words_;
  std::vector<std::uint32_t> ngram_counts_;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> table_;  // (n-gram hash, item)
  std::vector<std::uint64_t> filter_;
};

}  // namespace synthscale::text
