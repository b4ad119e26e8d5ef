#include "synthscale/eval/report.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "synthscale/eval/bootstrap.h"
#include "synthscale/eval/metric.h"

namespace synthscale::eval {
namespace {

// Schema: group in {a, b, c}; size integer 0..9 in 5 bins of two values.
Schema GroupSchema() {
  ColumnSchema group;
  group.name = "group";
  group.type = ColumnType::kCategorical;
  group.categories = {"a", "b", "c"};
  ColumnSchema size;
  size.name = "size";
  size.type = ColumnType::kInteger;
  size.min = 0;
  size.max = 9;
  size.bins = 5;
  return Schema({group, size});
}

Table GroupTable(const std::vector<const char*>& groups, const std::vector<int>& sizes) {
  Column group;
  group.name = "group";
  group.type = ColumnType::kCategorical;
  Column size;
  size.name = "size";
  size.type = ColumnType::kInteger;
  for (std::size_t row = 0; row < groups.size(); ++row) {
    if (groups[row] == nullptr) group.AppendNull(); else group.AppendCategory(groups[row]);
    if (sizes[row] < 0) size.AppendNull(); else size.AppendInt(sizes[row]);
  }
  Table table;
  table.AddColumn(std::move(group));
  table.AddColumn(std::move(size));
  table.SetNumRows(groups.size());
  return table;
}

// Repeat each (group, size) pair `count` times.
Table Repeated(const std::vector<std::pair<const char*, int>>& rows, std::size_t count) {
  std::vector<const char*> groups;
  std::vector<int> sizes;
  for (const auto& [group, size] : rows) {
    for (std::size_t i = 0; i < count; ++i) {
      groups.push_back(group);
      sizes.push_back(size);
    }
  }
  return GroupTable(groups, sizes);
}

EvalInputs Prepare(const Table& real, const Table& synthetic, EvalOptions options, const Context& ctx) {
  Result<EvalInputs> inputs = PrepareEvalInputs(GroupSchema(), real, nullptr, synthetic, std::move(options), ctx);
  EXPECT_TRUE(inputs.ok()) << inputs.status().ToString();
  return std::move(inputs).value();
}

TEST(EvalInputs, EncodesCodesAndNumbers) {
  const Context ctx(1);
  const Table real = GroupTable({"a", "b", nullptr}, {0, 9, -1});
  const Table synthetic = GroupTable({"c", "zz"}, {3, 42});
  const EvalInputs inputs = Prepare(real, synthetic, {}, ctx);
  ASSERT_EQ(inputs.columns.size(), 2u);
  EXPECT_EQ(inputs.columns[0].cardinality(), 5u);  // a, b, c, missing, out of domain
  EXPECT_EQ(inputs.real.codes[0], (std::vector<std::uint32_t>{0, 1, 3}));
  EXPECT_EQ(inputs.synthetic.codes[0], (std::vector<std::uint32_t>{2, 4}));
  EXPECT_EQ(inputs.real.codes[1], (std::vector<std::uint32_t>{0, 4, 5}));  // 9 -> bin {8, 9}; missing = 5
  EXPECT_TRUE(inputs.real.numeric[0].empty());
  EXPECT_DOUBLE_EQ(inputs.real.numeric[1][1], 9.0);
  EXPECT_TRUE(std::isnan(inputs.real.numeric[1][2]));
  EXPECT_EQ(inputs.synthetic.codes[1][1], 6u);  // 42 is out of domain
  // Quasi-identifiers default to every column but the sensitive and the target.
  EvalOptions options;
  options.sensitive = {"group"};
  const EvalInputs audited = Prepare(real, synthetic, options, ctx);
  EXPECT_EQ(audited.quasi_identifiers, (std::vector<std::size_t>{1}));
}

TEST(EvalInputs, RefusesUnknownColumnsAndEmptyTables) {
  const Context ctx(1);
  const Table real = GroupTable({"a"}, {1});
  EvalOptions options;
  options.sensitive = {"colour"};
  Result<EvalInputs> unknown = PrepareEvalInputs(GroupSchema(), real, nullptr, real, options, ctx);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("'colour'"), std::string::npos);
  Result<EvalInputs> empty = PrepareEvalInputs(GroupSchema(), real, nullptr, GroupTable({}, {}), {}, ctx);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("synthetic table has no rows"), std::string::npos);
  EvalOptions bad;
  bad.confidence = 1.5;
  EXPECT_FALSE(PrepareEvalInputs(GroupSchema(), real, nullptr, real, bad, ctx).ok());
}

TEST(Bootstrap, ResampleCountsKeepsTotalsAndEmptyCells) {
  RandomStream stream(1, "test", 0);
  const std::vector<std::uint64_t> counts = {5, 0, 20, 75};
  std::vector<std::uint64_t> out(4);
  std::uint64_t sum_third = 0;
  for (int r = 0; r < 2000; ++r) {
    ResampleCounts(counts, stream, out);
    EXPECT_EQ(out[0] + out[1] + out[2] + out[3], 100u);
    EXPECT_EQ(out[1], 0u);
    sum_third += out[3];
  }
  // E[out[3]] = 75; the mean of 2000 draws has sd sqrt(100 * .75 * .25 / 2000) ~ 0.1.
  EXPECT_NEAR(static_cast<double>(sum_third) / 2000.0, 75.0, 0.5);
}

TEST(Bootstrap, MeanIntervalCoversAndIsDeterministic) {
  const Context one(1);
  const Context four(4);
  std::vector<double> values;
  for (int i = 0; i < 400; ++i) values.push_back(i % 2);  // mean 0.5, sd 0.5
  EvalOptions options;
  options.seed = 9;
  const Estimate a = MeanWithInterval(values, options, "mean", one).value();
  const Estimate b = MeanWithInterval(values, options, "mean", four).value();
  EXPECT_DOUBLE_EQ(a.value, 0.5);
  EXPECT_EQ(a.ci_low, b.ci_low);
  EXPECT_EQ(a.ci_high, b.ci_high);
  // A 95% interval of a mean with standard error 0.025 is about 0.5 +- 0.049.
  EXPECT_NEAR(a.ci_low, 0.451, 0.012);
  EXPECT_NEAR(a.ci_high, 0.549, 0.012);
  options.bootstrap_replicates = 0;
  EXPECT_TRUE(std::isnan(MeanWithInterval(values, options, "mean", one)->ci_low));
}

TEST(SubgroupMetric, RepresentationRatiosAndGroupFidelity) {
  const Context ctx(2);
  // Real: 40 a (size 0), 40 b (size 0), 20 c (size 8). Synthetic (70 rows): 30 a (size 0),
  // 30 b (half size 0, half size 8), 10 c (size 8).
  const Table real = Repeated({{"a", 0}, {"a", 0}, {"b", 0}, {"b", 0}, {"c", 8}}, 20);
  const Table synthetic = Repeated({{"a", 0}, {"a", 0}, {"a", 0}, {"a", 0}, {"a", 0}, {"a", 0},
                                    {"b", 0}, {"b", 0}, {"b", 0}, {"b", 8}, {"b", 8}, {"b", 8}, {"c", 8}, {"c", 8}},
                                   5);
  EvalOptions options;
  options.sensitive = {"group"};
  options.seed = 3;
  const EvalInputs inputs = Prepare(real, synthetic, options, ctx);
  const nlohmann::json report = BuildReport(inputs, {}, ctx).value();
  const nlohmann::json& groups = report["sections"]["subgroups"]["subgroups"]["details"]["group"]["groups"];
  ASSERT_EQ(groups.size(), 3u);
  // Ratios: a (3/7)/0.4 = 15/14; b (3/7)/0.4 = 15/14; c (1/7)/0.2 = 5/7. Worst (lowest)
  // first, ties in code order.
  EXPECT_EQ(groups[0]["group"], "c");
  EXPECT_DOUBLE_EQ(groups[0]["representation_ratio"]["value"].get<double>(), 5.0 / 7.0);
  EXPECT_EQ(groups[1]["group"], "a");
  EXPECT_DOUBLE_EQ(groups[1]["representation_ratio"]["value"].get<double>(), 15.0 / 14.0);
  EXPECT_EQ(groups[2]["group"], "b");
  EXPECT_DOUBLE_EQ(groups[2]["representation_ratio"]["value"].get<double>(), 15.0 / 14.0);
  // Within b, size is all bin 0 in real but half bin 0, half bin 4 in synthetic: TVD 0.5.
  EXPECT_DOUBLE_EQ(groups[2]["fidelity_tvd_mean"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(groups[0]["fidelity_tvd_mean"].get<double>(), 0.0);
  const nlohmann::json& worst = report["summary"]["representation_ratio_worst.group"];
  EXPECT_DOUBLE_EQ(worst["value"].get<double>(), 5.0 / 7.0);
  EXPECT_LT(worst["ci"][0].get<double>(), 5.0 / 7.0);
  EXPECT_GT(worst["ci"][1].get<double>(), 5.0 / 7.0);
}

TEST(Report, SameBytesForAnyThreadCount) {
  const Table real = Repeated({{"a", 0}, {"b", 3}, {"c", 8}, {nullptr, 5}}, 30);
  const Table synthetic = Repeated({{"a", 1}, {"b", 3}, {"b", 9}}, 25);
  EvalOptions options;
  options.sensitive = {"group"};
  std::string first;
  for (const std::size_t threads : {std::size_t{1}, std::size_t{2}, std::size_t{8}}) {
    const Context ctx(threads);
    const EvalInputs inputs = Prepare(real, synthetic, options, ctx);
    const std::string text = ReportJsonText(BuildReport(inputs, {}, ctx).value());
    if (first.empty()) first = text;
    EXPECT_EQ(text, first) << threads << " threads";
  }
}

TEST(Report, SkipsWhatTheInputsDoNotAllowAndRefusesWhatWasAskedFor) {
  const Context ctx(1);
  const Table table = Repeated({{"a", 0}, {"b", 3}}, 5);
  const EvalInputs inputs = Prepare(table, table, {}, ctx);  // no --sensitive
  const nlohmann::json report = BuildReport(inputs, {}, ctx).value();
  bool skipped = false;
  for (const auto& entry : report["skipped"]) skipped |= entry["metric"] == "subgroups";
  EXPECT_TRUE(skipped);
  Result<nlohmann::json> asked = BuildReport(inputs, {"subgroups"}, ctx);
  ASSERT_FALSE(asked.ok());
  EXPECT_NE(asked.status().message().find("needs --sensitive"), std::string::npos);
  Result<nlohmann::json> unknown = BuildReport(inputs, {"no_such_metric"}, ctx);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("choose from"), std::string::npos);
}

TEST(Report, WritesBothFilesAndKeepsAnExistingReport) {
  const Context ctx(1);
  const Table table = Repeated({{"a", 0}, {"b", 3}}, 5);
  EvalOptions options;
  options.sensitive = {"group"};
  const EvalInputs inputs = Prepare(table, table, options, ctx);
  const nlohmann::json report = BuildReport(inputs, {}, ctx).value();
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "synthscale_report_test";
  std::filesystem::remove_all(dir);
  const Result<ReportPaths> paths = WriteReport(report, dir.string(), false);
  ASSERT_TRUE(paths.ok()) << paths.status().ToString();
  EXPECT_TRUE(std::filesystem::exists(paths->json));
  EXPECT_TRUE(std::filesystem::exists(paths->html));
  const Result<ReportPaths> again = WriteReport(report, dir.string(), false);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), ErrorCode::kAlreadyExists);
  EXPECT_TRUE(WriteReport(report, dir.string(), true).ok());
  std::filesystem::remove_all(dir);
}

TEST(ReportHtml, HasEverySectionAndEscapesText) {
  const Context ctx(1);
  const Table table = Repeated({{"a", 0}, {"b", 3}}, 5);
  EvalOptions options;
  options.sensitive = {"group"};
  const EvalInputs inputs = Prepare(table, table, options, ctx);
  nlohmann::json report = BuildReport(inputs, {}, ctx).value();
  std::string html = RenderReportHtml(report);
  EXPECT_NE(html.find("<section id=\"summary\">"), std::string::npos);
  EXPECT_NE(html.find("<section id=\"subgroups\">"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  report["skipped"].push_back({{"metric", "<script>alert(1)</script>"}, {"reason", "x & y"}});
  html = RenderReportHtml(report);
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("x &amp; y"), std::string::npos);
}

}  // namespace
}  // namespace synthscale::eval
