#include "synthscale/synth/model.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "synthscale/core/crypto.h"
#include "synthscale/core/version.h"
#include "synthscale/io/atomic_file.h"

namespace synthscale {
namespace {

constexpr std::array<char, 8> kMagic = {'S', 'S', 'M', 'O', 'D', 'E', 'L', '\n'};
constexpr std::size_t kHeaderSize = 8 + 4 + 8 + 32;
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

Model::Model(Schema schema, std::unique_ptr<Synthesizer> synthesizer, FitInfo info)
    : schema_(std::move(schema)), synthesizer_(std::move(synthesizer)), info_(std::move(info)) {
  // The schema was validated before any model could be built from it.
  Result<Encoder> encoder = Encoder::Create(schema_);
  encoder_ = std::make_unique<Encoder>(std::move(encoder).value());
}

std::string Model::Serialize() const {
  nlohmann::ordered_json payload;
  payload["format"] = "synthscale-model";
  payload["method"] = std::string(synthesizer_->method());
  payload["differentially_private"] = synthesizer_->differentially_private();
  payload["synthscale_version"] = Version();
  payload["git_commit"] = GitCommit();
  payload["fit"] = {{"rows", info_.rows}, {"source_sha256", info_.source_sha256}};
  payload["schema"] = nlohmann::ordered_json::parse(schema_.ToJson());
  payload["parameters"] = nlohmann::ordered_json::parse(synthesizer_->SaveParameters());
  const std::string body = payload.dump();

  std::string out(kMagic.begin(), kMagic.end());
  PutLittleEndian(out, kModelFormatVersion, 4);
  PutLittleEndian(out, body.size(), 8);
  const Sha256Digest digest = Sha256(body);
  out.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  out += body;
  return out;
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
  if (bytes.size() < kHeaderSize) return fail("the model file is truncated (incomplete header)");
  const auto version = static_cast<std::uint32_t>(GetLittleEndian(bytes, 8, 4));
  if (version != kModelFormatVersion) {
    return InvalidData("model file format version " + std::to_string(version) +
                           " is not supported by synthscale " + Version() + " (it reads version " +
                           std::to_string(kModelFormatVersion) + "); refit with this version",
                       location);
  }
  const std::uint64_t length = GetLittleEndian(bytes, 12, 8);
  if (length != bytes.size() - kHeaderSize) {
    return fail("the model file is truncated or has trailing bytes (header says " + std::to_string(length) +
                " payload bytes, found " + std::to_string(bytes.size() - kHeaderSize) + ")");
  }
  const std::string_view body = bytes.substr(kHeaderSize);
  const Sha256Digest digest = Sha256(body);
  if (std::memcmp(digest.data(), bytes.data() + 20, digest.size()) != 0) {
    return fail("the model file is corrupt (checksum mismatch)");
  }
  const nlohmann::json payload = nlohmann::json::parse(body, nullptr, false);
  // Type checks before any get/value: nlohmann throws on a type mismatch.
  if (payload.is_discarded() || !payload.is_object() || !payload.contains("format") ||
      payload["format"] != "synthscale-model" ||
      !payload.contains("method") || !payload["method"].is_string() || !payload.contains("schema") ||
      !payload.contains("parameters") || !payload.contains("fit") || !payload["fit"].is_object() ||
      (payload["fit"].contains("rows") && !payload["fit"]["rows"].is_number_unsigned()) ||
      (payload["fit"].contains("source_sha256") && !payload["fit"]["source_sha256"].is_string())) {
    return fail("the model file's payload is malformed");
  }
  Result<Schema> schema = Schema::FromJson(payload["schema"].dump(), source + " (embedded schema)");
  if (!schema.ok()) return schema.status();
  Result<std::unique_ptr<Synthesizer>> synthesizer_or = MakeSynthesizer(payload["method"].get<std::string>());
  if (!synthesizer_or.ok()) {
    return InvalidData("the model file names " + synthesizer_or.status().message() +
                           "; it was written by another synthscale version",
                       location);
  }
  std::unique_ptr<Synthesizer> synthesizer = std::move(synthesizer_or).value();
  SYNTHSCALE_ASSIGN_OR_RETURN(Encoder encoder, Encoder::Create(*schema));
  SYNTHSCALE_RETURN_IF_ERROR(
      synthesizer->LoadParameters(payload["parameters"].dump(), Cardinalities(encoder)).WithFile(source));
  FitInfo info;
  info.rows = payload["fit"].value("rows", std::uint64_t{0});
  info.source_sha256 = payload["fit"].value("source_sha256", std::string());
  return Model(std::move(schema).value(), std::move(synthesizer), std::move(info));
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
      std::size_t codec_idx = 0;
      for (std::size_t col_idx = 0; col_idx < schema_.size(); ++col_idx) {
        Column& column = part.mutable_column(col_idx);
        if (column.type == ColumnType::kId) {
          column.AppendString(std::to_string(row + 1));
        } else if (column.type == ColumnType::kText) {
          column.AppendNull();
        } else {
          codecs[codec_idx].DecodeInto(codes[codec_idx], stream, column);
          ++codec_idx;
        }
      }
    }
    part.SetNumRows(range.end - range.begin);
    parts[task_idx] = std::move(part);
    return Status::Ok();
  }));
  Table table = MakeEmptyTable(schema_);
  for (const Table& part : parts) table.AppendRows(part);
  return table;
}

Result<Model> FitEncoded(const EncodedTable& data, const Schema& schema, std::string_view method,
                         FitInfo info, const Context& ctx) {
  // The Model constructor cannot fail and SampleRow writes one code per fitted column:
  // check here that the schema is valid and that `data` was encoded with it.
  SYNTHSCALE_ASSIGN_OR_RETURN(Encoder encoder, Encoder::Create(schema));
  const std::vector<std::uint32_t> cardinalities = Cardinalities(encoder);
  bool same_shape = data.num_columns() == cardinalities.size();
  for (std::size_t col_idx = 0; same_shape && col_idx < cardinalities.size(); ++col_idx) {
    same_shape = data.column(col_idx).cardinality() == cardinalities[col_idx];
  }
  if (!same_shape) return InvalidArgument("the encoded data was not encoded with this schema");
  SYNTHSCALE_ASSIGN_OR_RETURN(std::unique_ptr<Synthesizer> synthesizer, MakeSynthesizer(method));
  SYNTHSCALE_RETURN_IF_ERROR(synthesizer->Fit(data, ctx));
  info.rows = data.num_rows();
  return Model(schema, std::move(synthesizer), std::move(info));
}

Result<Model> FitModel(const Table& table, const Schema& schema, std::string_view method, const Context& ctx) {
  SYNTHSCALE_ASSIGN_OR_RETURN(Encoder encoder, Encoder::Create(schema));
  SYNTHSCALE_ASSIGN_OR_RETURN(EncodedTable encoded, encoder.Encode(table, ctx));
  return FitEncoded(encoded, schema, method, FitInfo{}, ctx);
}

}  // namespace synthscale
