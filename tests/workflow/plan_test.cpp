#include "synthscale/workflow/plan.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "workflow_test_util.h"

namespace synthscale {
namespace {

using testing_workflow::TempDir;

Pipeline Parse(const std::string& text, const std::string& directory = ".") {
  Result<Pipeline> parsed = ParsePipeline(text, "p.yaml", directory);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? std::move(*parsed) : Pipeline{};
}

std::vector<std::string> OrderNames(const Pipeline& pipeline, const std::vector<std::size_t>& order) {
  std::vector<std::string> names;
  for (std::size_t idx : order) names.push_back(pipeline.steps[idx].name);
  return names;
}

// A sample step reading `model` and writing `out`.
std::string SampleStep(const std::string& name, const std::string& model, const std::string& out) {
  return "  " + name + ":\n    kind: sample\n    inputs: {model: \"" + model + "\"}\n    params: {rows: 1}\n" +
         "    outputs: {data: " + out + "}\n";
}

std::string FitStep(const std::string& name, const std::string& data, const std::string& model) {
  return "  " + name + ":\n    kind: fit\n    inputs: {data: \"" + data + "\"}\n    params: {method: independent}\n" +
         "    outputs: {model: " + model + "}\n";
}

TEST(Plan, OrdersByDependenciesThenFileOrder) {
  // File order: c, a, b, d. Data flows a -> b -> c; d is independent.
  const Pipeline pipeline = Parse("steps:\n" + FitStep("c", "${b.data}", "c.ssm") + FitStep("a", "in.csv", "a.ssm") +
                                  SampleStep("b", "${a.model}", "b.csv") + FitStep("d", "in.csv", "d.ssm"));
  Result<Plan> plan = BuildPlan(pipeline);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  // a is the first ready step in file order... after it, b; then c (file order before d).
  EXPECT_EQ(OrderNames(pipeline, plan->order), (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(plan->steps[0].upstream, (std::vector<std::size_t>{2}));  // c waits for b
  EXPECT_EQ(plan->steps[0].inputs[0].path, "b.csv");
}

TEST(Plan, IndependentStepsKeepFileOrder) {
  const Pipeline pipeline = Parse("steps:\n" + FitStep("y", "in.csv", "y.ssm") + FitStep("x", "in.csv", "x.ssm"));
  Result<Plan> plan = BuildPlan(pipeline);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(OrderNames(pipeline, plan->order), (std::vector<std::string>{"y", "x"}));
}

TEST(Plan, ReadingAnotherStepsFileIsAnEdgeWithoutAReference) {
  const Pipeline pipeline =
      Parse("steps:\n" + SampleStep("s", "out/./m.ssm", "s.csv") + FitStep("f", "in.csv", "out/m.ssm"));
  Result<Plan> plan = BuildPlan(pipeline);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(OrderNames(pipeline, plan->order), (std::vector<std::string>{"f", "s"}));
  EXPECT_EQ(plan->steps[0].inputs[0].producer, 1);
}

TEST(Plan, CycleIsNamedStepByStep) {
  // a reads b's output, b reads a's output.
  const Pipeline pipeline =
      Parse("steps:\n" + FitStep("a", "${b.data}", "a.ssm") + SampleStep("b", "${a.model}", "b.csv"));
  Result<Plan> plan = BuildPlan(pipeline);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(plan.status().message().find("the steps form a cycle: a -> b -> a"), std::string::npos)
      << plan.status().ToString();
  EXPECT_EQ(plan.status().location().line, 2);  // step a
}

TEST(Plan, LongerCycleThroughFiles) {
  const Pipeline pipeline = Parse("steps:\n" + FitStep("a", "c.csv", "a.ssm") + SampleStep("b", "a.ssm", "b.csv") +
                                  FitStep("x", "b.csv", "x.ssm") + SampleStep("c", "x.ssm", "c.csv"));
  Result<Plan> plan = BuildPlan(pipeline);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("a -> b -> x -> c -> a"), std::string::npos) << plan.status().ToString();
}

TEST(Plan, UnknownStepInReference) {
  const Pipeline pipeline = Parse("steps:\n" + SampleStep("s", "${fitt.model}", "s.csv"));
  Result<Plan> plan = BuildPlan(pipeline);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("refers to step 'fitt', which the pipeline does not define"),
            std::string::npos);
  EXPECT_EQ(plan.status().location().line, 4);
  EXPECT_EQ(plan.status().location().column, 21);
}

TEST(Plan, UnknownOutputInReferenceListsTheOutputs) {
  const Pipeline pipeline = Parse("steps:\n" + FitStep("f", "in.csv", "m.ssm") + SampleStep("s", "${f.modle}", "s.csv"));
  Result<Plan> plan = BuildPlan(pipeline);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("refers to 'modle' of step 'f', which it does not have; it has: model"),
            std::string::npos)
      << plan.status().ToString();
}

TEST(Plan, TwoStepsWritingOneFile) {
  const Pipeline pipeline = Parse("steps:\n" + FitStep("a", "in.csv", "m.ssm") + FitStep("b", "in.csv", "./m.ssm"));
  Result<Plan> plan = BuildPlan(pipeline);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("steps 'a' and 'b' both write 'm.ssm'"), std::string::npos);
}

TEST(Plan, StepReadingItsOwnOutput) {
  const Pipeline pipeline = Parse("steps:\n" + FitStep("a", "m.ssm", "m.ssm"));
  Result<Plan> plan = BuildPlan(pipeline);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("which it also writes"), std::string::npos);
}

TEST(Plan, UntilSelectsTheStepAndItsUpstreamOnly) {
  const Pipeline pipeline = Parse("steps:\n" + FitStep("f", "in.csv", "m.ssm") + SampleStep("s", "${f.model}", "s.csv") +
                                  FitStep("g", "${s.data}", "g.ssm") + FitStep("h", "in.csv", "h.ssm"));
  Result<Plan> plan = BuildPlan(pipeline);
  ASSERT_TRUE(plan.ok());
  Result<std::vector<std::size_t>> until = SelectSteps(pipeline, *plan, "", "s");
  ASSERT_TRUE(until.ok());
  EXPECT_EQ(OrderNames(pipeline, *until), (std::vector<std::string>{"f", "s"}));
  Result<std::vector<std::size_t>> only = SelectSteps(pipeline, *plan, "g", "");
  ASSERT_TRUE(only.ok());
  EXPECT_EQ(OrderNames(pipeline, *only), (std::vector<std::string>{"g"}));
  Result<std::vector<std::size_t>> all = SelectSteps(pipeline, *plan, "", "");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 4u);
  Result<std::vector<std::size_t>> unknown = SelectSteps(pipeline, *plan, "", "nope");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("--until nope: no such step in p.yaml; its steps are: f, s, g, h"),
            std::string::npos)
      << unknown.status().ToString();
}

TEST(Plan, MissingInputFileIsReportedWithItsDeclaration) {
  TempDir dir;
  const Pipeline pipeline =
      Parse("steps:\n" + FitStep("f", "in.csv", "m.ssm") + SampleStep("s", "${f.model}", "s.csv"), dir.path());
  Result<Plan> plan = BuildPlan(pipeline);
  ASSERT_TRUE(plan.ok());
  Result<std::vector<std::size_t>> all = SelectSteps(pipeline, *plan, "", "");
  ASSERT_TRUE(all.ok());
  Status status = CheckInputsExist(pipeline, *plan, *all);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kIO);
  EXPECT_NE(status.message().find("input 'data' of step 'f': file 'in.csv' does not exist (declared at p.yaml:4:20)"),
            std::string::npos)
      << status.ToString();

  // With the source present, the model is fine: step f writes it before s runs.
  dir.Write("in.csv", "a\n1\n");
  EXPECT_TRUE(CheckInputsExist(pipeline, *plan, *all).ok());
  // Only s: nobody writes the model first.
  Result<std::vector<std::size_t>> only = SelectSteps(pipeline, *plan, "s", "");
  ASSERT_TRUE(only.ok());
  status = CheckInputsExist(pipeline, *plan, *only);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("it is written by step 'f': run without --only"), std::string::npos)
      << status.ToString();
}

}  // namespace
}  // namespace synthscale
