// Model: a fitted synthesizer with its schema, saved to and loaded from a model file.
//
// Model file (docs/formats.md): an 8-byte magic "SSMODEL\n", a little-endian uint32
// format version, a uint64 payload length, the SHA-256 of the payload, then the payload:
// UTF-8 JSON with the method, schema, learned parameters and fit metadata. Loading checks
// all of these, so a truncated, corrupt or foreign file gives a clear error.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "synthscale/core/context.h"
#include "synthscale/core/status.h"
#include "synthscale/synth/synthesizer.h"
#include "synthscale/table/encoding.h"
#include "synthscale/table/schema.h"
#include "synthscale/table/table.h"

namespace synthscale {

inline constexpr std::uint32_t kModelFormatVersion = 1;

struct FitInfo {
  std::uint64_t rows = 0;        // rows the model was fitted on
  std::string source_sha256;     // of the input file, when fitted from one
};

class Model {
 public:
  Model(Schema schema, std::unique_ptr<Synthesizer> synthesizer, FitInfo info);

  const Schema& schema() const { return schema_; }
  const Synthesizer& synthesizer() const { return *synthesizer_; }
  const FitInfo& info() const { return info_; }
  const Encoder& encoder() const { return *encoder_; }

  // Encode the model file's bytes / parse them. `source` names the file in errors.
  std::string Serialize() const;
  static Result<Model> Deserialize(std::string_view bytes, const std::string& source);

  // Write atomically (never a partial file; an existing file is kept unless force).
  Status Save(const std::string& path, bool force) const;
  static Result<Model> Load(const std::string& path);

  // Draw rows [begin, end) as a Table with every schema column. Row r uses stream
  // (seed, "sample", r): the result for a row is the same whatever the range or threads.
  Result<Table> Sample(std::uint64_t begin, std::uint64_t end, std::uint64_t seed, const Context& ctx) const;

 private:
  Schema schema_;
  std::unique_ptr<Synthesizer> synthesizer_;
  FitInfo info_;
  std::unique_ptr<Encoder> encoder_;
};

// Encode `table` with `schema` and fit a new synthesizer of `method`. Errors from
// encoding (kInvalidData) and the method's Fit.
Result<Model> FitModel(const Table& table, const Schema& schema, std::string_view method, const Context& ctx);
// Fit on data that is already encoded.
Result<Model> FitEncoded(const EncodedTable& data, const Schema& schema, std::string_view method,
                         FitInfo info, const Context& ctx);

}  // namespace synthscale
