#include "synthscale/synth/independent.h"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "synthscale/core/context.h"
#include "synthscale/core/random_stream.h"
#include "synthscale/table/encoding.h"

namespace synthscale {
namespace {

// Schema: colour in {blue, green, red}; age integer 0..9 in 5 bins of two values
// ({0,1}, {2,3}, {4,5}, {6,7}, {8,9}); flag boolean.
Schema TinySchema() {
  ColumnSchema colour;
  colour.name = "colour";
  colour.type = ColumnType::kCategorical;
  colour.categories = {"blue", "green", "red"};
  ColumnSchema age;
  age.name = "age";
  age.type = ColumnType::kInteger;
  age.min = 0;
  age.max = 9;
  age.bins = 5;
  ColumnSchema flag;
  flag.name = "flag";
  flag.type = ColumnType::kBoolean;
  return Schema({colour, age, flag});
}

// Seven rows; "purple" and age 20 are outside the schema's domain.
//   colour: red, red, green, -, purple, blue, red
//   age:    0,   1,   9,     4, -,      20,   5
//   flag:   1,   0,   1,     1, -,      0,    1
Table TinyTable() {
  Column colour;
  colour.name = "colour";
  colour.type = ColumnType::kCategorical;
  Column age;
  age.name = "age";
  age.type = ColumnType::kInteger;
  Column flag;
  flag.name = "flag";
  flag.type = ColumnType::kBoolean;
  const std::vector<const char*> colours = {"red", "red", "green", nullptr, "purple", "blue", "red"};
  const std::vector<int> ages = {0, 1, 9, 4, -1, 20, 5};
  const std::vector<int> flags = {1, 0, 1, 1, -1, 0, 1};
  for (std::size_t row = 0; row < colours.size(); ++row) {
    if (colours[row] == nullptr) colour.AppendNull(); else colour.AppendCategory(colours[row]);
    if (ages[row] < 0) age.AppendNull(); else age.AppendInt(ages[row]);
    if (flags[row] < 0) flag.AppendNull(); else flag.AppendInt(flags[row]);
  }
  Table table;
  table.AddColumn(std::move(colour));
  table.AddColumn(std::move(age));
  table.AddColumn(std::move(flag));
  return table;
}

EncodedTable EncodeTiny() {
  Result<Encoder> encoder = Encoder::Create(TinySchema());
  EXPECT_TRUE(encoder.ok());
  Context ctx(1);
  Result<EncodedTable> encoded = encoder->Encode(TinyTable(), ctx);
  EXPECT_TRUE(encoded.ok());
  return std::move(encoded).value();
}

// Hand-computed marginals: per column, counts of the domain codes, then missing, then
// out of domain.
const std::vector<std::vector<std::uint64_t>> kTinyCounts = {
    {1, 1, 3, 1, 1},        // blue, green, red, missing, purple
    {2, 0, 2, 0, 1, 1, 1},  // {0,1}: 0 and 1; {4,5}: 4 and 5; {8,9}: 9; missing; 20
    {2, 4, 1, 0},           // false, true, missing
};

TEST(IndependentSynthesizer, CountsAreTheMarginals) {
  IndependentSynthesizer synthesizer;
  EXPECT_FALSE(synthesizer.fitted());
  EXPECT_EQ(synthesizer.method(), "independent");
  EXPECT_FALSE(synthesizer.differentially_private());
  Context ctx(2);
  ASSERT_TRUE(synthesizer.Fit(EncodeTiny(), FitInputs{}, ctx).ok());
  EXPECT_TRUE(synthesizer.fitted());
  EXPECT_EQ(synthesizer.counts(), kTinyCounts);
}

TEST(IndependentSynthesizer, CountsIndependentOfThreadsAndBlocks) {
  // 200000 rows: several counting blocks per column.
  Result<Encoder> encoder = Encoder::Create(TinySchema());
  ASSERT_TRUE(encoder.ok());
  EncodedTable data = encoder->MakeEmpty();
  Context one(1);
  const Table tiny = TinyTable();
  Table big = TinyTable();
  while (big.num_rows() < 200000) {
    const Table copy = big;
    big.AppendRows(copy);
  }
  ASSERT_TRUE(encoder->Append(big, one, data).ok());
  const std::uint64_t copies = big.num_rows() / tiny.num_rows();
  std::vector<std::vector<std::uint64_t>> expected = kTinyCounts;
  for (auto& column : expected) {
    for (auto& count : column) count *= copies;
  }
  for (const std::size_t threads : {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{0}}) {
    IndependentSynthesizer synthesizer;
    Context ctx(threads);
    ASSERT_TRUE(synthesizer.Fit(data, FitInputs{}, ctx).ok());
    EXPECT_EQ(synthesizer.counts(), expected) << "threads " << threads;
  }
}

TEST(IndependentSynthesizer, RefitForgetsEarlierData) {
  IndependentSynthesizer synthesizer;
  Context ctx(1);
  Result<Encoder> encoder = Encoder::Create(TinySchema());
  ASSERT_TRUE(encoder.ok());
  Table doubled = TinyTable();
  doubled.AppendRows(TinyTable());
  Result<EncodedTable> big = encoder->Encode(doubled, ctx);
  ASSERT_TRUE(big.ok());
  ASSERT_TRUE(synthesizer.Fit(*big, FitInputs{}, ctx).ok());
  ASSERT_TRUE(synthesizer.Fit(EncodeTiny(), FitInputs{}, ctx).ok());
  EXPECT_EQ(synthesizer.counts(), kTinyCounts);
}

TEST(IndependentSynthesizer, FitOnNoRowsIsInvalidData) {
  IndependentSynthesizer synthesizer;
  Result<Encoder> encoder = Encoder::Create(TinySchema());
  ASSERT_TRUE(encoder.ok());
  Context ctx(1);
  const Status status = synthesizer.Fit(encoder->MakeEmpty(), FitInputs{}, ctx);
  EXPECT_EQ(status.code(), ErrorCode::kInvalidData);
  EXPECT_NE(status.message().find("no rows"), std::string::npos);
  EXPECT_FALSE(synthesizer.fitted());
}

// Chi-square critical values at significance 1e-6 (mpmath: Q(df/2, x/2) = 1e-6).
constexpr double kChiSquare1e6Df2 = 27.631;
constexpr double kChiSquare1e6Df3 = 30.665;

double ChiSquare(const std::vector<std::uint64_t>& observed, const std::vector<std::uint64_t>& weights, std::uint64_t draws,
                 std::uint64_t& zero_weight_hits) {
  std::uint64_t total_weight = 0;
  for (std::uint64_t weight : weights) total_weight += weight;
  double statistic = 0.0;
  zero_weight_hits = 0;
  for (std::size_t cell = 0; cell < weights.size(); ++cell) {
    if (weights[cell] == 0) {
      zero_weight_hits += observed[cell];
      continue;
    }
    const double expected = static_cast<double>(draws) * static_cast<double>(weights[cell]) / static_cast<double>(total_weight);
    const double diff = static_cast<double>(observed[cell]) - expected;
    statistic += diff * diff / expected;
  }
  return statistic;
}

TEST(IndependentSynthesizer, SampledCodesFollowTheMarginals) {
  // Chi-square goodness of fit per column against the fitted counts without the
  // out-of-domain code (never drawn): seed 42, 30000 rows, significance 1e-6; df 3 for
  // colour (4 cells), 3 for age (4 cells with nonzero count), 2 for flag (3 cells).
  // Cells with count 0 must never be drawn.
  IndependentSynthesizer synthesizer;
  Context ctx(1);
  ASSERT_TRUE(synthesizer.Fit(EncodeTiny(), FitInputs{}, ctx).ok());
  constexpr std::uint64_t kRows = 30000;
  std::vector<std::vector<std::uint64_t>> observed = {std::vector<std::uint64_t>(5), std::vector<std::uint64_t>(7),
                                                      std::vector<std::uint64_t>(4)};
  std::vector<std::uint32_t> codes(3);
  for (std::uint64_t row = 0; row < kRows; ++row) {
    RandomStream stream(42, "sample", row);
    synthesizer.SampleRow(stream, codes);
    for (std::size_t col_idx = 0; col_idx < 3; ++col_idx) ++observed[col_idx][codes[col_idx]];
  }
  const std::vector<double> critical = {kChiSquare1e6Df3, kChiSquare1e6Df3, kChiSquare1e6Df2};
  for (std::size_t col_idx = 0; col_idx < 3; ++col_idx) {
    std::vector<std::uint64_t> weights = kTinyCounts[col_idx];
    weights.back() = 0;  // out of domain: never drawn
    std::uint64_t zero_hits = 0;
    EXPECT_LT(ChiSquare(observed[col_idx], weights, kRows, zero_hits), critical[col_idx]) << "column " << col_idx;
    EXPECT_EQ(zero_hits, 0u) << "column " << col_idx;
  }
}

TEST(IndependentSynthesizer, ColumnEntirelyOutOfDomainSamplesMissing) {
  EncodedTable data;
  data.mutable_columns().emplace_back("c", 0, 2);
  std::get<std::vector<std::uint8_t>>(data.mutable_columns()[0].mutable_codes()) = {3, 3, 3};  // all out of domain
  data.set_num_rows(3);
  IndependentSynthesizer synthesizer;
  Context ctx(1);
  ASSERT_TRUE(synthesizer.Fit(data, FitInputs{}, ctx).ok());
  std::vector<std::uint32_t> codes(1);
  for (std::uint64_t row = 0; row < 100; ++row) {
    RandomStream stream(1, "sample", row);
    synthesizer.SampleRow(stream, codes);
    EXPECT_EQ(codes[0], 2u);  // missing
  }
}

TEST(IndependentSynthesizer, ParametersRoundTrip) {
  IndependentSynthesizer fitted;
  Context ctx(1);
  ASSERT_TRUE(fitted.Fit(EncodeTiny(), FitInputs{}, ctx).ok());
  IndependentSynthesizer loaded;
  const Status status = loaded.LoadCounts(fitted.SaveParameters().json, {5, 7, 4});
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_TRUE(loaded.fitted());
  EXPECT_EQ(loaded.counts(), kTinyCounts);
  std::vector<std::uint32_t> first(3);
  std::vector<std::uint32_t> second(3);
  for (std::uint64_t row = 0; row < 1000; ++row) {
    RandomStream a(3, "sample", row);
    RandomStream b(3, "sample", row);
    fitted.SampleRow(a, first);
    loaded.SampleRow(b, second);
    ASSERT_EQ(first, second) << row;
  }
}

TEST(IndependentSynthesizer, LoadParametersRejectsCorruptInput) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"not json", "expected an object with a 'counts' array"},
      {"[1, 2]", "expected an object with a 'counts' array"},
      {R"({"weights": [[1, 1, 0]]})", "expected an object with a 'counts' array"},
      {R"({"counts": 5})", "expected an object with a 'counts' array"},
      {R"({"counts": [[1, 1, 0], [1, 1, 0]]})", "wrong number of columns"},
      {R"({"counts": [[1, 1]]})", "column 0 has the wrong number of counts"},
      {R"({"counts": ["abc"]})", "column 0 has the wrong number of counts"},
      {R"({"counts": [[1, -1, 0]]})", "counts must be non-negative integers"},
      {R"({"counts": [[1, 1.5, 0]]})", "counts must be non-negative integers"},
      {R"({"counts": [[1, "1", 0]]})", "counts must be non-negative integers"},
      {R"({"counts": [[0, 0, 7]]})", "column 0 has no drawable value"},
  };
  for (const auto& [json, substring] : cases) {
    IndependentSynthesizer synthesizer;
    const Status status = synthesizer.LoadCounts(json, {3});
    ASSERT_FALSE(status.ok()) << json;
    EXPECT_EQ(status.code(), ErrorCode::kInvalidData) << json;
    EXPECT_NE(status.message().find("model parameters are corrupt"), std::string::npos) << status.message();
    EXPECT_NE(status.message().find(substring), std::string::npos) << json << ": " << status.message();
    EXPECT_FALSE(synthesizer.fitted()) << json;
  }
}

}  // namespace
}  // namespace synthscale
