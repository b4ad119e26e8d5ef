// synthscale inspect model.ssm [--json]
//
// Shows how a model was made: method, options, schema columns, the learned structure
// (cliques) and, for a DP model, every ledger charge and the total against the budget.
#include <cstdio>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "synthscale/privacy/format.h"
#include "synthscale/synth/model.h"

namespace synthscale::cli {
namespace {

struct InspectArgs {
  std::string model_path;
  bool json = false;
};

// Strings bare, numbers in their shortest exact form (as fit prints them).
std::string Plain(const nlohmann::ordered_json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_float()) return FormatNumber(value.get<double>());
  return value.dump();
}

void PrintText(const nlohmann::ordered_json& description) {
  std::printf("method: %s (%s)\n", description["method"].get<std::string>().c_str(),
              description["differentially_private"].get<bool>() ? "differentially private" : "NOT private");
  const nlohmann::ordered_json& fit = description["fit"];
  if (fit.contains("rows")) {
    std::printf("fitted on: %s rows, input sha256 %s\n", Plain(fit["rows"]).c_str(),
                Plain(fit["source_sha256"]).c_str());
  } else {
    std::printf("fitted on: row count and input hash withheld (not covered by differential privacy)\n");
  }
  if (fit["data_dependent_domain"].get<bool>()) std::printf("%s\n", kDataDependentDomainWarning);
  if (!description["options"].empty()) std::printf("options: %s\n", description["options"].dump().c_str());
  std::printf("columns (%zu):\n", description["columns"].size());
  for (const auto& column : description["columns"]) {
    std::printf("  %-24s %-12s %8s values%s\n", column["name"].get<std::string>().c_str(),
                column["type"].get<std::string>().c_str(), Plain(column["values"]).c_str(),
                column["nullable"].get<bool>() ? " + missing" : "");
  }
  const nlohmann::ordered_json& structure = description["structure"];
  if (structure.contains("cliques")) {
    std::printf("model cliques (%zu):\n", structure["cliques"].size());
    for (const auto& clique : structure["cliques"]) {
      std::string names;
      for (const auto& name : clique) names += (names.empty() ? "" : ", ") + name.get<std::string>();
      std::printf("  (%s)\n", names.c_str());
    }
  }
  for (const auto& [key, value] : structure.items()) {
    if (key != "cliques") std::printf("%s: %s\n", key.c_str(), Plain(value).c_str());
  }
  if (!description.contains("privacy")) return;
  const nlohmann::ordered_json& privacy = description["privacy"];
  std::printf("privacy ledger (%s):\n", Plain(privacy.value("neighbouring", nlohmann::ordered_json("?"))).c_str());
  for (const auto& charge : privacy["charges"]) {
    std::printf("  rho=%-12s %-12s %s\n", Plain(charge["rho"]).c_str(), Plain(charge["mechanism"]).c_str(),
                Plain(charge["label"]).c_str());
  }
  const nlohmann::ordered_json& budget = privacy["budget"];
  std::printf("total: rho=%s of budget rho=%s", Plain(privacy["spent_rho"]).c_str(), Plain(budget["rho"]).c_str());
  if (budget.contains("epsilon")) {
    std::printf(" (epsilon=%s, delta=%s)", Plain(budget["epsilon"]).c_str(), Plain(budget["delta"]).c_str());
  }
  std::printf("\nnoise key sha256: %s\n", Plain(privacy.value("noise_key_sha256", nlohmann::ordered_json(""))).c_str());
}

int RunInspect(const InspectArgs& args) {
  Result<Model> model = Model::Load(args.model_path);
  if (!model.ok()) return ReportError(model.status());
  const nlohmann::ordered_json description = nlohmann::ordered_json::parse(model->DescribeJson());
  if (args.json) {
    std::printf("%s\n", description.dump(2).c_str());
  } else {
    PrintText(description);
  }
  return kExitOk;
}

}  // namespace

Command AddInspectCommand(CLI::App& app, const GlobalOptions& /*global*/) {
  auto args = std::make_shared<InspectArgs>();
  CLI::App* inspect =
      app.add_subcommand("inspect", "Show a model file: method, schema, model cliques and the privacy ledger");
  inspect->add_option("model", args->model_path, "Model file written by 'synthscale fit'")->required();
  inspect->add_flag("--json", args->json, "Print one JSON object (stable keys, docs/cli.md)");
  return {inspect, [args] { return RunInspect(*args); }};
}

}  // namespace synthscale::cli
