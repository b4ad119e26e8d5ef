// The hand-written scanning kernels (utf8.h, byte_scan.h) against simple references.
#include "synthscale/io/utf8.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "synthscale/io/byte_scan.h"

namespace synthscale::csv_internal {
namespace {

std::size_t FirstBad(const std::string& text) { return ValidateUtf8(text.data(), text.size()).offset; }

TEST(Utf8, AcceptsWellFormedSequencesOfEveryLength) {
  const std::string text = "plain ASCII, caf\xC3\xA9, \xE2\x82\xAC, \xF0\x9F\x98\x80, \xF4\x8F\xBF\xBF, \xEF\xBB\xBF";
  EXPECT_EQ(FirstBad(text), text.size());
  EXPECT_EQ(FirstBad(""), 0u);
}

TEST(Utf8, RejectsIllFormedSequencesAtTheirFirstByte) {
  EXPECT_EQ(FirstBad("ab\x80"), 2u);                  // stray continuation byte
  EXPECT_EQ(FirstBad("ab\xC0\xAF"), 2u);              // overlong two-byte form
  EXPECT_EQ(FirstBad("ab\xC1\xBF"), 2u);
  EXPECT_EQ(FirstBad("ab\xE0\x80\x80"), 2u);          // overlong three-byte form
  EXPECT_EQ(FirstBad("ab\xED\xA0\x80"), 2u);          // UTF-16 surrogate
  EXPECT_EQ(FirstBad("ab\xF0\x80\x80\x80"), 2u);      // overlong four-byte form
  EXPECT_EQ(FirstBad("ab\xF4\x90\x80\x80"), 2u);      // above U+10FFFF
  EXPECT_EQ(FirstBad("ab\xF5\x80\x80\x80"), 2u);
  EXPECT_EQ(FirstBad("ab\xFF"), 2u);
  EXPECT_EQ(FirstBad("ab\xE2\x82"), 2u);              // cut short by the end
  EXPECT_EQ(FirstBad("ab\xE2\x28\xA1"), 2u);          // bad continuation
  const Utf8Check nul = ValidateUtf8("abc\0def", 7);
  EXPECT_EQ(nul.offset, 3u);
  EXPECT_TRUE(nul.nul);
  EXPECT_FALSE(ValidateUtf8("ab\xFF", 3).nul);
}

TEST(Utf8, FastPathFindsTheBadByteAtAnyPosition) {
  for (std::size_t pos = 0; pos < 70; ++pos) {
    std::string text(80, 'a');
    text[pos] = '\xFE';
    EXPECT_EQ(FirstBad(text), pos);
    text[pos] = '\0';
    EXPECT_EQ(FirstBad(text), pos);
  }
}

TEST(ByteScan, FindSpecialAndCountByteMatchAByteLoop) {
  std::mt19937 engine(20240601);  // fixed seed: the test is deterministic
  const std::string alphabet = "abc,;\"\r\n\xC3\xA9";
  for (int trial = 0; trial < 200; ++trial) {
    const std::size_t size = engine() % 100;
    std::string text(size + kScanPadding, '\n');
    for (std::size_t idx = 0; idx < size; ++idx) text[idx] = alphabet[engine() % alphabet.size()];
    const char* begin = text.data();
    const char* end = begin + size;
    for (const char delimiter : {',', ';'}) {
      for (const char* from = begin; from <= end; from += 7) {
        const char* expected = from;
        while (expected < end && *expected != delimiter && *expected != '\n' && *expected != '\r' &&
               *expected != '"') {
          ++expected;
        }
        EXPECT_EQ(FindSpecial(from, end, delimiter), expected);
      }
    }
    std::size_t quotes = 0;
    for (std::size_t idx = 0; idx < size; ++idx) quotes += text[idx] == '"' ? 1u : 0u;
    EXPECT_EQ(CountByte(begin, end, '"'), quotes);
  }
  // More than 255 rounds of 16 bytes: the 8-bit lane counters are widened in time.
  const std::string many(16 * 1000 + 5, '"');
  EXPECT_EQ(CountByte(many.data(), many.data() + many.size(), '"'), many.size());
}

}  // namespace
}  // namespace synthscale::csv_internal
