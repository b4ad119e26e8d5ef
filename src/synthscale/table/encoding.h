// Encoding a Table into small unsigned codes per column, and decoding codes to values.
//
// Every modelled column (all but id and text) of the schema becomes an EncodedColumn,
// in schema order. Codes 0..d-1 are the domain's values (categories in schema order,
// false/true, or equal-width bins of [min, max]); code d means missing and code d+1
// means "outside the schema's domain". Codes are stored column-major in the smallest
// unsigned type that holds d+2 values (uint8, uint16 or uint32).
//
// Decoding is lossless for categorical and boolean columns and for integer columns whose
// range fits in their bins. A binned number decodes to a value drawn uniformly within its
// bin, so |decoded - original| < bin width = (max - min) / bins (docs/schema.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "synthscale/core/context.h"
#include "synthscale/core/random_stream.h"
#include "synthscale/core/status.h"
#include "synthscale/table/schema.h"
#include "synthscale/table/table.h"

namespace synthscale {

class EncodedColumn {
 public:
  using Codes = std::variant<std::vector<std::uint8_t>, std::vector<std::uint16_t>,
                             std::vector<std::uint32_t>>;

  EncodedColumn(std::string name, std::size_t schema_index, std::uint32_t domain_size);

  const std::string& name() const { return name_; }
  std::size_t schema_index() const { return schema_index_; }
  std::uint32_t domain_size() const { return domain_size_; }
  std::uint32_t missing_code() const { return domain_size_; }
  std::uint32_t out_of_domain_code() const { return domain_size_ + 1; }
  // Number of distinct codes: domain values + missing + out of domain.
  std::uint32_t cardinality() const { return domain_size_ + 2; }
  std::size_t size() const;
  std::uint32_t code(std::size_t row) const;
  const Codes& codes() const { return codes_; }
  Codes& mutable_codes() { return codes_; }
  // Bytes per stored code: 1, 2 or 4.
  std::size_t code_width() const;

 private:
  std::string name_;
  std::size_t schema_index_;
  std::uint32_t domain_size_;
  Codes codes_;
};

class EncodedTable {
 public:
  std::size_t num_rows() const { return num_rows_; }
  std::size_t num_columns() const { return columns_.size(); }
  const EncodedColumn& column(std::size_t idx) const { return columns_[idx]; }
  const std::vector<EncodedColumn>& columns() const { return columns_; }
  std::vector<EncodedColumn>& mutable_columns() { return columns_; }
  void set_num_rows(std::size_t num_rows) { num_rows_ = num_rows; }

 private:
  friend class Encoder;
  std::vector<EncodedColumn> columns_;
  std::size_t num_rows_ = 0;
};

// How one schema column maps values to codes and back.
class ColumnCodec {
 public:
  explicit ColumnCodec(const ColumnSchema& column);

  const ColumnSchema& schema() const { return schema_; }
  std::uint32_t domain_size() const { return domain_size_; }

  std::uint32_t EncodeInt(std::int64_t value) const;  // integer, datetime, boolean
  std::uint32_t EncodeDouble(double value) const;      // continuous
  // Code of a label, or out-of-domain.
  std::uint32_t EncodeLabel(std::string_view label) const;

  // Append the value of `code` to `out` (a column of this codec's type); a binned
  // number is drawn uniformly within its bin from `stream`. Missing and out-of-domain
  // codes append a missing value.
  void DecodeInto(std::uint32_t code, RandomStream& stream, Column& out) const;
  // The inclusive integer range of bin `code` (integer and datetime columns).
  std::pair<std::int64_t, std::int64_t> IntegerBin(std::uint32_t code) const;

 private:
  ColumnSchema schema_;
  std::uint32_t domain_size_;
  std::int64_t int_low_ = 0;     // ceil(min)
  std::int64_t int_range_ = 0;   // floor(max) - ceil(min) + 1
  std::unordered_map<std::string, std::uint32_t> label_codes_;
};

class Encoder {
 public:
  // Errors: kInvalidData if the schema is invalid (Schema::Validate).
  static Result<Encoder> Create(const Schema& schema);

  // An empty EncodedTable with this schema's modelled columns.
  EncodedTable MakeEmpty() const;
  // Encode all rows of `batch` (columns matched by name) and append them to `out`.
  // Deterministic and thread-count independent; parallel over columns.
  Status Append(const Table& batch, const Context& ctx, EncodedTable& out) const;
  Result<EncodedTable> Encode(const Table& table, const Context& ctx) const;

  const Schema& schema() const { return schema_; }
  const std::vector<ColumnCodec>& codecs() const { return codecs_; }  // modelled columns only

 private:
  Encoder(Schema schema, std::vector<ColumnCodec> codecs)
      : schema_(std::move(schema)), codecs_(std::move(codecs)) {}

  Schema schema_;
  std::vector<ColumnCodec> codecs_;
};

// Decode an EncodedTable to a Table with every schema column (id columns are numbered
// 1..n, text columns are missing). Row r's within-bin draws use stream (seed, "decode", r).
Result<Table> Decode(const EncodedTable& encoded, const Schema& schema, std::uint64_t seed,
                     const Context& ctx);

// An empty Table with one column per schema column, of the schema's types and with the
// schema's categories as dictionary: what decoding appends to.
Table MakeEmptyTable(const Schema& schema);

}  // namespace synthscale
