// Model: a fitted synthesizer with its schema, saved to and loaded from a model file.
//
// Model file (docs/formats.md), version 2: an 8-byte magic "SSMODEL\n", a little-endian
// uint32 format version, a uint64 JSON length, a uint64 binary length, the SHA-256 of
// JSON + binary, then the UTF-8 JSON payload (method, options, schema, privacy ledger,
// learned structure, fit metadata) and the binary parameters (e.g. model potentials).
// Loading checks all of these, so a truncated, corrupt or foreign file gives a clear
// error. Version 1 files (JSON only, no binary length) are still read.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "synthscale/core/context.h"
#include "synthscale/core/crypto.h"
#include "synthscale/core/status.h"
#include "synthscale/privacy/ledger.h"
#include "synthscale/synth/synthesizer.h"
#include "synthscale/table/encoding.h"
#include "synthscale/table/schema.h"
#include "synthscale/table/table.h"

namespace synthscale {

inline constexpr std::uint32_t kModelFormatVersion = 2;

// The model file of a differentially private method omits `rows` and `source_sha256`
// (they are not covered by the guarantee): a loaded DP model has rows 0 and no hash.
struct FitInfo {
  std::uint64_t rows = 0;        // rows the model was fitted on
  std::string source_sha256;     // of the input file, when fitted from one
  // A DP model fitted on a schema whose domain was read from the data: the guarantee
  // does not cover the domain (inspect and the CLI say so).
  bool data_dependent_domain = false;
  // `fit --seed`: the seed of the fit's non-private randomness (no current method draws
  // any: independent counts, mst and aim draw only DP noise, from the noise key) and the
  // default seed of `sample`. Public, stored for DP models too; never the noise key
  // (docs/reproducibility.md). Absent when no seed was given.
  std::optional<std::uint64_t> seed;
};

// What the CLI, inspect and Python say about a DP model whose schema domain came from the data.
inline constexpr const char* kDataDependentDomainWarning =
    "WARNING: the schema's domain was read from the private data (--allow-data-dependent-domain): the "
    "differential-privacy guarantee covers the fitted statistics but NOT the domain (categories, bounds), "
    "which may reveal values of individual rows";

// How rows are drawn from a model (docs/cli.md, `sample --sampling`). Sampling is
// post-processing of the model: neither method costs privacy.
enum class SamplingMethod {
  // All rows jointly by controlled rounding (pgm/rounded_sampler.h, after McKenna et al.'s
  // private-pgm): the marginals the model holds are matched up to about one row per cell,
  // with almost no sampling noise. Holds every row's codes in memory: rows x modelled
  // columns x 4 bytes, plus rows x 8 bytes of workspace.
  kRounded,
  // Each row on its own stream (seed, "sample", row): constant memory, any row count.
  kIid,
};
inline constexpr SamplingMethod kDefaultSamplingMethod = SamplingMethod::kRounded;
// "rounded" / "iid".
std::string_view SamplingMethodName(SamplingMethod method);
// Errors: kInvalidArgument naming the accepted names.
Result<SamplingMethod> ParseSamplingMethod(std::string_view name);

// The codes of a whole sample drawn jointly (Model::SampleRoundedCodes), to be decoded in
// row ranges (Model::DecodeRows) without drawing them again.
struct SampledCodes {
  std::uint64_t rows = 0;
  std::uint64_t seed = 0;
  std::vector<std::uint32_t> codes;  // column-major: codes[modelled column * rows + row]
};

// Everything a fit is asked to do.
struct FitSettings {
  std::string method;
  SynthesizerOptions options;
  // Key of the DP noise generator; fresh from the operating system when absent.
  std::optional<NoiseKey> noise_key;
  FitInfo info;
};

class Model {
 public:
  Model(Schema schema, std::unique_ptr<Synthesizer> synthesizer, FitInfo info, SynthesizerOptions options = {},
        std::optional<PrivacyLedger> ledger = std::nullopt);

  const Schema& schema() const { return schema_; }
  const Synthesizer& synthesizer() const { return *synthesizer_; }
  const FitInfo& info() const { return info_; }
  const Encoder& encoder() const { return *encoder_; }
  const SynthesizerOptions& options() const { return options_; }
  // The privacy spent by a DP fit (every charge); nullopt for non-private methods.
  const std::optional<PrivacyLedger>& ledger() const { return ledger_; }
  // inspect's view: method, options, schema columns, learned structure, ledger, fit info.
  std::string DescribeJson() const;

  // Encode the model file's bytes / parse them. `source` names the file in errors.
  std::string Serialize() const;
  static Result<Model> Deserialize(std::string_view bytes, const std::string& source);

  // Write atomically (never a partial file; an existing file is kept unless force).
  Status Save(const std::string& path, bool force) const;
  static Result<Model> Load(const std::string& path);

  // Draw rows [begin, end) as a Table with every schema column. Row r uses stream
  // (seed, "sample", r): the result for a row is the same whatever the range or threads.
  // This is SamplingMethod::kIid.
  Result<Table> Sample(std::uint64_t begin, std::uint64_t end, std::uint64_t seed, const Context& ctx) const;

  // Rows [begin, end) of the `rows`-row sample drawn with `method`: kIid is the overload
  // above; kRounded draws the codes of all `rows` rows (SampleRoundedCodes) and decodes the
  // range, so ranges of one (rows, seed) join to the whole sample. Errors: kNotFitted,
  // kInvalidArgument (end < begin, end > rows, or those of SampleRoundedCodes).
  Result<Table> Sample(std::uint64_t begin, std::uint64_t end, std::uint64_t rows, std::uint64_t seed,
                       SamplingMethod method, const Context& ctx) const;

  // Draw the codes of all `rows` rows jointly (Synthesizer::SampleCodesRounded). The result
  // depends only on (model, rows, seed). Errors: kNotFitted, kInvalidArgument (too many rows
  // for memory, or a method without rounded sampling).
  Result<SampledCodes> SampleRoundedCodes(std::uint64_t rows, std::uint64_t seed, const Context& ctx) const;
  // Decode rows [begin, end) of `sample` into a Table with every schema column. A binned
  // value is drawn within its bin from the stream (seed, "sample-rounded-decode", row), so a
  // row's bytes do not depend on the range. Errors: kInvalidArgument (a range outside the
  // sample, or codes not of this model's shape).
  Result<Table> DecodeRows(const SampledCodes& sample, std::uint64_t begin, std::uint64_t end,
                           const Context& ctx) const;

 private:
  Schema schema_;
  std::unique_ptr<Synthesizer> synthesizer_;
  FitInfo info_;
  SynthesizerOptions options_;
  std::optional<PrivacyLedger> ledger_;
  std::unique_ptr<Encoder> encoder_;
};

// Fit a new synthesizer on data that is already encoded with `schema`. A DP method gets a
// fresh PrivacyLedger with the options' budget and a Csprng keyed by settings.noise_key
// (or the OS); the ledger records the key's commitment. Errors: kInvalidArgument (options,
// budget, data-dependent domain without the opt-in), kInvalidData (the data), the
// method's Fit.
Result<Model> FitEncoded(const EncodedTable& data, const Schema& schema, const FitSettings& settings,
                         const Context& ctx);
Result<Model> FitEncoded(const EncodedTable& data, const Schema& schema, std::string_view method,
                         FitInfo info, const Context& ctx);
// Encode `table` with `schema` and fit. Errors from encoding (kInvalidData) and FitEncoded.
Result<Model> FitModel(const Table& table, const Schema& schema, const FitSettings& settings, const Context& ctx);
Result<Model> FitModel(const Table& table, const Schema& schema, std::string_view method, const Context& ctx);

}  // namespace synthscale
