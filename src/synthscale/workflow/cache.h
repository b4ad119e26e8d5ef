// Cache: decide whether a pipeline step must run, and remember that it ran.
//
// A step's key is the SHA-256 of a canonical JSON object holding the step's kind, its
// parameters (sorted keys, defaults applied), the SHA-256 of every input file (by input
// name, so moving a file without changing it keeps the key), its output paths, and the
// synthscale version and commit. After a step succeeds the runner stores a record,
// `<pipeline folder>/.synthscale/steps/<step>.json`, holding the key, what it was made
// of, and the SHA-256 of every output file. A step is skipped when its key equals the
// record's and every output exists with the recorded hash; otherwise it runs. Steps
// downstream re-key by themselves: their inputs are the outputs that changed.
//
// The record is written atomically and only after the step succeeded, so a step that
// failed or was killed has no record and runs again next time. Thread safety: none needed
// (plain functions over values and files).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "synthscale/core/status.h"
#include "synthscale/workflow/pipeline.h"
#include "synthscale/workflow/plan.h"

namespace synthscale {

// What a step's key is computed from.
struct StepKeyMaterial {
  std::string kind;
  nlohmann::json params = nlohmann::json::object();
  std::map<std::string, std::string> input_sha256;  // input name -> hex digest
  std::vector<std::string> outputs;                 // output paths, in output-name order
  std::string tool;                                 // "synthscale <version> (<commit>)"

  nlohmann::json ToJson() const;
  static Result<StepKeyMaterial> FromJson(const nlohmann::json& json);
};

// Hex SHA-256 of the material's canonical JSON (sorted keys, no spaces).
std::string StepKey(const StepKeyMaterial& material);

// The tool string of this build: "synthscale <version> (<commit>)".
std::string ToolVersion();

// Hash the step's input files and gather its material. `tool` is normally ToolVersion().
// Errors: kIO for an input that cannot be read, naming the step and input.
Result<StepKeyMaterial> MakeKeyMaterial(const Pipeline& pipeline, const Plan& plan, std::size_t step_idx,
                                        const std::string& tool);

// The files a step leaves behind and the cache checks: each output, except that an
// evaluate step's `report` folder stands for the report.json and report.html in it.
std::vector<std::string> RecordedFiles(const Step& step);

struct RecordedFile {
  std::string path;
  std::string sha256;
};

struct StepRecord {
  std::string step;
  std::string key;
  StepKeyMaterial material;
  std::vector<RecordedFile> files;

  std::string ToJson() const;
  // Errors: kInvalidData naming `file` when the text is not a record.
  static Result<StepRecord> FromJson(const std::string& text, const std::string& file);
};

// `<pipeline folder>/.synthscale/steps/<step>.json`.
std::string StepRecordPath(const Pipeline& pipeline, const std::string& step);
// The record, or nullopt when there is none. Errors: kIO (unreadable), kInvalidData (corrupt).
Result<std::optional<StepRecord>> ReadStepRecord(const std::string& path);
// Write atomically, creating the folders. Errors: kIO.
Status WriteStepRecord(const std::string& path, const StepRecord& record);

// A record for a step that has just succeeded: hashes its recorded files. Errors: kIO
// naming an output the step did not write.
Result<StepRecord> MakeStepRecord(const Pipeline& pipeline, std::size_t step_idx, StepKeyMaterial material);

struct CacheDecision {
  bool run = true;
  std::vector<std::string> reasons;  // why it runs ("parameter 'epsilon' changed: 1 -> 2"), or "up to date"
};

// Compare the current material with the record (if any) and check the recorded files as
// seen from `base_directory` (the pipeline folder). Never fails: an unreadable output is
// a reason to run.
CacheDecision Decide(const std::optional<StepRecord>& record, const StepKeyMaterial& current,
                     const std::string& base_directory);

}  // namespace synthscale
