// synthscale sample model.ssm -n N -o synth.csv [--seed S]
#include <cinttypes>
#include <cstdio>
#include <memory>

#include "commands.h"
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
};

int RunSample(const SampleArgs& args, const GlobalOptions& global) {
  Result<Model> model = Model::Load(args.model_path);
  if (!model.ok()) return ReportError(model.status());
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
  return {sample, [args, &global] { return RunSample(*args, global); }};
}

}  // namespace synthscale::cli
