#include "synthscale/text/scan.h"

#include <string>

#include <gtest/gtest.h>

namespace synthscale::text {
namespace {

TEST(DocumentScanner, WordsAreCaseFoldedAndPunctuationFree) {
  DocumentScanner a;
  DocumentScanner b;
  a.Scan("Größe: ÄRGER, l'Été -- 42x!");
  b.Scan("größe ärger L ÉTÉ 42X");
  EXPECT_EQ(a.word_hashes(), b.word_hashes());
  EXPECT_EQ(a.word_hashes().size(), 5u);  // größe ärger l été 42x
  EXPECT_EQ(a.word_chars(), (std::vector<std::uint32_t>{5, 5, 1, 3, 3}));
}

TEST(DocumentScanner, CountsCharacterClassesInCodePoints) {
  DocumentScanner scanner;
  scanner.Scan("Ab1 ,€\x01é");
  const CharacterCounts& counts = scanner.counts();
  EXPECT_EQ(counts.chars, 8u);
  EXPECT_EQ(counts.letters, 3u);  // A b é
  EXPECT_EQ(counts.digits, 1u);
  EXPECT_EQ(counts.whitespace, 1u);
  EXPECT_EQ(counts.punctuation, 1u);
  EXPECT_EQ(counts.symbols, 1u);  // €
  EXPECT_EQ(counts.other, 1u);    // U+0001
}

TEST(DocumentScanner, ScriptsWithoutSpacesHaveOneWordPerCharacter) {
  DocumentScanner scanner;
  scanner.Scan("東京都の大学 ok");
  EXPECT_EQ(scanner.word_hashes().size(), 7u);  // 東 京 都 の 大 学 ok
  EXPECT_EQ(ScriptCode(scanner.dominant_script()), "Hani");
}

TEST(DocumentScanner, DominantScript) {
  DocumentScanner scanner;
  scanner.Scan("Привет, мир! Hello");
  EXPECT_EQ(ScriptCode(scanner.dominant_script()), "Cyrl");
  scanner.Scan("Hello мир");
  EXPECT_EQ(ScriptCode(scanner.dominant_script()), "Latn");
  scanner.Scan("123 ...");
  EXPECT_EQ(scanner.dominant_script(), -1);
  EXPECT_EQ(ScriptCode(-1), "Zyyy");
}

TEST(DocumentScanner, IllFormedBytesCountAsOtherAndSplitWords) {
  DocumentScanner scanner;
  scanner.Scan(std::string("ab\xFF" "cd\xC3"));
  EXPECT_EQ(scanner.word_hashes().size(), 2u);
  EXPECT_EQ(scanner.counts().other, 2u);
  EXPECT_EQ(scanner.counts().chars, 6u);
  scanner.Scan("ab\xEF\xBF\xBD");  // a real U+FFFD is a symbol
  EXPECT_EQ(scanner.counts().symbols, 1u);
  EXPECT_EQ(scanner.counts().other, 0u);
}

TEST(DocumentScanner, EmptyText) {
  DocumentScanner scanner;
  scanner.Scan("");
  EXPECT_TRUE(scanner.word_hashes().empty());
  EXPECT_EQ(scanner.counts().chars, 0u);
}

TEST(Utf8, DecodeAppendAndCount) {
  const std::string text = "aé€😀";
  std::size_t pos = 0;
  std::string again;
  while (pos < text.size()) AppendUtf8(DecodeUtf8(text, &pos), again);
  EXPECT_EQ(again, text);
  EXPECT_EQ(CountCodePoints(text), 4u);
  pos = 0;
  EXPECT_EQ(DecodeUtf8("\xE0\x80\x80", &pos), 0xFFFDu);  // overlong
  EXPECT_EQ(pos, 1u);
  pos = 0;
  EXPECT_EQ(DecodeUtf8("\xED\xA0\x80", &pos), 0xFFFDu);  // surrogate
}

}  // namespace
}  // namespace synthscale::text
