#include "synthscale/workflow/cache.h"

#include <string>

#include <gtest/gtest.h>

#include "workflow_test_util.h"

namespace synthscale {
namespace {

using testing_workflow::ReadAll;
using testing_workflow::TempDir;

constexpr const char* kPipeline =
    "steps:\n"
    "  fit:\n"
    "    kind: fit\n"
    "    inputs: {data: in.csv}\n"
    "    params: {method: mst, epsilon: 1}\n"
    "    outputs: {model: m.ssm}\n"
    "  sample:\n"
    "    kind: sample\n"
    "    inputs: {model: \"${fit.model}\"}\n"
    "    params: {rows: 5, seed: 1}\n"
    "    outputs: {data: s.csv}\n";

struct Fixture {
  TempDir dir;
  Pipeline pipeline;
  Plan plan;
};

void Load(Fixture& fixture, const std::string& text) {
  Result<Pipeline> parsed = ParsePipeline(text, "p.yaml", fixture.dir.path());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  fixture.pipeline = std::move(*parsed);
  Result<Plan> plan = BuildPlan(fixture.pipeline);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  fixture.plan = std::move(*plan);
}

std::string KeyOf(const Fixture& fixture, std::size_t step, const std::string& tool = "synthscale 0.1.0 (abc)") {
  Result<StepKeyMaterial> material = MakeKeyMaterial(fixture.pipeline, fixture.plan, step, tool);
  EXPECT_TRUE(material.ok()) << material.status().ToString();
  return material.ok() ? StepKey(*material) : std::string();
}

TEST(Cache, KeyIsSha256OfCanonicalJson) {
  Fixture fixture;
  fixture.dir.Write("in.csv", "x,y\n1,2\n");
  Load(fixture, kPipeline);
  // Recompute with: printf 'x,y\n1,2\n' | sha256sum (the input's digest), then
  // python3 -c 'import hashlib; print(hashlib.sha256(b"<the JSON below>").hexdigest())'.
  // {"inputs":{"data":"81bf9fa83c6f7f151bd491a98cd7d933de3965289e3ebd77c6c425f7eaa16392"},"kind":"fit",
  //  "outputs":["m.ssm"],"params":{"epsilon":1.0,"method":"mst"},"tool":"synthscale 0.1.0 (abc)"}
  Result<StepKeyMaterial> material = MakeKeyMaterial(fixture.pipeline, fixture.plan, 0, "synthscale 0.1.0 (abc)");
  ASSERT_TRUE(material.ok()) << material.status().ToString();
  EXPECT_EQ(material->ToJson().dump(),
            R"json({"inputs":{"data":"81bf9fa83c6f7f151bd491a98cd7d933de3965289e3ebd77c6c425f7eaa16392"},"kind":"fit",)json"
            R"json("outputs":["m.ssm"],"params":{"epsilon":1.0,"method":"mst"},"tool":"synthscale 0.1.0 (abc)"})json");
  EXPECT_EQ(StepKey(*material), "5324d275809c91c0c78d524caa03c4492a313590b9a63a4685906e3106c6b09d");
}

TEST(Cache, ParameterChangeChangesTheKey) {
  Fixture before;
  before.dir.Write("in.csv", "x,y\n1,2\n");
  Load(before, kPipeline);
  Fixture after;
  after.dir.Write("in.csv", "x,y\n1,2\n");
  std::string text = kPipeline;
  text.replace(text.find("epsilon: 1"), 10, "epsilon: 2");
  Load(after, text);
  EXPECT_NE(KeyOf(before, 0), KeyOf(after, 0));
  // The same value written differently is the same parameter.
  Fixture same;
  same.dir.Write("in.csv", "x,y\n1,2\n");
  text = kPipeline;
  text.replace(text.find("epsilon: 1"), 10, "epsilon: 1.0");
  Load(same, text);
  EXPECT_EQ(KeyOf(before, 0), KeyOf(same, 0));
}

TEST(Cache, InputChangeChangesTheKey) {
  Fixture fixture;
  fixture.dir.Write("in.csv", "x,y\n1,2\n");
  Load(fixture, kPipeline);
  const std::string before = KeyOf(fixture, 0);
  fixture.dir.Write("in.csv", "x,y\n1,3\n");
  EXPECT_NE(before, KeyOf(fixture, 0));
  fixture.dir.Write("in.csv", "x,y\n1,2\n");
  EXPECT_EQ(before, KeyOf(fixture, 0));
}

TEST(Cache, VersionChangeChangesTheKey) {
  Fixture fixture;
  fixture.dir.Write("in.csv", "x,y\n1,2\n");
  Load(fixture, kPipeline);
  EXPECT_NE(KeyOf(fixture, 0, "synthscale 0.1.0 (abc)"), KeyOf(fixture, 0, "synthscale 0.1.0 (abd)"));
  EXPECT_NE(KeyOf(fixture, 0, "synthscale 0.1.0 (abc)"), KeyOf(fixture, 0, "synthscale 0.2.0 (abc)"));
  EXPECT_NE(ToolVersion().find("synthscale "), std::string::npos);
}

TEST(Cache, MissingInputNamesTheStep) {
  Fixture fixture;
  Load(fixture, kPipeline);
  Result<StepKeyMaterial> material = MakeKeyMaterial(fixture.pipeline, fixture.plan, 0, "t");
  ASSERT_FALSE(material.ok());
  EXPECT_EQ(material.status().code(), ErrorCode::kIO);
  EXPECT_NE(material.status().message().find("input 'data' of step 'fit'"), std::string::npos)
      << material.status().ToString();
}

TEST(Cache, DecideRunsWithoutRecordSkipsWhenUpToDateAndExplainsChanges) {
  Fixture fixture;
  fixture.dir.Write("in.csv", "x,y\n1,2\n");
  Load(fixture, kPipeline);
  Result<StepKeyMaterial> material = MakeKeyMaterial(fixture.pipeline, fixture.plan, 0, "t1");
  ASSERT_TRUE(material.ok());

  CacheDecision decision = Decide(std::nullopt, *material, fixture.dir.path());
  EXPECT_TRUE(decision.run);
  EXPECT_EQ(decision.reasons, (std::vector<std::string>{"no record of an earlier run"}));

  // The step "ran": its output exists, the record is written.
  fixture.dir.Write("m.ssm", "model bytes");
  Result<StepRecord> record = MakeStepRecord(fixture.pipeline, 0, *material);
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  ASSERT_EQ(record->files.size(), 1u);
  EXPECT_EQ(record->files[0].path, "m.ssm");
  // printf 'model bytes' | sha256sum
  EXPECT_EQ(record->files[0].sha256, "9cb7487000bc86ac36ce83c4acfabe8878552be99572a6770f65ab1d048a5c48");
  const std::string path = StepRecordPath(fixture.pipeline, "fit");
  EXPECT_EQ(path, fixture.dir.path() + "/.synthscale/steps/fit.json");
  ASSERT_TRUE(WriteStepRecord(path, *record).ok());
  Result<std::optional<StepRecord>> read = ReadStepRecord(path);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ((*read)->key, StepKey(*material));

  decision = Decide(*read, *material, fixture.dir.path());
  EXPECT_FALSE(decision.run);
  EXPECT_EQ(decision.reasons, (std::vector<std::string>{"up to date"}));

  // A parameter changed: the reason names it and both values.
  StepKeyMaterial changed = *material;
  changed.params["epsilon"] = 2.0;
  changed.tool = "t2";
  decision = Decide(*read, changed, fixture.dir.path());
  EXPECT_TRUE(decision.run);
  EXPECT_EQ(decision.reasons, (std::vector<std::string>{"parameter 'epsilon' changed: 1.0 -> 2.0",
                                                        "synthscale changed: t1 -> t2"}));

  // An input changed.
  changed = *material;
  changed.input_sha256["data"] = std::string(64, '0');
  decision = Decide(*read, changed, fixture.dir.path());
  EXPECT_EQ(decision.reasons, (std::vector<std::string>{"input 'data' changed (its SHA-256 differs)"}));

  // The output was modified, then removed.
  fixture.dir.Write("m.ssm", "tampered");
  decision = Decide(*read, *material, fixture.dir.path());
  EXPECT_TRUE(decision.run);
  EXPECT_EQ(decision.reasons, (std::vector<std::string>{"output 'm.ssm' changed since the step wrote it"}));
  std::filesystem::remove(fixture.dir.File("m.ssm"));
  decision = Decide(*read, *material, fixture.dir.path());
  EXPECT_EQ(decision.reasons, (std::vector<std::string>{"output 'm.ssm' is missing"}));
}

TEST(Cache, RecordOfAStepThatWroteNothingIsAnError) {
  Fixture fixture;
  fixture.dir.Write("in.csv", "x,y\n1,2\n");
  Load(fixture, kPipeline);
  Result<StepKeyMaterial> material = MakeKeyMaterial(fixture.pipeline, fixture.plan, 0, "t");
  ASSERT_TRUE(material.ok());
  Result<StepRecord> record = MakeStepRecord(fixture.pipeline, 0, *material);
  ASSERT_FALSE(record.ok());
  EXPECT_NE(record.status().message().find("step 'fit' succeeded but did not write 'm.ssm'"), std::string::npos)
      << record.status().ToString();
}

TEST(Cache, CorruptRecordIsInvalidData) {
  TempDir dir;
  const std::string path = dir.Write("fit.json", "{\"format\": \"something else\"}");
  Result<std::optional<StepRecord>> read = ReadStepRecord(path);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), ErrorCode::kInvalidData);
  EXPECT_NE(read.status().message().find("delete it and the step runs again"), std::string::npos);
  Result<std::optional<StepRecord>> missing = ReadStepRecord(dir.File("none.json"));
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST(Cache, WronglyTypedRecordIsInvalidDataNotAnException) {
  // Hand-edited records: each wrong type must be reported, never thrown.
  TempDir dir;
  const std::string format = "synthscale-step-record/1";
  const std::string material =
      R"("material": {"kind": 1, "params": {}, "inputs": {}, "outputs": [], "tool": "x"})";
  for (const std::string& text :
       std::vector<std::string>{std::string(R"({"format": 7})"),
        std::string(R"({"format": ")") + format + R"(", "step": "fit", "key": "k", "files": [], )" + material + "}",
        std::string(R"({"format": ")") + format +
            R"(", "step": "fit", "key": "k", "files": [], "material": {"kind": "fit", "params": {}, "inputs": {"data": 3}, "outputs": [], "tool": "x"}})"}) {
    const std::string path = dir.Write("fit.json", text);
    Result<std::optional<StepRecord>> read = ReadStepRecord(path);
    ASSERT_FALSE(read.ok()) << text;
    EXPECT_EQ(read.status().code(), ErrorCode::kInvalidData) << text;
  }
}

TEST(Cache, EvaluateRecordsTheReportFiles) {
  Result<Pipeline> parsed = ParsePipeline(
      "steps:\n  e:\n    kind: evaluate\n"
      "    inputs: {real: r.csv, holdout: h.csv, synthetic: s.csv, schema: x.json}\n"
      "    outputs: {report: out/rep}\n",
      "p.yaml", ".");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(RecordedFiles(parsed->steps[0]), (std::vector<std::string>{"out/rep/report.json", "out/rep/report.html"}));
}

}  // namespace
}  // namespace synthscale
