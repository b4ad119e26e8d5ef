#include "synthscale/text/memorisation.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "synthscale/core/random_stream.h"
#include "synthscale/text/scan.h"

namespace synthscale::text {
namespace {

std::vector<std::uint32_t> CodePoints(const std::string& text) {
  std::vector<std::uint32_t> out;
  std::size_t pos = 0;
  while (pos < text.size()) out.push_back(DecodeUtf8(text, &pos));
  return out;
}

// Independent reference: the longest common substring (in code points) of `doc` with
// any of `sources`, by dynamic programming; and the source with the smallest index
// reaching it.
std::pair<std::size_t, std::size_t> LongestShared(const std::string& doc, const std::vector<std::string>& sources) {
  const std::vector<std::uint32_t> a = CodePoints(doc);
  std::size_t best = 0, best_source = 0;
  for (std::size_t src = 0; src < sources.size(); ++src) {
    const std::vector<std::uint32_t> b = CodePoints(sources[src]);
    std::vector<std::size_t> previous(b.size() + 1, 0), current(b.size() + 1, 0);
    for (std::size_t i = 1; i <= a.size(); ++i) {
      for (std::size_t j = 1; j <= b.size(); ++j) {
        current[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : 0;
        if (current[j] > best) best = current[j], best_source = src;
      }
      std::swap(previous, current);
    }
  }
  return {best, best_source};
}

// Random text over a small alphabet with multi-byte characters, so that shared spans of
// every length occur and the byte/code-point distinction matters.
std::string RandomText(RandomStream& stream, std::size_t chars) {
  static const char* kAlphabet[] = {"a", "b", " ", "é", "ß", "Ж", "€", "😀"};
  std::string text;
  for (std::size_t idx = 0; idx < chars; ++idx) text += kAlphabet[stream.UniformBelow(8)];
  return text;
}

TEST(Memorisation, MatchesBruteForceOnRandomText) {
  RandomStream stream(11, "test.memorisation", 0);
  std::vector<std::string> sources;
  ConcatenatedTexts source(kSourceSeparator);
  for (int idx = 0; idx < 6; ++idx) {
    sources.push_back(RandomText(stream, 150));
    source.Add(sources.back());
  }
  std::vector<std::string> docs;
  ConcatenatedTexts chunk(kSyntheticSeparator);
  for (int idx = 0; idx < 30; ++idx) {
    std::string doc = RandomText(stream, 80);
    if (idx % 3 == 0) {  // plant a span of 8..40 code points of a random source
      const std::vector<std::uint32_t> from = CodePoints(sources[stream.UniformBelow(sources.size())]);
      const std::size_t length = 8 + stream.UniformBelow(33);
      const std::size_t start = stream.UniformBelow(from.size() - length);
      // Insert at the 20th character (not byte), so the document stays valid UTF-8.
      std::vector<std::uint32_t> chars = CodePoints(doc);
      chars.insert(chars.begin() + 20, from.begin() + static_cast<std::ptrdiff_t>(start),
                   from.begin() + static_cast<std::ptrdiff_t>(start + length));
      doc.clear();
      for (std::uint32_t cp : chars) AppendUtf8(cp, doc);
    }
    docs.push_back(doc);
    chunk.Add(doc);
  }
  ThreadPool pool(3);
  constexpr std::uint32_t kMin = 12;
  Result<std::vector<MemorisedDocument>> found = FindMemorisedSpans(source, chunk, kMin, pool);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  std::size_t next = 0;
  for (std::size_t doc = 0; doc < docs.size(); ++doc) {
    const auto [longest, source_idx] = LongestShared(docs[doc], sources);
    if (longest < kMin) {
      EXPECT_TRUE(next == found->size() || (*found)[next].document != doc) << "false positive, document " << doc;
      continue;
    }
    ASSERT_LT(next, found->size()) << "missed document " << doc;
    const MemorisedDocument& result = (*found)[next++];
    ASSERT_EQ(result.document, doc);
    EXPECT_EQ(result.longest_chars, longest) << "document " << doc;
    // The reported span occurs in the reported source, at the reported offset.
    const MemorisedSpan& span = result.examples.front();
    const std::vector<std::uint32_t> in_source = CodePoints(sources[span.source]);
    const std::vector<std::uint32_t> in_doc = CodePoints(docs[doc]);
    ASSERT_LE(span.source_offset_chars + span.length_chars, in_source.size());
    EXPECT_TRUE(std::equal(in_doc.begin() + static_cast<std::ptrdiff_t>(span.offset_chars),
                           in_doc.begin() + static_cast<std::ptrdiff_t>(span.offset_chars + span.length_chars),
                           in_source.begin() + static_cast<std::ptrdiff_t>(span.source_offset_chars)));
    EXPECT_EQ(CodePoints(span.text).size(), std::min<std::size_t>(span.length_chars, kExampleChars));
    EXPECT_GE(result.memorised_chars, result.longest_chars);
    EXPECT_EQ(result.document_chars, in_doc.size());
  }
  EXPECT_EQ(next, found->size());
}

TEST(Memorisation, ResultsDoNotDependOnChunking) {
  RandomStream stream(5, "test.memorisation", 1);
  ConcatenatedTexts source(kSourceSeparator);
  std::vector<std::string> sources;
  for (int idx = 0; idx < 4; ++idx) {
    sources.push_back(RandomText(stream, 300));
    source.Add(sources.back());
  }
  source.Add(sources[1]);  // a repeated source document: ties are broken the same way
  std::vector<std::string> docs;
  for (std::size_t idx = 0; idx < 20; ++idx) {
    const std::vector<std::uint32_t> from = CodePoints(sources[idx % 4]);
    std::string doc = RandomText(stream, 30);
    for (std::size_t cp = 0; cp < 60 + idx; ++cp) AppendUtf8(from[cp], doc);
    docs.push_back(doc);
  }
  ConcatenatedTexts whole(kSyntheticSeparator);
  for (const std::string& doc : docs) whole.Add(doc);
  ThreadPool pool(2);
  Result<std::vector<MemorisedDocument>> all = FindMemorisedSpans(source, whole, 20, pool);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), docs.size());
  for (std::size_t split : {1u, 7u, 13u}) {
    std::vector<MemorisedDocument> pieces;
    for (std::size_t begin = 0; begin < docs.size(); begin += split) {
      ConcatenatedTexts chunk(kSyntheticSeparator);
      for (std::size_t doc = begin; doc < std::min(docs.size(), begin + split); ++doc) chunk.Add(docs[doc]);
      Result<std::vector<MemorisedDocument>> found = FindMemorisedSpans(source, chunk, 20, pool);
      ASSERT_TRUE(found.ok());
      for (MemorisedDocument& doc : *found) {
        doc.document += static_cast<std::uint32_t>(begin);
        pieces.push_back(std::move(doc));
      }
    }
    ASSERT_EQ(pieces.size(), all->size());
    for (std::size_t idx = 0; idx < pieces.size(); ++idx) {
      EXPECT_EQ(pieces[idx].document, (*all)[idx].document);
      EXPECT_EQ(pieces[idx].longest_chars, (*all)[idx].longest_chars);
      EXPECT_EQ(pieces[idx].source, (*all)[idx].source);
      EXPECT_EQ(pieces[idx].examples.front().source_offset_chars, (*all)[idx].examples.front().source_offset_chars);
    }
  }
}

TEST(Memorisation, SpansNeverCrossDocumentBoundaries) {
  ConcatenatedTexts source(kSourceSeparator);
  source.Add("abcdefghij");
  source.Add("klmnopqrst");
  ConcatenatedTexts chunk(kSyntheticSeparator);
  chunk.Add("xxabcdefghij");  // 10 shared characters, then the end of both documents
  chunk.Add("klmnopqrstyy");
  ThreadPool pool(1);
  Result<std::vector<MemorisedDocument>> found = FindMemorisedSpans(source, chunk, 10, pool);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].longest_chars, 10u);
  EXPECT_EQ((*found)[0].source, 0u);
  EXPECT_EQ((*found)[1].longest_chars, 10u);
  EXPECT_EQ((*found)[1].source, 1u);
  Result<std::vector<MemorisedDocument>> longer = FindMemorisedSpans(source, chunk, 11, pool);
  ASSERT_TRUE(longer.ok());
  EXPECT_TRUE(longer->empty());
}

TEST(Memorisation, CountsCodePointsNotBytes) {
  ConcatenatedTexts source(kSourceSeparator);
  source.Add("ЖЖЖЖЖ plain");  // 5 two-byte letters
  ConcatenatedTexts chunk(kSyntheticSeparator);
  chunk.Add("ЖЖЖЖЖ");
  ThreadPool pool(1);
  EXPECT_EQ(FindMemorisedSpans(source, chunk, 6, pool)->size(), 0u);  // 10 bytes, 5 characters
  Result<std::vector<MemorisedDocument>> found = FindMemorisedSpans(source, chunk, 5, pool);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].longest_chars, 5u);
  EXPECT_EQ((*found)[0].examples[0].text, "ЖЖЖЖЖ");
}

TEST(Memorisation, PartlyMatchedCharacterIsCutOff) {
  // "Ж" (D0 96) and "З" (D0 97) share their first byte: the match is 3 characters, not 3.5.
  ConcatenatedTexts source(kSourceSeparator);
  source.Add("abcЖ");
  ConcatenatedTexts chunk(kSyntheticSeparator);
  chunk.Add("abcЗ");
  ThreadPool pool(1);
  Result<std::vector<MemorisedDocument>> found = FindMemorisedSpans(source, chunk, 3, pool);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].longest_chars, 3u);
  EXPECT_EQ((*found)[0].examples[0].text, "abc");
}

// The prefilter is a necessary condition: it never rejects a document the suffix array
// reports, for minima from 8 (the smallest allowed) to 60, and it does reject unrelated text.
TEST(SourceWindows, NeverRejectsADocumentThatSharesASpan) {
  RandomStream stream(21, "test.memorisation", 2);
  ConcatenatedTexts source(kSourceSeparator);
  std::vector<std::string> sources;
  for (int idx = 0; idx < 5; ++idx) {
    sources.push_back(RandomText(stream, 200));
    source.Add(sources.back());
  }
  ThreadPool pool(2);
  for (std::uint32_t min_chars : {8u, 9u, 13u, 50u, 51u, 60u}) {
    ConcatenatedTexts chunk(kSyntheticSeparator);
    std::vector<std::string> docs;
    for (std::size_t idx = 0; idx < 40; ++idx) {
      const std::vector<std::uint32_t> from = CodePoints(sources[idx % 5]);
      const std::size_t length = min_chars + stream.UniformBelow(5);
      const std::size_t start = stream.UniformBelow(from.size() - length);
      std::string doc = RandomText(stream, stream.UniformBelow(30));  // any alignment
      for (std::size_t cp = start; cp < start + length; ++cp) AppendUtf8(from[cp], doc);
      doc += RandomText(stream, 10);
      docs.push_back(doc);
      chunk.Add(doc);
    }
    const SourceWindows windows(source, min_chars);
    Result<std::vector<MemorisedDocument>> found = FindMemorisedSpans(source, chunk, min_chars, pool);
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(found->size(), docs.size()) << min_chars;
    for (const MemorisedDocument& doc : *found) EXPECT_TRUE(windows.MayShare(docs[doc.document])) << min_chars;
  }
  const SourceWindows windows(source, 50);
  EXPECT_EQ(windows.window(), 25u);
  EXPECT_EQ(windows.step(), 26u);
  EXPECT_FALSE(windows.MayShare("a completely different text that has no letters of the alphabet used above"));
  EXPECT_FALSE(windows.MayShare("short"));
}

TEST(Memorisation, EmptyInputsAndBadMinimum) {
  ConcatenatedTexts source(kSourceSeparator);
  ConcatenatedTexts chunk(kSyntheticSeparator);
  chunk.Add("text");
  ThreadPool pool(1);
  EXPECT_TRUE(FindMemorisedSpans(source, chunk, 5, pool)->empty());
  EXPECT_EQ(FindMemorisedSpans(source, chunk, 0, pool).status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace synthscale::text
