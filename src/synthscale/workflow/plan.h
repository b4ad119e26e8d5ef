// Plan: a pipeline's steps as a graph, in the order they run.
//
// Edges come from references (`${fit.model}`) and from paths: a step that reads a file
// another step writes runs after it, reference or not. The order is topological; among
// steps that are ready at the same time, the one written first in the file goes first, so
// the order never depends on anything but the file.
//
// Errors (kInvalidArgument, located at the offending YAML node): a reference to an unknown
// step or output; two steps writing the same file; a step reading its own output; a
// cycle, named step by step (`a -> b -> a`). Missing input files are checked separately
// (CheckInputsExist) because whether a file must exist depends on which steps run.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "synthscale/core/status.h"
#include "synthscale/workflow/pipeline.h"

namespace synthscale {

struct ResolvedInput {
  std::string name;
  std::string path;               // as the step sees it, relative to the pipeline folder
  std::ptrdiff_t producer = -1;   // index of the step writing it, or -1 for a source file
  SourceLocation location;
};

struct PlannedStep {
  std::vector<ResolvedInput> inputs;   // sorted by name
  std::vector<std::size_t> upstream;   // steps this one waits for, sorted, unique
};

struct Plan {
  std::vector<PlannedStep> steps;  // parallel to Pipeline::steps
  std::vector<std::size_t> order;  // every step, each after all of its upstream
};

Result<Plan> BuildPlan(const Pipeline& pipeline);

// The path a step exports under `name`: an output, or for ingest its `data` and `schema`
// (passed through when it validates). Empty when there is none.
std::string ExportedPath(const Step& step, std::string_view name);

// The steps to consider, in plan order: all, `only` (just that step) or `until` (that
// step and everything upstream of it). Errors: kInvalidArgument for an unknown step name,
// listing the known ones.
Result<std::vector<std::size_t>> SelectSteps(const Pipeline& pipeline, const Plan& plan, const std::string& only,
                                             const std::string& until);

// Every input of the selected steps exists, or is written by a selected step. Errors:
// kIO naming the step, the input, the file and where it is declared, and what to do.
Status CheckInputsExist(const Pipeline& pipeline, const Plan& plan, const std::vector<std::size_t>& selected);

// `path` as seen from the process's working folder (pipeline folder + relative path).
std::string PathInPipeline(const Pipeline& pipeline, const std::string& path);

}  // namespace synthscale
