// synthscale text audit --synthetic SYN [--source PRIVATE] [--benchmark BENCH ...]
// [--languages TARGET.json] -o DIR: the multilingual text audit (docs/text.md):
// report.json, report.html, a manifest, and a summary on stdout.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>

#include "commands.h"
#include "output_manifest.h"
#include "synthscale/dist/communicator.h"
#include "synthscale/text/audit.h"
#include "synthscale/text/report.h"

namespace synthscale::cli {
namespace {

struct TextAuditArgs {
  std::string synthetic;
  std::string source;
  std::vector<std::string> benchmarks;
  std::string languages;
  std::string output_dir;
  bool force = false;
  std::map<std::string, std::string> options;  // table option name -> the text given
  std::map<std::string, CLI::Option*> flags;
  ManifestFlags manifest;
};

// The table options given on the command line, as the JSON object TextAuditOptions reads.
Result<text::TextAuditOptions> ParseOptions(const TextAuditArgs& args) {
  nlohmann::json json = nlohmann::json::object();
  for (const text::AuditOptionInfo& info : text::AuditOptionTable()) {
    const CLI::Option* flag = args.flags.at(info.name);
    if (flag->count() == 0) continue;
    const std::string& given = args.options.at(info.name);
    const std::string flag_name = text::AuditOptionFlag(info.name);
    if (info.type == text::AuditOptionType::kString || std::string_view(info.name) == "seed") {
      json[info.name] = given;
      continue;
    }
    char* end = nullptr;
    if (info.type == text::AuditOptionType::kUnsigned) {
      const unsigned long long value = std::strtoull(given.c_str(), &end, 10);
      if (given.empty() || given[0] == '-' || end == nullptr || *end != '\0') {
        return InvalidArgument(flag_name + " must be a non-negative integer, got '" + given + "'");
      }
      json[info.name] = static_cast<std::uint64_t>(value);
    } else {
      const double value = std::strtod(given.c_str(), &end);
      if (given.empty() || end == nullptr || *end != '\0') {
        return InvalidArgument(flag_name + " must be a number, got '" + given + "'");
      }
      json[info.name] = value;
    }
  }
  Result<text::TextAuditOptions> options = text::TextAuditOptions::FromJson(json);
  if (!options.ok()) {
    // Name the flag, not the JSON key: "jaccard_threshold must ..." -> "--jaccard-threshold must ...".
    std::string message = options.status().message();
    for (const text::AuditOptionInfo& info : text::AuditOptionTable()) {
      if (message.rfind(info.name, 0) == 0) {
        message.replace(0, std::string_view(info.name).size(), text::AuditOptionFlag(info.name));
        break;
      }
    }
    return InvalidArgument(message);
  }
  return options;
}

ManifestInput AuditManifest(const TextAuditArgs& args, const text::TextReportPaths& paths, const nlohmann::json& report) {
  ManifestInput manifest;
  manifest.outputs.push_back({paths.json, "application/json", "text audit (machine-readable)", true});
  manifest.outputs.push_back({paths.html, "text/html", "text audit (for people)", true});
  manifest.inputs.push_back({args.synthetic, "", "synthetic corpus", false});
  if (!args.source.empty()) manifest.inputs.push_back({args.source, "", "private source corpus", true});
  for (const std::string& benchmark : args.benchmarks) manifest.inputs.push_back({benchmark, "", "benchmark items", false});
  if (!args.languages.empty()) manifest.inputs.push_back({args.languages, "application/json", "language targets", false});
  manifest.name = "text audit";
  manifest.description = "Audit of a synthetic text corpus: languages, exact and near duplicates, memorisation of a "
                         "private source and benchmark contamination (synthscale text audit). The report quotes "
                         "memorised spans of the private source.";
  manifest.method = "text-audit";
  manifest.input_rows = report["summary"]["documents"].get<std::uint64_t>();
  manifest.seed = std::stoull(report["settings"]["seed"].get<std::string>());
  manifest.configuration_json = report["settings"].dump();
  manifest.evaluation_json = report["summary"].dump();
  return manifest;
}

int RunTextAudit(const TextAuditArgs& args, const GlobalOptions& global) {
  Result<text::TextAuditOptions> options = ParseOptions(args);
  if (!options.ok()) return ReportError(options.status());
  const auto started = std::chrono::system_clock::now();
  // Refuse an existing report before reading any data.
  const std::string json_path = args.output_dir + "/report.json";
  Status status = CheckManifestFree(json_path, args.manifest, args.force);
  if (!status.ok()) return ReportError(status);
  for (const char* name : {"/report.json", "/report.html"}) {
    std::error_code error;
    if (!args.force && std::filesystem::exists(args.output_dir + name, error)) {
      return ReportError(AlreadyExists("'" + args.output_dir + name + "' exists; use --force to overwrite it",
                                       args.output_dir + name));
    }
  }
  const std::unique_ptr<Context> ctx = MakeContext(global);
  text::TextAuditInputs inputs;
  inputs.synthetic = args.synthetic;
  inputs.source = args.source;
  inputs.benchmarks = args.benchmarks;
  inputs.language_targets = args.languages;
  const SingleProcessCommunicator comm;
  Result<nlohmann::json> report = text::RunTextAudit(inputs, *options, *ctx, comm);
  if (!report.ok()) return ReportError(report.status());
  Result<text::TextReportPaths> paths = text::WriteTextReport(*report, args.output_dir, args.force);
  if (!paths.ok()) return ReportError(paths.status());
  status = WriteOutputManifest(AuditManifest(args, *paths, *report), args.manifest, global, started, args.force);
  if (!status.ok()) return ReportError(status);
  std::fputs(text::RenderTextReportSummary(*report).c_str(), stdout);
  if (!global.quiet) {
    std::fprintf(stderr, "synthscale: wrote %s and %s\n", paths->json.c_str(), paths->html.c_str());
  }
  return kExitOk;
}

}  // namespace

Command AddTextCommand(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<TextAuditArgs>();
  CLI::App* text = app.add_subcommand("text", "Audit synthetic text corpora (docs/text.md)");
  text->require_subcommand(1);
  CLI::App* audit = text->add_subcommand(
      "audit", "Languages, duplicates, memorisation of a private source and benchmark contamination of a corpus");
  audit->add_option("--synthetic", args->synthetic, "Corpus to audit: JSONL or plain text, one document per line, gzip or not")
      ->required();
  audit->add_option("--source", args->source, "Private source corpus: report synthetic documents that copy spans of it");
  audit->add_option("--benchmark", args->benchmarks,
                    "Benchmark items (JSONL or text; repeatable): report items whose n-grams the corpus contains");
  audit->add_option("--languages", args->languages,
                    "JSON of target language shares, e.g. {\"de\": 0.5, \"fr\": 0.5}: flag under-represented languages");
  audit->add_option("-o,--output", args->output_dir, "Folder for report.json and report.html (created if missing)")
      ->required();
  for (const text::AuditOptionInfo& info : text::AuditOptionTable()) {
    CLI::Option* flag = audit->add_option(text::AuditOptionFlag(info.name), args->options[info.name], info.help)
                            ->default_str(info.default_value)
                            ->group("Audit options");
    args->flags[info.name] = flag;
  }
  audit->add_flag("--force", args->force, "Overwrite an existing report");
  AddManifestFlags(*audit, args->manifest);
  return {audit, [args, &global] { return RunTextAudit(*args, global); }};
}

}  // namespace synthscale::cli
