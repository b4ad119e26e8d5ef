// synthscale fit --method M [--schema S] data.csv -o model.ssm
#include <cstdio>
#include <memory>

#include "commands.h"
#include "synthscale/core/crypto.h"
#include "synthscale/io/atomic_file.h"
#include "synthscale/io/csv_reader.h"
#include "synthscale/io/schema_infer.h"
#include "synthscale/synth/model.h"
#include "synthscale/table/encoding.h"

namespace synthscale::cli {
namespace {

struct FitArgs {
  std::string input;
  std::string output;
  std::string method;
  std::string schema_path;
  bool force = false;
  CsvOptions csv;
  std::string delimiter = ",";
  std::vector<std::string> missing_tokens;
};

Result<Schema> LoadOrInferSchema(const FitArgs& args, const CsvOptions& csv, const GlobalOptions& global,
                                 const Context& ctx) {
  if (!args.schema_path.empty()) return Schema::ReadFile(args.schema_path);
  PrintWarning(global, "no --schema given: inferring one from the data (an extra pass over " + args.input +
                           "); save it with 'synthscale schema infer' to review and reuse it");
  SYNTHSCALE_ASSIGN_OR_RETURN(SchemaInference inferred, InferSchemaFromCsv(args.input, csv, InferOptions{}, ctx));
  for (const std::string& warning : inferred.warnings) PrintWarning(global, warning);
  return std::move(inferred.schema);
}

int RunFit(const FitArgs& args, const GlobalOptions& global) {
  CsvOptions csv = args.csv;
  Status status = FinishCsvOptions(args.delimiter, args.missing_tokens, csv);
  if (!status.ok()) return ReportError(status);
  // Claim the output first: an existing model is refused before any work is done.
  Result<AtomicOutputFile> output = AtomicOutputFile::Create(args.output, args.force);
  if (!output.ok()) return ReportError(output.status());
  const std::unique_ptr<Context> ctx = MakeContext(global);

  Result<Schema> schema = LoadOrInferSchema(args, csv, global, *ctx);
  if (!schema.ok()) return ReportError(schema.status());
  Result<Encoder> encoder = Encoder::Create(*schema);
  if (!encoder.ok()) return ReportError(encoder.status());
  Result<std::unique_ptr<CsvReader>> reader = CsvReader::Open(args.input, csv);
  if (!reader.ok()) return ReportError(reader.status());

  // Stream: each batch is encoded and dropped, so memory holds codes, not text.
  EncodedTable encoded = encoder->MakeEmpty();
  Table batch;
  while (true) {
    Result<bool> more = (*reader)->NextBatch(*schema, *ctx, &batch);
    if (!more.ok()) return ReportError(more.status());
    if (!*more) break;
    status = encoder->Append(batch, *ctx, encoded);
    if (!status.ok()) return ReportError(status.WithFile(args.input));
  }
  Result<Sha256Digest> digest = Sha256File(args.input);
  if (!digest.ok()) return ReportError(digest.status());
  FitInfo info;
  info.source_sha256 = ToHex(*digest);
  Result<Model> model = FitEncoded(encoded, *schema, args.method, info, *ctx);
  if (!model.ok()) return ReportError(model.status().WithFile(args.input));

  status = output->Write(model->Serialize());
  if (status.ok()) status = output->Commit();
  if (!status.ok()) return ReportError(status);
  if (!global.quiet) {
    std::fprintf(stderr, "synthscale: fitted '%s' on %zu rows x %zu columns; wrote %s\n", args.method.c_str(),
                 encoded.num_rows(), schema->size(), args.output.c_str());
    if (!model->synthesizer().differentially_private()) {
      PrintWarning(global, "method '" + args.method + "' is not differentially private: the model holds "
                           "exact statistics of the input");
    }
  }
  return kExitOk;
}

}  // namespace

Command AddFitCommand(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<FitArgs>();
  CLI::App* fit = app.add_subcommand("fit", "Learn a synthesizer from a CSV file and save the model");
  fit->add_option("input", args->input, "Training data: CSV file (.csv or .csv.gz)")->required();
  fit->add_option("-o,--output", args->output, "Model file to write (e.g. model.ssm)")->required();
  fit->add_option("--method", args->method, "Synthesizer: independent")->required();
  fit->add_option("--schema", args->schema_path,
                  "Schema JSON (types and public domains); inferred from the data when absent");
  fit->add_flag("--force", args->force, "Overwrite the output if it exists");
  AddCsvFlags(*fit, args->csv, args->delimiter, args->missing_tokens);
  return {fit, [args, &global] { return RunFit(*args, global); }};
}

}  // namespace synthscale::cli
