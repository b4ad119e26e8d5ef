#include "synthscale/io/schema_infer.h"

#include <gtest/gtest.h>

#include "io_test_util.h"
#include "synthscale/io/csv_reader.h"
#include "synthscale/table/datetime.h"

namespace synthscale {
namespace {

using testing_io::TempDir;

Result<SchemaInference> Infer(const std::string& text, const InferOptions& infer = {}, const CsvOptions& csv = {},
                              std::size_t threads = 1) {
  Context ctx(threads);
  return InferSchemaFromCsvBuffer(text, csv, infer, ctx, "mem.csv");
}

const ColumnSchema& Column(const SchemaInference& inferred, const std::string& name) {
  const std::ptrdiff_t idx = inferred.schema.FindColumn(name);
  EXPECT_GE(idx, 0) << name;
  return inferred.schema.column(static_cast<std::size_t>(idx < 0 ? 0 : idx));
}

TEST(SchemaInfer, InfersEachType) {
  const std::string text =
      "cat,int,real,flag,day,stamp,zero_one\n"
      "b,3,1.5,true,2020-01-01,2020-01-01T10:00:00,0\n"
      "a,-2,2,no,2020-03-01,2020-01-02,1\n"
      "b,10,-0.25,YES,2019-12-31,2020-01-03 00:00:01,1\n";
  Result<SchemaInference> inferred = Infer(text);
  ASSERT_TRUE(inferred.ok()) << inferred.status().ToString();
  EXPECT_EQ(inferred->rows, 3u);
  const ColumnSchema& cat = Column(*inferred, "cat");
  EXPECT_EQ(cat.type, ColumnType::kCategorical);
  EXPECT_EQ(cat.categories, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(cat.nullable);
  EXPECT_TRUE(cat.domain_from_data);
  const ColumnSchema& integer = Column(*inferred, "int");
  EXPECT_EQ(integer.type, ColumnType::kInteger);
  EXPECT_EQ(integer.min, -2);
  EXPECT_EQ(integer.max, 10);
  EXPECT_EQ(integer.bins, 13u);  // range + 1 <= integer_bins
  const ColumnSchema& real = Column(*inferred, "real");
  EXPECT_EQ(real.type, ColumnType::kContinuous);
  EXPECT_EQ(real.min, -0.25);
  EXPECT_EQ(real.max, 2);
  EXPECT_EQ(real.bins, 32u);
  EXPECT_EQ(Column(*inferred, "flag").type, ColumnType::kBoolean);
  const ColumnSchema& day = Column(*inferred, "day");
  EXPECT_EQ(day.type, ColumnType::kDatetime);
  EXPECT_EQ(day.datetime_format, DatetimeFormat::kDate);
  EXPECT_EQ(day.min, static_cast<double>(ParseDatetime("2019-12-31")->seconds));
  EXPECT_EQ(day.max, static_cast<double>(ParseDatetime("2020-03-01")->seconds));
  EXPECT_EQ(Column(*inferred, "stamp").datetime_format, DatetimeFormat::kDatetime);
  const ColumnSchema& zero_one = Column(*inferred, "zero_one");
  EXPECT_EQ(zero_one.type, ColumnType::kInteger);  // 0/1 stays a number, written back as 0/1
  EXPECT_EQ(zero_one.bins, 2u);
  EXPECT_TRUE(inferred->schema.Validate().ok()) << inferred->schema.Validate().ToString();
}

TEST(SchemaInfer, WideIntegerRangesAreBinned) {
  InferOptions options;
  options.integer_bins = 10;
  Result<SchemaInference> inferred = Infer("n,m\n0,0\n9,10\n", options);
  ASSERT_TRUE(inferred.ok());
  EXPECT_EQ(Column(*inferred, "n").bins, 10u);
  EXPECT_EQ(Column(*inferred, "m").bins, 10u);
  options.continuous_bins = 5;
  inferred = Infer("x\n0.5\n1\n", options);
  ASSERT_TRUE(inferred.ok());
  EXPECT_EQ(Column(*inferred, "x").bins, 5u);
}

TEST(SchemaInfer, MissingValuesMakeAColumnNullable) {
  Result<SchemaInference> inferred = Infer("a,b,c\n1,x,\nNA,\"NA\",\n?,y,\n");
  ASSERT_TRUE(inferred.ok()) << inferred.status().ToString();
  const ColumnSchema& a = Column(*inferred, "a");
  EXPECT_EQ(a.type, ColumnType::kInteger);
  EXPECT_TRUE(a.nullable);
  const ColumnSchema& b = Column(*inferred, "b");
  EXPECT_EQ(b.categories, (std::vector<std::string>{"NA", "x", "y"}));  // a quoted NA is a label
  EXPECT_FALSE(b.nullable);
  const ColumnSchema& c = Column(*inferred, "c");  // nothing to learn: text, nullable, no domain
  EXPECT_EQ(c.type, ColumnType::kText);
  EXPECT_TRUE(c.nullable);
  EXPECT_FALSE(c.domain_from_data);
  EXPECT_NE(std::find_if(inferred->warnings.begin(), inferred->warnings.end(),
                         [](const std::string& w) { return w.find("column 'c' has no values") != std::string::npos; }),
            inferred->warnings.end());
}

TEST(SchemaInfer, ManyDistinctLabelsAreIdOrText) {
  InferOptions options;
  options.max_categories = 3;
  Result<SchemaInference> inferred = Infer("u,d,m,few\nk1,a,k1,x\nk2,b,,y\nk3,a,k3,x\nk4,c,k4,y\nk5,e,k5,x\n", options);
  ASSERT_TRUE(inferred.ok()) << inferred.status().ToString();
  EXPECT_EQ(Column(*inferred, "u").type, ColumnType::kId);     // all distinct, none missing
  EXPECT_EQ(Column(*inferred, "d").type, ColumnType::kText);   // 'a' twice
  EXPECT_EQ(Column(*inferred, "m").type, ColumnType::kText);   // a missing value
  EXPECT_EQ(Column(*inferred, "few").type, ColumnType::kCategorical);
  EXPECT_FALSE(Column(*inferred, "u").domain_from_data);
}

TEST(SchemaInfer, DomainsReadFromDataComeWithAPrivacyWarning) {
  Result<SchemaInference> inferred = Infer("a\nx\n");
  ASSERT_TRUE(inferred.ok());
  ASSERT_FALSE(inferred->warnings.empty());
  EXPECT_NE(inferred->warnings[0].find("NOT differentially private"), std::string::npos);
  EXPECT_TRUE(inferred->schema.AnyDomainFromData());
}

TEST(SchemaInfer, NonFiniteNumbersAndHugeIntegersAreStringsWithAWarning) {
  Result<SchemaInference> inferred = Infer("x,big\n1.5,1\nnan,99999999999999999\n2,3\n");
  ASSERT_TRUE(inferred.ok()) << inferred.status().ToString();
  EXPECT_EQ(Column(*inferred, "x").type, ColumnType::kCategorical);
  EXPECT_EQ(Column(*inferred, "big").type, ColumnType::kCategorical);
  std::string all;
  for (const std::string& warning : inferred->warnings) all += warning + "\n";
  EXPECT_NE(all.find("column 'x' holds numbers and NaN or infinity"), std::string::npos) << all;
  EXPECT_NE(all.find("column 'big' holds integers beyond +-9e15"), std::string::npos) << all;
}

TEST(SchemaInfer, SameSchemaForAnyThreadCountAndChunkSize) {
  std::string text = "id,label,n,x,when\n";
  for (int row = 0; row < 5000; ++row) {
    text += "r" + std::to_string(row) + ",\"l" + std::to_string(row * 7 % 30) + "\"," + std::to_string(row % 97) + "," +
            std::to_string(row) + ".5," + "2020-01-" + std::to_string(10 + row % 20) + "\n";
  }
  InferOptions infer;
  infer.max_categories = 40;
  std::string first;
  for (const std::size_t chunk_bytes : {std::size_t{64}, std::size_t{4096}, std::size_t{1} << 23}) {
    for (const std::size_t threads : {std::size_t{1}, std::size_t{2}, std::size_t{7}}) {
      CsvOptions csv;
      csv.chunk_bytes = chunk_bytes;
      Result<SchemaInference> inferred = Infer(text, infer, csv, threads);
      ASSERT_TRUE(inferred.ok()) << inferred.status().ToString();
      const std::string json = inferred->schema.ToJson();
      if (first.empty()) {
        first = json;
        EXPECT_EQ(Column(*inferred, "id").type, ColumnType::kId);
        EXPECT_EQ(Column(*inferred, "label").categories.size(), 30u);
        EXPECT_EQ(Column(*inferred, "label").categories.front(), "l0");
      } else {
        EXPECT_EQ(json, first) << chunk_bytes << " bytes, " << threads << " threads";
      }
    }
  }
}

TEST(SchemaInfer, InferredSchemaReadsTheFileBack) {
  TempDir dir;
  std::string text = "name,age,score,member,joined,comment\n";
  for (int row = 0; row < 300; ++row) {
    text += std::string(row % 3 ? "ann" : "bob") + "," + (row % 10 ? std::to_string(row % 90) : "NA") + "," +
            std::to_string(row * 0.37) + "," + (row % 2 ? "true" : "false") + ",2021-02-" +
            std::to_string(10 + row % 15) + ",\"c " + std::to_string(row) + ", free text\"\n";
  }
  const std::string path = dir.Write("data.csv", text);
  Context ctx(2);
  InferOptions options;
  options.max_categories = 50;
  Result<SchemaInference> inferred = InferSchemaFromCsv(path, CsvOptions{}, options, ctx);
  ASSERT_TRUE(inferred.ok()) << inferred.status().ToString();
  EXPECT_EQ(Column(*inferred, "comment").type, ColumnType::kId);
  Result<Schema> reparsed = Schema::FromJson(inferred->schema.ToJson());
  ASSERT_TRUE(reparsed.ok()) << reparsed.status().ToString();
  Result<Table> table = ReadCsv(path, *reparsed, CsvOptions{}, ctx);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->num_rows(), 300u);
}

TEST(SchemaInfer, ReportsTheReadersErrors) {
  auto expect = [](const Status& status, ErrorCode code, const std::string& substring, std::int64_t line,
                   std::int64_t column) {
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.code(), code) << status.ToString();
    EXPECT_NE(status.message().find(substring), std::string::npos) << status.ToString();
    EXPECT_EQ(status.location().line, line) << status.ToString();
    EXPECT_EQ(status.location().column, column) << status.ToString();
  };
  expect(Infer("a,b\n1,2\n3,4,5\n").status(), ErrorCode::kInvalidData, "expected 2 fields", 3, 5);
  expect(Infer("a,b\n1,2\n3\n").status(), ErrorCode::kInvalidData, "found 1", 3, 2);
  expect(Infer("a,b\n1,\"2\n").status(), ErrorCode::kInvalidData, "unterminated quoted field", 2, 3);
  expect(Infer("a,b\n1,\xFE\n").status(), ErrorCode::kInvalidData, "invalid UTF-8", 2, 3);
  expect(Infer("a,b\n").status(), ErrorCode::kInvalidData, "no data rows", 0, 0);
  expect(Infer("").status(), ErrorCode::kInvalidData, "empty file", 0, 0);
  expect(Infer("a,a\n1,2\n").status(), ErrorCode::kInvalidData, "appears twice", 1, 3);
  Context ctx(1);
  Result<SchemaInference> missing = InferSchemaFromCsv("/no/such/file.csv", CsvOptions{}, InferOptions{}, ctx);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kIO);
  InferOptions bad;
  bad.continuous_bins = 0;
  EXPECT_EQ(Infer("a\n1\n", bad).status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace synthscale
