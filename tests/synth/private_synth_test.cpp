// MST and AIM end to end: budget accounting, refusals, determinism, and that with a
// large budget they recover the data's marginals.
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "synthscale/core/context.h"
#include "synthscale/core/crypto.h"
#include "synthscale/core/random_stream.h"
#include "synthscale/synth/model.h"

namespace synthscale {
namespace {

const std::vector<std::string> kLetters = {"a", "b", "c", "d"};

ColumnSchema Categorical(const std::string& name, std::size_t values, bool nullable) {
  ColumnSchema column;
  column.name = name;
  column.type = ColumnType::kCategorical;
  column.nullable = nullable;
  column.categories.assign(kLetters.begin(), kLetters.begin() + static_cast<std::ptrdiff_t>(values));
  return column;
}

// x0 -> x1 -> x2 is a chain of strong dependencies; x3 is independent noise with missing values.
Schema ChainSchema() {
  return Schema({Categorical("x0", 4, false), Categorical("x1", 4, false), Categorical("x2", 3, false),
                 Categorical("x3", 2, true)});
}

Table ChainTable(std::size_t rows) {
  std::vector<Column> columns(4);
  for (std::size_t col_idx = 0; col_idx < columns.size(); ++col_idx) {
    columns[col_idx].name = "x" + std::to_string(col_idx);
    columns[col_idx].type = ColumnType::kCategorical;
  }
  const std::uint64_t purpose = PurposeId("chain");
  for (std::size_t row = 0; row < rows; ++row) {
    RandomStream stream(5, purpose, row);
    const std::uint64_t x0 = stream.UniformBelow(4);
    const std::uint64_t x1 = stream.UniformBelow(10) < 8 ? x0 : stream.UniformBelow(4);
    const std::uint64_t x2 = stream.UniformBelow(10) < 7 ? x1 % 3 : stream.UniformBelow(3);
    columns[0].AppendCategory(kLetters[x0]);
    columns[1].AppendCategory(kLetters[x1]);
    columns[2].AppendCategory(kLetters[x2]);
    if (stream.UniformBelow(4) == 0) columns[3].AppendNull(); else columns[3].AppendCategory(kLetters[stream.UniformBelow(2)]);
  }
  Table table;
  for (Column& column : columns) table.AddColumn(std::move(column));
  table.SetNumRows(rows);
  return table;
}

NoiseKey FixedKey(std::uint8_t fill) {
  NoiseKey key;
  key.fill(fill);
  return key;
}

FitSettings Settings(const std::string& method, double rho) {
  FitSettings settings;
  settings.method = method;
  settings.options.rho = rho;
  settings.noise_key = FixedKey(7);
  return settings;
}

// Joint frequencies of (column a, column b) in a table of categorical columns.
std::map<std::pair<std::string, std::string>, double> PairShares(const Table& table, std::size_t a, std::size_t b) {
  std::map<std::pair<std::string, std::string>, double> shares;
  const auto label = [&](std::size_t col_idx, std::size_t row) {
    const Column& column = table.column(col_idx);
    return column.is_valid(row) ? column.dictionary[column.codes[row]] : std::string("<missing>");
  };
  for (std::size_t row = 0; row < table.num_rows(); ++row) {
    shares[{label(a, row), label(b, row)}] += 1.0 / static_cast<double>(table.num_rows());
  }
  return shares;
}

double PairTvd(const Table& real, const Table& synthetic, std::size_t a, std::size_t b) {
  auto p = PairShares(real, a, b);
  auto q = PairShares(synthetic, a, b);
  for (const auto& [key, share] : q) p.try_emplace(key, 0.0);
  double tvd = 0.0;
  for (const auto& [key, share] : p) tvd += std::abs(share - (q.count(key) ? q.at(key) : 0.0));
  return tvd / 2.0;
}

class PrivateSynthesizers : public ::testing::TestWithParam<std::string> {};

TEST_P(PrivateSynthesizers, SpendsExactlyTheBudgetAndRecordsEveryCharge) {
  Context ctx(2);
  const double rho = 0.5;
  Result<Model> model = FitModel(ChainTable(2000), ChainSchema(), Settings(GetParam(), rho), ctx);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  ASSERT_TRUE(model->ledger().has_value());
  const PrivacyLedger& ledger = *model->ledger();
  EXPECT_LE(ledger.spent_rho(), rho);
  EXPECT_NEAR(ledger.spent_rho(), rho, rho * 1e-6);
  double sum = 0.0;
  std::size_t measurements = 0;
  for (const PrivacyCharge& charge : ledger.charges()) {
    sum += charge.rho;
    if (charge.label.rfind("marginal (", 0) == 0) ++measurements;
  }
  EXPECT_NEAR(sum, ledger.spent_rho(), rho * 1e-12);
  EXPECT_GE(measurements, 4u);  // every 1-way marginal at least
  EXPECT_EQ(ledger.noise_key_sha256(), ToHex(Csprng(FixedKey(7)).KeyCommitment()));
  if (GetParam() == "mst") {
    // 4 one-way measurements, 3 tree edges selected and 3 measured.
    EXPECT_EQ(ledger.charges().size(), 10u);
  }
}

TEST_P(PrivateSynthesizers, LargeBudgetRecoversTheDependencies) {
  Context ctx(2);
  const Table real = ChainTable(20000);
  Result<Model> model = FitModel(real, ChainSchema(), Settings(GetParam(), 50.0), ctx);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Result<Table> synthetic = model->Sample(0, 20000, 3, ctx);
  ASSERT_TRUE(synthetic.ok());
  // Sampling error alone on 20,000 rows is about 0.01 for these pairs; an independent
  // model would be off by about 0.5 on (x0, x1).
  EXPECT_LT(PairTvd(real, *synthetic, 0, 1), 0.03);
  EXPECT_LT(PairTvd(real, *synthetic, 1, 2), 0.03);
  EXPECT_LT(PairTvd(real, *synthetic, 2, 3), 0.03);
}

TEST_P(PrivateSynthesizers, SameKeySameModelForAnyThreadCount) {
  const Table data = ChainTable(3000);
  std::string first;
  for (std::size_t threads : {std::size_t{1}, std::size_t{2}, std::size_t{7}}) {
    Context ctx(threads);
    Result<Model> model = FitModel(data, ChainSchema(), Settings(GetParam(), 1.0), ctx);
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    const std::string bytes = model->Serialize();
    if (first.empty()) first = bytes;
    EXPECT_EQ(bytes, first) << "threads=" << threads;
  }
  // Another key draws other noise.
  Context ctx(2);
  FitSettings other = Settings(GetParam(), 1.0);
  other.noise_key = FixedKey(8);
  Result<Model> model = FitModel(data, ChainSchema(), other, ctx);
  ASSERT_TRUE(model.ok());
  EXPECT_NE(model->Serialize(), first);
}

TEST_P(PrivateSynthesizers, SavedModelSamplesTheSameRows) {
  Context ctx(2);
  Result<Model> model = FitModel(ChainTable(3000), ChainSchema(), Settings(GetParam(), 1.0), ctx);
  ASSERT_TRUE(model.ok());
  Result<Model> loaded = Model::Deserialize(model->Serialize(), "m.ssm");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->Serialize(), model->Serialize());
  EXPECT_EQ(loaded->ledger()->ToJson(), model->ledger()->ToJson());
  Result<Table> a = model->Sample(0, 500, 9, ctx);
  Result<Table> b = loaded->Sample(0, 500, 9, ctx);
  ASSERT_TRUE(a.ok() && b.ok());
  for (std::size_t col_idx = 0; col_idx < a->num_columns(); ++col_idx) {
    for (std::size_t row = 0; row < a->num_rows(); ++row) {
      const Column& left = a->column(col_idx);
      const Column& right = b->column(col_idx);
      ASSERT_EQ(left.is_valid(row), right.is_valid(row));
      if (left.is_valid(row)) {
        ASSERT_EQ(left.dictionary[left.codes[row]], right.dictionary[right.codes[row]]);
      }
    }
  }
}

TEST_P(PrivateSynthesizers, RefusesABudgetTooSmallToMeasureAnything) {
  Context ctx(1);
  Result<Model> model = FitModel(ChainTable(100), ChainSchema(), Settings(GetParam(), 1e-40), ctx);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), ErrorCode::kInvalidArgument) << model.status().ToString();
}

TEST_P(PrivateSynthesizers, RequiresABudget) {
  Context ctx(1);
  FitSettings settings;
  settings.method = GetParam();
  Result<Model> model = FitModel(ChainTable(100), ChainSchema(), settings, ctx);
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("--epsilon"), std::string::npos) << model.status().message();
}

TEST_P(PrivateSynthesizers, RefusesADataDependentDomainUnlessAllowed) {
  Context ctx(1);
  Schema schema = ChainSchema();
  schema.mutable_columns()[1].domain_from_data = true;
  Result<Model> refused = FitModel(ChainTable(500), schema, Settings(GetParam(), 1.0), ctx);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("x1"), std::string::npos) << refused.status().message();
  EXPECT_NE(refused.status().message().find("--allow-data-dependent-domain"), std::string::npos);

  FitSettings allowed = Settings(GetParam(), 1.0);
  allowed.options.allow_data_dependent_domain = true;
  Result<Model> model = FitModel(ChainTable(500), schema, allowed, ctx);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_TRUE(model->info().data_dependent_domain);
  Result<Model> loaded = Model::Deserialize(model->Serialize(), "m.ssm");
  ASSERT_TRUE(loaded.ok());
  EXPECT_TRUE(loaded->info().data_dependent_domain);
  EXPECT_TRUE(nlohmann::json::parse(loaded->DescribeJson())["fit"]["data_dependent_domain"].get<bool>());
}

TEST_P(PrivateSynthesizers, ModelFileWithholdsRowCountAndInputHash) {
  Context ctx(1);
  FitSettings settings = Settings(GetParam(), 1.0);
  settings.info.source_sha256 = std::string(64, 'a');
  Result<Model> model = FitModel(ChainTable(777), ChainSchema(), settings, ctx);
  ASSERT_TRUE(model.ok());
  const std::string bytes = model->Serialize();
  // 777 as a JSON value (not as digits of a float such as a loss, which may contain them).
  for (const char* value : {":777,", ":777}", "\"777\""}) EXPECT_EQ(bytes.find(value), std::string::npos) << value;
  EXPECT_EQ(bytes.find(std::string(64, 'a')), std::string::npos);
  Result<Model> loaded = Model::Deserialize(bytes, "m.ssm");
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->info().rows, 0u);
  EXPECT_EQ(loaded->info().source_sha256, "");
}

TEST_P(PrivateSynthesizers, InspectShowsCliquesAndLedger) {
  Context ctx(1);
  Result<Model> model = FitModel(ChainTable(1000), ChainSchema(), Settings(GetParam(), 1.0), ctx);
  ASSERT_TRUE(model.ok());
  const nlohmann::json description = nlohmann::json::parse(model->DescribeJson());
  EXPECT_EQ(description["method"], GetParam());
  EXPECT_TRUE(description["differentially_private"].get<bool>());
  EXPECT_GE(description["structure"]["cliques"].size(), 4u);
  EXPECT_EQ(description["privacy"]["charges"].size(), model->ledger()->charges().size());
}

TEST_P(PrivateSynthesizers, ReplaceOneRowAndEmptyTablesWork) {
  Context ctx(2);
  FitSettings settings = Settings(GetParam(), 1.0);
  settings.options.neighbouring = Neighbouring::kReplaceOne;
  Result<Model> model = FitModel(ChainTable(1000), ChainSchema(), settings, ctx);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_LE(model->ledger()->spent_rho(), 1.0);
  EXPECT_GT(model->ledger()->spent_rho(), 0.999);
  // No rows is a data set like any other (its add/remove neighbour has one row).
  Result<Model> empty = FitModel(ChainTable(0), ChainSchema(), Settings(GetParam(), 1.0), ctx);
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_TRUE(empty->Sample(0, 10, 1, ctx).ok());
}

TEST_P(PrivateSynthesizers, TwoColumnsNeedNoSelection) {
  Context ctx(1);
  Schema schema({Categorical("x0", 4, false), Categorical("x1", 4, false)});
  Table table = ChainTable(500);
  Table two;
  two.AddColumn(table.column(0));
  two.AddColumn(table.column(1));
  two.SetNumRows(table.num_rows());
  FitSettings settings = Settings(GetParam(), 1.0);
  settings.options.workload_degree = 2;
  Result<Model> model = FitModel(two, schema, settings, ctx);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  if (GetParam() == "mst") {
    for (const PrivacyCharge& charge : model->ledger()->charges()) EXPECT_EQ(charge.mechanism, "gaussian");
  }
  EXPECT_NEAR(model->ledger()->spent_rho(), 1.0, 1e-4);
}

// The largest candidate weight of AIM's default workload (all triples of 4 columns),
// computed independently of aim.cpp: c_r = sum over workload triples w of |r ∩ w|.
double LargestAimWeight() {
  std::vector<std::vector<int>> triples;
  for (int a = 0; a < 4; ++a)
    for (int b = a + 1; b < 4; ++b)
      for (int c = b + 1; c < 4; ++c) triples.push_back({a, b, c});
  double largest = 0.0;
  for (const auto& triple : triples) {
    for (int mask = 1; mask < 8; ++mask) {  // every non-empty subset of a triple
      double weight = 0.0;
      for (const auto& other : triples) {
        for (int pos = 0; pos < 3; ++pos) {
          if ((mask & (1 << pos)) && std::count(other.begin(), other.end(), triple[static_cast<std::size_t>(pos)])) {
            weight += 1.0;
          }
        }
      }
      largest = std::max(largest, weight);
    }
  }
  return largest;
}

// Every charge states the sensitivity the papers give, under each neighbouring relation, and
// a cost that matches its noise: a wrong sensitivity or noise scale fails here.
TEST_P(PrivateSynthesizers, ChargesStateTheRightSensitivityAndNoise) {
  for (Neighbouring neighbouring : {Neighbouring::kAddRemoveOne, Neighbouring::kReplaceOne}) {
    Context ctx(1);
    FitSettings settings = Settings(GetParam(), 1.0);
    settings.options.neighbouring = neighbouring;
    Result<Model> model = FitModel(ChainTable(1000), ChainSchema(), settings, ctx);
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    const double replace = neighbouring == Neighbouring::kReplaceOne ? 2.0 : 1.0;
    std::size_t selections = 0;
    for (const PrivacyCharge& charge : model->ledger()->charges()) {
      EXPECT_EQ(charge.neighbouring, neighbouring) << charge.label;
      if (charge.mechanism == "gaussian") {
        // One row moves one cell of a marginal by 1: L2 = 1, or sqrt(2) when replaced.
        EXPECT_EQ(charge.sensitivity_norm, "L2") << charge.label;
        EXPECT_NEAR(charge.sensitivity, std::sqrt(replace), 1e-12) << charge.label;
        const double rho = replace / (2.0 * charge.noise_scale * charge.noise_scale);
        EXPECT_NEAR(charge.rho, rho, rho * 1e-9) << charge.label;
      } else {
        ASSERT_EQ(charge.mechanism, "exponential") << charge.label;
        ++selections;
        // MST's L1 tree score moves by 1 per row; AIM's weighted score by its largest weight.
        const double bound = GetParam() == "mst" ? 1.0 : LargestAimWeight();
        EXPECT_NEAR(charge.sensitivity, replace * bound, 1e-12) << charge.label;
        ASSERT_TRUE(charge.epsilon.has_value()) << charge.label;
        const double rho = *charge.epsilon * *charge.epsilon / 8.0;
        EXPECT_NEAR(charge.rho, rho, rho * 1e-9) << charge.label;
        // The noise scale of the exponential mechanism is 2 Delta / epsilon.
        EXPECT_NEAR(charge.noise_scale, 2.0 * charge.sensitivity / *charge.epsilon, 1e-9 * charge.noise_scale);
      }
    }
    EXPECT_GT(selections, 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(MstAndAim, PrivateSynthesizers, ::testing::Values("mst", "aim"));

TEST(Aim, FewRoundsStillSpendTheBudgetOnMeasurements) {
  Context ctx(1);
  FitSettings settings = Settings("aim", 1.0);
  settings.options.max_rounds = 1;  // raised to one round per column
  Result<Model> model = FitModel(ChainTable(1000), ChainSchema(), settings, ctx);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  std::size_t measured = 0;
  for (const PrivacyCharge& charge : model->ledger()->charges()) measured += charge.mechanism == "gaussian";
  EXPECT_GT(measured, 4u);  // more than the 1-way marginals
  EXPECT_NEAR(model->ledger()->spent_rho(), 1.0, 1e-4);
}

TEST(Aim, OptionsOutsideTheirRangesAreRefused) {
  Context ctx(1);
  for (auto change : std::vector<std::function<void(SynthesizerOptions&)>>{
           [](SynthesizerOptions& o) { o.workload_degree = 17; },
           [](SynthesizerOptions& o) { o.workload = {std::vector<std::string>(17, "x0")}; },
           [](SynthesizerOptions& o) { o.max_iterations = 20'000'000; },
           [](SynthesizerOptions& o) { o.max_model_size_mb = 1e300; }}) {
    FitSettings settings = Settings("aim", 1.0);
    change(settings.options);
    Result<Model> model = FitModel(ChainTable(10), ChainSchema(), settings, ctx);
    ASSERT_FALSE(model.ok());
    EXPECT_EQ(model.status().code(), ErrorCode::kInvalidArgument) << model.status().ToString();
  }
}

TEST(Aim, ExplicitWorkloadMustNameModelledColumns) {
  Context ctx(1);
  FitSettings settings = Settings("aim", 1.0);
  settings.options.workload = {{"x0", "nope"}};
  Result<Model> model = FitModel(ChainTable(100), ChainSchema(), settings, ctx);
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("'nope'"), std::string::npos) << model.status().message();
}

TEST(Aim, SelectsFromTheGivenWorkload) {
  Context ctx(1);
  FitSettings settings = Settings("aim", 5.0);
  settings.options.workload = {{"x0", "x1"}};
  Result<Model> model = FitModel(ChainTable(2000), ChainSchema(), settings, ctx);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  // Only 1-way marginals and (x0, x1) are candidates.
  for (const PrivacyCharge& charge : model->ledger()->charges()) {
    if (charge.label.rfind("marginal (", 0) != 0) continue;
    EXPECT_TRUE(charge.label == "marginal (x0)" || charge.label == "marginal (x1)" || charge.label == "marginal (x2)" ||
                charge.label == "marginal (x3)" || charge.label == "marginal (x0, x1)")
        << charge.label;
  }
}

// Rounded sampling of a private model: the same bytes for 1 and 2 threads and any row range,
// other bytes for another seed.
TEST_P(PrivateSynthesizers, RoundedSampleIsThreadAndRangeIndependent) {
  Context ctx(2);
  Result<Model> model = FitModel(ChainTable(3000), ChainSchema(), Settings(GetParam(), 1.0), ctx);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Context one(1);
  Result<Table> whole = model->Sample(0, 5000, 5000, 4, SamplingMethod::kRounded, one);
  Result<Table> part = model->Sample(1000, 5000, 5000, 4, SamplingMethod::kRounded, ctx);
  Result<Table> other = model->Sample(0, 5000, 5000, 5, SamplingMethod::kRounded, ctx);
  ASSERT_TRUE(whole.ok() && part.ok() && other.ok());
  for (std::size_t col_idx = 0; col_idx < 4; ++col_idx) {
    const std::vector<std::uint32_t>& codes = whole->column(col_idx).codes;
    EXPECT_EQ(std::vector<std::uint32_t>(codes.begin() + 1000, codes.end()), part->column(col_idx).codes);
  }
  EXPECT_NE(whole->column(2).codes, other->column(2).codes);
}

// MST merges values whose noisy count is below 3 sigma (here x0's 'c' and 'd', never seen);
// rounded sampling draws a merged value back uniformly among its originals, so both appear,
// about equally often, and the sample is the same for any thread count.
TEST(Mst, RoundedSampleExpandsMergedValues) {
  Table table = ChainTable(4000);
  Column& x0 = table.mutable_column(0);
  const auto label_a = static_cast<std::uint32_t>(
      std::find(x0.dictionary.begin(), x0.dictionary.end(), "a") - x0.dictionary.begin());
  for (std::uint32_t& code : x0.codes) {
    if (x0.dictionary[code] == "c" || x0.dictionary[code] == "d") code = label_a;
  }
  Context ctx(2);
  Result<Model> model = FitModel(table, ChainSchema(), Settings("mst", 1.0), ctx);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  ASSERT_NE(model->DescribeJson().find("rare_values_merged"), std::string::npos) << model->DescribeJson();
  Result<SampledCodes> codes = model->SampleRoundedCodes(40000, 3, ctx);
  Context one(1);
  Result<SampledCodes> serial = model->SampleRoundedCodes(40000, 3, one);
  ASSERT_TRUE(codes.ok() && serial.ok());
  EXPECT_EQ(codes->codes, serial->codes);
  std::vector<std::uint64_t> x0_counts(6, 0);  // codes: a, b, c, d, missing, out of domain
  for (std::uint64_t row = 0; row < 40000; ++row) ++x0_counts[codes->codes[row]];
  EXPECT_EQ(x0_counts[4] + x0_counts[5], 0u);
  // c and d share the merged value's rows: each gets half, within 5 sd of Binomial(m, 1/2).
  const double merged = static_cast<double>(x0_counts[2] + x0_counts[3]);
  ASSERT_GT(merged, 0.0);
  EXPECT_NEAR(static_cast<double>(x0_counts[2]), merged / 2.0, 5.0 * std::sqrt(merged) / 2.0 + 1.0);
}

TEST(Mst, NonPrivateMethodRefusesABudget) {
  Context ctx(1);
  FitSettings settings = Settings("independent", 1.0);
  Result<Model> model = FitModel(ChainTable(100), ChainSchema(), settings, ctx);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace synthscale
