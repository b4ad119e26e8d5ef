// synthscale sample model.ssm -n N -o synth.csv [--seed S]
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <memory>

#include "commands.h"
#include "output_manifest.h"
#include "synthscale/core/random_stream.h"
#include "synthscale/io/csv_writer.h"
#include "synthscale/synth/model.h"

namespace synthscale::cli {
namespace {

// Rows drawn and written per batch: bounds memory for any -n.
constexpr std::uint64_t kRowsPerBatch = 1 << 16;

struct SampleArgs {
  std::string model_path;
  std::string output;
  std::uint64_t rows = 0;
  std::uint64_t seed = 0;
  bool seed_given = false;
  bool force = false;
  ManifestFlags manifest;
};

int RunSample(const SampleArgs& args, const GlobalOptions& global) {
  const auto started = std::chrono::system_clock::now();
  Result<Model> model = Model::Load(args.model_path);
  if (!model.ok()) return ReportError(model.status());
  Status free = CheckManifestFree(args.output, args.manifest, args.force);
  if (!free.ok()) return ReportError(free);
  Result<CsvWriter> writer = CsvWriter::Create(args.output, model->schema(), args.force);
  if (!writer.ok()) return ReportError(writer.status());
  const std::uint64_t seed = args.seed_given ? args.seed : SeedFromOs();
  if (!args.seed_given && !global.quiet) {
    std::fprintf(stderr, "synthscale: no --seed given; using --seed %" PRIu64 " (pass it to replay this sample)\n",
                 seed);
  }
  const std::unique_ptr<Context> ctx = MakeContext(global);
  for (std::uint64_t begin = 0; begin < args.rows; begin += kRowsPerBatch) {
    const std::uint64_t end = std::min(args.rows, begin + kRowsPerBatch);
    Result<Table> batch = model->Sample(begin, end, seed, *ctx);
    if (!batch.ok()) return ReportError(batch.status());
    Status status = writer->Append(*batch, *ctx);
    if (!status.ok()) return ReportError(status);
    ctx->Progress("sampling", end, args.rows);
  }
  Status status = writer->Commit();
  if (!status.ok()) return ReportError(status);
  if (!global.quiet) {
    std::fprintf(stderr, "synthscale: wrote %" PRIu64 " synthetic rows to %s\n", args.rows, args.output.c_str());
  }
  if (model->info().data_dependent_domain) PrintWarning(global, kDataDependentDomainWarning);
  // The synthetic table's manifest: drawn from the model (a DP model's file is itself a
  // DP release, so not confidential), with the seed and the model's ledger.
  const bool is_private = model->ledger().has_value();
  ManifestInput manifest;
  manifest.outputs.push_back({args.output, "text/csv", "synthetic table", true});
  manifest.inputs.push_back({args.model_path, "", "model (" + std::string(model->synthesizer().method()) + ")",
                             !is_private});
  manifest.method = std::string(model->synthesizer().method());
  manifest.differentially_private = is_private;
  manifest.data_dependent_domain = model->info().data_dependent_domain;
  manifest.output_rows = args.rows;
  manifest.seed = seed;
  manifest.configuration_json = "{\"rows\": " + std::to_string(args.rows) + ", \"seed\": \"" + std::to_string(seed) + "\"}";
  if (is_private) {
    manifest.ledger_json = model->ledger()->ToJson();
    manifest.noise_key_sha256 = model->ledger()->noise_key_sha256();
  }
  status = WriteOutputManifest(std::move(manifest), args.manifest, global, started, args.force);
  if (!status.ok()) return ReportError(status);
  return kExitOk;
}

}  // namespace

Command AddSampleCommand(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<SampleArgs>();
  CLI::App* sample = app.add_subcommand("sample", "Draw synthetic rows from a model file into a CSV file");
  sample->add_option("model", args->model_path, "Model file written by 'synthscale fit'")->required();
  sample->add_option("-n,--rows", args->rows, "Number of rows to draw")->required();
  sample->add_option("-o,--output", args->output, "CSV file to write")->required();
  sample->add_option("--seed", args->seed,
                     "Seed of the sampling streams: the same seed gives the same bytes for any --threads")
      ->each([args](const std::string&) { args->seed_given = true; });
  sample->add_flag("--force", args->force, "Overwrite the output if it exists");
  AddManifestFlags(*sample, args->manifest);
  return {sample, [args, &global] { return RunSample(*args, global); }};
}

}  // namespace synthscale::cli
