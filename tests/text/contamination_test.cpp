#include "synthscale/text/contamination.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "synthscale/text/scan.h"

namespace synthscale::text {
namespace {

std::vector<std::uint64_t> Words(const std::string& text) {
  DocumentScanner scanner;
  scanner.Scan(text);
  return scanner.word_hashes();
}

TEST(ContaminationIndex, CountsDistinctItemNgramsFoundInADocument) {
  ContaminationIndex index(3);
  const std::uint32_t question = index.AddItem(Words("What is the capital of France? Paris."));  // 7 words: 5 trigrams
  const std::uint32_t short_item = index.AddItem(Words("Too short"));
  const std::uint32_t other = index.AddItem(Words("Name three rivers in Poland"));
  index.Finish();
  EXPECT_EQ(index.ngrams(question), 5u);
  EXPECT_EQ(index.ngrams(short_item), 0u);
  EXPECT_EQ(index.items(), 3u);

  std::vector<std::pair<std::uint32_t, std::uint64_t>> scratch;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> hits;
  // Case and punctuation do not matter; a repeated n-gram counts once.
  index.Match(Words("Quiz: WHAT IS THE CAPITAL of france -- what is the capital"), scratch, hits);
  EXPECT_EQ(hits, (std::vector<std::pair<std::uint32_t, std::uint32_t>>{{question, 4}}));
  index.Match(Words("name three rivers in poland. what is the capital of france paris"), scratch, hits);
  EXPECT_EQ(hits, (std::vector<std::pair<std::uint32_t, std::uint32_t>>{{question, 5}, {other, 3}}));
  index.Match(Words("nothing to see"), scratch, hits);
  EXPECT_TRUE(hits.empty());
}

TEST(ContaminationIndex, EmptyIndexMatchesNothing) {
  ContaminationIndex index(13);
  index.Finish();
  std::vector<std::pair<std::uint32_t, std::uint64_t>> scratch;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> hits;
  index.Match(Words("a b c d e f g h i j k l m n o p"), scratch, hits);
  EXPECT_TRUE(hits.empty());
}

}  // namespace
}  // namespace synthscale::text
