// synthscale schema infer | validate
#include <cstdio>
#include <memory>

#include "commands.h"
#include "synthscale/io/atomic_file.h"
#include "synthscale/io/schema_infer.h"
#include "synthscale/table/schema.h"

namespace synthscale::cli {
namespace {

struct InferArgs {
  std::string input;
  std::string output;
  bool force = false;
  CsvOptions csv;
  std::string delimiter = ",";
  std::vector<std::string> missing_tokens;
  InferOptions infer;
};

int RunInfer(const InferArgs& args, const GlobalOptions& global) {
  CsvOptions csv = args.csv;
  Status status = FinishCsvOptions(args.delimiter, args.missing_tokens, csv);
  if (!status.ok()) return ReportError(status);
  const std::unique_ptr<Context> ctx = MakeContext(global);
  Result<SchemaInference> inferred = InferSchemaFromCsv(args.input, csv, args.infer, *ctx);
  if (!inferred.ok()) return ReportError(inferred.status());
  for (const std::string& warning : inferred->warnings) PrintWarning(global, warning);
  const std::string json = inferred->schema.ToJson();
  if (args.output.empty() || args.output == "-") {
    std::fwrite(json.data(), 1, json.size(), stdout);
    return std::fflush(stdout) == 0 ? kExitOk : ReportError(IOError("cannot write to standard output"));
  }
  status = WriteFileAtomically(args.output, json, args.force);
  if (!status.ok()) return ReportError(status);
  if (!global.quiet) std::fprintf(stderr, "synthscale: wrote schema of %zu columns to %s\n",
                                  inferred->schema.size(), args.output.c_str());
  return kExitOk;
}

}  // namespace

std::vector<Command> AddSchemaCommands(CLI::App& app, const GlobalOptions& global) {
  CLI::App* schema = app.add_subcommand("schema", "Infer or check a schema (column types and domains)");
  schema->require_subcommand(1);

  auto infer_args = std::make_shared<InferArgs>();
  CLI::App* infer = schema->add_subcommand(
      "infer", "Read a CSV file and write its schema as JSON (to stdout, or -o FILE)");
  infer->add_option("input", infer_args->input, "CSV file (.csv or .csv.gz)")->required();
  infer->add_option("-o,--output", infer_args->output, "Write the schema here instead of stdout");
  infer->add_flag("--force", infer_args->force, "Overwrite the output if it exists");
  infer->add_option("--max-categories", infer_args->infer.max_categories,
                    "A text column with at most this many distinct values is categorical")
      ->default_val(infer_args->infer.max_categories);
  infer->add_option("--continuous-bins", infer_args->infer.continuous_bins,
                    "Equal-width bins for continuous columns")
      ->default_val(infer_args->infer.continuous_bins)
      ->check(CLI::Range(1, 1 << 24));
  infer->add_option("--integer-bins", infer_args->infer.integer_bins,
                    "Integer ranges wider than this are binned")
      ->default_val(infer_args->infer.integer_bins)
      ->check(CLI::Range(1, 1 << 24));
  AddCsvFlags(*infer, infer_args->csv, infer_args->delimiter, infer_args->missing_tokens);

  auto validate_path = std::make_shared<std::string>();
  CLI::App* validate = schema->add_subcommand("validate", "Check a schema file and print a summary");
  validate->add_option("schema", *validate_path, "Schema JSON file")->required();

  return {
      {infer, [infer_args, &global] { return RunInfer(*infer_args, global); }},
      {validate,
       [validate_path] {
         Result<Schema> parsed = Schema::ReadFile(*validate_path);
         if (!parsed.ok()) return ReportError(parsed.status());
         std::printf("%s: valid schema, %zu columns%s\n", validate_path->c_str(), parsed->size(),
                     parsed->AnyDomainFromData() ? " (some domains were read from data: not private)" : "");
         return static_cast<int>(kExitOk);
       }},
  };
}

}  // namespace synthscale::cli
