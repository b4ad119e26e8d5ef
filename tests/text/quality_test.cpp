#include "synthscale/text/quality.h"

#include <string>

#include <gtest/gtest.h>

#include "synthscale/text/scan.h"

namespace synthscale::text {
namespace {

RepetitionCounts Measure(const std::string& text) {
  DocumentScanner scanner;
  scanner.Scan(text);
  RepetitionScratch scratch;
  return MeasureRepetition(scanner.word_hashes(), scanner.word_chars(), scratch);
}

TEST(Repetition, NoRepeatsNoRepetition) {
  const RepetitionCounts counts = Measure("one two three four five six seven");
  EXPECT_EQ(counts.word_chars, 27u);
  EXPECT_EQ(counts.top_bigram_chars, 0u);
  EXPECT_EQ(counts.duplicate_5gram_chars, 0u);
}

TEST(Repetition, TopBigramAndDuplicate5grams) {
  // "a b c d e" twice, then "x": every word of both copies is in a repeated 5-gram.
  const RepetitionCounts counts = Measure("aa bb cc dd ee aa bb cc dd ee xx");
  EXPECT_EQ(counts.word_chars, 22u);
  EXPECT_EQ(counts.duplicate_5gram_chars, 20u);
  // Bigrams "aa bb", "bb cc", "cc dd", "dd ee" each twice: the first in the text wins, 2 x 4 chars.
  EXPECT_EQ(counts.top_bigram_chars, 8u);
}

TEST(Repetition, EmptyAndShortDocuments) {
  EXPECT_EQ(Measure("").word_chars, 0u);
  const RepetitionCounts counts = Measure("hello hello");
  EXPECT_EQ(counts.top_bigram_chars, 0u);  // one bigram, once
  EXPECT_EQ(counts.duplicate_5gram_chars, 0u);
}

}  // namespace
}  // namespace synthscale::text
