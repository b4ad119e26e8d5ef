// StepCommand: the `synthscale` command line that runs one pipeline step.
//
// Each step runs as a child `synthscale` process, so a step behaves exactly as its
// subcommand does by hand, and `run --dry-run` can print the very command. Parameters
// become flags by name (`max-model-size: 40` -> `--max-model-size 40`); paths are as in
// the pipeline file, relative to its folder, where the child runs. Outputs are always
// passed with --force (where the subcommand has it): the pipeline owns its outputs, and
// the cache has already decided that they must be remade.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "synthscale/workflow/pipeline.h"
#include "synthscale/workflow/plan.h"

namespace synthscale {

// The hidden subcommands of steps that have no public one (cli/cmd_pipeline_steps.cpp).
inline constexpr const char* kValidateSubcommand = "pipeline-validate";
inline constexpr const char* kMixSubcommand = "pipeline-mix";

// Arguments after the program name, e.g. {"--threads", "2", "fit", "data.csv", ...}.
std::vector<std::string> StepArguments(const Pipeline& pipeline, const Plan& plan, std::size_t step_idx);

// One argument quoted for a POSIX shell when it needs it (for printing only).
std::string ShellQuote(const std::string& argument);

}  // namespace synthscale
