// Pipeline: a `pipeline.yaml` file parsed and checked (docs/pipelines.md).
//
// A pipeline names steps; each step has a kind (ingest, fit, sample, evaluate, mix), its
// inputs (files, or `${step.output}` references to other steps' outputs), its parameters
// (the flags of the matching `synthscale` subcommand, without the leading dashes) and its
// outputs (files it writes). Parsing checks everything that can be checked from the file
// alone: the keys of every mapping (unknown keys are errors), each parameter's type, the
// required inputs, parameters and outputs of each kind, and the syntax of references.
// Checks that need the whole graph or the file system (unknown step in a reference,
// cycles, missing input files) are the plan's (plan.h).
//
// Every error is kInvalidArgument with a SourceLocation (file, line, column of the YAML
// node) and says what was expected and what to do.
//
// Paths are kept as written, lexically normalised; relative paths are relative to the
// pipeline file's folder, where the steps run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "synthscale/core/status.h"

namespace synthscale {

enum class StepKind : std::uint8_t { kIngest, kFit, kSample, kEvaluate, kMix };

// "ingest", "fit", ...
const char* StepKindName(StepKind kind);

// How a parameter is typed in YAML and passed on the command line.
enum class ParamType : std::uint8_t {
  kCount,       // non-negative integer: --flag N
  kNumber,      // any finite number: --flag X
  kString,      // --flag TEXT
  kFlag,        // true/false: --flag when true, nothing when false
  kList,        // list of text: --flag a,b (comma-joined)
  kNumberList,  // list of numbers: --flag 0,0.5,1
  kRepeated,    // list of text: --flag a --flag b
};

// A parameter a kind accepts. The YAML key is the flag without its dashes.
struct ParamSpec {
  std::string_view key;
  ParamType type;
  std::string_view help;
};

// The parameters, inputs and outputs a kind accepts (the documentation's tables).
struct KindSpec {
  StepKind kind;
  std::vector<ParamSpec> params;
  std::vector<std::string_view> required_params;
  std::vector<std::string_view> inputs;
  std::vector<std::string_view> required_inputs;
  std::vector<std::string_view> outputs;
  std::vector<std::string_view> required_outputs;
};
const KindSpec& SpecFor(StepKind kind);

// One input of a step: either a file path or a reference to another step's output.
struct StepInput {
  std::string name;        // "data", "schema", "model", ...
  std::string path;        // the file, when not a reference
  std::string ref_step;    // `${ref_step.ref_output}` when a reference
  std::string ref_output;
  SourceLocation location;

  bool is_reference() const { return !ref_step.empty(); }
};

struct StepOutput {
  std::string name;
  std::string path;
  SourceLocation location;
};

struct StepParam {
  std::string key;
  nlohmann::json value;  // typed by the ParamSpec: integer, number, string, bool, array
  SourceLocation location;
};

struct Step {
  std::string name;
  StepKind kind = StepKind::kIngest;
  std::vector<StepInput> inputs;    // sorted by name
  std::vector<StepParam> params;    // sorted by key; pipeline defaults already applied
  std::vector<StepOutput> outputs;  // sorted by name
  SourceLocation location;          // of the step's name

  const StepInput* FindInput(std::string_view input_name) const;
  const StepParam* FindParam(std::string_view key) const;
  const StepOutput* FindOutput(std::string_view output_name) const;
  // The parameters as one JSON object with sorted keys: the canonical form the cache hashes.
  nlohmann::json ParamsJson() const;
};

struct PipelineDefaults {
  std::optional<std::uint64_t> threads;  // --threads for every step
  std::optional<std::uint64_t> seed;     // `seed` of sample and evaluate steps without one
  std::string noise_key_file;            // `noise-key-file` input of private fit steps without one
};

struct Pipeline {
  std::string file;       // the pipeline file, as given
  std::string directory;  // its folder: steps run here and relative paths start here
  PipelineDefaults defaults;
  std::vector<Step> steps;  // in file order

  // Index of the step with this name, or -1.
  std::ptrdiff_t FindStep(std::string_view name) const;
};

// Parse pipeline text. `file` names it in errors; `directory` is where it lives.
Result<Pipeline> ParsePipeline(std::string_view text, const std::string& file, const std::string& directory);
// Read and parse a pipeline file. Errors: kIO (unreadable), kInvalidArgument (content).
Result<Pipeline> ReadPipelineFile(const std::string& path);

// `a/./b/../c` -> `a/c`, without touching the file system; "" stays "".
std::string NormalizePath(std::string_view path);

}  // namespace synthscale
