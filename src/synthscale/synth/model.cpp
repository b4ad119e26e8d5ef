#include "synthscale/synth/model.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <limits>
#include <new>
#include <sys/stat.h>
#include <system_error>

#include <nlohmann/json.hpp>

#include "synthscale/core/crypto.h"
#include "synthscale/core/version.h"
#include "synthscale/table/column_type.h"
#include "synthscale/io/atomic_file.h"

namespace synthscale {
namespace {

constexpr std::array<char, 8> kMagic = {'S', 'S', 'M', 'O', 'D', 'E', 'L', '\n'};
// magic, version, JSON length, binary length, SHA-256 (version 1: no binary length).
constexpr std::size_t kHeaderSize = 8 + 4 + 8 + 8 + 32;
constexpr std::size_t kHeaderSizeV1 = 8 + 4 + 8 + 32;
// Rows per sampling task: fixed, so task boundaries never depend on the thread count.
constexpr std::uint64_t kSampleGrain = 4096;

void PutLittleEndian(std::string& out, std::uint64_t value, int bytes) {
  for (int byte_idx = 0; byte_idx < bytes; ++byte_idx) {
    out.push_back(static_cast<char>((value >> (8 * byte_idx)) & 0xFF));
  }
}

std::uint64_t GetLittleEndian(std::string_view in, std::size_t offset, int bytes) {
  std::uint64_t value = 0;
  for (int byte_idx = bytes - 1; byte_idx >= 0; --byte_idx) {
    value = (value << 8) | static_cast<unsigned char>(in[offset + static_cast<std::size_t>(byte_idx)]);
  }
  return value;
}

std::vector<std::uint32_t> Cardinalities(const Encoder& encoder) {
  std::vector<std::uint32_t> cardinalities;
  for (const ColumnCodec& codec : encoder.codecs()) cardinalities.push_back(codec.domain_size() + 2);
  return cardinalities;
}

}  // namespace

Model::Model(Schema schema, std::unique_ptr<Synthesizer> synthesizer, FitInfo info, SynthesizerOptions options,
             std::optional<PrivacyLedger> ledger)
    : schema_(std::move(schema)),
      synthesizer_(std::move(synthesizer)),
      info_(std::move(info)),
      options_(std::move(options)),
      ledger_(std::move(ledger)) {
  // The schema was validated before any model could be built from it.
  Result<Encoder> encoder = Encoder::Create(schema_);
  encoder_ = std::make_unique<Encoder>(std::move(encoder).value());
}

namespace {

// A DP model withholds the exact row count and the input's hash: either would let someone
// who knows all rows but one test guesses of the last, outside the privacy guarantee.
nlohmann::ordered_json FitJson(const FitInfo& info, bool differentially_private) {
  nlohmann::ordered_json fit;
  if (!differentially_private) {
    fit["rows"] = info.rows;
    fit["source_sha256"] = info.source_sha256;
  }
  fit["data_dependent_domain"] = info.data_dependent_domain;
  // Text: JSON readers lose integer bits past 2^53.
  if (info.seed) fit["seed"] = std::to_string(*info.seed);
  return fit;
}

// The "seed" of a model file's fit object: a decimal string of a uint64.
std::optional<std::uint64_t> ParseSeed(const std::string& text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string Model::Serialize() const {
  const bool is_private = synthesizer_->differentially_private();
  nlohmann::ordered_json payload;
  payload["format"] = "synthscale-model";
  payload["method"] = std::string(synthesizer_->method());
  payload["differentially_private"] = is_private;
  payload["synthscale_version"] = Version();
  payload["git_commit"] = GitCommit();
  payload["options"] = nlohmann::ordered_json::parse(options_.ToJson(is_private));
  payload["fit"] = FitJson(info_, is_private);
  payload["schema"] = nlohmann::ordered_json::parse(schema_.ToJson());
  if (ledger_) payload["privacy"] = nlohmann::ordered_json::parse(ledger_->ToJson());
  const SavedParameters saved = synthesizer_->SaveParameters();
  payload["parameters"] = nlohmann::ordered_json::parse(saved.json);
  const std::string body = payload.dump();

  std::string out(kMagic.begin(), kMagic.end());
  PutLittleEndian(out, kModelFormatVersion, 4);
  PutLittleEndian(out, body.size(), 8);
  PutLittleEndian(out, saved.binary.size(), 8);
  Sha256Hasher hasher;
  hasher.Update(body);
  hasher.Update(saved.binary);
  const Sha256Digest digest = hasher.Finish();
  out.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  out += body;
  out += saved.binary;
  return out;
}

std::string Model::DescribeJson() const {
  const bool is_private = synthesizer_->differentially_private();
  nlohmann::ordered_json description;
  description["method"] = std::string(synthesizer_->method());
  description["differentially_private"] = is_private;
  description["options"] = nlohmann::ordered_json::parse(options_.ToJson(is_private));
  description["fit"] = FitJson(info_, is_private);
  nlohmann::ordered_json columns = nlohmann::ordered_json::array();
  for (const ColumnCodec& codec : encoder_->codecs()) {
    columns.push_back({{"name", codec.schema().name},
                       {"type", std::string(ColumnTypeName(codec.schema().type))},
                       {"values", codec.domain_size()},
                       {"nullable", codec.schema().nullable}});
  }
  description["columns"] = columns;
  description["structure"] = nlohmann::ordered_json::parse(synthesizer_->DescribeJson());
  if (ledger_) description["privacy"] = nlohmann::ordered_json::parse(ledger_->ToJson());
  return description.dump();
}

Result<Model> Model::Deserialize(std::string_view bytes, const std::string& source) {
  SourceLocation location;
  location.file = source;
  const auto fail = [&](const std::string& why) {
    return InvalidData(why + "; use a model file written by 'synthscale fit'", location);
  };
  if (bytes.size() < kMagic.size() || std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) != 0) {
    return fail("not a synthscale model file (it does not start with the model file signature)");
  }
  if (bytes.size() < kMagic.size() + 4) return fail("the model file is truncated (incomplete header)");
  const auto version = static_cast<std::uint32_t>(GetLittleEndian(bytes, 8, 4));
  if (version != 1 && version != kModelFormatVersion) {
    return InvalidData("model file format version " + std::to_string(version) +
                           " is not supported by synthscale " + Version() + " (it reads versions 1 to " +
                           std::to_string(kModelFormatVersion) + "); refit with this version",
                       location);
  }
  // Version 1 has no binary part, so no binary length.
  const std::size_t header_size = version == 1 ? kHeaderSizeV1 : kHeaderSize;
  if (bytes.size() < header_size) return fail("the model file is truncated (incomplete header)");
  const std::uint64_t json_length = GetLittleEndian(bytes, 12, 8);
  const std::uint64_t binary_length = version == 1 ? 0 : GetLittleEndian(bytes, 20, 8);
  const std::uint64_t found = bytes.size() - header_size;
  if (json_length > found || binary_length != found - json_length) {
    return fail("the model file is truncated or has trailing bytes (header says " +
                std::to_string(json_length) + " + " + std::to_string(binary_length) + " payload bytes, found " +
                std::to_string(found) + ")");
  }
  const std::string_view payload_bytes = bytes.substr(header_size);
  const Sha256Digest digest = Sha256(payload_bytes);
  if (std::memcmp(digest.data(), bytes.data() + header_size - digest.size(), digest.size()) != 0) {
    return fail("the model file is corrupt (checksum mismatch)");
  }
  const std::string_view body = payload_bytes.substr(0, json_length);
  const nlohmann::json payload = nlohmann::json::parse(body, nullptr, false);
  // Type checks before any get/value: nlohmann throws on a type mismatch.
  if (payload.is_discarded() || !payload.is_object() || !payload.contains("format") ||
      payload["format"] != "synthscale-model" ||
      !payload.contains("method") || !payload["method"].is_string() || !payload.contains("schema") ||
      !payload.contains("parameters") || !payload.contains("fit") || !payload["fit"].is_object() ||
      (payload["fit"].contains("rows") && !payload["fit"]["rows"].is_number_unsigned()) ||
      (payload["fit"].contains("source_sha256") && !payload["fit"]["source_sha256"].is_string()) ||
      (payload["fit"].contains("data_dependent_domain") && !payload["fit"]["data_dependent_domain"].is_boolean()) ||
      (payload["fit"].contains("seed") && !payload["fit"]["seed"].is_string()) ||
      (payload.contains("options") && !payload["options"].is_object())) {
    return fail("the model file's payload is malformed");
  }
  Result<Schema> schema = Schema::FromJson(payload["schema"].dump(), source + " (embedded schema)");
  if (!schema.ok()) return schema.status();
  const std::string method = payload["method"].get<std::string>();
  const std::vector<std::string> methods = SynthesizerMethods();
  if (std::find(methods.begin(), methods.end(), method) == methods.end()) {
    return InvalidData("the model file names unknown method '" + method +
                           "'; it was written by another synthscale version",
                       location);
  }
  SynthesizerOptions options;
  if (IsPrivateMethod(method)) {
    Result<SynthesizerOptions> parsed =
        SynthesizerOptions::FromJson(payload.value("options", nlohmann::json::object()).dump());
    if (!parsed.ok()) return fail("the model file's options are malformed: " + parsed.status().message());
    options = std::move(parsed).value();
  }
  Result<std::unique_ptr<Synthesizer>> synthesizer_or = MakeSynthesizer(method, options);
  if (!synthesizer_or.ok()) return fail("the model file's method cannot be built: " + synthesizer_or.status().message());
  std::unique_ptr<Synthesizer> synthesizer = std::move(synthesizer_or).value();
  std::optional<PrivacyLedger> ledger;
  if (synthesizer->differentially_private()) {
    if (!payload.contains("privacy")) return fail("the model file of a private method has no privacy ledger");
    Result<PrivacyLedger> parsed = PrivacyLedger::FromJson(payload["privacy"].dump());
    if (!parsed.ok()) return fail("the model file's privacy ledger is malformed: " + parsed.status().message());
    ledger = std::move(parsed).value();
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(Encoder encoder, Encoder::Create(*schema));
  SavedParameters saved{payload["parameters"].dump(), std::string(payload_bytes.substr(json_length))};
  SYNTHSCALE_RETURN_IF_ERROR(synthesizer->LoadParameters(saved, encoder).WithFile(source));
  FitInfo info;
  info.rows = payload["fit"].value("rows", std::uint64_t{0});
  info.source_sha256 = payload["fit"].value("source_sha256", std::string());
  info.data_dependent_domain = payload["fit"].value("data_dependent_domain", false);
  if (payload["fit"].contains("seed")) {
    info.seed = ParseSeed(payload["fit"]["seed"].get<std::string>());
    if (!info.seed) return fail("the model file's fit seed is not a decimal integer below 2^64");
  }
  return Model(std::move(schema).value(), std::move(synthesizer), std::move(info), std::move(options),
               std::move(ledger));
}

Status Model::Save(const std::string& path, bool force) const {
  return WriteFileAtomically(path, Serialize(), force);
}

Result<Model> Model::Load(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return IOError("cannot open model file '" + path + "': " + std::strerror(errno) + "; check the path", path);
  }
  if (S_ISDIR(info.st_mode)) return IOError("'" + path + "' is a directory, expected a model file", path);
  std::ifstream in(path, std::ios::binary);
  if (!in) return IOError("cannot open model file '" + path + "' for reading", path);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return IOError("error while reading model file '" + path + "'", path);
  return Deserialize(bytes, path);
}

namespace {

// Append row `row` (0-based in the whole sample) to `part`: an id column gets row + 1, a text
// column a missing value, every modelled column the value of its code (codes[codec_idx]
// for the codec_idx-th modelled column, drawn within a bin from `stream`).
template <typename CodeOf>
void AppendDecodedRow(const Schema& schema, const std::vector<ColumnCodec>& codecs, std::uint64_t row,
                      const CodeOf& code_of, RandomStream& stream, Table& part) {
  std::size_t codec_idx = 0;
  for (std::size_t col_idx = 0; col_idx < schema.size(); ++col_idx) {
    Column& column = part.mutable_column(col_idx);
    if (column.type == ColumnType::kId) {
      column.AppendString(std::to_string(row + 1));
    } else if (column.type == ColumnType::kText) {
      column.AppendNull();
    } else {
      codecs[codec_idx].DecodeInto(code_of(codec_idx), stream, column);
      ++codec_idx;
    }
  }
}

}  // namespace

std::string_view SamplingMethodName(SamplingMethod method) {
  return method == SamplingMethod::kRounded ? "rounded" : "iid";
}

Result<SamplingMethod> ParseSamplingMethod(std::string_view name) {
  if (name == "rounded") return SamplingMethod::kRounded;
  if (name == "iid") return SamplingMethod::kIid;
  return InvalidArgument("sampling method must be 'rounded' (all rows jointly, marginals without sampling noise) "
                         "or 'iid' (row by row, constant memory), got '" + std::string(name) + "'");
}

Result<SampledCodes> Model::SampleRoundedCodes(std::uint64_t rows, std::uint64_t seed, const Context& ctx) const {
  if (!synthesizer_->fitted()) return NotFitted("the model is not fitted; call fit first");
  SampledCodes sample;
  sample.rows = rows;
  sample.seed = seed;
  const std::size_t columns = encoder_->codecs().size();
  // Refuse before allocating what cannot be addressed; an allocation the system cannot
  // back is an error, not a crash.
  if (columns != 0 && rows > std::numeric_limits<std::size_t>::max() / 4 / columns) {
    return InvalidArgument("rounded sampling of " + std::to_string(rows) + " rows needs more memory than can be "
                           "addressed; use iid sampling");
  }
  try {
    SYNTHSCALE_RETURN_IF_ERROR(synthesizer_->SampleCodesRounded(rows, seed, ctx, sample.codes));
  } catch (const std::bad_alloc&) {
    return InvalidArgument("rounded sampling of " + std::to_string(rows) + " rows needs about " +
                           std::to_string((rows * (columns + 2) * 4) >> 20) +
                           " MiB of memory (rows x (columns + 2) x 4 bytes), more than is available; use iid "
                           "sampling (constant memory)");
  }
  return sample;
}

Result<Table> Model::DecodeRows(const SampledCodes& sample, std::uint64_t begin, std::uint64_t end,
                                const Context& ctx) const {
  const std::vector<ColumnCodec>& codecs = encoder_->codecs();
  if (end < begin || end > sample.rows) {
    return InvalidArgument("rows " + std::to_string(begin) + " to " + std::to_string(end) +
                           " are not within the sample's " + std::to_string(sample.rows) + " rows");
  }
  if (sample.codes.size() != sample.rows * codecs.size()) {
    return InvalidArgument("the sampled codes do not have this model's columns");
  }
  const std::uint64_t rows = end - begin;
  const std::size_t tasks = NumTasks(rows, kSampleGrain);
  std::vector<Table> parts(tasks);
  const std::uint64_t purpose = PurposeId("sample-rounded-decode");
  SYNTHSCALE_RETURN_IF_ERROR(ctx.pool().Run(tasks, [&](std::size_t task_idx) {
    const TaskRange range = TaskBounds(task_idx, rows, kSampleGrain);
    Table part = MakeEmptyTable(schema_);
    for (std::size_t offset = range.begin; offset < range.end; ++offset) {
      const std::uint64_t row = begin + offset;
      RandomStream stream(sample.seed, purpose, row);
      const auto code_of = [&](std::size_t codec_idx) { return sample.codes[codec_idx * sample.rows + row]; };
      AppendDecodedRow(schema_, codecs, row, code_of, stream, part);
    }
    part.SetNumRows(range.end - range.begin);
    parts[task_idx] = std::move(part);
    return Status::Ok();
  }));
  Table table = MakeEmptyTable(schema_);
  for (const Table& part : parts) table.AppendRows(part);
  return table;
}

Result<Table> Model::Sample(std::uint64_t begin, std::uint64_t end, std::uint64_t rows, std::uint64_t seed,
                            SamplingMethod method, const Context& ctx) const {
  if (end < begin || end > rows) {
    return InvalidArgument("sample range " + std::to_string(begin) + " to " + std::to_string(end) +
                           " is not within the sample's " + std::to_string(rows) + " rows");
  }
  if (method == SamplingMethod::kIid) return Sample(begin, end, seed, ctx);
  SYNTHSCALE_ASSIGN_OR_RETURN(SampledCodes sample, SampleRoundedCodes(rows, seed, ctx));
  return DecodeRows(sample, begin, end, ctx);
}

Result<Table> Model::Sample(std::uint64_t begin, std::uint64_t end, std::uint64_t seed,
                            const Context& ctx) const {
  if (!synthesizer_->fitted()) return NotFitted("the model is not fitted; call fit first");
  if (end < begin) return InvalidArgument("sample range end is before its begin");
  const std::uint64_t rows = end - begin;
  const std::size_t tasks = NumTasks(rows, kSampleGrain);
  std::vector<Table> parts(tasks);
  const std::uint64_t purpose = PurposeId("sample");
  const std::vector<ColumnCodec>& codecs = encoder_->codecs();
  SYNTHSCALE_RETURN_IF_ERROR(ctx.pool().Run(tasks, [&](std::size_t task_idx) {
    const TaskRange range = TaskBounds(task_idx, rows, kSampleGrain);
    Table part = MakeEmptyTable(schema_);
    std::vector<std::uint32_t> codes(codecs.size());
    for (std::size_t offset = range.begin; offset < range.end; ++offset) {
      const std::uint64_t row = begin + offset;
      RandomStream stream(seed, purpose, row);
      synthesizer_->SampleRow(stream, codes);
      AppendDecodedRow(schema_, codecs, row, [&](std::size_t codec_idx) { return codes[codec_idx]; }, stream, part);
    }
    part.SetNumRows(range.end - range.begin);
    parts[task_idx] = std::move(part);
    return Status::Ok();
  }));
  Table table = MakeEmptyTable(schema_);
  for (const Table& part : parts) table.AppendRows(part);
  return table;
}

// Schema columns whose domain was read from the data, named for the error message.
std::string DataDependentColumns(const Schema& schema) {
  std::string names;
  for (const ColumnSchema& column : schema.columns()) {
    if (column.domain_from_data) names += (names.empty() ? "" : ", ") + column.name;
  }
  return names;
}

Result<Model> FitEncoded(const EncodedTable& data, const Schema& schema, const FitSettings& settings,
                         const Context& ctx) {
  // The Model constructor cannot fail and SampleRow writes one code per fitted column:
  // check here that the schema is valid and that `data` was encoded with it.
  SYNTHSCALE_ASSIGN_OR_RETURN(Encoder encoder, Encoder::Create(schema));
  const std::vector<std::uint32_t> cardinalities = Cardinalities(encoder);
  bool same_shape = data.num_columns() == cardinalities.size();
  for (std::size_t col_idx = 0; same_shape && col_idx < cardinalities.size(); ++col_idx) {
    same_shape = data.column(col_idx).cardinality() == cardinalities[col_idx];
  }
  if (!same_shape) return InvalidArgument("the encoded data was not encoded with this schema");
  SYNTHSCALE_ASSIGN_OR_RETURN(std::unique_ptr<Synthesizer> synthesizer,
                              MakeSynthesizer(settings.method, settings.options));
  FitInfo info = settings.info;
  info.rows = data.num_rows();
  FitInputs inputs;
  inputs.encoder = &encoder;
  if (!synthesizer->differentially_private()) {
    SYNTHSCALE_RETURN_IF_ERROR(synthesizer->Fit(data, inputs, ctx));
    return Model(schema, std::move(synthesizer), std::move(info), settings.options);
  }
  const std::string data_dependent = DataDependentColumns(schema);
  if (!data_dependent.empty() && !settings.options.allow_data_dependent_domain) {
    return InvalidArgument("the schema's domain of " + data_dependent +
                           " was read from the data, so a differentially private fit would leak it; "
                           "write the public domain into the schema (see docs/schema.md), or pass "
                           "--allow-data-dependent-domain to accept that the guarantee does not cover the domain");
  }
  info.data_dependent_domain = !data_dependent.empty();
  const SynthesizerOptions& options = settings.options;
  Result<PrivacyLedger> ledger = options.rho ? PrivacyLedger::FromRho(*options.rho, options.neighbouring)
                                             : PrivacyLedger::FromEpsilonDelta(*options.epsilon, *options.delta,
                                                                               options.neighbouring);
  if (!ledger.ok()) return ledger.status();
  Csprng noise = settings.noise_key ? Csprng(*settings.noise_key) : Csprng::FromOs();
  ledger->SetNoiseKeyCommitment(noise.KeyCommitment());
  inputs.ledger = &*ledger;
  inputs.noise = &noise;
  SYNTHSCALE_RETURN_IF_ERROR(synthesizer->Fit(data, inputs, ctx));
  return Model(schema, std::move(synthesizer), std::move(info), options, std::move(ledger).value());
}

Result<Model> FitEncoded(const EncodedTable& data, const Schema& schema, std::string_view method,
                         FitInfo info, const Context& ctx) {
  FitSettings settings;
  settings.method = std::string(method);
  settings.info = std::move(info);
  return FitEncoded(data, schema, settings, ctx);
}

Result<Model> FitModel(const Table& table, const Schema& schema, const FitSettings& settings, const Context& ctx) {
  SYNTHSCALE_ASSIGN_OR_RETURN(Encoder encoder, Encoder::Create(schema));
  SYNTHSCALE_ASSIGN_OR_RETURN(EncodedTable encoded, encoder.Encode(table, ctx));
  return FitEncoded(encoded, schema, settings, ctx);
}

Result<Model> FitModel(const Table& table, const Schema& schema, std::string_view method, const Context& ctx) {
  FitSettings settings;
  settings.method = std::string(method);
  return FitModel(table, schema, settings, ctx);
}

}  // namespace synthscale
