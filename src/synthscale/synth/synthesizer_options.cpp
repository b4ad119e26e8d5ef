#include "synthscale/synth/synthesizer_options.h"

#include <cmath>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "synthscale/table/json_locate.h"

namespace synthscale {
namespace {

std::string Quoted(std::string_view method) { return "'" + std::string(method) + "'"; }

}  // namespace

Status SynthesizerOptions::Validate(std::string_view method, bool differentially_private) const {
  const bool has_budget = epsilon || delta || rho;
  if (!differentially_private) {
    if (has_budget) {
      return InvalidArgument("method " + Quoted(method) +
                             " is not differentially private and takes no privacy budget; drop "
                             "--epsilon/--delta/--rho or choose --method mst or aim");
    }
    return Status::Ok();
  }
  if (rho && (epsilon || delta)) {
    return InvalidArgument("give the privacy budget either as --rho or as --epsilon with --delta, not both");
  }
  if (!rho && !(epsilon && delta)) {
    return InvalidArgument("method " + Quoted(method) +
                           " is differentially private: give its budget with --epsilon E --delta D "
                           "(e.g. --epsilon 1 --delta 1e-9) or --rho R");
  }
  // Candidates are every subset of a workload set: 2^k of them.
  constexpr std::uint32_t kMaxWorkloadColumns = 16;
  if (workload_degree < 1 || workload_degree > kMaxWorkloadColumns) {
    return InvalidArgument("workload degree must be in [1, 16], got " + std::to_string(workload_degree));
  }
  for (const std::vector<std::string>& clique : workload) {
    if (clique.empty()) return InvalidArgument("a workload entry names no column; list 1 or more columns");
    if (clique.size() > kMaxWorkloadColumns) {
      return InvalidArgument("a workload entry lists " + std::to_string(clique.size()) +
                             " columns; at most 16 per marginal");
    }
  }
  if (!(std::isfinite(max_model_size_mb) && max_model_size_mb > 0 && max_model_size_mb <= 1 << 30)) {
    return InvalidArgument("max model size must be a number of MiB in (0, 2^30], got " +
                           std::to_string(max_model_size_mb));
  }
  if (max_iterations < 1 || max_iterations > 10'000'000) {
    return InvalidArgument("max iterations must be in [1, 10^7], got " + std::to_string(max_iterations));
  }
  return Status::Ok();
}

std::string SynthesizerOptions::ToJson(bool differentially_private) const {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  if (!differentially_private) return json.dump();
  if (epsilon) json["epsilon"] = *epsilon;
  if (delta) json["delta"] = *delta;
  if (rho) json["rho"] = *rho;
  json["neighbouring"] = std::string(NeighbouringName(neighbouring));
  json["allow_data_dependent_domain"] = allow_data_dependent_domain;
  json["workload_degree"] = workload_degree;
  json["workload"] = workload;
  json["max_model_size_mb"] = max_model_size_mb;
  json["max_rounds"] = max_rounds;
  json["max_iterations"] = max_iterations;
  return json.dump();
}

Result<SynthesizerOptions> SynthesizerOptions::FromJson(std::string_view text) {
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return InvalidData("options must be a JSON object");
  SynthesizerOptions options;
  const auto number = [&](const char* key, std::optional<double>& out) -> Status {
    if (!json.contains(key)) return Status::Ok();
    if (!json[key].is_number()) return InvalidData(std::string("option '") + key + "' must be a number");
    out = json[key].get<double>();
    return Status::Ok();
  };
  SYNTHSCALE_RETURN_IF_ERROR(number("epsilon", options.epsilon));
  SYNTHSCALE_RETURN_IF_ERROR(number("delta", options.delta));
  SYNTHSCALE_RETURN_IF_ERROR(number("rho", options.rho));
  if (json.contains("neighbouring")) {
    if (!json["neighbouring"].is_string()) return InvalidData("option 'neighbouring' must be a string");
    Result<Neighbouring> neighbouring = ParseNeighbouring(json["neighbouring"].get<std::string>());
    if (!neighbouring.ok()) return InvalidData(neighbouring.status().message());
    options.neighbouring = *neighbouring;
  }
  const auto boolean = [&](const char* key, bool& out) -> Status {
    if (!json.contains(key)) return Status::Ok();
    if (!json[key].is_boolean()) return InvalidData(std::string("option '") + key + "' must be true or false");
    out = json[key].get<bool>();
    return Status::Ok();
  };
  const auto count = [&](const char* key, std::uint32_t& out) -> Status {
    if (!json.contains(key)) return Status::Ok();
    if (!json[key].is_number_unsigned() || json[key].get<std::uint64_t>() > UINT32_MAX) {
      return InvalidData(std::string("option '") + key + "' must be a non-negative integer");
    }
    out = json[key].get<std::uint32_t>();
    return Status::Ok();
  };
  SYNTHSCALE_RETURN_IF_ERROR(boolean("allow_data_dependent_domain", options.allow_data_dependent_domain));
  SYNTHSCALE_RETURN_IF_ERROR(count("workload_degree", options.workload_degree));
  SYNTHSCALE_RETURN_IF_ERROR(count("max_rounds", options.max_rounds));
  SYNTHSCALE_RETURN_IF_ERROR(count("max_iterations", options.max_iterations));
  if (json.contains("max_model_size_mb")) {
    if (!json["max_model_size_mb"].is_number()) return InvalidData("option 'max_model_size_mb' must be a number");
    options.max_model_size_mb = json["max_model_size_mb"].get<double>();
  }
  if (json.contains("workload")) {
    SYNTHSCALE_ASSIGN_OR_RETURN(options.workload, ParseWorkload(json["workload"].dump(), "the model's options"));
  }
  return options;
}

Result<std::vector<std::vector<std::string>>> ParseWorkload(std::string_view text, const std::string& file) {
  const auto fail = [&](TextPosition position, const std::string& why) {
    SourceLocation location;
    location.file = file;
    location.line = position.line;
    location.column = position.column;
    return InvalidData("workload " + why +
                           "; expected a JSON array of column-name arrays, e.g. [[\"age\", \"sex\"], [\"race\"]]",
                       location);
  };
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    // Re-parse with exceptions only to learn where the syntax error is.
    std::size_t offset = 0;
    try {
      const nlohmann::json unused = nlohmann::json::parse(text);
      (void)unused;
    } catch (const nlohmann::json::parse_error& error) {
      offset = error.byte > 0 ? error.byte - 1 : 0;
    } catch (const std::exception&) {
    }
    return fail(PositionOfOffset(text, offset), "is not valid JSON");
  }
  if (!json.is_array()) return fail(LocateJsonPath(text, {}), "is not an array");
  std::vector<std::vector<std::string>> workload;
  for (std::size_t entry_idx = 0; entry_idx < json.size(); ++entry_idx) {
    const nlohmann::json& clique = json[entry_idx];
    if (!clique.is_array()) return fail(LocateJsonPath(text, {entry_idx}), "entry is not an array of column names");
    std::vector<std::string> names;
    for (std::size_t name_idx = 0; name_idx < clique.size(); ++name_idx) {
      if (!clique[name_idx].is_string()) {
        return fail(LocateJsonPath(text, {entry_idx, name_idx}), "entry holds a value that is not a column name");
      }
      names.push_back(clique[name_idx].get<std::string>());
    }
    workload.push_back(std::move(names));
  }
  return workload;
}

}  // namespace synthscale
