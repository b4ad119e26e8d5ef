#include "synthscale/table/schema.h"

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace synthscale {
namespace {

// Line/column expectations below were counted with a Python script (str.index of the
// offending value; 1-based line and character column), not read from this code's output.

Status ParseError(std::string_view text) {
  Result<Schema> schema = Schema::FromJson(text, "schema.json");
  EXPECT_FALSE(schema.ok()) << "accepted:\n" << text;
  return schema.ok() ? Status::Ok() : schema.status();
}

void ExpectError(std::string_view text, const std::string& substring, std::int64_t line, std::int64_t column) {
  const Status status = ParseError(text);
  EXPECT_EQ(status.code(), ErrorCode::kInvalidData);
  EXPECT_NE(status.message().find(substring), std::string::npos) << status.message();
  EXPECT_EQ(status.location().file, "schema.json");
  EXPECT_EQ(status.location().line, line) << status.ToString();
  EXPECT_EQ(status.location().column, column) << status.ToString();
}

void ExpectErrorMessage(std::string_view text, const std::string& substring) {
  const Status status = ParseError(text);
  EXPECT_EQ(status.code(), ErrorCode::kInvalidData);
  EXPECT_NE(status.message().find(substring), std::string::npos) << status.message();
}

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

// --- Round trip ---------------------------------------------------------------------

Schema EveryType() {
  std::vector<ColumnSchema> columns;
  columns.push_back(Categorical("colour", {"red", "gr\"een", "bl\\ue", "ünïcödé", "42", ""}));
  columns.push_back(Numeric("age", ColumnType::kInteger, -5, 1000, 64));
  columns.push_back(Numeric("size", ColumnType::kContinuous, -1.5, 0.1, 7));
  columns.push_back(Numeric("huge", ColumnType::kContinuous, -1e300, 3.0000000000000004, 1));
  ColumnSchema day = Numeric("day", ColumnType::kDatetime, 951782400, 1614556800, 30);  // 2000-02-29 .. 2021-03-01
  day.datetime_format = DatetimeFormat::kDate;
  columns.push_back(day);
  ColumnSchema stamp = Numeric("stamp", ColumnType::kDatetime, -2203932555, 253402300799, 100);
  stamp.datetime_format = DatetimeFormat::kDatetime;
  columns.push_back(stamp);
  ColumnSchema flag = Plain("flag", ColumnType::kBoolean);
  flag.nullable = false;
  columns.push_back(flag);
  columns.push_back(Plain("id", ColumnType::kId));
  ColumnSchema notes = Plain("notes", ColumnType::kText);
  notes.domain_from_data = false;
  columns.push_back(notes);
  columns[1].domain_from_data = true;
  columns[1].nullable = false;
  return Schema(std::move(columns));
}

void ExpectSameColumns(const Schema& actual, const Schema& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t col_idx = 0; col_idx < expected.size(); ++col_idx) {
    const ColumnSchema& got = actual.column(col_idx);
    const ColumnSchema& want = expected.column(col_idx);
    SCOPED_TRACE(want.name);
    EXPECT_EQ(got.name, want.name);
    EXPECT_EQ(got.type, want.type);
    EXPECT_EQ(got.nullable, want.nullable);
    EXPECT_EQ(got.domain_from_data, want.domain_from_data);
    EXPECT_EQ(got.categories, want.categories);
    const bool numeric = want.type == ColumnType::kInteger || want.type == ColumnType::kContinuous ||
                         want.type == ColumnType::kDatetime;
    if (numeric) {
      EXPECT_EQ(got.min, want.min);
      EXPECT_EQ(got.max, want.max);
      EXPECT_EQ(got.bins, want.bins);
    }
    if (want.type == ColumnType::kDatetime) {
      EXPECT_EQ(got.datetime_format, want.datetime_format);
    }
    EXPECT_EQ(got.DomainSize(), want.DomainSize());
  }
}

TEST(Schema, JsonRoundTripForEveryType) {
  const Schema schema = EveryType();
  ASSERT_TRUE(schema.Validate().ok()) << schema.Validate().ToString();
  const std::string json = schema.ToJson();
  Result<Schema> parsed = Schema::FromJson(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString() << "\n" << json;
  ExpectSameColumns(*parsed, schema);
  EXPECT_EQ(parsed->ToJson(), json);  // stable output
  EXPECT_TRUE(parsed->AnyDomainFromData());
}

TEST(Schema, ToJsonLayout) {
  Schema schema({Categorical("sex", {"f", "m"})});
  EXPECT_EQ(schema.ToJson(),
            "{\n"
            "  \"synthscale_schema\": 1,\n"
            "  \"columns\": [\n"
            "    {\n"
            "      \"name\": \"sex\",\n"
            "      \"type\": \"categorical\",\n"
            "      \"nullable\": true,\n"
            "      \"domain\": {\n"
            "        \"categories\": [\n"
            "          \"f\",\n"
            "          \"m\"\n"
            "        ]\n"
            "      },\n"
            "      \"domain_from_data\": false\n"
            "    }\n"
            "  ]\n"
            "}\n");
  EXPECT_FALSE(schema.AnyDomainFromData());
}

TEST(Schema, DatetimeBoundsWithTimeOfDaySurviveRoundTripInDateFormat) {
  // Bounds read from data need not fall on midnight; writing them as dates alone would
  // move them (and change the domain size) when the schema is read back.
  ColumnSchema column = Numeric("seen", ColumnType::kDatetime, 1577872800, 1577872830, 31);  // 2020-01-01T10:00:00 + 30 s
  column.datetime_format = DatetimeFormat::kDate;
  const Schema schema({column});
  Result<Schema> parsed = Schema::FromJson(schema.ToJson());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ExpectSameColumns(*parsed, schema);
}

TEST(Schema, IntegerBoundsThatAreNotWholeSurviveRoundTrip) {
  // FromJson accepts any number as an integer bound; ToJson must not change the domain.
  const Schema schema({Numeric("age", ColumnType::kInteger, 0.5, 10.75, 4)});
  ASSERT_TRUE(schema.Validate().ok());
  Result<Schema> parsed = Schema::FromJson(schema.ToJson());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ExpectSameColumns(*parsed, schema);
}

TEST(Schema, FromJsonReadsDocumentedForm) {
  const std::string_view text = R"({
    "synthscale_schema": 1,
    "description": "patients",
    "columns": [
      {"name": "sex", "type": "categorical", "description": "as recorded",
       "domain": {"categories": ["f", "m"]}, "nullable": false},
      {"name": "age", "type": "integer", "domain": {"min": 0, "max": 120, "bins": 12}},
      {"name": "admitted", "type": "datetime", "format": "datetime",
       "domain": {"min": "2020-01-01", "max": "2020-12-31T12:00:00Z", "bins": 52}},
      {"name": "born", "type": "datetime", "domain": {"min": -86400, "max": 0, "bins": 2}},
      {"name": "weight", "type": "continuous", "domain": {"min": 0.5, "max": 250, "bins": 50},
       "domain_from_data": true},
      {"name": "smoker", "type": "boolean"},
      {"name": "record", "type": "id"},
      {"name": "notes", "type": "text", "nullable": true}
    ]
  })";
  Result<Schema> schema = Schema::FromJson(text);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  ASSERT_EQ(schema->size(), 8u);
  EXPECT_EQ(schema->column(0).categories, (std::vector<std::string>{"f", "m"}));
  EXPECT_FALSE(schema->column(0).nullable);
  EXPECT_TRUE(schema->column(1).nullable);  // the default
  EXPECT_EQ(schema->column(1).min, 0.0);
  EXPECT_EQ(schema->column(1).max, 120.0);
  EXPECT_EQ(schema->column(1).bins, 12u);
  EXPECT_EQ(schema->column(2).min, 1577836800.0);  // 2020-01-01
  EXPECT_EQ(schema->column(2).max, 1609416000.0);  // 2020-12-31T12:00:00
  EXPECT_EQ(schema->column(2).datetime_format, DatetimeFormat::kDatetime);
  EXPECT_EQ(schema->column(3).min, -86400.0);
  EXPECT_EQ(schema->column(3).datetime_format, DatetimeFormat::kDate);  // the default
  EXPECT_TRUE(schema->column(4).domain_from_data);
  EXPECT_EQ(schema->column(5).type, ColumnType::kBoolean);
  EXPECT_EQ(schema->column(6).type, ColumnType::kId);
  EXPECT_EQ(schema->column(7).type, ColumnType::kText);
  EXPECT_EQ(schema->FindColumn("weight"), 4);
  EXPECT_EQ(schema->FindColumn("nope"), -1);
  EXPECT_TRUE(schema->AnyDomainFromData());
}

// --- Located errors -----------------------------------------------------------------

TEST(SchemaFromJson, UnknownTypePointsAtTheType) {
  ExpectError(R"({
  "synthscale_schema": 1,
  "columns": [
    {"name": "age", "type": "integer", "domain": {"min": 0, "max": 120, "bins": 12}},
    {"name": "colour",
     "type": "colour"}
  ]
})",
              "unknown column type 'colour'", 6, 14);
  const Status status = ParseError(R"({"columns": [{"name": "c", "type": "colour"}]})");
  EXPECT_EQ(status.location().field, "c");
  EXPECT_NE(status.message().find("categorical, integer, continuous, datetime, boolean, id, text"), std::string::npos);
}

TEST(SchemaFromJson, MinAboveMaxPointsAtTheColumn) {
  ExpectError(R"({
  "synthscale_schema": 1,
  "columns": [
    {"name": "sex", "type": "categorical", "domain": {"categories": ["f", "m"]}},
    {
      "name": "age", "type": "integer",
      "domain": {"min": 10, "max": 5, "bins": 4}
    }
  ]
})",
              "is greater than max", 5, 5);
}

TEST(SchemaFromJson, DuplicateNamePointsAtTheSecondColumn) {
  const std::string_view text = R"({
  "columns": [
    {"name": "age", "type": "integer", "domain": {"min": 0, "max": 9, "bins": 10}},
    {"name": "x", "type": "boolean"},
      {"name": "age", "type": "boolean"}
  ]
})";
  ExpectError(text, "column 'age' appears twice", 5, 7);
  EXPECT_EQ(ParseError(text).location().field, "age");
}

TEST(SchemaFromJson, UnknownKeyPointsAtItsValue) {
  ExpectError(R"({
  "columns": [
    {"name": "flag", "type": "boolean",
     "colour": "red"}
  ]
})",
              "unknown key 'colour' for a boolean column", 4, 16);
}

TEST(SchemaFromJson, MissingDomainPointsAtTheColumn) {
  ExpectError(R"({
  "columns": [
    {"name": "id", "type": "id"},
    {"name": "size",
     "type": "continuous"}
  ]
})",
              "column 'size' (continuous) needs a 'domain'", 4, 5);
}

TEST(SchemaFromJson, ZeroBinsPointsAtTheBins) {
  ExpectError(R"({
  "columns": [
    {"name": "size", "type": "continuous",
     "domain": {"min": 0.5, "max": 2.5,
                "bins": 0}}
  ]
})",
              "'bins' must be an integer from 1 to 16777216, got 0", 5, 25);
}

TEST(SchemaFromJson, SyntaxErrorPosition) {
  // A trailing comma: the unexpected ']' is at line 3, column 3.
  ExpectError("{\"columns\": [\n  {\"name\": \"a\", \"type\": \"boolean\"},\n  ]\n}", "not valid JSON", 3, 3);
  // A missing comma: the unexpected string "type" spans columns 21..26 of line 3.
  const Status missing_comma = ParseError(R"({
  "columns": [
    {"name": "size" "type": "continuous"}
  ]
})");
  EXPECT_EQ(missing_comma.code(), ErrorCode::kInvalidData);
  EXPECT_NE(missing_comma.message().find("not valid JSON"), std::string::npos);
  EXPECT_EQ(missing_comma.location().line, 3);
  EXPECT_GE(missing_comma.location().column, 21);
  EXPECT_LE(missing_comma.location().column, 26);
  // Unexpected end of input: just after the last character.
  ExpectError("{\"columns\": [", "not valid JSON", 1, 14);
  ExpectError("", "not valid JSON", 1, 1);
}

TEST(SchemaFromJson, TopLevelErrors) {
  ExpectError("[1, 2]", "must be a JSON object", 1, 1);
  ExpectError("{\n  \"synthscale_schema\": 2,\n  \"columns\": []\n}", "unsupported schema version 2", 2, 24);
  ExpectError("{\"synthscale_schema\": \"1\", \"columns\": []}", "unsupported schema version", 1, 23);
  ExpectError("{\"colums\": []}", "unknown top-level key 'colums'", 1, 12);
  ExpectError("{\"description\": \"x\"}", "needs a 'columns' array", 1, 1);
  ExpectError("{\"columns\": {}}", "needs a 'columns' array", 1, 1);
  ExpectError("{\"columns\": []}", "at least one column", 1, 13);
}

TEST(SchemaFromJson, ColumnEntryErrors) {
  ExpectError("{\"columns\": [\n  \"age\"]}", "each column must be an object", 2, 3);
  ExpectError("{\"columns\": [{\"type\": \"boolean\"}]}", "column 1 needs a string 'name'", 1, 14);
  ExpectError("{\"columns\": [{\"name\": 5, \"type\": \"boolean\"}]}", "needs a string 'name'", 1, 14);
  ExpectError("{\"columns\": [{\"name\": \"a\"}]}", "column 'a' needs a string 'type'", 1, 14);
  ExpectError("{\"columns\": [{\"name\": \"a\", \"type\": \"boolean\", \"nullable\": \"yes\"}]}",
              "'nullable' must be true or false, got \"yes\"", 1, 59);
  ExpectError("{\"columns\": [{\"name\": \"a\", \"type\": \"boolean\", \"domain_from_data\": 1}]}",
              "'domain_from_data' must be true or false, got 1", 1, 67);
  ExpectError(R"({"columns": [{"name": "d", "type": "datetime", "format": "time", "domain": {"min": 0, "max": 1, "bins": 1}}]})",
              "'format' must be \"date\" or \"datetime\", got \"time\"", 1, 58);
  ExpectError(R"({"columns": [{"name": "n", "type": "integer", "format": "date", "domain": {"min": 0, "max": 1, "bins": 1}}]})",
              "unknown key 'format' for a integer column", 1, 57);
  ExpectError(R"({"columns": [{"name": "b", "type": "boolean", "domain": {"categories": ["x"]}}]})",
              "unknown key 'domain' for a boolean column", 1, 57);
}

TEST(SchemaFromJson, DomainErrors) {
  ExpectError(R"({"columns": [{"name": "c", "type": "categorical", "domain": ["a"]}]})",
              "'domain' must be an object, got [\"a\"]", 1, 61);
  ExpectError(R"({"columns": [{"name": "c", "type": "categorical", "domain": {"categories": "a"}}]})",
              "'categories' must be an array of strings", 1, 76);
  ExpectError(R"({"columns": [{"name": "c", "type": "categorical", "domain": {"categories": ["a", 1]}}]})",
              "category labels must be strings, got 1; quote numbers", 1, 82);
  ExpectError(R"({"columns": [{"name": "c", "type": "categorical", "domain": {}}]})",
              "a categorical domain needs 'categories'", 1, 61);
  ExpectError(R"({"columns": [{"name": "c", "type": "categorical", "domain": {"categories": ["a"], "min": 0}}]})",
              "unknown domain key 'min' for a categorical column", 1, 90);
  ExpectError(R"({"columns": [{"name": "n", "type": "integer", "domain": {"min": "0", "max": 1, "bins": 1}}]})",
              "'min' must be a number, got \"0\"", 1, 65);
  ExpectError(R"({"columns": [{"name": "n", "type": "integer", "domain": {"min": 0, "max": 1, "bins": 2.5}}]})",
              "'bins' must be an integer from 1 to 16777216, got 2.5", 1, 86);
  ExpectError(R"({"columns": [{"name": "n", "type": "integer", "domain": {"min": 0, "max": 1, "bins": 16777217}}]})",
              "'bins' must be an integer", 1, 86);
  ExpectError(R"({"columns": [{"name": "n", "type": "integer", "domain": {"min": 0, "max": 1, "bins": -1}}]})",
              "'bins' must be an integer", 1, 86);
  ExpectError(R"({"columns": [{"name": "n", "type": "integer", "domain": {"min": 0, "bins": 3}}]})",
              "a integer domain needs 'min', 'max' and 'bins'", 1, 57);
  ExpectError(R"({"columns": [{"name": "n", "type": "continuous", "domain": {"min": 0, "max": 1, "step": 3}}]})",
              "unknown domain key 'step' for a continuous column", 1, 89);
  ExpectError(R"({"columns": [{"name": "n", "type": "integer", "domain": {"categories": ["a"]}}]})",
              "unknown domain key 'categories' for a integer column", 1, 72);
  ExpectError(R"({"columns": [{"name": "d", "type": "datetime", "domain": {"min": "2021-02-29", "max": 1, "bins": 1}}]})",
              "'min' must be an ISO date such as \"2020-01-31\", got \"2021-02-29\"", 1, 66);
  ExpectError(R"({"columns": [{"name": "d", "type": "datetime", "domain": {"min": "2021-01-02", "max": "2021-01-01", "bins": 1}}]})",
              "is greater than max", 1, 14);
}

TEST(SchemaFromJson, ValidationErrorsAreLocated) {
  ExpectError(R"({"columns": [{"name": "c", "type": "categorical", "domain": {"categories": []}}]})",
              "needs at least one category", 1, 14);
  ExpectError(R"({"columns": [{"name": "c", "type": "boolean"}, {"name": "d", "type": "categorical", "domain": {"categories": ["a", "b", "a"]}}]})",
              "category 'a' is listed twice", 1, 48);
  ExpectError(R"({"columns": [{"name": "", "type": "boolean"}]})", "a column name is empty", 1, 14);
  ExpectError(R"({"columns": [{"name": "n", "type": "integer", "domain": {"min": -1e16, "max": 1, "bins": 1}}]})",
              "within +-9e15", 1, 14);
  // Out of range for a double: rejected (as unparsable or as a non-finite bound), never accepted.
  ExpectErrorMessage(R"({"columns": [{"name": "n", "type": "continuous", "domain": {"min": -1e400, "max": 1, "bins": 1}}]})",
                     "");
}

TEST(SchemaFromJson, MessagesPointToDocumentation) {
  const Status status = ParseError(R"({"columns": [{"name": "c", "type": "colour"}]})");
  EXPECT_NE(status.message().find("docs/schema.md"), std::string::npos);
  EXPECT_EQ(status.ToString().rfind("schema.json:1:", 0), 0u) << status.ToString();
}

// --- Validate -----------------------------------------------------------------------

void ExpectInvalid(const Schema& schema, const std::string& substring, const std::string& field) {
  const Status status = schema.Validate();
  ASSERT_FALSE(status.ok()) << "accepted";
  EXPECT_EQ(status.code(), ErrorCode::kInvalidData);
  EXPECT_NE(status.message().find(substring), std::string::npos) << status.message();
  EXPECT_EQ(status.location().field, field);
}

TEST(SchemaValidate, AcceptsEveryType) { EXPECT_TRUE(EveryType().Validate().ok()); }

TEST(SchemaValidate, Errors) {
  ExpectInvalid(Schema({Plain("", ColumnType::kBoolean)}), "a column name is empty", "");
  ExpectInvalid(Schema({Plain("a", ColumnType::kBoolean), Plain("a", ColumnType::kId)}), "column 'a' appears twice", "a");
  ExpectInvalid(Schema({Categorical("c", {})}), "needs at least one category", "c");
  ExpectInvalid(Schema({Categorical("c", {"x", "y", "x"})}), "category 'x' is listed twice", "c");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  ExpectInvalid(Schema({Numeric("n", ColumnType::kContinuous, nan, 1, 1)}), "must be finite", "n");
  ExpectInvalid(Schema({Numeric("n", ColumnType::kContinuous, 0, inf, 1)}), "must be finite", "n");
  ExpectInvalid(Schema({Numeric("n", ColumnType::kInteger, -inf, 1, 1)}), "must be finite", "n");
  ExpectInvalid(Schema({Numeric("n", ColumnType::kInteger, 2, 1, 1)}), "is greater than max", "n");
  ExpectInvalid(Schema({Numeric("n", ColumnType::kDatetime, 0, 1, 0)}), "'bins' must be from 1 to 16777216", "n");
  ExpectInvalid(Schema({Numeric("n", ColumnType::kContinuous, 0, 1, (1u << 24) + 1)}), "'bins' must be from 1", "n");
  ExpectInvalid(Schema({Numeric("n", ColumnType::kDatetime, 0, 1e16, 1)}), "within +-9e15", "n");
  // Continuous bounds have no such limit.
  EXPECT_TRUE(Schema({Numeric("n", ColumnType::kContinuous, -1e300, 1e300, 1)}).Validate().ok());
  EXPECT_TRUE(Schema({Numeric("n", ColumnType::kInteger, 3, 3, 1)}).Validate().ok());
}

// --- DomainSize ---------------------------------------------------------------------

TEST(ColumnSchema, DomainSize) {
  EXPECT_EQ(Categorical("c", {"a", "b", "c"}).DomainSize(), 3u);
  EXPECT_EQ(Plain("b", ColumnType::kBoolean).DomainSize(), 2u);
  EXPECT_EQ(Plain("i", ColumnType::kId).DomainSize(), 0u);
  EXPECT_EQ(Plain("t", ColumnType::kText).DomainSize(), 0u);
  EXPECT_EQ(Numeric("x", ColumnType::kContinuous, 0, 1, 7).DomainSize(), 7u);
  EXPECT_EQ(Numeric("x", ColumnType::kContinuous, 0, 0, 7).DomainSize(), 7u);
  // Integer ranges: bins capped at the number of integers in [min, max].
  EXPECT_EQ(Numeric("n", ColumnType::kInteger, 0, 4, 10).DomainSize(), 5u);
  EXPECT_EQ(Numeric("n", ColumnType::kInteger, 0, 4, 5).DomainSize(), 5u);
  EXPECT_EQ(Numeric("n", ColumnType::kInteger, 0, 4, 3).DomainSize(), 3u);
  EXPECT_EQ(Numeric("n", ColumnType::kInteger, -3, -3, 8).DomainSize(), 1u);
  EXPECT_EQ(Numeric("n", ColumnType::kInteger, 0.5, 4.5, 10).DomainSize(), 4u);  // 1, 2, 3, 4
  EXPECT_EQ(Numeric("n", ColumnType::kInteger, -1e15, 1e15, 1u << 24).DomainSize(), 1u << 24);
  EXPECT_EQ(Numeric("d", ColumnType::kDatetime, 0, 59, 100).DomainSize(), 60u);
  EXPECT_EQ(Numeric("d", ColumnType::kDatetime, 0, 86400.0 * 365, 12).DomainSize(), 12u);
}

// --- ReadFile -----------------------------------------------------------------------

class SchemaFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "synthscale_schema_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::string dir_;
};

TEST_F(SchemaFile, ReadsFileAndNamesItInErrors) {
  const std::string good = dir_ + "/good.json";
  std::ofstream(good) << EveryType().ToJson();
  Result<Schema> schema = Schema::ReadFile(good);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  ExpectSameColumns(*schema, EveryType());

  const std::string bad = dir_ + "/bad.json";
  std::ofstream(bad) << "{\n  \"columns\": [{\"name\": \"c\", \"type\": \"colour\"}]\n}\n";
  Result<Schema> failed = Schema::ReadFile(bad);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().location().file, bad);
  EXPECT_EQ(failed.status().location().line, 2);
  EXPECT_EQ(failed.status().location().column, 37);
}

TEST_F(SchemaFile, MissingFileAndDirectoryAreIOErrors) {
  Result<Schema> missing = Schema::ReadFile(dir_ + "/missing.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kIO);
  EXPECT_NE(missing.status().message().find("cannot open schema file"), std::string::npos);
  Result<Schema> directory = Schema::ReadFile(dir_);
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.status().code(), ErrorCode::kIO) << directory.status().ToString();
}

}  // namespace
}  // namespace synthscale
