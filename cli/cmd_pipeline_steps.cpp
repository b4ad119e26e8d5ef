// The hidden subcommands behind a pipeline's ingest (validate) and mix steps.
#include <cinttypes>
#include <cstdio>
#include <memory>
#include <optional>

#include "pipeline_steps.h"
#include "synthscale/io/csv_reader.h"
#include "synthscale/table/schema.h"
#include "synthscale/workflow/mix.h"
#include "synthscale/workflow/step_command.h"

namespace synthscale::cli {
namespace {

struct ValidateArgs {
  std::string input;
  std::string schema_path;
  CsvOptions csv;
  std::string delimiter = ",";
  std::vector<std::string> missing_tokens;
};

// Read every row with the schema: a malformed or out-of-domain value stops with its line.
int RunValidate(const ValidateArgs& args, const GlobalOptions& global) {
  CsvOptions csv = args.csv;
  Status status = FinishCsvOptions(args.delimiter, args.missing_tokens, csv);
  if (!status.ok()) return ReportError(status);
  Result<Schema> schema = Schema::ReadFile(args.schema_path);
  if (!schema.ok()) return ReportError(schema.status());
  Result<std::unique_ptr<CsvReader>> reader = CsvReader::Open(args.input, csv);
  if (!reader.ok()) return ReportError(reader.status());
  const std::unique_ptr<Context> ctx = MakeContext(global);
  Table batch;
  while (true) {
    Result<bool> more = (*reader)->NextBatch(*schema, *ctx, &batch);
    if (!more.ok()) return ReportError(more.status());
    if (!*more) break;
  }
  if (!global.quiet) {
    std::fprintf(stderr, "synthscale: %s: %" PRIu64 " rows match the schema %s\n", args.input.c_str(),
                 (*reader)->rows_read(), args.schema_path.c_str());
  }
  return kExitOk;
}

struct MixArgs {
  MixOptions mix;
  std::string schema_path;
  double share = 0;
  std::uint64_t rows = 0;
  bool share_given = false;
  bool rows_given = false;
};

int RunMix(const MixArgs& args, const GlobalOptions& global) {
  MixOptions options = args.mix;
  if (args.share_given) options.share = args.share;
  if (args.rows_given) options.rows = args.rows;
  Result<Schema> schema = Schema::ReadFile(args.schema_path);
  if (!schema.ok()) return ReportError(schema.status());
  const std::unique_ptr<Context> ctx = MakeContext(global);
  Result<MixSummary> summary = MixCsv(options, *schema, *ctx);
  if (!summary.ok()) return ReportError(summary.status());
  if (!global.quiet) {
    std::fprintf(stderr, "synthscale: wrote %" PRIu64 " real and %" PRIu64 " synthetic rows to %s\n",
                 summary->real_rows, summary->synthetic_rows, options.output.c_str());
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> AddPipelineStepCommands(CLI::App& app, const GlobalOptions& global) {
  auto validate_args = std::make_shared<ValidateArgs>();
  CLI::App* validate = app.add_subcommand(kValidateSubcommand, "Check a CSV file against a schema (pipeline step)");
  validate->group("");  // hidden: `run` uses it
  validate->add_option("input", validate_args->input, "CSV file")->required();
  validate->add_option("--schema", validate_args->schema_path, "Schema JSON")->required();
  AddCsvFlags(*validate, validate_args->csv, validate_args->delimiter, validate_args->missing_tokens);

  auto mix_args = std::make_shared<MixArgs>();
  CLI::App* mix = app.add_subcommand(kMixSubcommand, "Real rows plus a share of synthetic rows (pipeline step)");
  mix->group("");
  mix->add_option("--real", mix_args->mix.real, "Real CSV file")->required();
  mix->add_option("--synthetic", mix_args->mix.synthetic, "Synthetic CSV file")->required();
  mix->add_option("--schema", mix_args->schema_path, "Schema JSON")->required();
  mix->add_option("-o,--output", mix_args->mix.output, "CSV file to write")->required();
  mix->add_option("--share", mix_args->share, "Synthetic rows as a share of the real rows")
      ->each([mix_args](const std::string&) { mix_args->share_given = true; });
  mix->add_option("--rows", mix_args->rows, "Synthetic rows to add")
      ->each([mix_args](const std::string&) { mix_args->rows_given = true; });
  mix->add_flag("--force", mix_args->mix.force, "Overwrite the output if it exists");

  return {{validate, [validate_args, &global] { return RunValidate(*validate_args, global); }},
          {mix, [mix_args, &global] { return RunMix(*mix_args, global); }}};
}

}  // namespace synthscale::cli
