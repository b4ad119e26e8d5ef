#include "synthscale/text/audit_options.h"

#include <gtest/gtest.h>

namespace synthscale::text {
namespace {

TEST(TextAuditOptions, DefaultsAreValidAndRoundTrip) {
  const TextAuditOptions defaults;
  EXPECT_TRUE(defaults.Validate().ok());
  EXPECT_EQ(defaults.permutations(), 120u);
  nlohmann::json json = defaults.ToJson();
  Result<TextAuditOptions> again = TextAuditOptions::FromJson(json);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->ToJson(), json);
  // Every table entry is a key of ToJson, with the table's default.
  for (const AuditOptionInfo& info : AuditOptionTable()) {
    ASSERT_TRUE(json.contains(info.name)) << info.name;
    const std::string shown = json[info.name].is_string() ? json[info.name].get<std::string>() : json[info.name].dump();
    EXPECT_EQ(shown, info.default_value) << info.name;
  }
}

TEST(TextAuditOptions, FromJsonReadsEveryKind) {
  Result<TextAuditOptions> options = TextAuditOptions::FromJson(
      {{"format", "text"}, {"text_field", "body"}, {"bands", 10}, {"jaccard_threshold", 0.7}, {"seed", "18446744073709551615"}});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->corpus.format, CorpusFormat::kText);
  EXPECT_EQ(options->corpus.text_field, "body");
  EXPECT_EQ(options->bands, 10u);
  EXPECT_DOUBLE_EQ(options->jaccard_threshold, 0.7);
  EXPECT_EQ(options->seed, 18446744073709551615ull);
}

TEST(TextAuditOptions, ErrorsNameTheOption) {
  const auto message = [](const nlohmann::json& json) { return TextAuditOptions::FromJson(json).status().message(); };
  EXPECT_NE(message({{"shingles", 5}}).find("unknown text audit option 'shingles'; known options: format"), std::string::npos);
  EXPECT_NE(message({{"jaccard_threshold", 1.5}}).find("jaccard_threshold must be in [0.05, 1], got 1.5"),
            std::string::npos);
  EXPECT_NE(message({{"bands", -1}}).find("bands must be a non-negative integer"), std::string::npos);
  EXPECT_NE(message({{"bands", 0}}).find("bands must be in [1, 512], got 0"), std::string::npos);
  EXPECT_NE(message({{"rows", 2.5}}).find("rows must be a non-negative integer"), std::string::npos);
  EXPECT_NE(message({{"format", "csv"}}).find("choose auto, jsonl or text"), std::string::npos);
  EXPECT_NE(message({{"seed", "-3"}}).find("seed must be a non-negative integer"), std::string::npos);
  EXPECT_NE(message({{"id_field", "text"}}).find("must differ"), std::string::npos);
  EXPECT_NE(message({{"text_field", ""}}).find("text_field must not be empty"), std::string::npos);
  EXPECT_NE(message(nlohmann::json::array()).find("JSON object"), std::string::npos);
}

TEST(TextAuditOptions, FlagNames) { EXPECT_EQ(AuditOptionFlag("min_span_chars"), "--min-span-chars"); }

}  // namespace
}  // namespace synthscale::text
