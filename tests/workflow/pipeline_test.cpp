#include "synthscale/workflow/pipeline.h"

#include <string>

#include <gtest/gtest.h>

namespace synthscale {
namespace {

// Line numbers in the comments are those the tests expect (1-based).
constexpr const char* kGood =
    "version: 1\n"                              // 1
    "defaults:\n"                               // 2
    "  threads: 2\n"                            // 3
    "  seed: 7\n"                               // 4
    "steps:\n"                                  // 5
    "  ingest:\n"                               // 6
    "    kind: ingest\n"                        // 7
    "    inputs:\n"                             // 8
    "      data: data/./x/../train.csv\n"       // 9
    "      schema: data/train.schema.json\n"    // 10
    "  fit:\n"                                  // 11
    "    kind: fit\n"                           // 12
    "    inputs:\n"                             // 13
    "      data: ${ingest.data}\n"              // 14
    "      schema: ${ingest.schema}\n"          // 15
    "    params:\n"                             // 16
    "      method: mst\n"                       // 17
    "      epsilon: 1\n"                        // 18
    "      delta: 1e-9\n"                       // 19
    "      na: [NA, \"?\"]\n"                   // 20
    "    outputs:\n"                            // 21
    "      model: out/model.ssm\n"              // 22
    "  sample:\n"                               // 23
    "    kind: sample\n"                        // 24
    "    inputs: {model: \"${fit.model}\"}\n"   // 25
    "    params: {rows: 100}\n"                 // 26
    "    outputs: {data: out/synth.csv}\n";     // 27

Status ParseError(const std::string& text) {
  Result<Pipeline> parsed = ParsePipeline(text, "p.yaml", "dir");
  return parsed.ok() ? Status::Ok() : parsed.status();
}

void ExpectErrorAt(const std::string& text, std::int64_t line, std::int64_t column, const std::string& substring) {
  const Status status = ParseError(text);
  ASSERT_FALSE(status.ok()) << "expected an error containing: " << substring;
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.location().file, "p.yaml");
  EXPECT_EQ(status.location().line, line) << status.ToString();
  EXPECT_EQ(status.location().column, column) << status.ToString();
  EXPECT_NE(status.message().find(substring), std::string::npos) << status.ToString();
}

TEST(Pipeline, ParsesStepsInFileOrderWithTypedParams) {
  Result<Pipeline> parsed = ParsePipeline(kGood, "p.yaml", "dir");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const Pipeline& pipeline = *parsed;
  EXPECT_EQ(pipeline.directory, "dir");
  ASSERT_EQ(pipeline.steps.size(), 3u);
  EXPECT_EQ(pipeline.steps[0].name, "ingest");
  EXPECT_EQ(pipeline.steps[1].name, "fit");
  EXPECT_EQ(pipeline.steps[2].name, "sample");
  EXPECT_EQ(pipeline.defaults.threads, 2u);
  EXPECT_EQ(pipeline.defaults.seed, 7u);

  const Step& ingest = pipeline.steps[0];
  EXPECT_EQ(ingest.kind, StepKind::kIngest);
  ASSERT_NE(ingest.FindInput("data"), nullptr);
  EXPECT_EQ(ingest.FindInput("data")->path, "data/train.csv");  // normalised
  EXPECT_EQ(ingest.FindInput("data")->location.line, 9);
  EXPECT_EQ(ingest.FindInput("data")->location.column, 13);

  const Step& fit = pipeline.steps[1];
  EXPECT_EQ(fit.location.line, 11);
  EXPECT_EQ(fit.location.column, 3);
  ASSERT_NE(fit.FindInput("data"), nullptr);
  EXPECT_TRUE(fit.FindInput("data")->is_reference());
  EXPECT_EQ(fit.FindInput("data")->ref_step, "ingest");
  EXPECT_EQ(fit.FindInput("data")->ref_output, "data");
  // Parameters are typed and sorted by key: the cache's canonical form.
  EXPECT_EQ(fit.ParamsJson().dump(), R"({"delta":1e-09,"epsilon":1.0,"method":"mst","na":["NA","?"],"seed":7})");
  EXPECT_EQ(fit.FindOutput("model")->path, "out/model.ssm");

  // The pipeline's seed fills the sample step's.
  const Step& sample = pipeline.steps[2];
  EXPECT_EQ(sample.ParamsJson().dump(), R"({"rows":100,"seed":7})");
  EXPECT_EQ(sample.FindInput("model")->ref_step, "fit");
}

TEST(Pipeline, StepSeedWinsOverDefault) {
  std::string text = kGood;
  text.replace(text.find("{rows: 100}"), 11, "{rows: 100, seed: 3}");
  Result<Pipeline> parsed = ParsePipeline(text, "p.yaml", ".");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->steps[2].ParamsJson().dump(), R"({"rows":100,"seed":3})");
}

TEST(Pipeline, DefaultNoiseKeyBecomesAnInputOfPrivateFits) {
  std::string text = kGood;
  text.replace(text.find("  seed: 7\n"), 10, "  seed: 7\n  noise-key-file: keys/k.hex\n");
  Result<Pipeline> parsed = ParsePipeline(text, "p.yaml", ".");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_NE(parsed->steps[1].FindInput("noise-key-file"), nullptr);
  EXPECT_EQ(parsed->steps[1].FindInput("noise-key-file")->path, "keys/k.hex");
  EXPECT_EQ(parsed->steps[2].FindInput("noise-key-file"), nullptr);
}

TEST(Pipeline, UnknownTopLevelKeyNamesItsPlace) {
  ExpectErrorAt(std::string(kGood) + "stepz: 1\n", 28, 1, "unknown key 'stepz' in the pipeline file");
}

TEST(Pipeline, UnknownParamIsAnErrorListingTheAllowedOnes) {
  std::string text = kGood;
  text.replace(text.find("epsilon: 1"), 10, "epsilom: 1");
  ExpectErrorAt(text, 18, 7, "unknown key 'epsilom' in the params of step 'fit' (kind fit); allowed keys: method, epsilon");
}

TEST(Pipeline, BadParamTypeIsReportedAtTheValue) {
  std::string text = kGood;
  text.replace(text.find("{rows: 100}"), 11, "{rows: many}");
  // `    params: {rows: many}`: the value starts in column 20.
  ExpectErrorAt(text, 26, 20, "parameter 'rows' of step 'sample' (number of rows to draw) must be a whole number");
}

TEST(Pipeline, NonNumericEpsilonIsReported) {
  std::string text = kGood;
  text.replace(text.find("epsilon: 1"), 10, "epsilon: one");
  ExpectErrorAt(text, 18, 16, "must be a finite number (e.g. 1, 0.5 or 1e-9), got 'one'");
}

TEST(Pipeline, UnknownKindListsTheKinds) {
  std::string text = kGood;
  text.replace(text.find("kind: fit"), 9, "kind: fitt");
  ExpectErrorAt(text, 12, 11, "unknown kind 'fitt' of step 'fit'; expected one of ingest, fit, sample, evaluate, mix");
}

TEST(Pipeline, MissingRequiredOutputPointsAtTheStep) {
  std::string text = kGood;
  text.erase(text.find("    outputs: {data: out/synth.csv}\n"));
  ExpectErrorAt(text, 23, 3, "step 'sample' (kind sample) needs output 'data'");
}

TEST(Pipeline, MissingRequiredParam) {
  std::string text = kGood;
  text.replace(text.find("      method: mst\n"), 18, "");
  ExpectErrorAt(text, 11, 3, "step 'fit' (kind fit) needs parameter 'method'");
}

TEST(Pipeline, ReferenceMustBeTheWholeValue) {
  std::string text = kGood;
  text.replace(text.find("\"${fit.model}\""), 14, "\"x/${fit.model}\"");
  ExpectErrorAt(text, 25, 21, "a reference must be the whole value, e.g. ${fit.model}");
}

TEST(Pipeline, YamlSyntaxErrorHasALine) {
  const Status status = ParseError("steps:\n  a: [1, 2\n  b: 3\n");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.location().file, "p.yaml");
  EXPECT_GT(status.location().line, 0);
  EXPECT_NE(status.message().find("not valid YAML"), std::string::npos) << status.ToString();
}

TEST(Pipeline, DuplicateStepNameIsAnError) {
  const std::string step = "    kind: sample\n    inputs: {model: m.ssm}\n    params: {rows: 1}\n    outputs: {data: s.csv}\n";
  ExpectErrorAt("steps:\n  a:\n" + step + "  a:\n" + step, 7, 3, "step 'a' is defined twice; rename one");
}

TEST(Pipeline, MixNeedsExactlyOneOfShareAndRows) {
  const std::string text =
      "steps:\n"
      "  m:\n"
      "    kind: mix\n"
      "    inputs: {real: r.csv, synthetic: s.csv, schema: x.json}\n"
      "    params: {share: 0.5, rows: 3}\n"
      "    outputs: {data: m.csv}\n";
  ExpectErrorAt(text, 5, 32, "needs exactly one of the parameters 'share'");
}

TEST(Pipeline, IngestWithoutSchemaMustSayWhereToWriteIt) {
  const std::string text =
      "steps:\n"
      "  in:\n"
      "    kind: ingest\n"
      "    inputs: {data: r.csv}\n";
  ExpectErrorAt(text, 2, 3, "has no schema input, so it infers one");
}

TEST(Pipeline, UnsupportedVersion) {
  ExpectErrorAt(std::string("version: 2\n") + "steps: {}\n", 1, 10, "pipeline version 2 is not supported");
}

TEST(Pipeline, EmptyFileSaysWhatIsNeeded) {
  const Status status = ParseError("");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("needs 'steps:'"), std::string::npos) << status.ToString();
}

TEST(Pipeline, ListParamsAcceptCommaTextOrSequence) {
  const std::string text =
      "steps:\n"
      "  e:\n"
      "    kind: evaluate\n"
      "    inputs: {real: r.csv, holdout: h.csv, synthetic: s.csv, schema: x.json}\n"
      "    params: {sensitive: \"sex,race\", metrics: [tvd, dcr], mix: [0, 0.5, 1]}\n"
      "    outputs: {report: rep}\n";
  Result<Pipeline> parsed = ParsePipeline(text, "p.yaml", ".");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->steps[0].ParamsJson().dump(),
            R"({"metrics":["tvd","dcr"],"mix":[0.0,0.5,1.0],"sensitive":["sex","race"]})");
}

TEST(Pipeline, RootMustBeAMapping) {
  ExpectErrorAt("- a\n- b\n", 1, 1, "the pipeline file must be a mapping of 'key: value' lines");
}

TEST(Pipeline, EmptyStepPointsAtItsName) {
  ExpectErrorAt("steps:\n  a:\n", 2, 3, "step 'a' must be a mapping with kind, inputs, params and outputs");
}

TEST(Pipeline, NonScalarKeysAreErrorsNotCrashes) {
  ExpectErrorAt("steps:\n  ? [a, b]\n  : {kind: fit}\n", 2, 5, "a step's name must be plain text");
  ExpectErrorAt("steps: {a: {kind: fit, {x: 1}: 2}}\n", 1, 24, "keys in step 'a' must be plain names");
}

TEST(Pipeline, BinaryGarbageIsAnError) {
  const Status status = ParseError(std::string("\0\xff\xfe{[", 5));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
}

TEST(Pipeline, ReadingAFolderOrMissingFileIsAnIOError) {
  Result<Pipeline> folder = ReadPipelineFile(SYNTHSCALE_SOURCE_DIR);
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.status().code(), ErrorCode::kIO);
  EXPECT_NE(folder.status().message().find("is a folder; give the pipeline file"), std::string::npos);
  Result<Pipeline> missing = ReadPipelineFile(std::string(SYNTHSCALE_SOURCE_DIR) + "/no-such-pipeline.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kIO);
}

TEST(Pipeline, TheExamplePipelineParses) {
  Result<Pipeline> parsed = ReadPipelineFile(std::string(SYNTHSCALE_SOURCE_DIR) + "/examples/pipeline/adult.yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->steps.size(), 4u);
  EXPECT_EQ(parsed->steps[3].kind, StepKind::kEvaluate);
  EXPECT_EQ(parsed->directory, std::string(SYNTHSCALE_SOURCE_DIR) + "/examples/pipeline");
}

TEST(Pipeline, NormalizePathIsLexical) {
  EXPECT_EQ(NormalizePath("a/./b/../c"), "a/c");
  EXPECT_EQ(NormalizePath("../a//b/"), "../a/b");
  EXPECT_EQ(NormalizePath("/x/../../y"), "/y");
  EXPECT_EQ(NormalizePath("a/.."), ".");
}

}  // namespace
}  // namespace synthscale
