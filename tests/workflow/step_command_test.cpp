#include "synthscale/workflow/step_command.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace synthscale {
namespace {

using Args = std::vector<std::string>;

struct Parsed {
  Pipeline pipeline;
  Plan plan;
};

Parsed Load(const std::string& text) {
  Parsed parsed;
  Result<Pipeline> pipeline = ParsePipeline(text, "p.yaml", ".");
  EXPECT_TRUE(pipeline.ok()) << pipeline.status().ToString();
  if (!pipeline.ok()) return parsed;
  parsed.pipeline = std::move(*pipeline);
  Result<Plan> plan = BuildPlan(parsed.pipeline);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  if (plan.ok()) parsed.plan = std::move(*plan);
  return parsed;
}

constexpr const char* kAdult =
    "defaults: {threads: 2, seed: 11, noise-key-file: key.hex}\n"
    "steps:\n"
    "  ingest:\n"
    "    kind: ingest\n"
    "    inputs: {data: data/adult.csv, schema: data/adult.schema.json}\n"
    "  fit:\n"
    "    kind: fit\n"
    "    inputs: {data: \"${ingest.data}\", schema: \"${ingest.schema}\"}\n"
    "    params: {method: mst, epsilon: 1, delta: 1e-9, max-model-size: 40, allow-out-of-domain: false}\n"
    "    outputs: {model: out/adult.ssm}\n"
    "  sample:\n"
    "    kind: sample\n"
    "    inputs: {model: \"${fit.model}\"}\n"
    "    params: {rows: 1000}\n"
    "    outputs: {data: out/synthetic.csv}\n"
    "  evaluate:\n"
    "    kind: evaluate\n"
    "    inputs: {real: \"${ingest.data}\", holdout: data/adult_test.csv, synthetic: \"${sample.data}\",\n"
    "             schema: \"${ingest.schema}\"}\n"
    "    params: {target: income, sensitive: [sex, race], mix: [0, 0.5, 1]}\n"
    "    outputs: {report: out/report}\n"
    "  mix:\n"
    "    kind: mix\n"
    "    inputs: {real: \"${ingest.data}\", synthetic: \"${sample.data}\", schema: \"${ingest.schema}\"}\n"
    "    params: {share: 0.25}\n"
    "    outputs: {data: out/mixed.csv}\n";

TEST(StepCommand, IngestWithSchemaValidates) {
  const Parsed parsed = Load(kAdult);
  EXPECT_EQ(StepArguments(parsed.pipeline, parsed.plan, 0),
            (Args{"--threads", "2", "pipeline-validate", "data/adult.csv", "--schema", "data/adult.schema.json"}));
}

TEST(StepCommand, IngestWithoutSchemaInfers) {
  const Parsed parsed = Load(
      "steps:\n  in:\n    kind: ingest\n    inputs: {data: a.csv}\n    params: {max-categories: 50, na: [\"?\", NA]}\n"
      "    outputs: {schema: a.schema.json}\n");
  EXPECT_EQ(StepArguments(parsed.pipeline, parsed.plan, 0),
            (Args{"schema", "infer", "a.csv", "-o", "a.schema.json", "--force", "--max-categories", "50", "--na", "?",
                  "--na", "NA"}));
}

TEST(StepCommand, FitPassesResolvedInputsAndFlags) {
  const Parsed parsed = Load(kAdult);
  // Parameters in key order; a false flag is left out; the pipeline's noise key is an input.
  EXPECT_EQ(StepArguments(parsed.pipeline, parsed.plan, 1),
            (Args{"--threads", "2", "fit", "data/adult.csv", "-o", "out/adult.ssm", "--force", "--schema",
                  "data/adult.schema.json", "--noise-key-file", "key.hex", "--delta", "1e-09", "--epsilon", "1",
                  "--max-model-size", "40", "--method", "mst", "--seed", "11"}));
}

TEST(StepCommand, SampleTakesThePipelineSeed) {
  const Parsed parsed = Load(kAdult);
  EXPECT_EQ(StepArguments(parsed.pipeline, parsed.plan, 2),
            (Args{"--threads", "2", "sample", "out/adult.ssm", "-o", "out/synthetic.csv", "--force", "--num-shards", "1",
                  "--rows", "1000",
                  "--seed", "11"}));
}

TEST(StepCommand, SamplePassesTheSamplingMethod) {
  const Parsed parsed = Load(
      "steps:\n  sample:\n    kind: sample\n    inputs: {model: m.ssm}\n    params: {rows: 10, sampling: iid}\n"
      "    outputs: {data: s.csv}\n");
  EXPECT_EQ(StepArguments(parsed.pipeline, parsed.plan, 0),
            (Args{"sample", "m.ssm", "-o", "s.csv", "--force", "--num-shards", "1", "--rows", "10", "--sampling",
                  "iid"}));
}

TEST(StepCommand, EvaluateArgumentsMatchItsFlags) {
  const Parsed parsed = Load(kAdult);
  EXPECT_EQ(StepArguments(parsed.pipeline, parsed.plan, 3),
            (Args{"--threads", "2", "evaluate", "--real", "data/adult.csv", "--holdout", "data/adult_test.csv",
                  "--synthetic", "out/synthetic.csv", "--schema", "data/adult.schema.json", "-o", "out/report",
                  "--force", "--mix", "0,0.5,1", "--seed", "11", "--sensitive", "sex,race", "--target", "income"}));
}

TEST(StepCommand, MixUsesTheHiddenSubcommand) {
  const Parsed parsed = Load(kAdult);
  EXPECT_EQ(StepArguments(parsed.pipeline, parsed.plan, 4),
            (Args{"--threads", "2", "pipeline-mix", "--real", "data/adult.csv", "--synthetic", "out/synthetic.csv",
                  "--schema", "data/adult.schema.json", "-o", "out/mixed.csv", "--force", "--share", "0.25"}));
}

TEST(StepCommand, ShellQuoteQuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(ShellQuote("out/a.csv"), "out/a.csv");
  EXPECT_EQ(ShellQuote("a b"), "'a b'");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
  EXPECT_EQ(ShellQuote(""), "''");
}

}  // namespace
}  // namespace synthscale
