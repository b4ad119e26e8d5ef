#include "synthscale/table/table.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "synthscale/table/column_type.h"

namespace synthscale {
namespace {

Column MakeColumn(const std::string& name, ColumnType type) {
  Column column;
  column.name = name;
  column.type = type;
  return column;
}

std::vector<std::string> Labels(const Column& column) {
  std::vector<std::string> labels;
  for (std::size_t row = 0; row < column.size(); ++row) {
    labels.push_back(column.is_valid(row) ? column.dictionary[column.codes[row]] : "<null>");
  }
  return labels;
}

TEST(Column, AppendCategoryBuildsDictionaryInFirstSeenOrder) {
  Column column = MakeColumn("c", ColumnType::kCategorical);
  for (const char* label : {"b", "a", "b", "c", "a"}) column.AppendCategory(label);
  column.AppendNull();
  EXPECT_EQ(column.dictionary, (std::vector<std::string>{"b", "a", "c"}));
  EXPECT_EQ(column.codes, (std::vector<std::uint32_t>{0, 1, 0, 2, 1, 0}));
  EXPECT_EQ(column.size(), 6u);
  EXPECT_EQ(column.null_count(), 1u);
  EXPECT_FALSE(column.is_valid(5));
}

TEST(Column, AppendNullKeepsEveryStorageInStep) {
  for (const ColumnType type : {ColumnType::kCategorical, ColumnType::kInteger, ColumnType::kContinuous,
                                ColumnType::kDatetime, ColumnType::kBoolean, ColumnType::kId, ColumnType::kText}) {
    Column column = MakeColumn("x", type);
    column.AppendNull();
    column.AppendNull();
    EXPECT_EQ(column.size(), 2u);
    EXPECT_EQ(column.null_count(), 2u);
    const std::size_t stored = column.codes.size() + column.ints.size() + column.doubles.size() + column.strings.size();
    EXPECT_EQ(stored, 2u) << ColumnTypeName(type);
  }
}

TEST(Column, AppendRangeRemapsCategoriesIntoThisDictionary) {
  Column target = MakeColumn("c", ColumnType::kCategorical);
  target.AppendCategory("x");
  target.AppendCategory("y");
  Column source = MakeColumn("c", ColumnType::kCategorical);
  for (const char* label : {"z", "y", "x", "z"}) source.AppendCategory(label);
  source.AppendNull();
  target.AppendRange(source, 1, 5);
  EXPECT_EQ(Labels(target), (std::vector<std::string>{"x", "y", "y", "x", "z", "<null>"}));
  EXPECT_EQ(target.dictionary, (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_EQ(target.null_count(), 1u);
}

TEST(Column, AppendRangeCopiesValuesOfOtherTypes) {
  Column ints = MakeColumn("i", ColumnType::kInteger);
  Column source_ints = MakeColumn("i", ColumnType::kInteger);
  for (std::int64_t value : {1, 2, 3, 4}) source_ints.AppendInt(value);
  ints.AppendRange(source_ints, 1, 3);
  EXPECT_EQ(ints.ints, (std::vector<std::int64_t>{2, 3}));

  Column doubles = MakeColumn("d", ColumnType::kContinuous);
  Column source_doubles = MakeColumn("d", ColumnType::kContinuous);
  source_doubles.AppendDouble(0.5);
  source_doubles.AppendNull();
  doubles.AppendRange(source_doubles, 0, 2);
  EXPECT_EQ(doubles.doubles.size(), 2u);
  EXPECT_EQ(doubles.doubles[0], 0.5);
  EXPECT_FALSE(doubles.is_valid(1));

  Column strings = MakeColumn("s", ColumnType::kText);
  Column source_strings = MakeColumn("s", ColumnType::kText);
  for (const char* text : {"", "héllo", "a,b"}) source_strings.AppendString(text);
  strings.AppendString("first");
  strings.AppendRange(source_strings, 0, 3);
  ASSERT_EQ(strings.strings.size(), 4u);
  EXPECT_EQ(strings.strings.at(0), "first");
  EXPECT_EQ(strings.strings.at(1), "");
  EXPECT_EQ(strings.strings.at(2), "héllo");
  EXPECT_EQ(strings.strings.at(3), "a,b");
}

TEST(Table, FindColumnAndAppendRows) {
  Column colour = MakeColumn("colour", ColumnType::kCategorical);
  colour.AppendCategory("red");
  Column age = MakeColumn("age", ColumnType::kInteger);
  age.AppendInt(30);
  Table table;
  table.AddColumn(colour);
  table.AddColumn(age);
  EXPECT_EQ(table.num_rows(), 1u);
  EXPECT_EQ(table.num_columns(), 2u);
  EXPECT_EQ(table.FindColumn("age"), 1);
  EXPECT_EQ(table.FindColumn("Age"), -1);

  Column more_colour = MakeColumn("colour", ColumnType::kCategorical);
  more_colour.AppendCategory("blue");
  more_colour.AppendCategory("red");
  Column more_age = MakeColumn("age", ColumnType::kInteger);
  more_age.AppendInt(40);
  more_age.AppendNull();
  Table more;
  more.AddColumn(more_colour);
  more.AddColumn(more_age);
  table.AppendRows(more);
  EXPECT_EQ(table.num_rows(), 3u);
  EXPECT_EQ(Labels(table.column(0)), (std::vector<std::string>{"red", "blue", "red"}));
  EXPECT_EQ(table.column(1).ints, (std::vector<std::int64_t>{30, 40, 0}));
  EXPECT_FALSE(table.column(1).is_valid(2));
}

TEST(ColumnType, NamesRoundTrip) {
  for (const ColumnType type : {ColumnType::kCategorical, ColumnType::kInteger, ColumnType::kContinuous,
                                ColumnType::kDatetime, ColumnType::kBoolean, ColumnType::kId, ColumnType::kText}) {
    const auto parsed = ParseColumnType(ColumnTypeName(type));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, type);
  }
  EXPECT_FALSE(ParseColumnType("Categorical").has_value());
  EXPECT_FALSE(ParseColumnType("").has_value());
  EXPECT_TRUE(IsModelled(ColumnType::kBoolean));
  EXPECT_FALSE(IsModelled(ColumnType::kId));
  EXPECT_FALSE(IsModelled(ColumnType::kText));
}

}  // namespace
}  // namespace synthscale
