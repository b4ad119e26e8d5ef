#include "synthscale/text/memorisation.h"

#include <divsufsort.h>
#include <divsufsort64.h>

#include <algorithm>
#include <limits>

#include "synthscale/text/hash.h"
#include "synthscale/text/scan.h"

namespace synthscale::text {
namespace {

constexpr unsigned char kFirstSeparator = 0xFE;
constexpr std::size_t kDocumentsPerTask = 64;

bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

Status SuffixArray(const unsigned char* text, std::int32_t* sa, std::int32_t n) {
  return divsufsort(text, sa, n) == 0 ? Status::Ok() : Internal("libdivsufsort failed to build a suffix array");
}
Status SuffixArray(const unsigned char* text, std::int64_t* sa, std::int64_t n) {
  return divsufsort64(text, sa, n) == 0 ? Status::Ok() : Internal("libdivsufsort64 failed to build a suffix array");
}

// Byte offsets of one maximal shared span within the chunk's bytes.
struct Span {
  std::size_t begin;
  std::size_t end;
  std::uint64_t chars;
  std::uint64_t source_position;
};

template <typename Index>
Result<std::vector<MemorisedDocument>> Find(const ConcatenatedTexts& source, const ConcatenatedTexts& chunk,
                                            std::uint32_t min_chars, ThreadPool& pool) {
  const std::string& source_bytes = source.bytes();
  const std::string& chunk_bytes = chunk.bytes();
  const auto source_n = static_cast<Index>(source_bytes.size());
  const auto n = static_cast<Index>(source_bytes.size() + chunk_bytes.size());
  std::string joined;
  joined.reserve(static_cast<std::size_t>(n));
  joined += source_bytes;
  joined += chunk_bytes;
  const auto* t = reinterpret_cast<const unsigned char*>(joined.data());

  std::vector<Index> sa(static_cast<std::size_t>(n));
  SYNTHSCALE_RETURN_IF_ERROR(SuffixArray(t, sa.data(), n));

  // PLCP[i] = LCP of suffix i and the suffix before it in suffix order (Phi algorithm),
  // comparisons stopping at separators so that no match crosses a document boundary.
  std::vector<Index> plcp(static_cast<std::size_t>(n));
  plcp[static_cast<std::size_t>(sa[0])] = -1;
  for (Index rank = 1; rank < n; ++rank) {
    plcp[static_cast<std::size_t>(sa[static_cast<std::size_t>(rank)])] = sa[static_cast<std::size_t>(rank - 1)];
  }
  Index carried = 0;
  for (Index pos = 0; pos < n; ++pos) {
    const Index previous = plcp[static_cast<std::size_t>(pos)];
    if (previous < 0) {
      plcp[static_cast<std::size_t>(pos)] = 0;
      carried = 0;
      continue;
    }
    while (pos + carried < n && previous + carried < n &&
           t[pos + carried] == t[previous + carried] && t[pos + carried] < kFirstSeparator) {
      ++carried;
    }
    plcp[static_cast<std::size_t>(pos)] = carried;
    if (carried > 0) --carried;
  }
  sa.shrink_to_fit();

  // Longest match of every synthetic suffix (in chunk coordinates) with a source suffix.
  std::vector<Index> best_length(chunk_bytes.size(), 0);
  std::vector<Index> best_source(chunk_bytes.size(), 0);
  const auto min_bytes = static_cast<Index>(min_chars);  // a span of k code points has >= k bytes
  const auto record = [&](Index pos, Index length, Index source_pos) {
    const auto at = static_cast<std::size_t>(pos - source_n);
    if (length > best_length[at] || (length == best_length[at] && source_pos < best_source[at])) {
      best_length[at] = length;
      best_source[at] = source_pos;
    }
  };
  const auto is_source = [&](Index pos) { return pos < source_n && t[pos] < kFirstSeparator; };
  const auto is_synthetic_start = [&](Index pos) {
    return pos >= source_n && t[pos] < kFirstSeparator && !IsContinuation(t[pos]);
  };
  constexpr Index kUnbounded = std::numeric_limits<Index>::max();
  {
    Index run = 0;
    Index nearest = -1;
    for (Index rank = 0; rank < n; ++rank) {
      const Index pos = sa[static_cast<std::size_t>(rank)];
      run = std::min(run, plcp[static_cast<std::size_t>(pos)]);
      if (is_source(pos)) {
        run = kUnbounded;
        nearest = pos;
      } else if (nearest >= 0 && run >= min_bytes && is_synthetic_start(pos)) {
        record(pos, run, nearest);
      }
    }
  }
  {
    Index run = 0;
    Index nearest = -1;
    for (Index rank = n - 1; rank >= 0; --rank) {
      const Index pos = sa[static_cast<std::size_t>(rank)];
      if (is_source(pos)) {
        run = kUnbounded;
        nearest = pos;
      } else if (nearest >= 0 && run >= min_bytes && is_synthetic_start(pos)) {
        record(pos, run, nearest);
      }
      run = std::min(run, plcp[static_cast<std::size_t>(pos)]);
    }
  }
  sa = {};
  plcp = {};

  // Per document: maximal spans of >= min_chars code points, in parallel.
  const auto* chunk_text = reinterpret_cast<const unsigned char*>(chunk_bytes.data());
  const std::size_t num_docs = chunk.size();
  const std::size_t num_tasks = NumTasks(num_docs, kDocumentsPerTask);
  std::vector<std::vector<MemorisedDocument>> found(num_tasks);
  SYNTHSCALE_RETURN_IF_ERROR(pool.Run(num_tasks, [&](std::size_t task_idx) -> Status {
    const TaskRange range = TaskBounds(task_idx, num_docs, kDocumentsPerTask);
    std::vector<std::uint64_t> chars_before;  // code points before each byte of the document
    std::vector<Span> spans;
    for (std::size_t doc = range.begin; doc < range.end; ++doc) {
      const auto begin = static_cast<std::size_t>(chunk.starts()[doc]);
      const auto end = static_cast<std::size_t>(chunk.starts()[doc + 1] - 1);  // the separator
      bool any = false;
      for (std::size_t pos = begin; pos < end && !any; ++pos) any = best_length[pos] >= min_bytes;
      if (!any) continue;
      chars_before.assign(end - begin + 1, 0);
      for (std::size_t pos = begin; pos < end; ++pos) {
        chars_before[pos - begin + 1] = chars_before[pos - begin] + (IsContinuation(chunk_text[pos]) ? 0 : 1);
      }
      spans.clear();
      std::size_t furthest = begin;
      for (std::size_t pos = begin; pos < end; ++pos) {
        if (best_length[pos] < min_bytes) continue;
        std::size_t stop = pos + static_cast<std::size_t>(best_length[pos]);
        while (stop > pos && IsContinuation(chunk_text[stop])) --stop;  // cut a partly matched character
        if (stop <= furthest) continue;  // inside a span that starts earlier
        furthest = stop;
        const std::uint64_t chars = chars_before[stop - begin] - chars_before[pos - begin];
        if (chars >= min_chars) {
          spans.push_back({pos, stop, chars, static_cast<std::uint64_t>(best_source[pos])});
        }
      }
      if (spans.empty()) continue;
      MemorisedDocument result;
      result.document = static_cast<std::uint32_t>(doc);
      result.spans = spans.size();
      result.document_chars = chars_before.back();
      std::size_t covered_to = begin;
      for (const Span& span : spans) {
        const std::size_t from = std::max(span.begin, covered_to);
        if (span.end > from) result.memorised_chars += chars_before[span.end - begin] - chars_before[from - begin];
        covered_to = std::max(covered_to, span.end);
      }
      std::vector<Span> ranked = spans;
      std::stable_sort(ranked.begin(), ranked.end(), [](const Span& a, const Span& b) { return a.chars > b.chars; });
      ranked.resize(std::min(ranked.size(), kMaxExamples));
      for (const Span& span : ranked) {
        MemorisedSpan example;
        example.offset_chars = chars_before[span.begin - begin];
        example.length_chars = span.chars;
        const std::size_t source_doc = source.TextAt(span.source_position);
        example.source = static_cast<std::uint32_t>(source_doc);
        const auto source_start = static_cast<std::size_t>(source.starts()[source_doc]);
        example.source_offset_chars = CountCodePoints(
            std::string_view(source_bytes).substr(source_start, static_cast<std::size_t>(span.source_position) - source_start));
        std::size_t cut = span.begin;
        for (std::uint64_t chars = 0; cut < span.end && chars <= kExampleChars; ++cut) {
          if (!IsContinuation(chunk_text[cut]) && ++chars > kExampleChars) break;
        }
        example.text = chunk_bytes.substr(span.begin, cut - span.begin);
        result.examples.push_back(std::move(example));
      }
      result.longest_chars = result.examples.front().length_chars;
      result.source = result.examples.front().source;
      found[task_idx].push_back(std::move(result));
    }
    return Status::Ok();
  }));
  std::vector<MemorisedDocument> all;
  for (std::vector<MemorisedDocument>& part : found) {
    for (MemorisedDocument& doc : part) all.push_back(std::move(doc));
  }
  return all;
}

}  // namespace

SourceWindows::SourceWindows(const ConcatenatedTexts& source, std::uint32_t min_chars)
    : window_(std::max<std::size_t>(1, min_chars / 2)), step_(std::max<std::size_t>(1, min_chars - window_ + 1)) {
  for (std::size_t doc = 0; doc < source.size(); ++doc) {
    const std::string_view text = source.Text(doc);
    for (std::size_t start = 0; start + window_ <= text.size(); ++start) {
      hashes_.push_back(text_internal::Hash64(text.data() + start, window_, text_internal::kWindowSeed));
    }
  }
  std::sort(hashes_.begin(), hashes_.end());
  hashes_.erase(std::unique(hashes_.begin(), hashes_.end()), hashes_.end());
  filter_.assign((std::size_t{1} << kFilterBits) / 64, 0);
  for (std::uint64_t hash : hashes_) {
    const std::uint64_t bit = hash >> (64 - kFilterBits);
    filter_[bit / 64] |= std::uint64_t{1} << (bit % 64);
  }
}

bool SourceWindows::Contains(std::uint64_t hash) const {
  const std::uint64_t bit = hash >> (64 - kFilterBits);
  if ((filter_[bit / 64] & (std::uint64_t{1} << (bit % 64))) == 0) return false;
  return std::binary_search(hashes_.begin(), hashes_.end(), hash);
}

bool SourceWindows::MayShare(std::string_view text) const {
  if (hashes_.empty()) return false;
  for (std::size_t start = 0; start + window_ <= text.size(); start += step_) {
    if (Contains(text_internal::Hash64(text.data() + start, window_, text_internal::kWindowSeed))) return true;
  }
  return false;
}

void ConcatenatedTexts::Add(std::string_view text) {
  bytes_ += text;
  bytes_ += separator_;
  starts_.push_back(bytes_.size());
}

void ConcatenatedTexts::Clear() {
  bytes_.clear();
  starts_.assign(1, 0);
}

std::size_t ConcatenatedTexts::TextAt(std::uint64_t offset) const {
  const auto after = std::upper_bound(starts_.begin(), starts_.end(), offset);
  return static_cast<std::size_t>(after - starts_.begin()) - 1;
}

std::string_view ConcatenatedTexts::Text(std::size_t idx) const {
  return std::string_view(bytes_).substr(static_cast<std::size_t>(starts_[idx]),
                                         static_cast<std::size_t>(starts_[idx + 1] - starts_[idx] - 1));
}

Result<std::vector<MemorisedDocument>> FindMemorisedSpans(const ConcatenatedTexts& source,
                                                           const ConcatenatedTexts& chunk, std::uint32_t min_chars,
                                                           ThreadPool& pool) {
  if (min_chars == 0) return InvalidArgument("the minimum memorised span must be at least 1 character, got 0");
  if (source.size() == 0 || chunk.size() == 0) return std::vector<MemorisedDocument>{};
  const std::uint64_t total = source.bytes().size() + chunk.bytes().size();
  if (total < static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max())) {
    return Find<std::int32_t>(source, chunk, min_chars, pool);
  }
  return Find<std::int64_t>(source, chunk, min_chars, pool);
}

}  // namespace synthscale::text
