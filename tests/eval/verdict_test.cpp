#include "synthscale/eval/verdict.h"

#include <gtest/gtest.h>

namespace synthscale::eval {
namespace {

using nlohmann::json;

json Entry(double value) { return {{"value", value}, {"ci", {nullptr, nullptr}}}; }

json Check(const json& verdicts, const std::string& section, const std::string& key) {
  for (const json& check : verdicts[section]["checks"]) {
    if (check["key"] == key) return check;
  }
  ADD_FAILURE() << "no check " << key << " in " << section;
  return json();
}

TEST(Verdict, ThresholdsGiveEachVerdict) {
  json report = {{"summary",
                  {{"detection_auc", Entry(0.9997)},
                   {"tstr_over_trtr", Entry(0.9)},
                   {"tvd_2way_mean", Entry(0.04)},
                   {"tvd_2way_score", Entry(960.0)}}}};
  const json verdicts = BuildVerdicts(report);
  EXPECT_EQ(verdicts["detection"]["verdict"], "fail");  // 0.9997 - 0.5 > 0.30
  EXPECT_EQ(verdicts["utility"]["verdict"], "caution");  // 1 - 0.9 in (0.05, 0.20]
  EXPECT_EQ(verdicts["fidelity"]["verdict"], "pass");   // 0.04 - 0 <= 0.05
  EXPECT_EQ(verdicts["privacy"]["verdict"], "not computed");
  EXPECT_EQ(verdicts["fairness"]["verdict"], "not computed");
  EXPECT_EQ(Check(verdicts, "detection", "detection_auc")["expected"], 0.5);
  EXPECT_NE(verdicts["detection"]["text"].get<std::string>().find("AUC 0.9997"), std::string::npos)
      << verdicts["detection"]["text"];
  // Only judged entries become checks.
  for (const json& check : verdicts["fidelity"]["checks"]) EXPECT_NE(check["key"], "tvd_2way_score");
}

TEST(Verdict, FidelityIsJudgedAgainstTheHoldoutBaseline) {
  json report = {{"summary", {{"tvd_2way_mean", Entry(0.20)}}}};
  EXPECT_EQ(BuildVerdicts(report)["fidelity"]["verdict"], "fail");  // 0.20 > 0.15 without a baseline
  report["baselines"] = {{"values", {{"tvd_2way_mean", 0.17}}}, {"subsample_equivalent", {{"fraction", 0.05}}}};
  const json verdicts = BuildVerdicts(report);
  EXPECT_EQ(verdicts["fidelity"]["verdict"], "pass");  // 0.20 - 0.17 <= 0.05
  const json check = Check(verdicts, "fidelity", "tvd_2way_mean");
  EXPECT_DOUBLE_EQ(check["baseline"].get<double>(), 0.17);
  EXPECT_NEAR(check["gap"].get<double>(), 0.03, 1e-12);
  const std::string text = verdicts["fidelity"]["text"];
  EXPECT_NE(text.find("0.17"), std::string::npos) << text;
  EXPECT_NE(text.find("subsample of 5.0 %"), std::string::npos) << text;
}

TEST(Verdict, DcrShareIsJudgedAgainstTheTrainShare) {
  // 80/20 split: 0.803 is what a perfect generator gives, not memorisation.
  json report = {{"summary", {{"dcr_share_closer_to_train", Entry(0.803)}}},
                 {"sections",
                  {{"privacy", {{"distance_to_closest_record", {{"details", {{"expected_share_if_not_memorised", 0.8}}}}}}}}}};
  json verdicts = BuildVerdicts(report);
  EXPECT_EQ(verdicts["privacy"]["verdict"], "pass");
  EXPECT_DOUBLE_EQ(Check(verdicts, "privacy", "dcr_share_closer_to_train")["expected"].get<double>(), 0.8);
  report["summary"]["dcr_share_closer_to_train"] = Entry(0.95);
  verdicts = BuildVerdicts(report);
  EXPECT_EQ(verdicts["privacy"]["verdict"], "fail");
}

TEST(Verdict, SectionTakesItsWorstCheckAndSaysSo) {
  json report = {{"summary",
                  {{"representation_ratio_worst.race", Entry(0.9)},
                   {"representation_ratio_highest.race", Entry(4.2)}}},
                 {"sections",
                  {{"subgroups",
                    {{"subgroups",
                      {{"details",
                        {{"race",
                          {{"worst_group", "White"},
                           {"highest_group", "Other"},
                           {"flagged", json::array({{{"group", "Other"}, {"flag", "over-represented"}}})}}}}}}}}}}}};
  const json verdicts = BuildVerdicts(report);
  EXPECT_EQ(verdicts["fairness"]["verdict"], "fail");  // 4.2 - 1 > 1.0
  const std::string text = verdicts["fairness"]["text"];
  EXPECT_EQ(text.rfind("The least represented group, race = White", 0), 0u) << text;
  EXPECT_NE(text.find("but the most represented group, race = Other, has 4.2 times"), std::string::npos) << text;
  EXPECT_NE(text.find("1 group(s) of race flagged"), std::string::npos) << text;
}

TEST(Verdict, MissingValuesAreNotComputedNotPassed) {
  json report = {{"summary", {{"tstr_over_trtr", {{"value", nullptr}, {"ci", {nullptr, nullptr}}}}}}};
  const json verdicts = BuildVerdicts(report);
  EXPECT_EQ(verdicts["utility"]["verdict"], "not computed");
  EXPECT_EQ(Check(verdicts, "utility", "tstr_over_trtr")["verdict"], "not computed");
}

}  // namespace
}  // namespace synthscale::eval
