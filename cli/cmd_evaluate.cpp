// synthscale evaluate --real R --synthetic S [--holdout H] --schema SCHEMA -o DIR: the
// trust report (docs/metrics.md): report.json, report.html, a manifest, and a summary
// on stdout.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "commands.h"
#include "output_manifest.h"
#include "unsigned_flag.h"
#include "synthscale/eval/metric.h"
#include "synthscale/eval/report.h"
#include "synthscale/io/csv_reader.h"
#include "synthscale/io/schema_infer.h"

namespace synthscale::cli {
namespace {

struct EvaluateArgs {
  std::string real;
  std::string holdout;
  std::string synthetic;
  std::string schema_path;
  std::string output_dir;
  std::string target;
  std::vector<std::string> sensitive;
  std::vector<std::string> quasi_identifiers;
  std::vector<std::string> metrics;
  std::vector<double> mix;
  std::uint64_t seed = 0;
  std::size_t bootstrap = 200;
  double confidence = 0.95;
  std::size_t max_three_way = 0;
  bool force = false;
  CsvOptions csv;
  std::string delimiter = ",";
  std::vector<std::string> missing_tokens;
  ManifestFlags manifest;
};

Result<Schema> LoadSchema(const EvaluateArgs& args, const CsvOptions& csv, const GlobalOptions& global,
                          const Context& ctx) {
  if (!args.schema_path.empty()) return Schema::ReadFile(args.schema_path);
  PrintWarning(global, "no --schema given: inferring one from " + args.real +
                           "; values of the other tables outside its domains count as out of domain");
  SYNTHSCALE_ASSIGN_OR_RETURN(SchemaInference inferred, InferSchemaFromCsv(args.real, csv, InferOptions{}, ctx));
  for (const std::string& warning : inferred.warnings) PrintWarning(global, warning);
  return std::move(inferred.schema);
}

eval::EvalOptions MakeOptions(const EvaluateArgs& args) {
  eval::EvalOptions options;
  if (!args.target.empty()) options.target = args.target;
  options.sensitive = args.sensitive;
  options.quasi_identifiers = args.quasi_identifiers;
  options.seed = args.seed;
  options.bootstrap_replicates = args.bootstrap;
  options.confidence = args.confidence;
  options.max_three_way = args.max_three_way;
  options.mix_ratios = args.mix;
  return options;
}

// The report's manifest: the report is computed from the real data without DP, so its
// inputs are hashed like any non-private output's.
ManifestInput ReportManifest(const EvaluateArgs& args, const eval::ReportPaths& paths, const nlohmann::json& report) {
  ManifestInput manifest;
  manifest.outputs.push_back({paths.json, "application/json", "trust report (machine-readable)", true});
  manifest.outputs.push_back({paths.html, "text/html", "trust report (for people)", true});
  manifest.inputs.push_back({args.real, "text/csv", "real training data", true});
  if (!args.holdout.empty()) manifest.inputs.push_back({args.holdout, "text/csv", "real holdout data", true});
  manifest.inputs.push_back({args.synthetic, "text/csv", "synthetic data", false});
  if (!args.schema_path.empty()) manifest.inputs.push_back({args.schema_path, "application/json", "schema", false});
  manifest.name = "trust report";
  manifest.description = "Trust report comparing a synthetic table with real data: fidelity, utility, privacy "
                         "risk and subgroup audit (synthscale evaluate).";
  manifest.method = "evaluate";
  manifest.input_rows = report["inputs"]["real_rows"].get<std::uint64_t>();
  manifest.seed = args.seed;
  manifest.configuration_json = report["settings"].dump();
  manifest.evaluation_json = report["summary"].dump();
  return manifest;
}

// When stderr is not a terminal (a batch job's log), one line per finished stage with
// its time, instead of the terminal's redrawn percentage: a report on a large table
// takes minutes, and a log without progress looks hung.
void LogStagesToStderr(Context& ctx) {
  struct State {
    std::mutex mutex;
    std::string stage;
    std::chrono::steady_clock::time_point started;
  };
  auto state = std::make_shared<State>();
  ctx.progress = [state](std::string_view stage, std::uint64_t done, std::uint64_t total) {
    const std::lock_guard<std::mutex> lock(state->mutex);
    const auto now = std::chrono::steady_clock::now();
    const bool finished = total > 0 && done >= total;
    if (stage != state->stage || finished) {
      if (!state->stage.empty()) {
        const double seconds = std::chrono::duration<double>(now - state->started).count();
        std::fprintf(stderr, "synthscale: %s: %.1f s\n", state->stage.c_str(), seconds);
        std::fflush(stderr);
      }
      state->stage = finished ? std::string() : std::string(stage);
      state->started = now;
    }
  };
}

// `dir`/`name` without a doubled separator when `dir` ends in '/' ("report/" is common).
std::string InFolder(const std::string& dir, const char* name) {
  return (std::filesystem::path(dir) / name).string();
}

int RunEvaluate(const EvaluateArgs& args, const GlobalOptions& global) {
  CsvOptions csv = args.csv;
  // A synthesizer may emit values outside the schema (a peer's output, a loose schema):
  // the report counts them under the out-of-domain code rather than refusing the table.
  csv.strict_domain = false;
  Status status = FinishCsvOptions(args.delimiter, args.missing_tokens, csv);
  if (!status.ok()) return ReportError(status);
  const eval::EvalOptions options = MakeOptions(args);
  status = options.Validate();
  if (!status.ok()) return ReportError(status);
  for (const std::string& name : args.metrics) {
    if (!eval::MakeMetric(name)) {
      std::string known;
      for (const std::string& candidate : eval::MetricNames()) known += (known.empty() ? "" : ", ") + candidate;
      return ReportError(InvalidArgument("unknown metric '" + name + "' in --metrics; choose from: " + known));
    }
  }
  const auto started = std::chrono::system_clock::now();
  // Refuse an existing report before reading any data.
  const std::string json_path = InFolder(args.output_dir, "report.json");
  status = CheckManifestFree(json_path, args.manifest, args.force);
  if (!status.ok()) return ReportError(status);
  for (const char* name : {"report.json", "report.html"}) {
    std::error_code error;
    const std::string path = InFolder(args.output_dir, name);
    if (!args.force && std::filesystem::exists(path, error)) {
      return ReportError(AlreadyExists("'" + path + "' exists; use --force to overwrite it", path));
    }
  }
  const std::unique_ptr<Context> ctx = MakeContext(global);
  if (!global.quiet && ::isatty(STDERR_FILENO) == 0) LogStagesToStderr(*ctx);
  Result<Schema> schema = LoadSchema(args, csv, global, *ctx);
  if (!schema.ok()) return ReportError(schema.status());
  Result<Table> real = ReadCsv(args.real, *schema, csv, *ctx);
  if (!real.ok()) return ReportError(real.status());
  std::optional<Table> holdout;
  if (!args.holdout.empty()) {
    Result<Table> read = ReadCsv(args.holdout, *schema, csv, *ctx);
    if (!read.ok()) return ReportError(read.status());
    holdout = std::move(*read);
  }
  Result<Table> synthetic = ReadCsv(args.synthetic, *schema, csv, *ctx);
  if (!synthetic.ok()) return ReportError(synthetic.status());

  Result<eval::EvalInputs> inputs =
      eval::PrepareEvalInputs(*schema, *real, holdout ? &*holdout : nullptr, *synthetic, options, *ctx);
  if (!inputs.ok()) return ReportError(inputs.status());
  Result<nlohmann::json> report = eval::BuildReport(*inputs, args.metrics, *ctx);
  if (!report.ok()) return ReportError(report.status());
  Result<eval::ReportPaths> paths = eval::WriteReport(*report, args.output_dir, args.force);
  if (!paths.ok()) return ReportError(paths.status());
  status = WriteOutputManifest(ReportManifest(args, *paths, *report), args.manifest, global, started, args.force);
  if (!status.ok()) return ReportError(status);
  std::fputs(eval::RenderReportSummary(*report).c_str(), stdout);
  if (!global.quiet) {
    std::fprintf(stderr, "synthscale: wrote %s and %s\n", paths->json.c_str(), paths->html.c_str());
  }
  return kExitOk;
}

}  // namespace

Command AddEvaluateCommand(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<EvaluateArgs>();
  CLI::App* command = app.add_subcommand(
      "evaluate", "Trust report: fidelity, utility, privacy risk and subgroup audit of a synthetic table");
  command->add_option("--real", args->real, "CSV of the real rows the synthesizer was fitted on")->required();
  command->add_option("--holdout", args->holdout,
                      "CSV of real rows NOT used for fitting (needed for utility and privacy risk)");
  command->add_option("--synthetic", args->synthetic, "CSV of synthetic rows")->required();
  command->add_option("--schema", args->schema_path, "Schema JSON all three tables are read with (default: inferred from --real)");
  command->add_option("-o,--output", args->output_dir, "Folder for report.json and report.html (created if missing)")
      ->required();
  command->add_option("--target", args->target, "Column to predict for utility (train on synthetic, test on real)");
  command->add_option("--sensitive", args->sensitive, "Columns to audit by group and to attack, comma-separated")
      ->delimiter(',');
  command->add_option("--quasi-identifiers", args->quasi_identifiers,
                      "Columns an attacker knows (default: all but --sensitive and --target)")
      ->delimiter(',');
  std::string metric_help = "Metrics to compute, comma-separated (default: all that the inputs allow):";
  for (const std::string& name : eval::MetricNames()) metric_help += " " + name;
  command->add_option("--metrics", args->metrics, metric_help)->delimiter(',');
  command->add_option("--mix", args->mix, "Synthetic/real ratios for the augmentation curve, e.g. 0,0.25,0.5,1")
      ->delimiter(',');
  command->add_option("--seed", args->seed, "Seed of every random choice (bootstrap, splits, samples)")
      ->default_val(0)
      ->check(kUnsignedDecimal);
  command->add_option("--bootstrap", args->bootstrap, "Bootstrap replicates for confidence intervals (0 = none)")
      ->default_val(200)
      ->check(CLI::Range(std::size_t{0}, std::size_t{100000}));
  command->add_option("--confidence", args->confidence, "Two-sided confidence level of the intervals")
      ->default_val(0.95);
  command->add_option("--max-three-way", args->max_three_way,
                      "Evaluate a seeded sample of this many 3-way marginals (default 0 = all, exact)")
      ->default_val(0)
      ->check(kUnsignedDecimal);
  command->add_flag("--force", args->force, "Overwrite an existing report");
  AddCsvFlags(*command, args->csv, args->delimiter, args->missing_tokens);
  AddManifestFlags(*command, args->manifest);
  return {command, [args, &global] { return RunEvaluate(*args, global); }};
}

}  // namespace synthscale::cli
