#include "synthscale/table/json_locate.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace synthscale {
namespace {

// Escaped quotes and brackets inside keys and strings, a key that extends the target's
// name, UTF-8 before a value and a tab. Expected positions were counted with a Python
// script (str.index of the value, 1-based line and character column).
constexpr std::string_view kText = R"({
  "a\"}": {"x": "}{][\\", "y": [1, {"z": "\"]"}]},
  "targetx": 0,
  "target": [10, "str,with}chars", {"k": true, "l" : [ {"deep": "v"} ]}],
  "é": "ü", "after":	7
})";

void ExpectAt(const std::vector<JsonPathStep>& path, std::int64_t line, std::int64_t column) {
  const TextPosition position = LocateJsonPath(kText, path);
  EXPECT_EQ(position.line, line);
  EXPECT_EQ(position.column, column);
}

using Path = std::vector<JsonPathStep>;

TEST(LocateJsonPath, FindsNestedValues) {
  ExpectAt(Path{std::string("target"), std::size_t{2}, std::string("k")}, 4, 42);
  ExpectAt(Path{std::string("target"), std::size_t{2}, std::string("l"), std::size_t{0}, std::string("deep")}, 4, 65);
  ExpectAt(Path{std::string("target"), std::size_t{2}, std::string("l")}, 4, 54);
  ExpectAt(Path{std::string("target"), std::size_t{2}}, 4, 36);
  ExpectAt(Path{std::string("target"), std::size_t{1}}, 4, 18);
  ExpectAt(Path{std::string("target")}, 4, 13);
}

TEST(LocateJsonPath, MatchesWholeKeysOnly) {
  ExpectAt(Path{std::string("targetx")}, 3, 14);
}

TEST(LocateJsonPath, SkipsStringsWithEscapesAndBrackets) {
  // "after" follows values full of quotes, braces and brackets inside strings.
  ExpectAt(Path{std::string("after")}, 5, 22);
  ExpectAt(Path{std::string("a\\\"}"), std::string("x")}, 2, 17);
}

TEST(LocateJsonPath, FallsBackToDeepestExistingPrefix) {
  ExpectAt(Path{std::string("missing")}, 1, 1);
  ExpectAt(Path{std::string("target"), std::size_t{3}}, 4, 13);
  ExpectAt(Path{std::string("target"), std::size_t{2}, std::string("nope")}, 4, 36);
  ExpectAt(Path{std::string("target"), std::string("k")}, 4, 13);  // an array has no keys
  ExpectAt(Path{std::string("after"), std::size_t{0}}, 5, 22);     // a number has no elements
}

TEST(LocateJsonPath, EmptyPathIsTheRootValue) {
  ExpectAt(Path{}, 1, 1);
  const TextPosition indented = LocateJsonPath("\n\n   [1, 2]", Path{});
  EXPECT_EQ(indented.line, 3);
  EXPECT_EQ(indented.column, 4);
  const TextPosition element = LocateJsonPath("\n\n   [1, 2]", Path{std::size_t{1}});
  EXPECT_EQ(element.line, 3);
  EXPECT_EQ(element.column, 8);
}

TEST(LocateJsonPath, EmptyContainersAndTruncatedText) {
  EXPECT_EQ(LocateJsonPath("[]", Path{std::size_t{0}}).column, 1);
  EXPECT_EQ(LocateJsonPath("{}", Path{std::string("a")}).column, 1);
  // Unterminated text must not read past the end.
  const TextPosition truncated = LocateJsonPath(R"({"a": {"b": "unterminated)", Path{std::string("a"), std::string("c")});
  EXPECT_EQ(truncated.line, 1);
  EXPECT_EQ(truncated.column, 7);
  const TextPosition dangling = LocateJsonPath(R"({"a": "x\)", Path{std::string("b")});
  EXPECT_EQ(dangling.line, 1);
  EXPECT_EQ(dangling.column, 1);
}

TEST(PositionOfOffset, CountsLinesAndCharacters) {
  const std::string_view text = "ab\ncé\nd";
  EXPECT_EQ(PositionOfOffset(text, 0).line, 1);
  EXPECT_EQ(PositionOfOffset(text, 0).column, 1);
  EXPECT_EQ(PositionOfOffset(text, 2).column, 3);  // the newline itself
  EXPECT_EQ(PositionOfOffset(text, 3).line, 2);
  EXPECT_EQ(PositionOfOffset(text, 3).column, 1);
  // 'é' is two bytes but one character: 'd' is at line 3, and the newline after 'é' at column 3.
  EXPECT_EQ(PositionOfOffset(text, 6).line, 2);
  EXPECT_EQ(PositionOfOffset(text, 6).column, 3);
  EXPECT_EQ(PositionOfOffset(text, 7).line, 3);
  EXPECT_EQ(PositionOfOffset(text, 7).column, 1);
  // Past the end: the position just after the last character.
  EXPECT_EQ(PositionOfOffset(text, 100).line, 3);
  EXPECT_EQ(PositionOfOffset(text, 100).column, 2);
}

}  // namespace
}  // namespace synthscale
