#include "synthscale/workflow/plan.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <system_error>

namespace synthscale {
namespace {

Status PlanError(const SourceLocation& location, const std::string& message) {
  return Status(ErrorCode::kInvalidArgument, message, location);
}

std::string ExportNames(const Step& step) {
  std::string names;
  for (const StepOutput& output : step.outputs) names += (names.empty() ? "" : ", ") + output.name;
  if (step.kind == StepKind::kIngest) {
    for (const char* name : {"data", "schema"}) {
      if (!step.FindOutput(name)) names += (names.empty() ? "" : ", ") + std::string(name);
    }
  }
  return names;
}

// Depth-first search for a cycle; returns it as step indices, first == last.
bool FindCycle(const Plan& plan, std::size_t node, std::vector<int>& state, std::vector<std::size_t>& stack,
               std::vector<std::size_t>& cycle) {
  state[node] = 1;  // on the stack
  stack.push_back(node);
  for (std::size_t up : plan.steps[node].upstream) {
    if (state[up] == 1) {
      const auto from = std::find(stack.begin(), stack.end(), up);
      cycle.assign(from, stack.end());
      cycle.push_back(up);
      return true;
    }
    if (state[up] == 0 && FindCycle(plan, up, state, stack, cycle)) return true;
  }
  stack.pop_back();
  state[node] = 2;
  return false;
}

}  // namespace

std::string ExportedPath(const Step& step, std::string_view name) {
  if (const StepOutput* output = step.FindOutput(name)) return output->path;
  if (step.kind == StepKind::kIngest && (name == "data" || name == "schema")) {
    if (const StepInput* input = step.FindInput(name); input && !input->is_reference()) return input->path;
  }
  return {};
}

Result<Plan> BuildPlan(const Pipeline& pipeline) {
  const std::size_t num_steps = pipeline.steps.size();
  // Who writes each file.
  std::map<std::string, std::size_t> writers;
  for (std::size_t idx = 0; idx < num_steps; ++idx) {
    for (const StepOutput& output : pipeline.steps[idx].outputs) {
      const auto [it, inserted] = writers.emplace(output.path, idx);
      if (!inserted) {
        return PlanError(output.location, "steps '" + pipeline.steps[it->second].name + "' and '" +
                                              pipeline.steps[idx].name + "' both write '" + output.path +
                                              "'; give each its own output file");
      }
    }
  }
  Plan plan;
  plan.steps.resize(num_steps);
  for (std::size_t idx = 0; idx < num_steps; ++idx) {
    const Step& step = pipeline.steps[idx];
    PlannedStep& planned = plan.steps[idx];
    for (const StepInput& input : step.inputs) {
      ResolvedInput resolved{input.name, input.path, -1, input.location};
      if (input.is_reference()) {
        const std::ptrdiff_t producer = pipeline.FindStep(input.ref_step);
        if (producer < 0) {
          return PlanError(input.location, "input '" + input.name + "' of step '" + step.name +
                                               "' refers to step '" + input.ref_step +
                                               "', which the pipeline does not define; check the name");
        }
        const Step& source = pipeline.steps[static_cast<std::size_t>(producer)];
        resolved.path = ExportedPath(source, input.ref_output);
        if (resolved.path.empty()) {
          return PlanError(input.location, "input '" + input.name + "' of step '" + step.name + "' refers to '" +
                                               input.ref_output + "' of step '" + source.name +
                                               "', which it does not have; it has: " + ExportNames(source));
        }
        resolved.producer = producer;
      }
      if (const auto writer = writers.find(resolved.path); writer != writers.end()) {
        if (writer->second == idx) {
          return PlanError(input.location, "step '" + step.name + "' reads '" + resolved.path +
                                               "', which it also writes; a step's output cannot be its input");
        }
        resolved.producer = static_cast<std::ptrdiff_t>(writer->second);
      }
      // A reference to an ingest's pass-through still orders the steps: validation first.
      if (input.is_reference()) {
        planned.upstream.push_back(static_cast<std::size_t>(pipeline.FindStep(input.ref_step)));
      }
      if (resolved.producer >= 0) planned.upstream.push_back(static_cast<std::size_t>(resolved.producer));
      planned.inputs.push_back(std::move(resolved));
    }
    std::sort(planned.upstream.begin(), planned.upstream.end());
    planned.upstream.erase(std::unique(planned.upstream.begin(), planned.upstream.end()), planned.upstream.end());
    if (std::find(planned.upstream.begin(), planned.upstream.end(), idx) != planned.upstream.end()) {
      return PlanError(step.location, "step '" + step.name + "' refers to itself; an input must come from "
                                                             "another step or a file");
    }
  }
  // Cycles, named in file order of their first step.
  std::vector<int> state(num_steps, 0);
  for (std::size_t idx = 0; idx < num_steps; ++idx) {
    std::vector<std::size_t> stack;
    std::vector<std::size_t> cycle;
    if (state[idx] == 0 && FindCycle(plan, idx, state, stack, cycle)) {
      // The search follows upstream edges; print the cycle in the direction data flows.
      std::reverse(cycle.begin(), cycle.end());
      std::string names;
      for (std::size_t step_idx : cycle) names += (names.empty() ? "" : " -> ") + pipeline.steps[step_idx].name;
      return PlanError(pipeline.steps[cycle.front()].location,
                       "the steps form a cycle: " + names + "; one of them must read a file no step in the "
                                                            "cycle writes");
    }
  }
  // Kahn's algorithm; the ready step that comes first in the file runs first.
  std::vector<std::size_t> waiting(num_steps, 0);
  std::vector<std::vector<std::size_t>> downstream(num_steps);
  for (std::size_t idx = 0; idx < num_steps; ++idx) {
    waiting[idx] = plan.steps[idx].upstream.size();
    for (std::size_t up : plan.steps[idx].upstream) downstream[up].push_back(idx);
  }
  std::vector<bool> done(num_steps, false);
  while (plan.order.size() < num_steps) {
    std::size_t next = num_steps;
    for (std::size_t idx = 0; idx < num_steps; ++idx) {
      if (!done[idx] && waiting[idx] == 0) {
        next = idx;
        break;
      }
    }
    if (next == num_steps) return Status(ErrorCode::kInternal, "plan: no ready step although there is no cycle");
    done[next] = true;
    plan.order.push_back(next);
    for (std::size_t down : downstream[next]) --waiting[down];
  }
  return plan;
}

Result<std::vector<std::size_t>> SelectSteps(const Pipeline& pipeline, const Plan& plan, const std::string& only,
                                             const std::string& until) {
  auto find = [&](const std::string& name, const char* flag) -> Result<std::size_t> {
    const std::ptrdiff_t idx = pipeline.FindStep(name);
    if (idx >= 0) return static_cast<std::size_t>(idx);
    std::string known;
    for (const Step& step : pipeline.steps) known += (known.empty() ? "" : ", ") + step.name;
    return InvalidArgument(std::string(flag) + " " + name + ": no such step in " + pipeline.file +
                           "; its steps are: " + known);
  };
  if (!only.empty() && !until.empty()) return InvalidArgument("--only and --until cannot be combined; choose one");
  std::vector<bool> chosen(pipeline.steps.size(), only.empty() && until.empty());
  if (!only.empty()) {
    SYNTHSCALE_ASSIGN_OR_RETURN(std::size_t idx, find(only, "--only"));
    chosen[idx] = true;
  }
  if (!until.empty()) {
    SYNTHSCALE_ASSIGN_OR_RETURN(std::size_t idx, find(until, "--until"));
    std::vector<std::size_t> pending{idx};
    while (!pending.empty()) {
      const std::size_t step_idx = pending.back();
      pending.pop_back();
      if (chosen[step_idx]) continue;
      chosen[step_idx] = true;
      for (std::size_t up : plan.steps[step_idx].upstream) pending.push_back(up);
    }
  }
  std::vector<std::size_t> selected;
  for (std::size_t idx : plan.order) {
    if (chosen[idx]) selected.push_back(idx);
  }
  return selected;
}

std::string PathInPipeline(const Pipeline& pipeline, const std::string& path) {
  if (!path.empty() && path.front() == '/') return path;
  if (pipeline.directory.empty() || pipeline.directory == ".") return path;
  return pipeline.directory + "/" + path;
}

Status CheckInputsExist(const Pipeline& pipeline, const Plan& plan, const std::vector<std::size_t>& selected) {
  std::vector<bool> runs(pipeline.steps.size(), false);
  for (std::size_t idx : selected) runs[idx] = true;
  // The step that writes `input` (an ingest's pass-through is not written by it), or -1.
  const auto writer_of = [&](const ResolvedInput& input) -> std::ptrdiff_t {
    if (input.producer < 0) return -1;
    for (const StepOutput& output : pipeline.steps[static_cast<std::size_t>(input.producer)].outputs) {
      if (output.path == input.path) return input.producer;
    }
    return -1;
  };
  for (std::size_t idx : selected) {
    for (const ResolvedInput& input : plan.steps[idx].inputs) {
      std::error_code error;
      if (std::filesystem::is_regular_file(PathInPipeline(pipeline, input.path), error)) continue;
      const std::ptrdiff_t writer = writer_of(input);
      // A file a selected step writes will exist by the time this step runs.
      if (writer >= 0 && runs[static_cast<std::size_t>(writer)]) continue;
      const std::string hint =
          writer >= 0 ? "it is written by step '" + pipeline.steps[static_cast<std::size_t>(writer)].name +
                            "': run without --only"
                      : "create it or fix the path";
      return IOError("input '" + input.name + "' of step '" + pipeline.steps[idx].name + "': file '" + input.path +
                     "' does not exist (declared at " + input.location.ToString() + "); " + hint);
    }
  }
  return Status::Ok();
}

}  // namespace synthscale
