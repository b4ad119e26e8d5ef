#include "synthscale/workflow/cache.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <system_error>

#include "synthscale/core/crypto.h"
#include "synthscale/core/version.h"
#include "synthscale/io/atomic_file.h"

namespace synthscale {
namespace {

constexpr const char* kRecordFormat = "synthscale-step-record/1";

std::string Quote(const nlohmann::json& value) { return value.dump(); }

std::string InBase(const std::string& base_directory, const std::string& path) {
  if (!path.empty() && path.front() == '/') return path;
  if (base_directory.empty() || base_directory == ".") return path;
  return base_directory + "/" + path;
}

// Why the material differs, item by item, in a stable order.
std::vector<std::string> Differences(const StepKeyMaterial& before, const StepKeyMaterial& now) {
  std::vector<std::string> reasons;
  if (before.kind != now.kind) reasons.push_back("kind changed: " + before.kind + " -> " + now.kind);
  std::set<std::string> keys;
  for (const auto& [key, value] : before.params.items()) keys.insert(key);
  for (const auto& [key, value] : now.params.items()) keys.insert(key);
  for (const std::string& key : keys) {
    const bool had = before.params.contains(key);
    const bool has = now.params.contains(key);
    if (had && has && before.params[key] != now.params[key]) {
      reasons.push_back("parameter '" + key + "' changed: " + Quote(before.params[key]) + " -> " +
                        Quote(now.params[key]));
    } else if (had && !has) {
      reasons.push_back("parameter '" + key + "' removed");
    } else if (!had && has) {
      reasons.push_back("parameter '" + key + "' added: " + Quote(now.params[key]));
    }
  }
  std::set<std::string> names;
  for (const auto& [name, digest] : before.input_sha256) names.insert(name);
  for (const auto& [name, digest] : now.input_sha256) names.insert(name);
  for (const std::string& name : names) {
    const auto old_it = before.input_sha256.find(name);
    const auto new_it = now.input_sha256.find(name);
    if (old_it == before.input_sha256.end()) {
      reasons.push_back("input '" + name + "' added");
    } else if (new_it == now.input_sha256.end()) {
      reasons.push_back("input '" + name + "' removed");
    } else if (old_it->second != new_it->second) {
      reasons.push_back("input '" + name + "' changed (its SHA-256 differs)");
    }
  }
  if (before.outputs != now.outputs) reasons.push_back("output paths changed");
  if (before.tool != now.tool) reasons.push_back("synthscale changed: " + before.tool + " -> " + now.tool);
  return reasons;
}

}  // namespace

nlohmann::json StepKeyMaterial::ToJson() const {
  nlohmann::json json = nlohmann::json::object();
  json["kind"] = kind;
  json["params"] = params;
  json["inputs"] = nlohmann::json::object();
  for (const auto& [name, digest] : input_sha256) json["inputs"][name] = digest;
  json["outputs"] = outputs;
  json["tool"] = tool;
  return json;
}

Result<StepKeyMaterial> StepKeyMaterial::FromJson(const nlohmann::json& json) {
  StepKeyMaterial material;
  if (!json.is_object() || !json.contains("kind") || !json.contains("params") || !json.contains("inputs") ||
      !json.contains("outputs") || !json.contains("tool") || !json["inputs"].is_object() ||
      !json["params"].is_object() || !json["outputs"].is_array()) {
    return InvalidData("a step record's material needs kind, params, inputs, outputs and tool");
  }
  // Every string checked before it is read: a hand-edited record is unreadable (the step
  // re-runs), never an exception.
  const Status not_text = InvalidData("a step record's kind, tool, input digests and outputs must be strings");
  if (!json["kind"].is_string() || !json["tool"].is_string()) return not_text;
  material.kind = json["kind"].get<std::string>();
  material.params = json["params"];
  for (const auto& [name, digest] : json["inputs"].items()) {
    if (!digest.is_string()) return not_text;
    material.input_sha256[name] = digest.get<std::string>();
  }
  for (const nlohmann::json& output : json["outputs"]) {
    if (!output.is_string()) return not_text;
    material.outputs.push_back(output.get<std::string>());
  }
  material.tool = json["tool"].get<std::string>();
  return material;
}

std::string StepKey(const StepKeyMaterial& material) {
  // nlohmann's object is a std::map, so dump() sorts keys: the same material always
  // gives the same bytes.
  return ToHex(Sha256(material.ToJson().dump()));
}

std::string ToolVersion() { return std::string("synthscale ") + Version() + " (" + GitCommit() + ")"; }

Result<StepKeyMaterial> MakeKeyMaterial(const Pipeline& pipeline, const Plan& plan, std::size_t step_idx,
                                        const std::string& tool) {
  const Step& step = pipeline.steps[step_idx];
  StepKeyMaterial material;
  material.kind = StepKindName(step.kind);
  material.params = step.ParamsJson();
  for (const ResolvedInput& input : plan.steps[step_idx].inputs) {
    Result<Sha256Digest> digest = Sha256File(PathInPipeline(pipeline, input.path));
    if (!digest.ok()) {
      return digest.status().WithContext("input '" + input.name + "' of step '" + step.name + "'");
    }
    material.input_sha256[input.name] = ToHex(*digest);
  }
  for (const StepOutput& output : step.outputs) material.outputs.push_back(output.path);
  material.tool = tool;
  return material;
}

std::vector<std::string> RecordedFiles(const Step& step) {
  std::vector<std::string> files;
  for (const StepOutput& output : step.outputs) {
    if (step.kind == StepKind::kEvaluate && output.name == "report") {
      files.push_back(NormalizePath(output.path + "/report.json"));
      files.push_back(NormalizePath(output.path + "/report.html"));
    } else {
      files.push_back(output.path);
    }
  }
  return files;
}

std::string StepRecord::ToJson() const {
  nlohmann::json json = nlohmann::json::object();
  json["format"] = kRecordFormat;
  json["step"] = step;
  json["key"] = key;
  json["material"] = material.ToJson();
  json["files"] = nlohmann::json::array();
  for (const RecordedFile& file : files) json["files"].push_back({{"path", file.path}, {"sha256", file.sha256}});
  return json.dump(2) + "\n";
}

Result<StepRecord> StepRecord::FromJson(const std::string& text, const std::string& file) {
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  const auto corrupt = [&](const std::string& why) {
    SourceLocation location;
    location.file = file;
    return InvalidData("not a synthscale step record (" + why + "); delete it and the step runs again", location);
  };
  if (json.is_discarded() || !json.is_object()) return corrupt("not JSON");
  if (!json.contains("format") || !json["format"].is_string() || json["format"] != kRecordFormat) {
    return corrupt("format is not " + std::string(kRecordFormat));
  }
  if (!json.contains("step") || !json["step"].is_string() || !json.contains("key") || !json["key"].is_string() ||
      !json.contains("files") || !json["files"].is_array() || !json.contains("material")) {
    return corrupt("missing step, key, material or files");
  }
  StepRecord record;
  record.step = json["step"].get<std::string>();
  record.key = json["key"].get<std::string>();
  Result<StepKeyMaterial> material = StepKeyMaterial::FromJson(json["material"]);
  if (!material.ok()) return corrupt(material.status().message());
  record.material = std::move(*material);
  for (const nlohmann::json& entry : json["files"]) {
    if (!entry.is_object() || !entry.contains("path") || !entry["path"].is_string() || !entry.contains("sha256") ||
        !entry["sha256"].is_string()) {
      return corrupt("a file entry needs path and sha256");
    }
    record.files.push_back({entry["path"].get<std::string>(), entry["sha256"].get<std::string>()});
  }
  return record;
}

std::string StepRecordPath(const Pipeline& pipeline, const std::string& step) {
  return PathInPipeline(pipeline, ".synthscale/steps/" + step + ".json");
}

Result<std::optional<StepRecord>> ReadStepRecord(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return std::optional<StepRecord>();
  std::ifstream in(path, std::ios::binary);
  if (!in) return IOError("cannot open step record '" + path + "'; check its permissions", path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return IOError("error while reading step record '" + path + "'", path);
  SYNTHSCALE_ASSIGN_OR_RETURN(StepRecord record, StepRecord::FromJson(text, path));
  return std::optional<StepRecord>(std::move(record));
}

Status WriteStepRecord(const std::string& path, const StepRecord& record) {
  std::error_code error;
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  if (!folder.empty()) std::filesystem::create_directories(folder, error);
  if (error) return IOError("cannot create folder '" + folder.string() + "': " + error.message(), path);
  return WriteFileAtomically(path, record.ToJson(), /*force=*/true);
}

Result<StepRecord> MakeStepRecord(const Pipeline& pipeline, std::size_t step_idx, StepKeyMaterial material) {
  const Step& step = pipeline.steps[step_idx];
  StepRecord record;
  record.step = step.name;
  record.key = StepKey(material);
  record.material = std::move(material);
  for (const std::string& file : RecordedFiles(step)) {
    Result<Sha256Digest> digest = Sha256File(PathInPipeline(pipeline, file));
    if (!digest.ok()) {
      return digest.status().WithContext("step '" + step.name + "' succeeded but did not write '" + file + "'");
    }
    record.files.push_back({file, ToHex(*digest)});
  }
  return record;
}

CacheDecision Decide(const std::optional<StepRecord>& record, const StepKeyMaterial& current,
                     const std::string& base_directory) {
  CacheDecision decision;
  if (!record) {
    decision.reasons.push_back("no record of an earlier run");
    return decision;
  }
  if (record->key != StepKey(current)) {
    decision.reasons = Differences(record->material, current);
    if (decision.reasons.empty()) decision.reasons.push_back("cache key changed");
    return decision;
  }
  for (const RecordedFile& file : record->files) {
    const std::string path = InBase(base_directory, file.path);
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
      decision.reasons.push_back("output '" + file.path + "' is missing");
      continue;
    }
    Result<Sha256Digest> digest = Sha256File(path);
    if (!digest.ok() || ToHex(*digest) != file.sha256) {
      decision.reasons.push_back("output '" + file.path + "' changed since the step wrote it");
    }
  }
  if (decision.reasons.empty()) {
    decision.run = false;
    decision.reasons.push_back("up to date");
  }
  return decision;
}

}  // namespace synthscale
