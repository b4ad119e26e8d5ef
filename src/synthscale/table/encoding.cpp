#include "synthscale/table/encoding.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

#include "synthscale/core/int128.h"

namespace synthscale {
namespace {

EncodedColumn::Codes MakeCodes(std::uint32_t cardinality) {
  if (cardinality <= 0x100u) return std::vector<std::uint8_t>{};
  if (cardinality <= 0x10000u) return std::vector<std::uint16_t>{};
  return std::vector<std::uint32_t>{};
}

// Rows are encoded in blocks of this many per task (fixed: independent of thread count).
constexpr std::size_t kEncodeGrain = 1 << 16;

}  // namespace

EncodedColumn::EncodedColumn(std::string name, std::size_t schema_index, std::uint32_t domain_size)
    : name_(std::move(name)),
      schema_index_(schema_index),
      domain_size_(domain_size),
      codes_(MakeCodes(domain_size + 2)) {}

std::size_t EncodedColumn::size() const {
  return std::visit([](const auto& codes) { return codes.size(); }, codes_);
}

std::uint32_t EncodedColumn::code(std::size_t row) const {
  return std::visit([row](const auto& codes) { return static_cast<std::uint32_t>(codes[row]); },
                    codes_);
}

std::size_t EncodedColumn::code_width() const {
  return std::visit([](const auto& codes) { return sizeof(codes[0]); }, codes_);
}

ColumnCodec::ColumnCodec(const ColumnSchema& column) : schema_(column), domain_size_(column.DomainSize()) {
  if (column.type == ColumnType::kInteger || column.type == ColumnType::kDatetime) {
    int_low_ = static_cast<std::int64_t>(std::ceil(column.min));
    int_range_ = static_cast<std::int64_t>(std::floor(column.max)) - int_low_ + 1;
  }
  for (std::size_t cat_idx = 0; cat_idx < column.categories.size(); ++cat_idx) {
    label_codes_.emplace(column.categories[cat_idx], static_cast<std::uint32_t>(cat_idx));
  }
}

std::uint32_t ColumnCodec::EncodeInt(std::int64_t value) const {
  if (schema_.type == ColumnType::kBoolean) return value != 0 ? 1u : 0u;
  // In 128 bits: value - int_low_ overflows int64 for values far outside the domain.
  const Int128 offset = static_cast<Int128>(value) - int_low_;
  if (offset < 0 || offset >= int_range_) return domain_size_ + 1;
  // Bin b holds the offsets x with floor(x * d / R) == b: bins differ in size by at most 1.
  const auto bin = offset * domain_size_ / int_range_;
  return static_cast<std::uint32_t>(bin);
}

std::uint32_t ColumnCodec::EncodeDouble(double value) const {
  if (!(value >= schema_.min && value <= schema_.max)) return domain_size_ + 1;
  const double width = schema_.max - schema_.min;
  if (width <= 0.0) return 0;
  const double position = (value - schema_.min) / width * static_cast<double>(domain_size_);
  const auto bin = static_cast<std::uint32_t>(std::min(position, static_cast<double>(domain_size_ - 1)));
  return bin;
}

std::uint32_t ColumnCodec::EncodeLabel(std::string_view label) const {
  const auto found = label_codes_.find(std::string(label));
  return found == label_codes_.end() ? domain_size_ + 1 : found->second;
}

std::pair<std::int64_t, std::int64_t> ColumnCodec::IntegerBin(std::uint32_t code) const {
  // The inverse of EncodeInt: offsets ceil(b R / d) .. ceil((b + 1) R / d) - 1.
  const auto ceil_div = [](Int128 num, Int128 den) { return (num + den - 1) / den; };
  const auto first = ceil_div(static_cast<Int128>(code) * int_range_, domain_size_);
  const auto next = ceil_div(static_cast<Int128>(code + 1) * int_range_, domain_size_);
  return {int_low_ + static_cast<std::int64_t>(first), int_low_ + static_cast<std::int64_t>(next) - 1};
}

void ColumnCodec::DecodeInto(std::uint32_t code, RandomStream& stream, Column& out) const {
  if (code >= domain_size_) {
    out.AppendNull();
    return;
  }
  switch (schema_.type) {
    case ColumnType::kCategorical: out.AppendCode(code); return;
    case ColumnType::kBoolean: out.AppendInt(code); return;
    case ColumnType::kInteger:
    case ColumnType::kDatetime: {
      const auto [low, high] = IntegerBin(code);
      const auto span = static_cast<std::uint64_t>(high - low) + 1;
      out.AppendInt(low + static_cast<std::int64_t>(span == 1 ? 0 : stream.UniformBelow(span)));
      return;
    }
    case ColumnType::kContinuous: {
      const double width = (schema_.max - schema_.min) / static_cast<double>(domain_size_);
      const double low = schema_.min + width * code;
      const double value = low + width * stream.UniformDouble();
      out.AppendDouble(std::min(value, schema_.max));
      return;
    }
    case ColumnType::kId:
    case ColumnType::kText: out.AppendNull(); return;
  }
}

Result<Encoder> Encoder::Create(const Schema& schema) {
  SYNTHSCALE_RETURN_IF_ERROR(schema.Validate());
  std::vector<ColumnCodec> codecs;
  for (const ColumnSchema& column : schema.columns()) {
    if (IsModelled(column.type)) codecs.emplace_back(column);
  }
  return Encoder(schema, std::move(codecs));
}

EncodedTable Encoder::MakeEmpty() const {
  EncodedTable table;
  for (const ColumnCodec& codec : codecs_) {
    table.columns_.emplace_back(codec.schema().name,
                                static_cast<std::size_t>(schema_.FindColumn(codec.schema().name)),
                                codec.domain_size());
  }
  return table;
}

namespace {

template <typename CodeT>
void EncodeRows(const ColumnCodec& codec, const Column& column, std::span<const std::uint32_t> label_map,
                std::size_t begin, std::size_t end, CodeT* out) {
  const auto missing = static_cast<CodeT>(codec.domain_size());
  for (std::size_t row = begin; row < end; ++row) {
    std::uint32_t code;
    if (!column.valid[row]) {
      out[row - begin] = missing;
      continue;
    }
    switch (column.type) {
      case ColumnType::kCategorical: code = label_map[column.codes[row]]; break;
      case ColumnType::kContinuous: code = codec.EncodeDouble(column.doubles[row]); break;
      default: code = codec.EncodeInt(column.ints[row]); break;
    }
    out[row - begin] = static_cast<CodeT>(code);
  }
}

}  // namespace

Status Encoder::Append(const Table& batch, const Context& ctx, EncodedTable& out) const {
  if (out.num_columns() != codecs_.size()) return Internal("EncodedTable does not match the encoder's schema");
  const std::size_t rows = batch.num_rows();
  const std::size_t base = out.num_rows();
  // Resolve columns and per-column label maps once per batch.
  std::vector<const Column*> sources;
  std::vector<std::vector<std::uint32_t>> label_maps(codecs_.size());
  for (std::size_t col_idx = 0; col_idx < codecs_.size(); ++col_idx) {
    const ColumnCodec& codec = codecs_[col_idx];
    const std::ptrdiff_t found = batch.FindColumn(codec.schema().name);
    if (found < 0) {
      SourceLocation location;
      location.field = codec.schema().name;
      return InvalidData("the data has no column '" + codec.schema().name +
                             "' that the schema lists; add it or remove it from the schema",
                         location);
    }
    const Column& column = batch.column(static_cast<std::size_t>(found));
    const bool same_kind = column.type == codec.schema().type;
    if (!same_kind) {
      SourceLocation location;
      location.field = column.name;
      return InvalidData("column '" + column.name + "' is " + std::string(ColumnTypeName(column.type)) +
                             " in the data but " + std::string(ColumnTypeName(codec.schema().type)) +
                             " in the schema",
                         location);
    }
    sources.push_back(&column);
    if (column.type == ColumnType::kCategorical) {
      for (const std::string& label : column.dictionary) label_maps[col_idx].push_back(codec.EncodeLabel(label));
    }
  }
  for (EncodedColumn& column : out.mutable_columns()) {
    std::visit([&](auto& codes) { codes.resize(base + rows); }, column.mutable_codes());
  }
  const std::size_t blocks = NumTasks(rows, kEncodeGrain);
  SYNTHSCALE_RETURN_IF_ERROR(ctx.pool().Run(codecs_.size() * blocks, [&](std::size_t task_idx) {
    const std::size_t col_idx = task_idx / blocks;
    const TaskRange range = TaskBounds(task_idx % blocks, rows, kEncodeGrain);
    std::visit(
        [&](auto& codes) {
          EncodeRows(codecs_[col_idx], *sources[col_idx], label_maps[col_idx], range.begin, range.end,
                     codes.data() + base + range.begin);
        },
        out.mutable_columns()[col_idx].mutable_codes());
    return Status::Ok();
  }));
  out.set_num_rows(base + rows);
  return Status::Ok();
}

Result<EncodedTable> Encoder::Encode(const Table& table, const Context& ctx) const {
  EncodedTable out = MakeEmpty();
  SYNTHSCALE_RETURN_IF_ERROR(Append(table, ctx, out));
  return out;
}

Table MakeEmptyTable(const Schema& schema) {
  Table table;
  for (const ColumnSchema& column_schema : schema.columns()) {
    Column column;
    column.name = column_schema.name;
    column.type = column_schema.type;
    column.dictionary = column_schema.categories;
    table.AddColumn(std::move(column));
  }
  return table;
}

Result<Table> Decode(const EncodedTable& encoded, const Schema& schema, std::uint64_t seed,
                     const Context& ctx) {
  (void)ctx;  // decoding is cheap next to what produced the codes; kept sequential
  SYNTHSCALE_ASSIGN_OR_RETURN(Encoder encoder, Encoder::Create(schema));
  if (encoded.num_columns() != encoder.codecs().size()) {
    return InvalidArgument("encoded table has " + std::to_string(encoded.num_columns()) +
                           " columns but the schema models " + std::to_string(encoder.codecs().size()));
  }
  Table table = MakeEmptyTable(schema);
  const std::uint64_t purpose = PurposeId("decode");
  for (std::size_t row = 0; row < encoded.num_rows(); ++row) {
    RandomStream stream(seed, purpose, row);
    std::size_t encoded_idx = 0;
    for (std::size_t col_idx = 0; col_idx < schema.size(); ++col_idx) {
      Column& column = table.mutable_column(col_idx);
      if (column.type == ColumnType::kId) {
        column.AppendString(std::to_string(row + 1));
      } else if (column.type == ColumnType::kText) {
        column.AppendNull();
      } else {
        encoder.codecs()[encoded_idx].DecodeInto(encoded.column(encoded_idx).code(row), stream, column);
        ++encoded_idx;
      }
    }
  }
  table.SetNumRows(encoded.num_rows());
  return table;
}

}  // namespace synthscale
