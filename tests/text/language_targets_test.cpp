#include "synthscale/text/language_targets.h"

#include <gtest/gtest.h>

#include "text_test_util.h"

namespace synthscale::text {
namespace {

TEST(LanguageTargets, WeightsBecomeSharesSortedByCode) {
  Result<std::vector<LanguageTarget>> targets = ParseLanguageTargets(R"({"fr": 1, "de": 3})", "t.json");
  ASSERT_TRUE(targets.ok()) << targets.status().ToString();
  ASSERT_EQ(targets->size(), 2u);
  EXPECT_EQ((*targets)[0].code, "de");
  EXPECT_DOUBLE_EQ((*targets)[0].share, 0.75);
  EXPECT_EQ((*targets)[1].code, "fr");
  EXPECT_DOUBLE_EQ((*targets)[1].share, 0.25);
}

TEST(LanguageTargets, ErrorsNameTheProblem) {
  Result<std::vector<LanguageTarget>> syntax = ParseLanguageTargets("{\n  \"de\": 0.5,\n}", "t.json");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.status().code(), ErrorCode::kInvalidData);
  EXPECT_EQ(syntax.status().location().line, 3);
  EXPECT_EQ(syntax.status().location().file, "t.json");
  EXPECT_NE(ParseLanguageTargets(R"({"german": 1})", "t.json").status().message().find("unknown language code 'german'"),
            std::string::npos);
  EXPECT_NE(ParseLanguageTargets(R"({"de": -1})", "t.json").status().message().find("positive number"),
            std::string::npos);
  EXPECT_NE(ParseLanguageTargets(R"({"de": "half"})", "t.json").status().message().find("positive number"),
            std::string::npos);
  EXPECT_NE(ParseLanguageTargets("{}", "t.json").status().message().find("non-empty JSON object"), std::string::npos);
  EXPECT_NE(ParseLanguageTargets("[1]", "t.json").status().message().find("non-empty JSON object"), std::string::npos);
}

TEST(LanguageTargets, ReadsFiles) {
  testing::TempDir dir;
  EXPECT_EQ(ReadLanguageTargets(dir.File("missing.json")).status().code(), ErrorCode::kIO);
  EXPECT_EQ(ReadLanguageTargets(dir.path()).status().code(), ErrorCode::kIO);
  Result<std::vector<LanguageTarget>> targets =
      ReadLanguageTargets(testing::WriteFile(dir.File("t.json"), R"({"pl": 2})"));
  ASSERT_TRUE(targets.ok());
  EXPECT_DOUBLE_EQ((*targets)[0].share, 1.0);
}

}  // namespace
}  // namespace synthscale::text
