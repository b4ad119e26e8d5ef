// Memorisation: exact spans shared between synthetic documents and the private source.
//
// For a chunk of synthetic documents, one suffix array (libdivsufsort; Mori 2008) is built
// over T = source documents, each followed by the byte 0xFF, then the chunk's documents,
// each followed by 0xFE (neither byte occurs in UTF-8, so they end every match), and its
// LCP array with the Phi algorithm (Kärkkäinen, Manzini and Puglisi 2009), comparisons
// stopping at those separators. For every synthetic suffix the longest prefix it shares
// with any source suffix is the larger LCP with its nearest source suffixes above and below
// in suffix order (the LCP of two suffixes is the minimum of the adjacent LCPs between
// them); two scans over the suffix array find both. The source suffixes' relative order,
// and where a synthetic suffix falls among them, depend only on the text up to the
// separators, so the result does not depend on how the synthetic corpus is chunked.
// This is the exact-substring method of Lee et al. 2022 ("Deduplicating training data
// makes language models better", section 4.1), here between two corpora.
//
// Lengths are Unicode code points: a match is cut back to a character boundary, and a
// document is reported when a shared span has at least `min_chars` code points. Spans
// are maximal (not contained in a longer shared span at an earlier start). Ties: the
// longest span with the earliest start; its source is the nearest source suffix with
// the smaller position.
//
// Memory: 9 bytes per byte of T (text, suffix array, LCP) plus 8 per synthetic byte, with
// 32-bit indices; T of 2 GiB or more switches to 64-bit indices (twice the memory).
//
// SourceWindows keeps most synthetic documents out of T: a document sharing a span of at
// least min_chars code points (so at least min_chars bytes) with the source contains one
// of the source's q-byte windows, q = min_chars / 2, starting at a multiple of
// s = min_chars - q + 1 from the document's start (any min_chars - q + 1 consecutive
// starts include a multiple of s). Hashing every q-byte window of the source and looking
// up every s-th window of a document is a necessary condition, checked on all threads
// while the corpus streams; only documents that pass go into the suffix array, which
// decides exactly. Hash collisions only let a document through.
//
// Thread safety: a SourceText is immutable once built; FindMemorisedSpans may run on
// several chunks at once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "synthscale/core/status.h"
#include "synthscale/core/thread_pool.h"

namespace synthscale::text {

// A corpus's texts concatenated, each followed by a separator byte.
class ConcatenatedTexts {
 public:
  explicit ConcatenatedTexts(char separator) : separator_(separator) {}
  void Add(std::string_view text);
  void Clear();
  const std::string& bytes() const { return bytes_; }
  // Start offset of each text, plus the end.
  const std::vector<std::uint64_t>& starts() const { return starts_; }
  std::size_t size() const { return starts_.size() - 1; }
  // Index of the text holding byte `offset`.
  std::size_t TextAt(std::uint64_t offset) const;
  std::string_view Text(std::size_t idx) const;

 private:
  char separator_;
  std::string bytes_;
  std::vector<std::uint64_t> starts_{0};
};

// The prefilter of the suffix-array search (see above).
class SourceWindows {
 public:
  // Index every window of `source`'s documents for spans of at least `min_chars` (>= 2).
  SourceWindows(const ConcatenatedTexts& source, std::uint32_t min_chars);
  // Whether `text` may share a span of at least min_chars code points with the source
  // (false means it cannot).
  bool MayShare(std::string_view text) const;
  std::size_t window() const { return window_; }
  std::size_t step() const { return step_; }

 private:
  static constexpr unsigned kFilterBits = 26;
  bool Contains(std::uint64_t hash) const;

  std::size_t window_ = 0;
  std::size_t step_ = 1;
  std::vector<std::uint64_t> hashes_;  // sorted, unique
  std::vector<std::uint64_t> filter_;
};

inline constexpr char kSourceSeparator = '\xFF';
inline constexpr char kSyntheticSeparator = '\xFE';

struct MemorisedSpan {
  std::uint64_t offset_chars = 0;         // start in the synthetic document, in code points
  std::uint64_t length_chars = 0;
  std::uint32_t source = 0;               // index of the source document
  std::uint64_t source_offset_chars = 0;  // start in the source document, in code points
  std::string text;                       // the span, cut at kExampleChars code points
};

struct MemorisedDocument {
  std::uint32_t document = 0;  // index of the document within the chunk
  std::uint64_t longest_chars = 0;
  std::uint32_t source = 0;              // source document of the longest span
  std::uint64_t document_chars = 0;      // code points of the whole document
  std::uint64_t memorised_chars = 0;     // code points covered by spans of >= min_chars
  std::uint64_t spans = 0;               // maximal spans of >= min_chars
  std::vector<MemorisedSpan> examples;   // the longest spans, longest first (at most kMaxExamples)
};

inline constexpr std::size_t kMaxExamples = 3;
inline constexpr std::size_t kExampleChars = 200;

// Every document of `chunk` sharing a span of at least `min_chars` code points with
// `source`, in chunk order. Errors: kInvalidArgument for min_chars == 0; kInternal if the
// suffix-array library fails.
Result<std::vector<MemorisedDocument>> FindMemorisedSpans(const ConcatenatedTexts& source,
                                                           const ConcatenatedTexts& chunk, std::uint32_t min_chars,
                                                           ThreadPool& pool);

}  // namespace synthscale::text
