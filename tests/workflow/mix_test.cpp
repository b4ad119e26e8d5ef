#include "synthscale/workflow/mix.h"

#include <string>

#include <gtest/gtest.h>

#include "synthscale/core/context.h"
#include "workflow_test_util.h"

namespace synthscale {
namespace {

using testing_workflow::ReadAll;
using testing_workflow::TempDir;

constexpr const char* kSchema = R"({"synthscale_schema": 1, "columns": [
  {"name": "age", "type": "integer", "nullable": false, "domain": {"min": 0, "max": 99, "bins": 100}},
  {"name": "sex", "type": "categorical", "nullable": true, "domain": {"categories": ["F", "M"]}}]})";

struct MixFixture {
  TempDir dir;
  Schema schema;
  MixOptions options;
  MixFixture() {
    Result<Schema> parsed = Schema::FromJson(kSchema);
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    if (parsed.ok()) schema = std::move(*parsed);
    // Columns in another order than the schema: the output follows the schema.
    options.real = dir.Write("real.csv", "sex,age\nF,30\nM,41\n,52\n");
    options.synthetic = dir.Write("synth.csv", "age,sex\n1,M\n2,F\n3,M\n4,F\n5,M\n");
    options.output = dir.File("mixed.csv");
  }
};

TEST(Mix, ShareOfRealRowsRoundedToNearest) {
  MixFixture fixture;
  fixture.options.share = 0.5;  // 0.5 x 3 real rows = 1.5 -> 2 synthetic rows
  Context ctx(2);
  Result<MixSummary> summary = MixCsv(fixture.options, fixture.schema, ctx);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->real_rows, 3u);
  EXPECT_EQ(summary->synthetic_rows, 2u);
  EXPECT_EQ(ReadAll(fixture.options.output), "age,sex\n30,F\n41,M\n52,\n1,M\n2,F\n");
}

TEST(Mix, RowCountAndZero) {
  MixFixture fixture;
  fixture.options.rows = 5;
  Context ctx(1);
  ASSERT_TRUE(MixCsv(fixture.options, fixture.schema, ctx).ok());
  EXPECT_EQ(ReadAll(fixture.options.output), "age,sex\n30,F\n41,M\n52,\n1,M\n2,F\n3,M\n4,F\n5,M\n");
  fixture.options.rows = 0;
  fixture.options.force = true;
  ASSERT_TRUE(MixCsv(fixture.options, fixture.schema, ctx).ok());
  EXPECT_EQ(ReadAll(fixture.options.output), "age,sex\n30,F\n41,M\n52,\n");
}

TEST(Mix, TooFewSyntheticRowsLeavesNoOutput) {
  MixFixture fixture;
  fixture.options.share = 2.0;  // 6 rows wanted, 5 there
  Context ctx(1);
  Result<MixSummary> summary = MixCsv(fixture.options, fixture.schema, ctx);
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(summary.status().message().find("mix needs 6 synthetic rows but"), std::string::npos)
      << summary.status().ToString();
  EXPECT_FALSE(std::filesystem::exists(fixture.options.output));
}

TEST(Mix, NeedsExactlyOneOfShareAndRows) {
  MixFixture fixture;
  Context ctx(1);
  EXPECT_EQ(MixCsv(fixture.options, fixture.schema, ctx).status().code(), ErrorCode::kInvalidArgument);
  fixture.options.share = 1.0;
  fixture.options.rows = 1;
  EXPECT_EQ(MixCsv(fixture.options, fixture.schema, ctx).status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace synthscale
