// synthscale sample model.ssm -n N -o synth.csv [--seed S] [--sampling rounded|iid]
//                  [--shard-index I --num-shards K]
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <unistd.h>

#include "commands.h"
#include "output_manifest.h"
#include "unsigned_flag.h"
#include "synthscale/core/random_stream.h"
#include "synthscale/core/shard.h"
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
  std::optional<std::uint64_t> seed;
  std::optional<std::uint64_t> shard_index;
  std::optional<std::uint64_t> num_shards;
  std::string sampling = std::string(SamplingMethodName(kDefaultSamplingMethod));
  bool force = false;
  ManifestFlags manifest;
};

// The seed: --seed, else the model's (fit --seed), else fresh from the OS, which a sharded
// run refuses because every shard must draw from the same streams.
Result<std::uint64_t> ChooseSeed(const SampleArgs& args, const Model& model, const Shard& shard,
                                 const GlobalOptions& global) {
  if (args.seed) return *args.seed;
  if (model.info().seed) {
    if (!global.quiet) {
      std::fprintf(stderr, "synthscale: no --seed given; using the model's seed %" PRIu64 " (from 'fit --seed')\n",
                   *model.info().seed);
    }
    return *model.info().seed;
  }
  if (shard.count > 1) {
    return InvalidArgument("sampling shard " + std::to_string(shard.index) + " of " + std::to_string(shard.count) +
                           " needs --seed S (the same S for every shard), or a model fitted with --seed; a fresh "
                           "seed per shard would not make one sample");
  }
  const std::uint64_t seed = SeedFromOs();
  if (!global.quiet) {
    std::fprintf(stderr, "synthscale: no --seed given; using --seed %" PRIu64 " (pass it to replay this sample)\n",
                 seed);
  }
  return seed;
}

// Rounded sampling holds every row's codes: refuse up front what this machine cannot hold
// rather than be killed for it half-way.
Status CheckRoundedMemory(const Model& model, std::uint64_t rows) {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return Status::Ok();
  const double columns = static_cast<double>(model.encoder().codecs().size());
  const double needed = static_cast<double>(rows) * (columns + 2.0) * 4.0;
  const double physical = static_cast<double>(pages) * static_cast<double>(page_size);
  if (needed <= physical) return Status::Ok();
  const auto gib = [](double bytes) { return std::to_string(static_cast<std::uint64_t>(bytes / (1 << 30)) + 1); };
  return InvalidArgument("--sampling rounded holds all " + std::to_string(rows) + " rows in memory (rows x (" +
                         std::to_string(model.encoder().codecs().size()) + " columns + 2) x 4 bytes, about " +
                         gib(needed) + " GiB), more than this machine's " + gib(physical) +
                         " GiB; pass --sampling iid (constant memory)");
}

std::string SampleConfigurationJson(const SampleArgs& args, std::uint64_t seed, SamplingMethod sampling,
                                    const ShardChoice& shard, const RowRange& range) {
  // Seeds as text: JSON readers lose integer bits past 2^53.
  std::string json = "{\"rows\": " + std::to_string(args.rows) + ", \"seed\": \"" + std::to_string(seed) + "\"" +
                     ", \"sampling\": \"" + std::string(SamplingMethodName(sampling)) + "\"";
  if (!shard.source.empty()) {
    json += ", \"shard_index\": " + std::to_string(shard.shard.index) +
            ", \"num_shards\": " + std::to_string(shard.shard.count) +
            ", \"first_row\": " + std::to_string(range.begin) + ", \"end_row\": " + std::to_string(range.end);
  }
  return json + "}";
}

int RunSample(const SampleArgs& args, const GlobalOptions& global) {
  const auto started = std::chrono::system_clock::now();
  Result<ShardChoice> shard =
      ResolveShard(args.shard_index, args.num_shards, [](const char* name) { return std::getenv(name); });
  if (!shard.ok()) return ReportError(shard.status());
  Result<SamplingMethod> sampling = ParseSamplingMethod(args.sampling);
  if (!sampling.ok()) return ReportError(sampling.status().WithContext("--sampling"));
  Result<Model> model = Model::Load(args.model_path);
  if (!model.ok()) return ReportError(model.status());
  Result<std::uint64_t> seed = ChooseSeed(args, *model, shard->shard, global);
  if (!seed.ok()) return ReportError(seed.status());
  if (*sampling == SamplingMethod::kRounded) {
    Status fits = CheckRoundedMemory(*model, args.rows);
    if (!fits.ok()) return ReportError(fits);
  }
  Status free = CheckManifestFree(args.output, args.manifest, args.force);
  if (!free.ok()) return ReportError(free);
  Result<CsvWriter> writer = CsvWriter::Create(args.output, model->schema(), args.force);
  if (!writer.ok()) return ReportError(writer.status());
  // This shard's rows of the one global sequence: row r is row r of the unsharded sample.
  const RowRange range = ShardRows(shard->shard, args.rows);
  if (!shard->source.empty() && !global.quiet) {
    std::fprintf(stderr, "synthscale: shard %" PRIu64 " of %" PRIu64 " (from %s): rows %" PRIu64 " to %" PRIu64
                 " of %" PRIu64 "\n",
                 shard->shard.index, shard->shard.count, shard->source.c_str(), range.begin, range.end, args.rows);
  }
  const std::unique_ptr<Context> ctx = MakeContext(global);
  // Rounded: every shard draws the codes of all N rows (the same for every shard) and
  // decodes only its own rows.
  std::optional<SampledCodes> codes;
  if (*sampling == SamplingMethod::kRounded) {
    Result<SampledCodes> drawn = model->SampleRoundedCodes(args.rows, *seed, *ctx);
    if (!drawn.ok()) return ReportError(drawn.status());
    codes = std::move(drawn).value();
  }
  for (std::uint64_t begin = range.begin; begin < range.end; begin += kRowsPerBatch) {
    const std::uint64_t end = std::min(range.end, begin + kRowsPerBatch);
    Result<Table> batch = codes ? model->DecodeRows(*codes, begin, end, *ctx) : model->Sample(begin, end, *seed, *ctx);
    if (!batch.ok()) return ReportError(batch.status());
    Status status = writer->Append(*batch, *ctx);
    if (!status.ok()) return ReportError(status);
    ctx->Progress("sampling", end - range.begin, range.end - range.begin);
  }
  Status status = writer->Commit();
  if (!status.ok()) return ReportError(status);
  if (!global.quiet) {
    std::fprintf(stderr, "synthscale: wrote %" PRIu64 " synthetic rows to %s\n", range.end - range.begin,
                 args.output.c_str());
  }
  if (model->info().data_dependent_domain) PrintWarning(global, kDataDependentDomainWarning);
  // The synthetic table's manifest: drawn from the model (a DP model's file is itself a
  // DP release, so not confidential), with the seed, the shard and the model's ledger.
  const bool is_private = model->ledger().has_value();
  ManifestInput manifest;
  manifest.outputs.push_back({args.output, "text/csv", "synthetic table", true});
  manifest.inputs.push_back({args.model_path, "", "model (" + std::string(model->synthesizer().method()) + ")",
                             !is_private});
  manifest.method = std::string(model->synthesizer().method());
  manifest.differentially_private = is_private;
  manifest.data_dependent_domain = model->info().data_dependent_domain;
  manifest.output_rows = range.end - range.begin;
  manifest.seed = *seed;
  manifest.configuration_json = SampleConfigurationJson(args, *seed, *sampling, *shard, range);
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
  sample->add_option("-n,--rows", args->rows, "Number of rows to draw (over all shards)")
      ->required()
      ->check(kUnsignedDecimal);
  sample->add_option("-o,--output", args->output, "CSV file to write")->required();
  sample->add_option("--seed", args->seed,
                     "Seed of the sampling streams: the same seed gives the same bytes for any --threads and "
                     "shards (default: the model's 'fit --seed', else fresh and printed)")
      ->check(kUnsignedDecimal);
  sample->add_option("--shard-index", args->shard_index,
                     "Write only shard I (0 to K-1) of the N rows (default: from SLURM_ARRAY_TASK_ID)")
      ->check(kUnsignedDecimal)
      ->group("Sharding");
  sample->add_option("--num-shards", args->num_shards,
                     "Split the N rows into K contiguous shards; shard I holds rows floor(I*N/K) to "
                     "floor((I+1)*N/K) (default: SLURM_ARRAY_TASK_COUNT)")
      ->check(kUnsignedDecimal)
      ->group("Sharding");
  sample->add_option("--sampling", args->sampling,
                     "How rows are drawn: 'rounded' draws all N rows jointly so the model's marginals come out "
                     "with almost no sampling noise (memory: N x (columns + 2) x 4 bytes, every shard draws all "
                     "N); 'iid' draws each row on its own (constant memory, for N beyond memory)")
      ->default_str(std::string(SamplingMethodName(kDefaultSamplingMethod)));
  sample->add_flag("--force", args->force, "Overwrite the output if it exists");
  AddManifestFlags(*sample, args->manifest);
  return {sample, [args, &global] { return RunSample(*args, global); }};
}

}  // namespace synthscale::cli
