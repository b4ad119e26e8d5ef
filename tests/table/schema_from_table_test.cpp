#include "synthscale/table/schema_from_table.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "synthscale/core/context.h"
#include "synthscale/table/encoding.h"

namespace synthscale {
namespace {

Column MakeColumn(const std::string& name, ColumnType type) {
  Column column;
  column.name = name;
  column.type = type;
  return column;
}

Table MakeTable(std::vector<Column> columns) {
  Table table;
  for (Column& column : columns) table.AddColumn(std::move(column));
  return table;
}

TEST(SchemaFromTable, CategoriesAreTheUsedLabelsSortedBytewise) {
  Column colour = MakeColumn("colour", ColumnType::kCategorical);
  for (const char* label : {"b", "a", "\xc3\xa9", "B", "b", "a"}) colour.AppendCategory(label);
  colour.dictionary.push_back("unused");  // in the dictionary, on no row
  const Schema schema = SchemaFromTable(MakeTable({colour}));
  ASSERT_EQ(schema.size(), 1u);
  const ColumnSchema& column = schema.column(0);
  EXPECT_EQ(column.name, "colour");
  EXPECT_EQ(column.type, ColumnType::kCategorical);
  EXPECT_EQ(column.categories, (std::vector<std::string>{"B", "a", "b", "\xc3\xa9"}));
  EXPECT_FALSE(column.nullable);
  EXPECT_TRUE(column.domain_from_data);
  EXPECT_TRUE(schema.AnyDomainFromData());
}

TEST(SchemaFromTable, LabelsOnlyOnMissingRowsAreNotCategories) {
  Column colour = MakeColumn("colour", ColumnType::kCategorical);
  colour.AppendCategory("kept");
  colour.dictionary.push_back("hidden");
  colour.valid.push_back(0);  // a missing row whose stored code points at "hidden"
  colour.codes.push_back(1);
  const Schema schema = SchemaFromTable(MakeTable({colour}));
  EXPECT_EQ(schema.column(0).categories, (std::vector<std::string>{"kept"}));
  EXPECT_TRUE(schema.column(0).nullable);
}

TEST(SchemaFromTable, IntegerBoundsAndBins) {
  Column age = MakeColumn("age", ColumnType::kInteger);
  age.AppendInt(5);
  age.AppendInt(-3);
  age.AppendNull();
  age.AppendInt(12);
  Column wide = MakeColumn("wide", ColumnType::kInteger);
  wide.AppendInt(0);
  wide.AppendInt(1000);
  wide.AppendInt(7);
  wide.AppendInt(7);
  const Table table = MakeTable({age, wide});

  const Schema defaults = SchemaFromTable(table);
  EXPECT_EQ(defaults.column(0).min, -3.0);
  EXPECT_EQ(defaults.column(0).max, 12.0);
  EXPECT_EQ(defaults.column(0).bins, 16u);  // one bin per value of -3..12
  EXPECT_TRUE(defaults.column(0).nullable);
  EXPECT_EQ(defaults.column(1).min, 0.0);
  EXPECT_EQ(defaults.column(1).max, 1000.0);
  EXPECT_EQ(defaults.column(1).bins, 64u);  // wider than 64 values: 64 bins
  EXPECT_FALSE(defaults.column(1).nullable);

  DomainOptions options;
  options.integer_bins = 10;
  const Schema narrow = SchemaFromTable(table, options);
  EXPECT_EQ(narrow.column(0).bins, 10u);
  EXPECT_EQ(narrow.column(1).bins, 10u);
}

TEST(SchemaFromTable, ContinuousBoundsAndBins) {
  Column size = MakeColumn("size", ColumnType::kContinuous);
  for (const double value : {0.25, -7.5, 3.0, 1e-300}) size.AppendDouble(value);
  const Schema schema = SchemaFromTable(MakeTable({size}));
  EXPECT_EQ(schema.column(0).min, -7.5);
  EXPECT_EQ(schema.column(0).max, 3.0);
  EXPECT_EQ(schema.column(0).bins, 32u);
  DomainOptions options;
  options.continuous_bins = 7;
  EXPECT_EQ(SchemaFromTable(MakeTable({size}), options).column(0).bins, 7u);
}

TEST(SchemaFromTable, DatetimeBoundsAndFormat) {
  Column days = MakeColumn("days", ColumnType::kDatetime);
  days.AppendInt(951782400);   // 2000-02-29
  days.AppendInt(-86400);      // 1969-12-31
  days.AppendNull();
  Column stamps = MakeColumn("stamps", ColumnType::kDatetime);
  stamps.AppendInt(951782400);
  stamps.AppendInt(951782400 + 3600);  // 01:00
  const Schema schema = SchemaFromTable(MakeTable({days, stamps}));
  EXPECT_EQ(schema.column(0).min, -86400.0);
  EXPECT_EQ(schema.column(0).max, 951782400.0);
  EXPECT_EQ(schema.column(0).bins, 64u);
  EXPECT_TRUE(schema.column(0).nullable);
  EXPECT_EQ(schema.column(0).datetime_format, DatetimeFormat::kDate);
  EXPECT_EQ(schema.column(1).datetime_format, DatetimeFormat::kDatetime);
  EXPECT_EQ(schema.column(1).min, 951782400.0);
  EXPECT_EQ(schema.column(1).max, 951786000.0);
}

TEST(SchemaFromTable, BooleanIdAndText) {
  Column flag = MakeColumn("flag", ColumnType::kBoolean);
  flag.AppendInt(1);
  flag.AppendInt(0);
  Column id = MakeColumn("id", ColumnType::kId);
  id.AppendString("a");
  id.AppendString("b");
  Column notes = MakeColumn("notes", ColumnType::kText);
  notes.AppendString("x");
  notes.AppendNull();
  const Schema schema = SchemaFromTable(MakeTable({flag, id, notes}));
  EXPECT_EQ(schema.column(0).type, ColumnType::kBoolean);
  EXPECT_FALSE(schema.column(0).nullable);
  EXPECT_EQ(schema.column(0).DomainSize(), 2u);
  EXPECT_EQ(schema.column(1).type, ColumnType::kId);
  EXPECT_FALSE(schema.column(1).domain_from_data);
  EXPECT_EQ(schema.column(2).type, ColumnType::kText);
  EXPECT_FALSE(schema.column(2).domain_from_data);
  EXPECT_TRUE(schema.column(2).nullable);
}

TEST(SchemaFromTable, AllMissingColumnsBecomeText) {
  Column colour = MakeColumn("colour", ColumnType::kCategorical);
  Column age = MakeColumn("age", ColumnType::kInteger);
  Column size = MakeColumn("size", ColumnType::kContinuous);
  Column when = MakeColumn("when", ColumnType::kDatetime);
  for (int row = 0; row < 3; ++row) {
    colour.AppendNull();
    age.AppendNull();
    size.AppendNull();
    when.AppendNull();
  }
  const Schema schema = SchemaFromTable(MakeTable({colour, age, size, when}));
  for (const ColumnSchema& column : schema.columns()) {
    SCOPED_TRACE(column.name);
    EXPECT_EQ(column.type, ColumnType::kText);
    EXPECT_TRUE(column.nullable);
    EXPECT_FALSE(column.domain_from_data);
    EXPECT_EQ(column.DomainSize(), 0u);
  }
  EXPECT_FALSE(schema.AnyDomainFromData());
  EXPECT_TRUE(schema.Validate().ok()) << schema.Validate().ToString();
}

TEST(SchemaFromTable, EmptyTable) {
  const Schema schema =
      SchemaFromTable(MakeTable({MakeColumn("colour", ColumnType::kCategorical), MakeColumn("age", ColumnType::kInteger),
                                 MakeColumn("flag", ColumnType::kBoolean)}));
  ASSERT_EQ(schema.size(), 3u);
  EXPECT_EQ(schema.column(0).type, ColumnType::kText);
  EXPECT_EQ(schema.column(1).type, ColumnType::kText);
  EXPECT_EQ(schema.column(2).type, ColumnType::kBoolean);
  EXPECT_FALSE(schema.column(0).nullable);
  EXPECT_TRUE(schema.Validate().ok());
}

TEST(SchemaFromTable, DomainCoversEveryValueAndSurvivesJson) {
  Column colour = MakeColumn("colour", ColumnType::kCategorical);
  Column age = MakeColumn("age", ColumnType::kInteger);
  Column size = MakeColumn("size", ColumnType::kContinuous);
  Column when = MakeColumn("when", ColumnType::kDatetime);
  Column flag = MakeColumn("flag", ColumnType::kBoolean);
  for (int row = 0; row < 500; ++row) {
    colour.AppendCategory(std::string(1, static_cast<char>('a' + row % 7)));
    if (row % 11 == 0) age.AppendNull(); else age.AppendInt(row * 37 % 1001 - 500);
    size.AppendDouble(static_cast<double>(row % 97) / 7.0 - 3.0);
    when.AppendInt(1577872800 + row * 4000);  // not at midnight
    flag.AppendInt(row % 3 == 0 ? 1 : 0);
  }
  const Table table = MakeTable({colour, age, size, when, flag});
  const Schema schema = SchemaFromTable(table);
  ASSERT_TRUE(schema.Validate().ok()) << schema.Validate().ToString();
  Result<Schema> reread = Schema::FromJson(schema.ToJson());
  ASSERT_TRUE(reread.ok()) << reread.status().ToString();
  for (const Schema* candidate : std::vector<const Schema*>{&schema, &*reread}) {
    Result<Encoder> encoder = Encoder::Create(*candidate);
    ASSERT_TRUE(encoder.ok());
    Context ctx(1);
    Result<EncodedTable> encoded = encoder->Encode(table, ctx);
    ASSERT_TRUE(encoded.ok());
    for (const EncodedColumn& column : encoded->columns()) {
      for (std::size_t row = 0; row < column.size(); ++row) {
        ASSERT_NE(column.code(row), column.out_of_domain_code()) << column.name() << " row " << row;
      }
    }
  }
}

TEST(IntegerBins, OnePerValueUpToTheLimit) {
  EXPECT_EQ(IntegerBins(0, 9, 64), 10u);
  EXPECT_EQ(IntegerBins(3, 3, 64), 1u);
  EXPECT_EQ(IntegerBins(-5, 5, 64), 11u);
  EXPECT_EQ(IntegerBins(0, 63, 64), 64u);
  EXPECT_EQ(IntegerBins(0, 64, 64), 64u);
  EXPECT_EQ(IntegerBins(0, 1000000, 64), 64u);
  EXPECT_EQ(IntegerBins(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(), 64), 64u);
}

}  // namespace
}  // namespace synthscale
