#include "synthscale/synth/model.h"

#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "synthscale/core/context.h"
#include "synthscale/core/crypto.h"
#include "synthscale/core/random_stream.h"
#include "synthscale/synth/synthesizer.h"
#include "synthscale/table/schema_from_table.h"

namespace synthscale {
namespace {

ColumnSchema SchemaColumn(const std::string& name, ColumnType type) {
  ColumnSchema column;
  column.name = name;
  column.type = type;
  return column;
}

ColumnSchema NumericColumn(const std::string& name, ColumnType type, double min, double max, std::uint32_t bins) {
  ColumnSchema column = SchemaColumn(name, type);
  column.min = min;
  column.max = max;
  column.bins = bins;
  return column;
}

// One column of every type; binned integer, datetime and continuous columns make the
// decoded values depend on within-bin draws.
Schema MixedSchema() {
  ColumnSchema colour = SchemaColumn("colour", ColumnType::kCategorical);
  colour.categories = {"blue", "green", "red"};
  ColumnSchema stamp = NumericColumn("stamp", ColumnType::kDatetime, 1577836800, 1609459199, 12);  // 2020
  stamp.datetime_format = DatetimeFormat::kDatetime;
  return Schema({SchemaColumn("id", ColumnType::kId), colour, NumericColumn("age", ColumnType::kInteger, 0, 99, 10),
                 NumericColumn("size", ColumnType::kContinuous, -2.5, 7.5, 8), stamp,
                 SchemaColumn("flag", ColumnType::kBoolean), SchemaColumn("notes", ColumnType::kText)});
}

Column DataColumn(const std::string& name, ColumnType type) {
  Column column;
  column.name = name;
  column.type = type;
  return column;
}

Table MixedTable(std::size_t rows) {
  Column id = DataColumn("id", ColumnType::kId);
  Column colour = DataColumn("colour", ColumnType::kCategorical);
  Column age = DataColumn("age", ColumnType::kInteger);
  Column size = DataColumn("size", ColumnType::kContinuous);
  Column stamp = DataColumn("stamp", ColumnType::kDatetime);
  Column flag = DataColumn("flag", ColumnType::kBoolean);
  Column notes = DataColumn("notes", ColumnType::kText);
  static const char* const kColours[] = {"red", "green", "blue", "red"};
  const std::uint64_t purpose = PurposeId("data");
  for (std::size_t row = 0; row < rows; ++row) {
    RandomStream stream(77, purpose, row);
    id.AppendString("p" + std::to_string(row));
    notes.AppendString("free text");
    if (stream.UniformBelow(8) == 0) colour.AppendNull(); else colour.AppendCategory(kColours[stream.UniformBelow(4)]);
    age.AppendInt(static_cast<std::int64_t>(stream.UniformBelow(100)));
    size.AppendDouble(-2.5 + 10.0 * stream.UniformDouble());
    stamp.AppendInt(1577836800 + static_cast<std::int64_t>(stream.UniformBelow(31622400)));
    if (stream.UniformBelow(5) == 0) flag.AppendNull(); else flag.AppendInt(static_cast<std::int64_t>(stream.UniformBelow(2)));
  }
  Table table;
  for (Column* column : {&id, &colour, &age, &size, &stamp, &flag, &notes}) table.AddColumn(std::move(*column));
  return table;
}

Model FitMixed() {
  Context ctx(2);
  Result<Model> model = FitModel(MixedTable(500), MixedSchema(), "independent", ctx);
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  return std::move(model).value();
}

// Cell-by-cell equality, doubles compared bit for bit.
void ExpectSameTable(const Table& actual, const Table& expected, std::size_t expected_offset = 0) {
  ASSERT_EQ(actual.num_columns(), expected.num_columns());
  for (std::size_t col_idx = 0; col_idx < expected.num_columns(); ++col_idx) {
    const Column& got = actual.column(col_idx);
    const Column& want = expected.column(col_idx);
    ASSERT_EQ(got.size(), actual.num_rows()) << want.name;
    for (std::size_t row = 0; row < actual.num_rows(); ++row) {
      const std::size_t other = row + expected_offset;
      ASSERT_EQ(got.is_valid(row), want.is_valid(other)) << want.name << " row " << row;
      if (!got.is_valid(row)) continue;
      switch (want.type) {
        case ColumnType::kCategorical:
          ASSERT_EQ(got.dictionary[got.codes[row]], want.dictionary[want.codes[other]]) << want.name << " row " << row;
          break;
        case ColumnType::kInteger:
        case ColumnType::kDatetime:
        case ColumnType::kBoolean:
          ASSERT_EQ(got.ints[row], want.ints[other]) << want.name << " row " << row;
          break;
        case ColumnType::kContinuous: {
          std::uint64_t got_bits;
          std::uint64_t want_bits;
          std::memcpy(&got_bits, &got.doubles[row], sizeof got_bits);
          std::memcpy(&want_bits, &want.doubles[other], sizeof want_bits);
          ASSERT_EQ(got_bits, want_bits) << want.name << " row " << row;
          break;
        }
        case ColumnType::kId:
        case ColumnType::kText:
          ASSERT_EQ(got.strings.at(row), want.strings.at(other)) << want.name << " row " << row;
          break;
      }
    }
  }
}

Table SampleOrDie(const Model& model, std::uint64_t begin, std::uint64_t end, std::uint64_t seed, std::size_t threads) {
  Context ctx(threads);
  Result<Table> sample = model.Sample(begin, end, seed, ctx);
  EXPECT_TRUE(sample.ok()) << sample.status().ToString();
  return sample.ok() ? std::move(sample).value() : Table();
}

// --- Sampling -----------------------------------------------------------------------

TEST(Model, SampleHasEveryColumnAndStaysInDomain) {
  const Model model = FitMixed();
  EXPECT_EQ(model.info().rows, 500u);
  const Table sample = SampleOrDie(model, 0, 2000, 1, 2);
  ASSERT_EQ(sample.num_rows(), 2000u);
  ASSERT_EQ(sample.num_columns(), 7u);
  for (std::size_t row = 0; row < sample.num_rows(); ++row) {
    EXPECT_EQ(sample.column(0).strings.at(row), std::to_string(row + 1));
    EXPECT_FALSE(sample.column(6).is_valid(row));
    if (sample.column(2).is_valid(row)) {
      EXPECT_GE(sample.column(2).ints[row], 0);
      EXPECT_LE(sample.column(2).ints[row], 99);
    }
    if (sample.column(3).is_valid(row)) {
      EXPECT_GE(sample.column(3).doubles[row], -2.5);
      EXPECT_LE(sample.column(3).doubles[row], 7.5);
    }
    if (sample.column(4).is_valid(row)) {
      EXPECT_GE(sample.column(4).ints[row], 1577836800);
      EXPECT_LE(sample.column(4).ints[row], 1609459199);
    }
  }
}

TEST(Model, SampleRangeEqualsRowsOfALargerSample) {
  // Row r depends only on (seed, r): a sub-range crossing sampling-task boundaries
  // (4096 rows) equals the matching rows of the whole sample, except for ids, which
  // number the rows of the range.
  const Model model = FitMixed();
  const Table whole = SampleOrDie(model, 0, 10000, 5, 2);
  const Table part = SampleOrDie(model, 4000, 9000, 5, 2);
  ASSERT_EQ(part.num_rows(), 5000u);
  ExpectSameTable(part, whole, 4000);
  const Table single = SampleOrDie(model, 8191, 8192, 5, 1);
  ExpectSameTable(single, whole, 8191);
}

TEST(Model, SampleIdenticalWithOneTwoSevenAndAllThreads) {
  const Model model = FitMixed();
  const Table reference = SampleOrDie(model, 100, 9100, 9, 1);
  for (const std::size_t threads : {std::size_t{2}, std::size_t{7}, std::size_t{0}}) {
    SCOPED_TRACE(threads);
    ExpectSameTable(SampleOrDie(model, 100, 9100, 9, threads), reference);
  }
}

TEST(Model, DifferentSeedsGiveDifferentSamples) {
  const Model model = FitMixed();
  const Table first = SampleOrDie(model, 0, 200, 1, 1);
  const Table second = SampleOrDie(model, 0, 200, 2, 1);
  EXPECT_NE(first.column(3).doubles, second.column(3).doubles);
}

TEST(Model, EmptyAndInvalidRanges) {
  const Model model = FitMixed();
  EXPECT_EQ(SampleOrDie(model, 5, 5, 1, 2).num_rows(), 0u);
  Context ctx(1);
  Result<Table> backwards = model.Sample(6, 5, 1, ctx);
  ASSERT_FALSE(backwards.ok());
  EXPECT_EQ(backwards.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(backwards.status().message().find("end is before its begin"), std::string::npos);
}

TEST(Model, SampleBeforeFitIsNotFitted) {
  Result<std::unique_ptr<Synthesizer>> synthesizer = MakeSynthesizer("independent");
  ASSERT_TRUE(synthesizer.ok());
  const Model model(MixedSchema(), std::move(synthesizer).value(), FitInfo{});
  Context ctx(1);
  Result<Table> sample = model.Sample(0, 10, 1, ctx);
  ASSERT_FALSE(sample.ok());
  EXPECT_EQ(sample.status().code(), ErrorCode::kNotFitted);
  EXPECT_NE(sample.status().message().find("not fitted"), std::string::npos);
}

TEST(Model, SchemaWithoutModelledColumnsStillSamples) {
  // Only an id and a text column: nothing to learn, but fitting succeeded, so sampling
  // must not claim the model is unfitted.
  const Schema schema({SchemaColumn("id", ColumnType::kId), SchemaColumn("notes", ColumnType::kText)});
  Table table;
  Column id = DataColumn("id", ColumnType::kId);
  Column notes = DataColumn("notes", ColumnType::kText);
  for (int row = 0; row < 3; ++row) {
    id.AppendString("x");
    notes.AppendString("y");
  }
  table.AddColumn(std::move(id));
  table.AddColumn(std::move(notes));
  Context ctx(1);
  Result<Model> model = FitModel(table, schema, "independent", ctx);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Result<Table> sample = model->Sample(0, 4, 1, ctx);
  ASSERT_TRUE(sample.ok()) << sample.status().ToString();
  EXPECT_EQ(sample->num_rows(), 4u);
  EXPECT_EQ(sample->column(0).strings.at(3), "4");
}

// --- Rounded sampling ----------------------------------------------------------------

Table SampleRoundedOrDie(const Model& model, std::uint64_t begin, std::uint64_t end, std::uint64_t rows,
                         std::uint64_t seed, std::size_t threads) {
  Context ctx(threads);
  Result<Table> sample = model.Sample(begin, end, rows, seed, SamplingMethod::kRounded, ctx);
  EXPECT_TRUE(sample.ok()) << sample.status().ToString();
  return std::move(sample).value();
}

// Independent + rounded at the training size: every code's count is n * count / n = count,
// an integer, so each column of the sample has exactly the training table's counts.
TEST(Model, RoundedIndependentSampleHasTheTrainingCounts) {
  const Model model = FitMixed();
  const Table training = MixedTable(500);
  const Table sample = SampleRoundedOrDie(model, 0, 500, 500, 3, 2);
  ASSERT_EQ(sample.num_rows(), 500u);
  const auto colour_counts = [](const Table& table) {
    std::map<std::string, int> counts;
    const Column& column = table.column(1);
    for (std::size_t row = 0; row < table.num_rows(); ++row) {
      ++counts[column.is_valid(row) ? column.dictionary[column.codes[row]] : std::string("<missing>")];
    }
    return counts;
  };
  EXPECT_EQ(colour_counts(sample), colour_counts(training));
  // Age in bins of 10 (0-9, ..., 90-99): the bin counts match too.
  const auto age_bins = [](const Table& table) {
    std::vector<int> bins(11, 0);
    for (std::size_t row = 0; row < table.num_rows(); ++row) {
      ++bins[table.column(2).is_valid(row) ? static_cast<std::size_t>(table.column(2).ints[row] / 10) : 10];
    }
    return bins;
  };
  EXPECT_EQ(age_bins(sample), age_bins(training));
}

TEST(Model, RoundedRangesJoinToTheWholeSampleForAnyThreads) {
  const Model model = FitMixed();
  const Table whole = SampleRoundedOrDie(model, 0, 10000, 10000, 5, 1);
  ExpectSameTable(SampleRoundedOrDie(model, 4000, 9000, 10000, 5, 2), whole, 4000);
  ExpectSameTable(SampleRoundedOrDie(model, 0, 10000, 10000, 5, 7), whole);
  ExpectSameTable(SampleRoundedOrDie(model, 8191, 8192, 10000, 5, 1), whole, 8191);
  EXPECT_NE(SampleRoundedOrDie(model, 0, 200, 10000, 6, 1).column(3).doubles,
            SampleRoundedOrDie(model, 0, 200, 10000, 5, 1).column(3).doubles);
}

TEST(Model, IidMethodIsTheRowStreamSampler) {
  const Model model = FitMixed();
  Context ctx(2);
  Result<Table> iid = model.Sample(100, 300, 1000, 8, SamplingMethod::kIid, ctx);
  ASSERT_TRUE(iid.ok()) << iid.status().ToString();
  ExpectSameTable(*iid, SampleOrDie(model, 100, 300, 8, 2));
}

TEST(Model, RoundedErrorsNameTheProblem) {
  const Model model = FitMixed();
  Context ctx(1);
  Result<Table> outside = model.Sample(0, 11, 10, 1, SamplingMethod::kRounded, ctx);
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(outside.status().message().find("not within the sample's 10 rows"), std::string::npos);
  Result<SampledCodes> codes = model.SampleRoundedCodes(10, 1, ctx);
  ASSERT_TRUE(codes.ok());
  Result<Table> decoded = model.DecodeRows(*codes, 5, 12, ctx);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.status().message().find("not within the sample's 10 rows"), std::string::npos);
  codes->codes.pop_back();
  Result<Table> misshapen = model.DecodeRows(*codes, 0, 10, ctx);
  ASSERT_FALSE(misshapen.ok());
  EXPECT_NE(misshapen.status().message().find("do not have this model's columns"), std::string::npos);
  Result<SampledCodes> too_many = model.SampleRoundedCodes(std::uint64_t{1} << 33, 1, ctx);
  ASSERT_FALSE(too_many.ok());
  EXPECT_NE(too_many.status().message().find("use iid sampling"), std::string::npos);
}

TEST(SamplingMethod, NamesParseAndBadNamesAreErrors) {
  EXPECT_EQ(ParseSamplingMethod("rounded").value(), SamplingMethod::kRounded);
  EXPECT_EQ(ParseSamplingMethod("iid").value(), SamplingMethod::kIid);
  EXPECT_EQ(SamplingMethodName(SamplingMethod::kRounded), "rounded");
  EXPECT_EQ(SamplingMethodName(SamplingMethod::kIid), "iid");
  EXPECT_EQ(kDefaultSamplingMethod, SamplingMethod::kRounded);
  Result<SamplingMethod> bad = ParseSamplingMethod("Rounded");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("must be 'rounded'"), std::string::npos);
  EXPECT_NE(bad.status().message().find("got 'Rounded'"), std::string::npos);
}

// --- Fitting errors -----------------------------------------------------------------

TEST(FitModel, UnknownMethodListsAvailableMethods) {
  Context ctx(1);
  Result<Model> model = FitModel(MixedTable(10), MixedSchema(), "magic", ctx);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(model.status().message().find("unknown method 'magic'"), std::string::npos) << model.status().message();
  EXPECT_NE(model.status().message().find("available: aim, independent, mst"), std::string::npos)
      << model.status().message();
}

TEST(FitModel, MissingColumnIsInvalidData) {
  Schema schema = MixedSchema();
  ColumnSchema extra = SchemaColumn("extra", ColumnType::kBoolean);
  schema.mutable_columns().push_back(extra);
  Context ctx(1);
  Result<Model> model = FitModel(MixedTable(10), schema, "independent", ctx);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), ErrorCode::kInvalidData);
  EXPECT_NE(model.status().message().find("no column 'extra'"), std::string::npos);
}

TEST(FitModel, EmptyTableIsInvalidData) {
  Context ctx(1);
  Result<Model> model = FitModel(MixedTable(0), MixedSchema(), "independent", ctx);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), ErrorCode::kInvalidData);
  EXPECT_NE(model.status().message().find("no rows"), std::string::npos);
}

TEST(FitModel, InvalidSchemaIsInvalidData) {
  Schema schema = MixedSchema();
  schema.mutable_columns()[2].min = 100;  // above max
  Context ctx(1);
  Result<Model> model = FitModel(MixedTable(10), schema, "independent", ctx);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), ErrorCode::kInvalidData);
  EXPECT_NE(model.status().message().find("greater than max"), std::string::npos);
}

TEST(FitEncoded, InvalidSchemaIsAnErrorNotACrash) {
  Schema schema = MixedSchema();
  Result<Encoder> encoder = Encoder::Create(schema);
  ASSERT_TRUE(encoder.ok());
  Context ctx(1);
  Result<EncodedTable> encoded = encoder->Encode(MixedTable(20), ctx);
  ASSERT_TRUE(encoded.ok());
  schema.mutable_columns()[1].categories.clear();  // now invalid
  Result<Model> model = FitEncoded(*encoded, schema, "independent", FitInfo{}, ctx);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), ErrorCode::kInvalidData);
  EXPECT_NE(model.status().message().find("at least one category"), std::string::npos);
}

TEST(FitEncoded, DataEncodedWithAnotherSchemaIsRejected) {
  // Fitting codes of one schema into a model of another would make SampleRow write
  // codes for columns the model does not have.
  const Schema schema = MixedSchema();
  Result<Encoder> encoder = Encoder::Create(schema);
  ASSERT_TRUE(encoder.ok());
  Context ctx(1);
  Result<EncodedTable> encoded = encoder->Encode(MixedTable(20), ctx);
  ASSERT_TRUE(encoded.ok());
  Schema fewer({schema.column(1)});
  Result<Model> model = FitEncoded(*encoded, fewer, "independent", FitInfo{}, ctx);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(model.status().message().find("not encoded with this schema"), std::string::npos);
  Schema wider = schema;
  wider.mutable_columns()[2].bins = 11;  // same columns, another domain size
  EXPECT_EQ(FitEncoded(*encoded, wider, "independent", FitInfo{}, ctx).status().code(), ErrorCode::kInvalidArgument);
  FitInfo info;
  info.source_sha256 = "abc";
  Result<Model> good = FitEncoded(*encoded, schema, "independent", info, ctx);
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  EXPECT_EQ(good->info().rows, 20u);
  EXPECT_EQ(good->info().source_sha256, "abc");
  Result<Model> loaded = Model::Deserialize(good->Serialize(), "m.ssm");
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->info().source_sha256, "abc");
  EXPECT_EQ(loaded->info().rows, 20u);
}

// --- Model file ---------------------------------------------------------------------

TEST(ModelFile, SerializeDeserializeGivesIdenticalSamples) {
  const Model model = FitMixed();
  const std::string bytes = model.Serialize();
  ASSERT_EQ(bytes.substr(0, 8), std::string("SSMODEL\n"));
  Result<Model> loaded = Model::Deserialize(bytes, "model.ssm");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->info().rows, 500u);
  EXPECT_EQ(loaded->synthesizer().method(), "independent");
  EXPECT_EQ(loaded->schema().ToJson(), model.schema().ToJson());
  ExpectSameTable(SampleOrDie(*loaded, 0, 3000, 21, 2), SampleOrDie(model, 0, 3000, 21, 2));
  EXPECT_EQ(loaded->Serialize(), bytes);  // stable bytes
}

TEST(ModelFile, RoundTripWithInferredSchema) {
  // A schema read from data: datetime bounds that are not at midnight, integer bounds
  // that are the observed extremes.
  const Table table = MixedTable(300);
  const Schema schema = SchemaFromTable(table);
  Context ctx(1);
  Result<Model> model = FitModel(table, schema, "independent", ctx);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Result<Model> loaded = Model::Deserialize(model->Serialize(), "inferred.ssm");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ExpectSameTable(SampleOrDie(*loaded, 0, 500, 4, 1), SampleOrDie(*model, 0, 500, 4, 1));
}

TEST(ModelFile, RoundTripWithDateFormatBoundsThatHaveTimes) {
  // A user schema may give "date" output format with bounds at a time of day; the model
  // file must not move them (that changes the domain and breaks loading).
  ColumnSchema seen = NumericColumn("seen", ColumnType::kDatetime, 1577872800, 1577872830, 31);
  seen.datetime_format = DatetimeFormat::kDate;
  const Schema schema({seen});
  Table table;
  Column column = DataColumn("seen", ColumnType::kDatetime);
  for (std::int64_t second = 0; second <= 30; ++second) column.AppendInt(1577872800 + second);
  table.AddColumn(std::move(column));
  Context ctx(1);
  Result<Model> model = FitModel(table, schema, "independent", ctx);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Result<Model> loaded = Model::Deserialize(model->Serialize(), "seen.ssm");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ExpectSameTable(SampleOrDie(*loaded, 0, 200, 4, 1), SampleOrDie(*model, 0, 200, 4, 1));
}

void ExpectCorrupt(const std::string& bytes, const std::string& substring) {
  Result<Model> loaded = Model::Deserialize(bytes, "bad.ssm");
  ASSERT_FALSE(loaded.ok()) << "accepted a corrupt model (" << substring << ")";
  EXPECT_EQ(loaded.status().code(), ErrorCode::kInvalidData) << loaded.status().ToString();
  EXPECT_NE(loaded.status().message().find(substring), std::string::npos) << loaded.status().message();
  EXPECT_EQ(loaded.status().location().file, "bad.ssm");
}

void PutLittleEndian(std::string& out, std::uint64_t value, int bytes) {
  for (int byte_idx = 0; byte_idx < bytes; ++byte_idx) out.push_back(static_cast<char>((value >> (8 * byte_idx)) & 0xFF));
}

// The model file layout from docs/formats.md (version 2): magic, uint32 version, uint64
// JSON length, uint64 binary length (all little-endian), SHA-256 of JSON + binary, JSON,
// binary.
std::string Wrap(const std::string& payload, const std::string& binary = "") {
  std::string out = "SSMODEL\n";
  PutLittleEndian(out, 2, 4);
  PutLittleEndian(out, payload.size(), 8);
  PutLittleEndian(out, binary.size(), 8);
  const Sha256Digest digest = Sha256(payload + binary);
  out.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  return out + payload + binary;
}

// Version 1: no binary length and no binary part.
std::string WrapVersion1(const std::string& payload) {
  std::string out = "SSMODEL\n";
  PutLittleEndian(out, 1, 4);
  PutLittleEndian(out, payload.size(), 8);
  const Sha256Digest digest = Sha256(payload);
  out.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  return out + payload;
}

constexpr std::size_t kHeaderBytes = 60;

TEST(ModelFile, OwnLayoutMatchesTheDocumentedFormat) {
  const std::string bytes = FitMixed().Serialize();
  ASSERT_GT(bytes.size(), kHeaderBytes);
  EXPECT_EQ(Wrap(bytes.substr(kHeaderBytes)), bytes);
}

TEST(ModelFile, ReadsVersion1Files) {
  const Model model = FitMixed();
  const std::string bytes = model.Serialize();
  Result<Model> loaded = Model::Deserialize(WrapVersion1(bytes.substr(kHeaderBytes)), "old.ssm");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->Serialize(), bytes);
}

TEST(ModelFile, CorruptFilesAreInvalidData) {
  const std::string good = FitMixed().Serialize();
  ExpectCorrupt("", "not a synthscale model file");
  ExpectCorrupt("SSMODEL", "not a synthscale model file");
  ExpectCorrupt("PK\x03\x04 this is a zip file, not a model", "not a synthscale model file");
  ExpectCorrupt("ssmodel\n" + good.substr(8), "not a synthscale model file");
  ExpectCorrupt(good.substr(0, 8), "truncated");
  ExpectCorrupt(good.substr(0, 30), "truncated");
  ExpectCorrupt(good.substr(0, 52), "truncated");
  ExpectCorrupt(good.substr(0, kHeaderBytes), "truncated");
  ExpectCorrupt(good.substr(0, good.size() - 1), "truncated");
  ExpectCorrupt(good + "x", "trailing bytes");
  std::string flipped_payload = good;
  flipped_payload[good.size() / 2 + 26] ^= 0x01;
  ExpectCorrupt(flipped_payload, "checksum");
  std::string flipped_digest = good;
  flipped_digest[28] = static_cast<char>(flipped_digest[28] ^ 0x40);
  ExpectCorrupt(flipped_digest, "checksum");
  std::string version_three = good;
  version_three[8] = 3;
  ExpectCorrupt(version_three, "model file format version 3 is not supported");
  std::string huge_length = good;
  huge_length[19] = '\x7f';
  ExpectCorrupt(huge_length, "truncated");
}

// The payload of a good model file as JSON, to edit and re-wrap with a valid checksum.
nlohmann::json GoodPayload() { return nlohmann::json::parse(FitMixed().Serialize().substr(kHeaderBytes)); }

TEST(ModelFile, MalformedPayloadWithValidChecksum) {
  ExpectCorrupt(Wrap("not json"), "payload is malformed");
  ExpectCorrupt(Wrap("[]"), "payload is malformed");
  ExpectCorrupt(Wrap("{}"), "payload is malformed");
  for (const char* key : {"method", "schema", "parameters", "fit"}) {
    nlohmann::json payload = GoodPayload();
    payload.erase(key);
    ExpectCorrupt(Wrap(payload.dump()), "payload is malformed");
  }
  nlohmann::json other_format = GoodPayload();
  other_format["format"] = "something-else";
  ExpectCorrupt(Wrap(other_format.dump()), "payload is malformed");
  nlohmann::json method_number = GoodPayload();
  method_number["method"] = 7;
  ExpectCorrupt(Wrap(method_number.dump()), "payload is malformed");
  nlohmann::json fit_array = GoodPayload();
  fit_array["fit"] = nlohmann::json::array();
  ExpectCorrupt(Wrap(fit_array.dump()), "payload is malformed");
}

TEST(ModelFile, WrongValueTypesInPayloadAreErrorsNotCrashes) {
  // Well-formed JSON with values of the wrong type must give an error, never throw.
  nlohmann::json format_number = GoodPayload();
  format_number["format"] = 1;
  ExpectCorrupt(Wrap(format_number.dump()), "payload is malformed");
  nlohmann::json rows_text = GoodPayload();
  rows_text["fit"]["rows"] = "many";
  ExpectCorrupt(Wrap(rows_text.dump()), "payload is malformed");
  nlohmann::json sha_number = GoodPayload();
  sha_number["fit"]["source_sha256"] = 5;
  ExpectCorrupt(Wrap(sha_number.dump()), "payload is malformed");
}

TEST(ModelFile, FitSeedRoundTripsAsText) {
  // 2^64 - 1: a JSON number would lose bits past 2^53, so the file stores text.
  const Table table = MixedTable(50);
  const Context ctx(1);
  FitSettings settings;
  settings.method = "independent";
  settings.info.seed = 18446744073709551615ULL;
  Result<Model> model = FitModel(table, MixedSchema(), settings, ctx);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const std::string bytes = model->Serialize();
  EXPECT_EQ(nlohmann::json::parse(bytes.substr(kHeaderBytes))["fit"]["seed"], "18446744073709551615");
  Result<Model> loaded = Model::Deserialize(bytes, "m.ssm");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_TRUE(loaded->info().seed.has_value());
  EXPECT_EQ(*loaded->info().seed, 18446744073709551615ULL);
  EXPECT_EQ(loaded->Serialize(), bytes);
  // Without a seed the file has no "seed" key, so it stays as before.
  EXPECT_FALSE(nlohmann::json::parse(FitMixed().Serialize().substr(kHeaderBytes))["fit"].contains("seed"));
}

TEST(ModelFile, BadFitSeedIsInvalidData) {
  nlohmann::json seed_number = GoodPayload();
  seed_number["fit"]["seed"] = 7;
  ExpectCorrupt(Wrap(seed_number.dump()), "payload is malformed");
  for (const char* bad : {"", "-1", "7x", "18446744073709551616"}) {
    nlohmann::json payload = GoodPayload();
    payload["fit"]["seed"] = bad;
    ExpectCorrupt(Wrap(payload.dump()), "fit seed is not a decimal integer");
  }
}

TEST(ModelFile, BadParametersAndSchemaInPayload) {
  nlohmann::json parameters = GoodPayload();
  parameters["parameters"]["counts"][0] = nlohmann::json::array({1, 2});
  ExpectCorrupt(Wrap(parameters.dump()), "model parameters are corrupt");

  nlohmann::json schema = GoodPayload();
  schema["schema"]["columns"][1]["type"] = "colour";
  Result<Model> bad_schema = Model::Deserialize(Wrap(schema.dump()), "bad.ssm");
  ASSERT_FALSE(bad_schema.ok());
  EXPECT_EQ(bad_schema.status().code(), ErrorCode::kInvalidData);
  EXPECT_NE(bad_schema.status().message().find("unknown column type 'colour'"), std::string::npos);
  EXPECT_NE(bad_schema.status().location().file.find("bad.ssm"), std::string::npos);

  nlohmann::json method = GoodPayload();
  method["method"] = "privbayes";
  Result<Model> unknown = Model::Deserialize(Wrap(method.dump()), "bad.ssm");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("unknown method 'privbayes'"), std::string::npos)
      << unknown.status().message();
  // A private method's file must carry its ledger.
  nlohmann::json no_ledger = GoodPayload();
  no_ledger["method"] = "mst";
  no_ledger["options"] = {{"rho", 1.0}};
  Result<Model> unledgered = Model::Deserialize(Wrap(no_ledger.dump()), "bad.ssm");
  ASSERT_FALSE(unledgered.ok());
  EXPECT_NE(unledgered.status().message().find("no privacy ledger"), std::string::npos)
      << unledgered.status().message();
}

class ModelFileOnDisk : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "synthscale_model_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::string dir_;
};

TEST_F(ModelFileOnDisk, SaveThenLoad) {
  const Model model = FitMixed();
  const std::string path = dir_ + "/model.ssm";
  ASSERT_TRUE(model.Save(path, false).ok());
  Result<Model> loaded = Model::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ExpectSameTable(SampleOrDie(*loaded, 0, 1000, 8, 2), SampleOrDie(model, 0, 1000, 8, 2));
  // No temporary files are left next to the model.
  std::size_t entries = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    (void)entry;
    ++entries;
  }
  EXPECT_EQ(entries, 1u);
}

TEST_F(ModelFileOnDisk, SaveKeepsExistingFileUnlessForced) {
  const Model model = FitMixed();
  const std::string path = dir_ + "/model.ssm";
  std::ofstream(path) << "precious";
  const Status refused = model.Save(path, false);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.code(), ErrorCode::kAlreadyExists);
  std::ifstream in(path);
  std::string content;
  std::getline(in, content);
  EXPECT_EQ(content, "precious");
  ASSERT_TRUE(model.Save(path, true).ok());
  EXPECT_TRUE(Model::Load(path).ok());
}

TEST_F(ModelFileOnDisk, LoadMissingPathIsIOError) {
  Result<Model> loaded = Model::Load(dir_ + "/missing.ssm");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), ErrorCode::kIO);
  EXPECT_NE(loaded.status().message().find("cannot open model file"), std::string::npos);
  EXPECT_EQ(loaded.status().location().file, dir_ + "/missing.ssm");
}

TEST_F(ModelFileOnDisk, LoadDirectoryIsIOError) {
  Result<Model> loaded = Model::Load(dir_);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), ErrorCode::kIO);
  EXPECT_NE(loaded.status().message().find("is a directory"), std::string::npos);
}

TEST_F(ModelFileOnDisk, LoadCorruptFileNamesIt) {
  const std::string path = dir_ + "/corrupt.ssm";
  std::ofstream(path) << "definitely not a model";
  Result<Model> loaded = Model::Load(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), ErrorCode::kInvalidData);
  EXPECT_NE(loaded.status().message().find("not a synthscale model file"), std::string::npos);
  EXPECT_EQ(loaded.status().location().file, path);
  const std::string empty = dir_ + "/empty.ssm";
  std::ofstream(empty).flush();
  EXPECT_EQ(Model::Load(empty).status().code(), ErrorCode::kInvalidData);
}

}  // namespace
}  // namespace synthscale
