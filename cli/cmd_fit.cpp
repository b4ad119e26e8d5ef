// synthscale fit --method M [--schema S] [--epsilon E --delta D | --rho R] data.csv -o model.ssm
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>


#include "commands.h"
#include "output_manifest.h"
#include "unsigned_flag.h"
#include "synthscale/core/crypto.h"
#include "synthscale/io/atomic_file.h"
#include "synthscale/io/csv_reader.h"
#include "synthscale/io/input_scan.h"
#include "synthscale/io/schema_infer.h"
#include "synthscale/privacy/format.h"
#include "synthscale/synth/model.h"
#include "synthscale/table/encoding.h"
#include "synthscale/table/reserve_rows.h"

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
  // Differentially private methods.
  SynthesizerOptions options;
  std::string neighbouring = "add_remove_one_row";
  std::string noise_key_file;
  std::string workload_file;
  std::optional<std::uint64_t> seed;
  ManifestFlags manifest;
};

// --workload FILE: a JSON array of column lists, e.g. [["age", "sex"], ["race"]].
Result<std::vector<std::vector<std::string>>> ReadWorkload(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IOError("cannot open workload file '" + path + "'; check the path", path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return IOError("error while reading workload file '" + path + "'", path);
  return ParseWorkload(text, path);
}

// The method, options and noise key, checked before any data is read.
Result<FitSettings> MakeFitSettings(const FitArgs& args) {
  FitSettings settings;
  settings.method = args.method;
  settings.options = args.options;
  settings.info.seed = args.seed;
  SYNTHSCALE_ASSIGN_OR_RETURN(settings.options.neighbouring, ParseNeighbouring(args.neighbouring));
  if (!args.workload_file.empty()) {
    SYNTHSCALE_ASSIGN_OR_RETURN(settings.options.workload, ReadWorkload(args.workload_file));
  }
  // Validates the method's options (budget present, ranges) up front.
  SYNTHSCALE_RETURN_IF_ERROR(MakeSynthesizer(settings.method, settings.options).status());
  if (!args.noise_key_file.empty()) {
    if (!IsPrivateMethod(settings.method)) {
      return InvalidArgument("--noise-key-file is for differentially private methods (mst, aim); method '" +
                             settings.method + "' draws no noise");
    }
    SYNTHSCALE_ASSIGN_OR_RETURN(settings.noise_key, Csprng::ReadKeyFile(args.noise_key_file));
  }
  return settings;
}

// What the model's manifest records (docs/provenance.md). A DP model's manifest names the
// training data but, unless --steward-manifest, holds neither its hash nor its row count.
ManifestInput FitManifest(const FitArgs& args, const Model& model, std::uint64_t rows) {
  const bool is_private = model.ledger().has_value();
  ManifestInput manifest;
  manifest.outputs.push_back({args.output, "", "fitted model (" + args.method + ")", true});
  manifest.inputs.push_back({args.input, "", "training data", true});
  if (!args.schema_path.empty()) {
    // A DP fit's schema is public unless its domain came from the data.
    manifest.inputs.push_back(
        {args.schema_path, "application/json", "schema", !is_private || model.info().data_dependent_domain});
  }
  manifest.method = args.method;
  manifest.differentially_private = is_private;
  manifest.data_dependent_domain = model.info().data_dependent_domain;
  if (!is_private) manifest.input_rows = rows;
  manifest.seed = args.seed;
  manifest.configuration_json = model.options().ToJson(is_private);
  if (is_private) {
    manifest.ledger_json = model.ledger()->ToJson();
    manifest.noise_key_sha256 = model.ledger()->noise_key_sha256();
  }
  return manifest;
}

void PrintPrivacySummary(const Model& model, const GlobalOptions& global) {
  if (global.quiet || !model.ledger()) return;
  const PrivacyLedger& ledger = *model.ledger();
  std::string target;
  if (ledger.target_epsilon()) {
    target = " (epsilon=" + FormatNumber(*ledger.target_epsilon()) + ", delta=" + FormatNumber(*ledger.target_delta()) + ")";
  }
  std::fprintf(stderr, "synthscale: privacy spent: rho=%s of %s%s in %zu charges; see 'synthscale inspect'\n",
               FormatNumber(ledger.spent_rho()).c_str(), FormatNumber(ledger.budget_rho()).c_str(), target.c_str(),
               ledger.charges().size());
}

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
  Result<FitSettings> settings = MakeFitSettings(args);
  if (!settings.ok()) return ReportError(settings.status());
  // Refuse before the extra pass that inference would make.
  if (args.schema_path.empty() && IsPrivateMethod(args.method) && !args.options.allow_data_dependent_domain) {
    return ReportError(InvalidArgument(
        "method '" + args.method +
        "' is differentially private and needs a public schema: pass --schema with domains that do not come "
        "from the data (see docs/schema.md), or --allow-data-dependent-domain to infer them and accept that the "
        "guarantee does not cover the domain"));
  }
  // Claim the output first: an existing model (or manifest) is refused before any work.
  const auto started = std::chrono::system_clock::now();
  status = CheckManifestFree(args.output, args.manifest, args.force);
  if (!status.ok()) return ReportError(status);
  Result<AtomicOutputFile> output = AtomicOutputFile::Create(args.output, args.force);
  if (!output.ok()) return ReportError(output.status());
  const std::unique_ptr<Context> ctx = MakeContext(global);
  if (args.seed && args.noise_key_file.empty() && IsPrivateMethod(args.method) && !global.quiet) {
    // The seed is public, so it must never key the DP noise (docs/reproducibility.md).
    std::fprintf(stderr,
                 "synthscale: note: --seed does not fix the differential-privacy noise, which comes from a fresh "
                 "key from the OS; refitting gives another model. For a byte-identical model also pass "
                 "--noise-key-file (docs/reproducibility.md)\n");
  }

  Result<Schema> schema = LoadOrInferSchema(args, csv, global, *ctx);
  if (!schema.ok()) return ReportError(schema.status());
  Result<Encoder> encoder = Encoder::Create(*schema);
  if (!encoder.ok()) return ReportError(encoder.status());
  // Two passes over the input. The first hashes it for the model's provenance and bounds
  // its rows, so that the codes are allocated once (table/reserve_rows.h); the second
  // parses and encodes it. The reader opens the file first, so a missing or unreadable
  // input is reported as a CSV error, as before the scan existed.
  Result<std::unique_ptr<CsvReader>> reader = CsvReader::Open(args.input, csv);
  if (!reader.ok()) return ReportError(reader.status());
  Result<InputScan> scan = ScanInputFile(args.input);
  if (!scan.ok()) return ReportError(scan.status());
  settings->info.source_sha256 = ToHex(scan->sha256);

  // Stream: each batch is encoded and dropped, so memory holds codes, not text. The
  // reader and the last batch are released before fitting, which needs only the codes.
  EncodedTable encoded = encoder->MakeEmpty();
  if (scan->max_records) ReserveRows(encoded, static_cast<std::size_t>(*scan->max_records));
  {
    Table batch;
    while (true) {
      Result<bool> more = (*reader)->NextBatch(*schema, *ctx, &batch);
      if (!more.ok()) return ReportError(more.status());
      if (!*more) break;
      status = encoder->Append(batch, *ctx, encoded);
      if (!status.ok()) return ReportError(status.WithFile(args.input));
    }
    reader->reset();
  }
  Result<Model> model = FitEncoded(encoded, *schema, *settings, *ctx);
  if (!model.ok()) return ReportError(model.status().WithFile(args.input));

  status = output->Write(model->Serialize());
  if (status.ok()) status = output->Commit();
  if (!status.ok()) return ReportError(status);
  status = WriteOutputManifest(FitManifest(args, *model, encoded.num_rows()), args.manifest, global, started,
                               args.force);
  if (!status.ok()) return ReportError(status);
  if (!global.quiet) {
    std::fprintf(stderr, "synthscale: fitted '%s' on %zu rows x %zu columns; wrote %s\n", args.method.c_str(),
                 encoded.num_rows(), schema->size(), args.output.c_str());
    if (model->info().data_dependent_domain) {
      PrintWarning(global, kDataDependentDomainWarning);
    }
    if (!model->synthesizer().differentially_private()) {
      PrintWarning(global, "method '" + args.method + "' is not differentially private: the model holds "
                           "exact statistics of the input");
    }
  }
  PrintPrivacySummary(*model, global);
  return kExitOk;
}

}  // namespace

Command AddFitCommand(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<FitArgs>();
  CLI::App* fit = app.add_subcommand("fit", "Learn a synthesizer from a CSV file and save the model");
  fit->add_option("input", args->input, "Training data: CSV file (.csv or .csv.gz)")->required();
  fit->add_option("-o,--output", args->output, "Model file to write (e.g. model.ssm)")->required();
  fit->add_option("--method", args->method,
                  "Synthesizer: aim or mst (differentially private), independent (not private)")
      ->required();
  fit->add_option("--schema", args->schema_path,
                  "Schema JSON (types and public domains); inferred from the data when absent");
  fit->add_flag("--force", args->force, "Overwrite the output if it exists");
  fit->add_option("--seed", args->seed,
                  "Seed of the fit's non-private randomness, stored in the model as the default seed of "
                  "'sample'; never the DP noise (see --noise-key-file)")
      ->check(kUnsignedDecimal);
  AddCsvFlags(*fit, args->csv, args->delimiter, args->missing_tokens);
  AddManifestFlags(*fit, args->manifest);
  SynthesizerOptions& options = args->options;
  fit->add_option("--epsilon", options.epsilon, "Privacy budget epsilon (with --delta); mst and aim")
      ->group("Differential privacy");
  fit->add_option("--delta", options.delta, "Privacy budget delta, well below 1/rows (e.g. 1e-9)")
      ->group("Differential privacy");
  fit->add_option("--rho", options.rho, "Privacy budget as zCDP rho, instead of --epsilon/--delta")
      ->group("Differential privacy");
  fit->add_option("--neighbouring", args->neighbouring,
                  "Privacy unit: add_remove_one_row (default) or replace_one_row")
      ->group("Differential privacy");
  fit->add_option("--noise-key-file", args->noise_key_file,
                  "32-byte noise key (raw or 64 hex digits) to reproduce a fit; default: fresh from the OS, "
                  "never stored")
      ->group("Differential privacy");
  fit->add_flag("--allow-data-dependent-domain", options.allow_data_dependent_domain,
                "Accept a schema whose domain was read from the data (the guarantee then does not cover it)")
      ->group("Differential privacy");
  fit->add_option("--workload-degree", options.workload_degree,
                  "aim: optimise all marginals of this many columns (default 3)")
      ->group("Differential privacy");
  fit->add_option("--workload", args->workload_file,
                  "aim: JSON file listing the marginals to optimise, e.g. [[\"age\", \"sex\"]]")
      ->group("Differential privacy");
  fit->add_option("--max-model-size", options.max_model_size_mb,
                  "aim: largest graphical model in MiB (default 80)")
      ->group("Differential privacy");
  fit->add_option("--max-rounds", options.max_rounds, "aim: most selection rounds (default 16 x columns)")
      ->group("Differential privacy");
  fit->add_option("--max-iterations", options.max_iterations,
                  "mst, aim: most estimation iterations per model estimate (default 1000)")
      ->group("Differential privacy");
  return {fit, [args, &global] { return RunFit(*args, global); }};
}

}  // namespace synthscale::cli
