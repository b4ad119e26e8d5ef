#include "synthscale/table/encoding.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "synthscale/core/context.h"
#include "synthscale/core/random_stream.h"

namespace synthscale {
namespace {

ColumnSchema Categorical(const std::string& name, std::vector<std::string> categories) {
  ColumnSchema column;
  column.name = name;
  column.type = ColumnType::kCategorical;
  column.categories = std::move(categories);
  return column;
}

ColumnSchema Numeric(const std::string& name, ColumnType type, double min, double max, std::uint32_t bins) {
  ColumnSchema column;
  column.name = name;
  column.type = type;
  column.min = min;
  column.max = max;
  column.bins = bins;
  return column;
}

ColumnSchema Plain(const std::string& name, ColumnType type) {
  ColumnSchema column;
  column.name = name;
  column.type = type;
  return column;
}

Column MakeColumn(const std::string& name, ColumnType type) {
  Column column;
  column.name = name;
  column.type = type;
  return column;
}

std::vector<std::uint32_t> Codes(const EncodedColumn& column) {
  std::vector<std::uint32_t> codes;
  for (std::size_t row = 0; row < column.size(); ++row) codes.push_back(column.code(row));
  return codes;
}

Encoder MakeEncoder(const Schema& schema) {
  Result<Encoder> encoder = Encoder::Create(schema);
  EXPECT_TRUE(encoder.ok()) << encoder.status().ToString();
  return std::move(encoder).value();
}

// --- Codes per type ------------------------------------------------------------------

TEST(Encoder, CodesForEachTypeWithMissingAndOutOfDomain) {
  const Schema schema({
      Plain("id", ColumnType::kId),
      Categorical("cat", {"a", "b", "c"}),
      Numeric("int", ColumnType::kInteger, 0, 9, 10),
      Numeric("cont", ColumnType::kContinuous, 0, 10, 5),          // bins of width 2
      Numeric("when", ColumnType::kDatetime, 0, 86400 * 10, 10),  // 864001 seconds in 10 bins
      Plain("notes", ColumnType::kText),
      Plain("flag", ColumnType::kBoolean),
  });
  Column id = MakeColumn("id", ColumnType::kId);
  Column cat = MakeColumn("cat", ColumnType::kCategorical);
  Column integer = MakeColumn("int", ColumnType::kInteger);
  Column cont = MakeColumn("cont", ColumnType::kContinuous);
  Column when = MakeColumn("when", ColumnType::kDatetime);
  Column notes = MakeColumn("notes", ColumnType::kText);
  Column flag = MakeColumn("flag", ColumnType::kBoolean);
  // row 0: ordinary values
  id.AppendString("r0");
  cat.AppendCategory("b");
  integer.AppendInt(3);
  cont.AppendDouble(2.5);
  when.AppendInt(2 * 86400 + 5);
  notes.AppendString("x");
  flag.AppendInt(1);
  // row 1: everything missing
  id.AppendNull();
  cat.AppendNull();
  integer.AppendNull();
  cont.AppendNull();
  when.AppendNull();
  notes.AppendNull();
  flag.AppendNull();
  // row 2: out of domain, or the upper bounds
  id.AppendString("r2");
  cat.AppendCategory("zzz");
  integer.AppendInt(10);
  cont.AppendDouble(10.0);
  when.AppendInt(-1);
  notes.AppendString("y");
  flag.AppendInt(0);
  // row 3: lower bounds and invalid numbers
  id.AppendString("r3");
  cat.AppendCategory("a");
  integer.AppendInt(-1);
  cont.AppendDouble(std::numeric_limits<double>::quiet_NaN());
  when.AppendInt(86400 * 10);
  notes.AppendString("z");
  flag.AppendInt(0);
  // row 4: around a continuous bin edge, and infinities
  id.AppendString("r4");
  cat.AppendCategory("c");
  integer.AppendInt(0);
  cont.AppendDouble(1.999999);
  when.AppendInt(0);
  notes.AppendString("w");
  flag.AppendInt(1);
  // row 5
  id.AppendString("r5");
  cat.AppendCategory("c");
  integer.AppendInt(9);
  cont.AppendDouble(2.0);
  when.AppendInt(86399);
  notes.AppendString("v");
  flag.AppendInt(1);
  // row 6
  id.AppendString("r6");
  cat.AppendCategory("b");
  integer.AppendInt(5);
  cont.AppendDouble(std::numeric_limits<double>::infinity());
  when.AppendInt(86400 * 10 + 1);
  notes.AppendString("u");
  flag.AppendInt(0);
  // row 7
  id.AppendString("r7");
  cat.AppendCategory("a");
  integer.AppendInt(5);
  cont.AppendDouble(-0.0001);
  when.AppendInt(5);
  notes.AppendString("t");
  flag.AppendInt(0);

  Table table;
  // Columns in another order than the schema: matched by name.
  for (Column* column : {&flag, &notes, &when, &cont, &integer, &cat, &id}) table.AddColumn(std::move(*column));

  const Encoder encoder = MakeEncoder(schema);
  Context ctx(1);
  Result<EncodedTable> encoded = encoder.Encode(table, ctx);
  ASSERT_TRUE(encoded.ok()) << encoded.status().ToString();
  ASSERT_EQ(encoded->num_rows(), 8u);
  ASSERT_EQ(encoded->num_columns(), 5u);  // id and text are not modelled

  const EncodedColumn& cat_codes = encoded->column(0);
  EXPECT_EQ(cat_codes.name(), "cat");
  EXPECT_EQ(cat_codes.schema_index(), 1u);
  EXPECT_EQ(cat_codes.domain_size(), 3u);
  EXPECT_EQ(cat_codes.missing_code(), 3u);
  EXPECT_EQ(cat_codes.out_of_domain_code(), 4u);
  EXPECT_EQ(cat_codes.cardinality(), 5u);
  EXPECT_EQ(Codes(cat_codes), (std::vector<std::uint32_t>{1, 3, 4, 0, 2, 2, 1, 0}));

  EXPECT_EQ(encoded->column(1).schema_index(), 2u);
  EXPECT_EQ(Codes(encoded->column(1)), (std::vector<std::uint32_t>{3, 10, 11, 11, 0, 9, 5, 5}));

  EXPECT_EQ(encoded->column(2).schema_index(), 3u);
  EXPECT_EQ(Codes(encoded->column(2)), (std::vector<std::uint32_t>{1, 5, 4, 6, 0, 1, 6, 6}));

  // floor(seconds * 10 / 864001): 172805 -> 2, 864000 -> 9, 86399 -> 0.
  EXPECT_EQ(encoded->column(3).schema_index(), 4u);
  EXPECT_EQ(Codes(encoded->column(3)), (std::vector<std::uint32_t>{2, 10, 11, 9, 0, 0, 11, 0}));

  EXPECT_EQ(encoded->column(4).schema_index(), 6u);
  EXPECT_EQ(Codes(encoded->column(4)), (std::vector<std::uint32_t>{1, 2, 0, 0, 1, 1, 0, 0}));

  for (const EncodedColumn& column : encoded->columns()) EXPECT_EQ(column.code_width(), 1u);
}

TEST(ColumnCodec, BooleanAndLabels) {
  const ColumnCodec flag(Plain("flag", ColumnType::kBoolean));
  EXPECT_EQ(flag.domain_size(), 2u);
  EXPECT_EQ(flag.EncodeInt(0), 0u);
  EXPECT_EQ(flag.EncodeInt(1), 1u);
  const ColumnCodec cat(Categorical("c", {"x", "y"}));
  EXPECT_EQ(cat.EncodeLabel("x"), 0u);
  EXPECT_EQ(cat.EncodeLabel("y"), 1u);
  EXPECT_EQ(cat.EncodeLabel("X"), 3u);
  EXPECT_EQ(cat.EncodeLabel(""), 3u);
}

// --- Code width ---------------------------------------------------------------------

std::vector<std::string> Labels(std::size_t count) {
  std::vector<std::string> labels;
  for (std::size_t label_idx = 0; label_idx < count; ++label_idx) labels.push_back("L" + std::to_string(label_idx));
  return labels;
}

TEST(EncodedColumn, SmallestCodeWidthCountsMissingAndOutOfDomain) {
  EXPECT_EQ(EncodedColumn("x", 0, 1).code_width(), 1u);
  EXPECT_EQ(EncodedColumn("x", 0, 254).code_width(), 1u);  // 256 codes
  EXPECT_EQ(EncodedColumn("x", 0, 255).code_width(), 2u);  // 257 codes
  EXPECT_EQ(EncodedColumn("x", 0, 65534).code_width(), 2u);
  EXPECT_EQ(EncodedColumn("x", 0, 65535).code_width(), 4u);
  EXPECT_EQ(EncodedColumn("x", 0, 1u << 24).code_width(), 4u);
}

TEST(Encoder, CodeWidthAtTheBoundaries) {
  const Schema schema({
      Categorical("c254", Labels(254)),
      Categorical("c255", Labels(255)),
      Numeric("n65534", ColumnType::kInteger, 0, 1e6, 65534),
      Numeric("n65535", ColumnType::kContinuous, 0, 1, 65535),
  });
  const Encoder encoder = MakeEncoder(schema);
  Table table;
  Column c254 = MakeColumn("c254", ColumnType::kCategorical);
  Column c255 = MakeColumn("c255", ColumnType::kCategorical);
  Column n65534 = MakeColumn("n65534", ColumnType::kInteger);
  Column n65535 = MakeColumn("n65535", ColumnType::kContinuous);
  c254.AppendCategory("L253");
  c255.AppendCategory("L254");
  n65534.AppendInt(1000000);
  n65535.AppendDouble(1.0);
  c254.AppendNull();
  c255.AppendNull();
  n65534.AppendNull();
  n65535.AppendNull();
  c254.AppendCategory("nope");
  c255.AppendCategory("nope");
  n65534.AppendInt(-1);
  n65535.AppendDouble(2.0);
  for (Column* column : {&c254, &c255, &n65534, &n65535}) table.AddColumn(std::move(*column));
  Context ctx(1);
  Result<EncodedTable> encoded = encoder.Encode(table, ctx);
  ASSERT_TRUE(encoded.ok()) << encoded.status().ToString();
  EXPECT_EQ(encoded->column(0).code_width(), 1u);
  EXPECT_EQ(encoded->column(1).code_width(), 2u);
  EXPECT_EQ(encoded->column(2).code_width(), 2u);
  EXPECT_EQ(encoded->column(3).code_width(), 4u);
  EXPECT_EQ(Codes(encoded->column(0)), (std::vector<std::uint32_t>{253, 254, 255}));
  EXPECT_EQ(Codes(encoded->column(1)), (std::vector<std::uint32_t>{254, 255, 256}));
  EXPECT_EQ(Codes(encoded->column(2)), (std::vector<std::uint32_t>{65533, 65534, 65535}));
  EXPECT_EQ(Codes(encoded->column(3)), (std::vector<std::uint32_t>{65534, 65535, 65536}));
}

// --- Integer bins -------------------------------------------------------------------

// Check that the bins of an integer codec partition [min, max] exactly.
void CheckIntegerPartition(ColumnType type, std::int64_t min, std::int64_t count, std::uint32_t bins) {
  const std::int64_t max = min + count - 1;
  const ColumnCodec codec(Numeric("n", type, static_cast<double>(min), static_cast<double>(max), bins));
  const auto domain = static_cast<std::uint32_t>(std::min<std::int64_t>(count, bins));
  ASSERT_EQ(codec.domain_size(), domain) << min << ".." << max << " / " << bins;
  // Bins are consecutive, non-empty, cover [min, max] and differ in size by at most 1.
  std::int64_t next = min;
  std::int64_t smallest = std::numeric_limits<std::int64_t>::max();
  std::int64_t largest = 0;
  for (std::uint32_t code = 0; code < domain; ++code) {
    const auto [low, high] = codec.IntegerBin(code);
    ASSERT_EQ(low, next) << "bin " << code << " of " << min << ".." << max << " / " << bins;
    ASSERT_GE(high, low) << "empty bin " << code << " of " << min << ".." << max << " / " << bins;
    smallest = std::min(smallest, high - low + 1);
    largest = std::max(largest, high - low + 1);
    next = high + 1;
  }
  ASSERT_EQ(next, max + 1) << min << ".." << max << " / " << bins;
  ASSERT_LE(largest - smallest, 1) << min << ".." << max << " / " << bins;
  // Every integer maps to the bin that contains it, and codes never decrease.
  std::uint32_t previous = 0;
  for (std::int64_t value = min; value <= max; ++value) {
    const std::uint32_t code = codec.EncodeInt(value);
    ASSERT_LT(code, domain) << value;
    const auto [low, high] = codec.IntegerBin(code);
    ASSERT_LE(low, value);
    ASSERT_GE(high, value);
    ASSERT_GE(code, previous);
    previous = code;
  }
  ASSERT_EQ(codec.EncodeInt(min - 1), domain + 1);
  ASSERT_EQ(codec.EncodeInt(max + 1), domain + 1);
}

TEST(ColumnCodec, IntegerBinsPartitionTheRangeExhaustively) {
  for (const std::int64_t min : {std::int64_t{-7}, std::int64_t{0}, std::int64_t{1000000007}}) {
    for (std::int64_t count = 1; count <= 48; ++count) {
      for (std::uint32_t bins = 1; bins <= 52; ++bins) {
        CheckIntegerPartition(ColumnType::kInteger, min, count, bins);
        if (HasFatalFailure()) return;
      }
    }
  }
  CheckIntegerPartition(ColumnType::kDatetime, -86400, 86400 * 2 + 1, 48);
  CheckIntegerPartition(ColumnType::kInteger, -500, 1001, 7);
  CheckIntegerPartition(ColumnType::kInteger, 3, 1000, 999);
}

TEST(ColumnCodec, IntegerBinsForHugeRanges) {
  const ColumnCodec codec(Numeric("n", ColumnType::kInteger, -9e15, 9e15, 1u << 24));
  ASSERT_EQ(codec.domain_size(), 1u << 24);
  EXPECT_EQ(codec.IntegerBin(0).first, -9000000000000000);
  EXPECT_EQ(codec.IntegerBin((1u << 24) - 1).second, 9000000000000000);
  EXPECT_EQ(codec.EncodeInt(-9000000000000000), 0u);
  EXPECT_EQ(codec.EncodeInt(9000000000000000), (1u << 24) - 1);
  // Range 18e15 + 1 over 2^24 bins: 1072883605 or 1072883606 integers per bin.
  for (const std::uint32_t code : {0u, 1u, 12345u, 1u << 23, (1u << 24) - 2, (1u << 24) - 1}) {
    const auto [low, high] = codec.IntegerBin(code);
    EXPECT_GE(high - low + 1, 1072883605) << code;
    EXPECT_LE(high - low + 1, 1072883606) << code;
    EXPECT_EQ(codec.EncodeInt(low), code);
    EXPECT_EQ(codec.EncodeInt(high), code);
    if (code + 1 < (1u << 24)) {
      EXPECT_EQ(codec.IntegerBin(code + 1).first, high + 1);
    }
  }
  RandomStream stream(1, "test", 0);
  for (int draw = 0; draw < 10000; ++draw) {
    const auto value = static_cast<std::int64_t>(stream.UniformBelow(18000000000000001ULL)) - 9000000000000000;
    const auto [low, high] = codec.IntegerBin(codec.EncodeInt(value));
    ASSERT_LE(low, value);
    ASSERT_GE(high, value);
  }
}

TEST(ColumnCodec, IntegerBoundsThatAreNotWhole) {
  // [0.5, 10.75] holds the integers 1..10.
  const ColumnCodec codec(Numeric("n", ColumnType::kInteger, 0.5, 10.75, 20));
  EXPECT_EQ(codec.domain_size(), 10u);
  EXPECT_EQ(codec.EncodeInt(0), 11u);
  EXPECT_EQ(codec.EncodeInt(1), 0u);
  EXPECT_EQ(codec.EncodeInt(10), 9u);
  EXPECT_EQ(codec.EncodeInt(11), 11u);
}

TEST(ColumnCodec, ExtremeIntegersAreOutOfDomain) {
  for (const ColumnSchema& schema : {Numeric("n", ColumnType::kInteger, -10, 10, 21),
                                     Numeric("n", ColumnType::kInteger, 5, 10, 3),
                                     Numeric("n", ColumnType::kInteger, -9e15, 9e15, 100),
                                     Numeric("n", ColumnType::kDatetime, -86400, 86400, 2)}) {
    const ColumnCodec codec(schema);
    const std::uint32_t out_of_domain = codec.domain_size() + 1;
    EXPECT_EQ(codec.EncodeInt(std::numeric_limits<std::int64_t>::max()), out_of_domain) << schema.min;
    EXPECT_EQ(codec.EncodeInt(std::numeric_limits<std::int64_t>::min()), out_of_domain) << schema.min;
    EXPECT_EQ(codec.EncodeInt(std::numeric_limits<std::int64_t>::max() - 3), out_of_domain) << schema.min;
    EXPECT_EQ(codec.EncodeInt(std::numeric_limits<std::int64_t>::min() + 3), out_of_domain) << schema.min;
  }
}

// --- Continuous ---------------------------------------------------------------------

TEST(ColumnCodec, ContinuousBinsAndBounds) {
  const ColumnCodec codec(Numeric("x", ColumnType::kContinuous, -1, 1, 4));  // edges -1, -.5, 0, .5, 1
  EXPECT_EQ(codec.EncodeDouble(-1.0), 0u);
  EXPECT_EQ(codec.EncodeDouble(-0.75), 0u);
  EXPECT_EQ(codec.EncodeDouble(-0.25), 1u);
  EXPECT_EQ(codec.EncodeDouble(0.25), 2u);
  EXPECT_EQ(codec.EncodeDouble(0.75), 3u);
  EXPECT_EQ(codec.EncodeDouble(1.0), 3u);  // the upper bound belongs to the last bin
  EXPECT_EQ(codec.EncodeDouble(1.0000001), 5u);
  EXPECT_EQ(codec.EncodeDouble(-1.0000001), 5u);
  EXPECT_EQ(codec.EncodeDouble(std::numeric_limits<double>::quiet_NaN()), 5u);
  EXPECT_EQ(codec.EncodeDouble(std::numeric_limits<double>::infinity()), 5u);
  EXPECT_EQ(codec.EncodeDouble(-std::numeric_limits<double>::infinity()), 5u);
}

TEST(ColumnCodec, ContinuousDecodeStaysWithinTheBin) {
  for (const ColumnSchema& schema : {Numeric("x", ColumnType::kContinuous, -3.7, 12.1, 7),
                                     Numeric("x", ColumnType::kContinuous, 0, 1, 1),
                                     Numeric("x", ColumnType::kContinuous, -1e6, 1e-3, 1000),
                                     Numeric("x", ColumnType::kContinuous, 1e8, 1e8 + 1, 3)}) {
    const ColumnCodec codec(schema);
    const double width = (schema.max - schema.min) / schema.bins;
    RandomStream values(4, "values", 0);
    Column out = MakeColumn("x", ColumnType::kContinuous);
    for (int draw = 0; draw < 20000; ++draw) {
      double original = schema.min + (schema.max - schema.min) * values.UniformDouble();
      if (draw == 0) original = schema.min;
      if (draw == 1) original = schema.max;
      const std::uint32_t code = codec.EncodeDouble(original);
      ASSERT_LT(code, schema.bins);
      RandomStream stream(9, "decode", static_cast<std::uint64_t>(draw));
      codec.DecodeInto(code, stream, out);
      const double decoded = out.doubles.back();
      ASSERT_TRUE(out.is_valid(out.size() - 1));
      ASSERT_GE(decoded, schema.min);
      ASSERT_LE(decoded, schema.max);
      ASSERT_LT(std::fabs(decoded - original), width) << original << " -> " << decoded << " in bin " << code;
    }
  }
}

TEST(ColumnCodec, ContinuousPointDomain) {
  const ColumnCodec codec(Numeric("x", ColumnType::kContinuous, 2.5, 2.5, 4));
  EXPECT_EQ(codec.EncodeDouble(2.5), 0u);
  EXPECT_EQ(codec.EncodeDouble(2.6), 5u);
  Column out = MakeColumn("x", ColumnType::kContinuous);
  RandomStream stream(1, "decode", 0);
  codec.DecodeInto(0, stream, out);
  EXPECT_EQ(out.doubles.back(), 2.5);
}

TEST(ColumnCodec, MissingAndOutOfDomainDecodeToMissing) {
  for (const ColumnSchema& schema : {Categorical("c", {"a"}), Numeric("n", ColumnType::kInteger, 0, 3, 4),
                                     Numeric("x", ColumnType::kContinuous, 0, 1, 2), Plain("b", ColumnType::kBoolean)}) {
    const ColumnCodec codec(schema);
    Column out = MakeColumn(schema.name, schema.type);
    RandomStream stream(1, "decode", 0);
    codec.DecodeInto(codec.domain_size(), stream, out);
    codec.DecodeInto(codec.domain_size() + 1, stream, out);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out.null_count(), 2u) << schema.name;
  }
}

// --- Round trips through Encode and Decode -------------------------------------------

struct Rows {
  std::vector<std::string> colour;  // "" means missing
  std::vector<int> flag;            // -1 means missing
  std::vector<std::int64_t> small;  // INT64_MIN means missing
  std::vector<std::int64_t> stamp;
  std::vector<double> size;         // NaN means missing
};

Rows RandomRows(std::size_t count, std::uint64_t seed) {
  static const std::vector<std::string> kColours = {"red", "green", "blue", "teal", "mauve"};  // mauve: out of domain
  Rows rows;
  const std::uint64_t purpose = PurposeId("rows");
  for (std::size_t row = 0; row < count; ++row) {
    RandomStream stream(seed, purpose, row);
    const std::uint64_t missing = stream.UniformBelow(10);
    rows.colour.push_back(missing == 0 ? "" : kColours[stream.UniformBelow(kColours.size())]);
    rows.flag.push_back(missing == 1 ? -1 : static_cast<int>(stream.UniformBelow(2)));
    rows.small.push_back(missing == 2 ? INT64_MIN : static_cast<std::int64_t>(stream.UniformBelow(10)) - 3);
    rows.stamp.push_back(missing == 3 ? INT64_MIN : 1600000000 + static_cast<std::int64_t>(stream.UniformBelow(10)));
    rows.size.push_back(missing == 4 ? std::nan("") : -5.0 + 10.0 * stream.UniformDouble());
  }
  return rows;
}

Schema RoundTripSchema() {
  return Schema({
      Plain("id", ColumnType::kId),
      Categorical("colour", {"blue", "green", "red", "teal"}),
      Plain("flag", ColumnType::kBoolean),
      Numeric("small", ColumnType::kInteger, -3, 6, 100),  // 10 integers: one per bin
      Numeric("stamp", ColumnType::kDatetime, 1600000000, 1600000009, 10),
      Numeric("size", ColumnType::kContinuous, -5, 5, 8),
      Plain("notes", ColumnType::kText),
  });
}

// A table of rows [begin, end); labels are appended in row order, so the dictionary
// order differs between batches.
Table MakeTable(const Rows& rows, std::size_t begin, std::size_t end) {
  Column id = MakeColumn("id", ColumnType::kId);
  Column colour = MakeColumn("colour", ColumnType::kCategorical);
  Column flag = MakeColumn("flag", ColumnType::kBoolean);
  Column small = MakeColumn("small", ColumnType::kInteger);
  Column stamp = MakeColumn("stamp", ColumnType::kDatetime);
  Column size = MakeColumn("size", ColumnType::kContinuous);
  Column notes = MakeColumn("notes", ColumnType::kText);
  for (std::size_t row = begin; row < end; ++row) {
    id.AppendString("id" + std::to_string(row));
    notes.AppendString("note");
    if (rows.colour[row].empty()) colour.AppendNull(); else colour.AppendCategory(rows.colour[row]);
    if (rows.flag[row] < 0) flag.AppendNull(); else flag.AppendInt(rows.flag[row]);
    if (rows.small[row] == INT64_MIN) small.AppendNull(); else small.AppendInt(rows.small[row]);
    if (rows.stamp[row] == INT64_MIN) stamp.AppendNull(); else stamp.AppendInt(rows.stamp[row]);
    if (std::isnan(rows.size[row])) size.AppendNull(); else size.AppendDouble(rows.size[row]);
  }
  Table table;
  for (Column* column : {&id, &colour, &flag, &small, &stamp, &size, &notes}) table.AddColumn(std::move(*column));
  return table;
}

TEST(Decode, LosslessForCategoricalBooleanAndNarrowIntegers) {
  const Rows rows = RandomRows(2000, 17);
  const Table table = MakeTable(rows, 0, rows.colour.size());
  const Schema schema = RoundTripSchema();
  const Encoder encoder = MakeEncoder(schema);
  Context ctx(2);
  Result<EncodedTable> encoded = encoder.Encode(table, ctx);
  ASSERT_TRUE(encoded.ok()) << encoded.status().ToString();
  Result<Table> decoded = Decode(*encoded, schema, 5, ctx);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_EQ(decoded->num_rows(), table.num_rows());
  ASSERT_EQ(decoded->num_columns(), 7u);
  const Column& id = decoded->column(0);
  const Column& colour = decoded->column(1);
  const Column& flag = decoded->column(2);
  const Column& small = decoded->column(3);
  const Column& stamp = decoded->column(4);
  const Column& size = decoded->column(5);
  const Column& notes = decoded->column(6);
  EXPECT_EQ(colour.dictionary, schema.column(1).categories);
  const double width = 10.0 / 8.0;
  for (std::size_t row = 0; row < table.num_rows(); ++row) {
    SCOPED_TRACE(row);
    EXPECT_EQ(id.strings.at(row), std::to_string(row + 1));  // ids are renumbered 1..n
    EXPECT_FALSE(notes.is_valid(row));                       // text is not modelled
    const std::string& label = rows.colour[row];
    if (label.empty() || label == "mauve") {
      EXPECT_FALSE(colour.is_valid(row));
    } else {
      ASSERT_TRUE(colour.is_valid(row));
      EXPECT_EQ(colour.dictionary[colour.codes[row]], label);
    }
    EXPECT_EQ(flag.is_valid(row), rows.flag[row] >= 0);
    if (rows.flag[row] >= 0) {
      EXPECT_EQ(flag.ints[row], rows.flag[row]);
    }
    EXPECT_EQ(small.is_valid(row), rows.small[row] != INT64_MIN);
    if (rows.small[row] != INT64_MIN) {
      EXPECT_EQ(small.ints[row], rows.small[row]);
    }
    EXPECT_EQ(stamp.is_valid(row), rows.stamp[row] != INT64_MIN);
    if (rows.stamp[row] != INT64_MIN) {
      EXPECT_EQ(stamp.ints[row], rows.stamp[row]);
    }
    EXPECT_EQ(size.is_valid(row), !std::isnan(rows.size[row]));
    if (!std::isnan(rows.size[row])) {
      EXPECT_LT(std::fabs(size.doubles[row] - rows.size[row]), width);
    }
  }
}

TEST(Decode, SameSeedSameValuesOtherSeedOtherValues) {
  const Rows rows = RandomRows(300, 3);
  const Table table = MakeTable(rows, 0, rows.colour.size());
  const Schema schema = RoundTripSchema();
  Context ctx(1);
  Result<EncodedTable> encoded = MakeEncoder(schema).Encode(table, ctx);
  ASSERT_TRUE(encoded.ok());
  Result<Table> first = Decode(*encoded, schema, 11, ctx);
  Result<Table> again = Decode(*encoded, schema, 11, ctx);
  Result<Table> other = Decode(*encoded, schema, 12, ctx);
  ASSERT_TRUE(first.ok() && again.ok() && other.ok());
  EXPECT_EQ(first->column(5).doubles, again->column(5).doubles);
  EXPECT_NE(first->column(5).doubles, other->column(5).doubles);
}

TEST(Decode, WrongColumnCountIsInvalidArgument) {
  const Schema schema = RoundTripSchema();
  EncodedTable empty;
  Context ctx(1);
  Result<Table> decoded = Decode(empty, schema, 1, ctx);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(decoded.status().message().find("encoded table has 0 columns but the schema models 5"), std::string::npos)
      << decoded.status().message();
}

void ExpectSameCodes(const EncodedTable& actual, const EncodedTable& expected) {
  ASSERT_EQ(actual.num_rows(), expected.num_rows());
  ASSERT_EQ(actual.num_columns(), expected.num_columns());
  for (std::size_t col_idx = 0; col_idx < expected.num_columns(); ++col_idx) {
    // Same stored type and the same codes (variant equality compares both).
    EXPECT_TRUE(actual.column(col_idx).codes() == expected.column(col_idx).codes()) << expected.column(col_idx).name();
  }
}

TEST(Encoder, AppendInBatchesEqualsOneEncode) {
  const Rows rows = RandomRows(1000, 23);
  const Schema schema = RoundTripSchema();
  const Encoder encoder = MakeEncoder(schema);
  Context ctx(2);
  Result<EncodedTable> whole = encoder.Encode(MakeTable(rows, 0, 1000), ctx);
  ASSERT_TRUE(whole.ok());
  EncodedTable batched = encoder.MakeEmpty();
  for (const auto& [begin, end] : std::vector<std::pair<std::size_t, std::size_t>>{{0, 1}, {1, 1}, {1, 400}, {400, 1000}}) {
    const Status status = encoder.Append(MakeTable(rows, begin, end), ctx, batched);
    ASSERT_TRUE(status.ok()) << status.ToString();
    EXPECT_EQ(batched.num_rows(), end);
  }
  ExpectSameCodes(batched, *whole);
}

TEST(Encoder, ThreadCountIndependent) {
  // More rows than two encoding blocks (65536 rows each), so three tasks per column.
  const Rows rows = RandomRows(140000, 29);
  const Table table = MakeTable(rows, 0, rows.colour.size());
  const Encoder encoder = MakeEncoder(RoundTripSchema());
  Context one(1);
  Result<EncodedTable> reference = encoder.Encode(table, one);
  ASSERT_TRUE(reference.ok());
  for (const std::size_t threads : {std::size_t{2}, std::size_t{7}, std::size_t{0}}) {
    Context ctx(threads);
    Result<EncodedTable> encoded = encoder.Encode(table, ctx);
    ASSERT_TRUE(encoded.ok());
    ExpectSameCodes(*encoded, *reference);
  }
}

TEST(Encoder, EmptyTable) {
  const Rows rows = RandomRows(0, 1);
  const Encoder encoder = MakeEncoder(RoundTripSchema());
  Context ctx(2);
  Result<EncodedTable> encoded = encoder.Encode(MakeTable(rows, 0, 0), ctx);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(encoded->num_rows(), 0u);
  EXPECT_EQ(encoded->num_columns(), 5u);
  Result<Table> decoded = Decode(*encoded, RoundTripSchema(), 1, ctx);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->num_rows(), 0u);
  EXPECT_EQ(decoded->num_columns(), 7u);
}

// --- Errors -------------------------------------------------------------------------

TEST(Encoder, MissingColumnIsInvalidData) {
  const Encoder encoder = MakeEncoder(Schema({Categorical("colour", {"a"}), Plain("flag", ColumnType::kBoolean)}));
  Table table;
  Column colour = MakeColumn("colour", ColumnType::kCategorical);
  colour.AppendCategory("a");
  table.AddColumn(std::move(colour));
  Context ctx(1);
  Result<EncodedTable> encoded = encoder.Encode(table, ctx);
  ASSERT_FALSE(encoded.ok());
  EXPECT_EQ(encoded.status().code(), ErrorCode::kInvalidData);
  EXPECT_NE(encoded.status().message().find("the data has no column 'flag'"), std::string::npos);
  EXPECT_EQ(encoded.status().location().field, "flag");
}

TEST(Encoder, TypeMismatchIsInvalidData) {
  const Encoder encoder = MakeEncoder(Schema({Categorical("age", {"a"})}));
  Table table;
  Column age = MakeColumn("age", ColumnType::kInteger);
  age.AppendInt(4);
  table.AddColumn(std::move(age));
  Context ctx(1);
  Result<EncodedTable> encoded = encoder.Encode(table, ctx);
  ASSERT_FALSE(encoded.ok());
  EXPECT_EQ(encoded.status().code(), ErrorCode::kInvalidData);
  EXPECT_NE(encoded.status().message().find("column 'age' is integer in the data but categorical in the schema"),
            std::string::npos)
      << encoded.status().message();
  EXPECT_EQ(encoded.status().location().field, "age");
}

TEST(Encoder, CreateRejectsInvalidSchema) {
  Result<Encoder> encoder = Encoder::Create(Schema({Categorical("c", {})}));
  ASSERT_FALSE(encoder.ok());
  EXPECT_EQ(encoder.status().code(), ErrorCode::kInvalidData);
  EXPECT_NE(encoder.status().message().find("at least one category"), std::string::npos);
}

TEST(Encoder, AppendToMismatchedTableIsInternalError) {
  const Encoder encoder = MakeEncoder(Schema({Categorical("c", {"a"})}));
  EncodedTable wrong;
  Table table;
  Column column = MakeColumn("c", ColumnType::kCategorical);
  column.AppendCategory("a");
  table.AddColumn(std::move(column));
  Context ctx(1);
  const Status status = encoder.Append(table, ctx, wrong);
  EXPECT_EQ(status.code(), ErrorCode::kInternal);
}

TEST(MakeEmptyTable, HasEverySchemaColumn) {
  const Schema schema = RoundTripSchema();
  const Table table = MakeEmptyTable(schema);
  ASSERT_EQ(table.num_columns(), schema.size());
  EXPECT_EQ(table.num_rows(), 0u);
  for (std::size_t col_idx = 0; col_idx < schema.size(); ++col_idx) {
    EXPECT_EQ(table.column(col_idx).name, schema.column(col_idx).name);
    EXPECT_EQ(table.column(col_idx).type, schema.column(col_idx).type);
    EXPECT_EQ(table.column(col_idx).dictionary, schema.column(col_idx).categories);
  }
}

}  // namespace
}  // namespace synthscale
