// libFuzzer target: arbitrary bytes as a pipeline file (ParsePipeline, then BuildPlan and
// every step's command line).
//
// Besides "no crash, no exception, no sanitizer report": every refusal carries a message,
// and a pipeline that parses and plans gives every step a command line.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "synthscale/workflow/pipeline.h"
#include "synthscale/workflow/plan.h"
#include "synthscale/workflow/step_command.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  synthscale::Result<synthscale::Pipeline> pipeline = synthscale::ParsePipeline(text, "fuzz.yaml", "/nonexistent");
  if (!pipeline.ok()) {
    if (pipeline.status().message().empty()) __builtin_trap();
    return 0;
  }
  synthscale::Result<synthscale::Plan> plan = synthscale::BuildPlan(*pipeline);
  if (!plan.ok()) {
    if (plan.status().message().empty()) __builtin_trap();
    return 0;
  }
  for (std::size_t step = 0; step < pipeline->steps.size(); ++step) {
    if (synthscale::StepArguments(*pipeline, *plan, step).empty()) __builtin_trap();
  }
  return 0;
}
