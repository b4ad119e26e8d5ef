#include "synthscale/workflow/step_command.h"

#include <array>
#include <charconv>

namespace synthscale {
namespace {

std::string FormatDouble(double value) {
  // Shortest text that reads back to the same double: what the child parses is what the
  // cache key hashed.
  std::array<char, 32> buffer{};
  const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return error == std::errc() ? std::string(buffer.data(), end) : std::to_string(value);
}

std::string FormatValue(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_unsigned()) return std::to_string(value.get<std::uint64_t>());
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  if (value.is_number()) return FormatDouble(value.get<double>());
  return value.dump();
}

const ParamSpec& ParamSpecFor(StepKind kind, const std::string& key) {
  const KindSpec& spec = SpecFor(kind);
  for (const ParamSpec& param : spec.params) {
    if (param.key == key) return param;
  }
  return spec.params.front();  // parsing admitted only known keys
}

void AppendParams(const Step& step, std::vector<std::string>& args) {
  for (const StepParam& param : step.params) {
    const std::string flag = "--" + param.key;
    switch (ParamSpecFor(step.kind, param.key).type) {
      case ParamType::kFlag:
        if (param.value.get<bool>()) args.push_back(flag);
        break;
      case ParamType::kRepeated:
        for (const nlohmann::json& item : param.value) {
          args.push_back(flag);
          args.push_back(FormatValue(item));
        }
        break;
      case ParamType::kList:
      case ParamType::kNumberList: {
        std::string joined;
        for (const nlohmann::json& item : param.value) joined += (joined.empty() ? "" : ",") + FormatValue(item);
        args.push_back(flag);
        args.push_back(joined);
        break;
      }
      case ParamType::kCount:
      case ParamType::kNumber:
      case ParamType::kString:
        args.push_back(flag);
        args.push_back(FormatValue(param.value));
        break;
    }
  }
}

const std::string& InputPath(const PlannedStep& planned, const std::string& name) {
  static const std::string kNone;
  for (const ResolvedInput& input : planned.inputs) {
    if (input.name == name) return input.path;
  }
  return kNone;
}

// `--flag path` for each optional input present.
void AppendOptionalInputs(const PlannedStep& planned, std::initializer_list<const char*> names,
                          std::vector<std::string>& args) {
  for (const char* name : names) {
    const std::string& path = InputPath(planned, name);
    if (path.empty()) continue;
    args.push_back(std::string("--") + name);
    args.push_back(path);
  }
}

}  // namespace

std::vector<std::string> StepArguments(const Pipeline& pipeline, const Plan& plan, std::size_t step_idx) {
  const Step& step = pipeline.steps[step_idx];
  const PlannedStep& planned = plan.steps[step_idx];
  std::vector<std::string> args;
  if (pipeline.defaults.threads) {
    args.push_back("--threads");
    args.push_back(std::to_string(*pipeline.defaults.threads));
  }
  const auto output = [&](const char* name) { return step.FindOutput(name)->path; };
  switch (step.kind) {
    case StepKind::kIngest:
      if (step.FindOutput("schema")) {
        args.insert(args.end(), {"schema", "infer", InputPath(planned, "data"), "-o", output("schema"), "--force"});
      } else {
        args.insert(args.end(), {kValidateSubcommand, InputPath(planned, "data"), "--schema",
                                 InputPath(planned, "schema")});
      }
      break;
    case StepKind::kFit:
      args.insert(args.end(), {"fit", InputPath(planned, "data"), "-o", output("model"), "--force"});
      AppendOptionalInputs(planned, {"schema", "workload", "noise-key-file"}, args);
      break;
    case StepKind::kSample:
      // One shard, always: a pipeline inside a Slurm array task must not let sample read
      // the array's SLURM_* variables and write only its slice (docs/pipelines.md).
      args.insert(args.end(),
                  {"sample", InputPath(planned, "model"), "-o", output("data"), "--force", "--num-shards", "1"});
      break;
    case StepKind::kEvaluate:
      // A step that re-runs replaces its own earlier report, like every other step's output.
      args.push_back("evaluate");
      AppendOptionalInputs(planned, {"real", "holdout", "synthetic", "schema"}, args);
      args.insert(args.end(), {"-o", output("report"), "--force"});
      break;
    case StepKind::kMix:
      args.push_back(kMixSubcommand);
      AppendOptionalInputs(planned, {"real", "synthetic", "schema"}, args);
      args.insert(args.end(), {"-o", output("data"), "--force"});
      break;
  }
  AppendParams(step, args);
  return args;
}

std::string ShellQuote(const std::string& argument) {
  const bool plain = !argument.empty() && argument.find_first_not_of(
                                              "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                              "_-+=./,:@%") == std::string::npos;
  if (plain) return argument;
  std::string quoted = "'";
  for (char ch : argument) {
    if (ch == '\'') {
      quoted += "'\\''";
    } else {
      quoted += ch;
    }
  }
  return quoted + "'";
}

}  // namespace synthscale
