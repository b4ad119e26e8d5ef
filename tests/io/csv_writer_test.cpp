#include "synthscale/io/csv_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "io_test_util.h"
#include "synthscale/io/csv_reader.h"
#include "synthscale/table/datetime.h"

namespace synthscale {
namespace {

using testing_io::Categorical;
using testing_io::Numeric;
using testing_io::Plain;
using testing_io::ReadAll;
using testing_io::TempDir;

Schema WriterSchema() {
  ColumnSchema stamp = Numeric("stamp", ColumnType::kDatetime, 0, 4e9);
  stamp.datetime_format = DatetimeFormat::kDatetime;
  return Schema({Categorical("colour", {"red", "NA", "a,b"}), Numeric("count", ColumnType::kInteger, -1e15, 1e15),
                 Numeric("value", ColumnType::kContinuous, -1e300, 1e300), Plain("flag", ColumnType::kBoolean),
                 Numeric("day", ColumnType::kDatetime, 0, 4e9), stamp, Plain("note", ColumnType::kText),
                 Plain("key", ColumnType::kId)});
}

Table SampleTable() {
  const Schema schema = WriterSchema();
  Table table;
  for (const ColumnSchema& spec : schema.columns()) {
    Column column;
    column.name = spec.name;
    column.type = spec.type;
    column.dictionary = spec.categories;
    table.AddColumn(std::move(column));
  }
  auto col = [&](std::size_t idx) -> Column& { return table.mutable_column(idx); };
  const std::int64_t day = ParseDatetime("2021-06-30")->seconds;
  const std::int64_t stamp = ParseDatetime("2021-06-30T12:34:56")->seconds;
  // Row 1: ordinary values.
  col(0).AppendCode(0);
  col(1).AppendInt(-42);
  col(2).AppendDouble(0.1);
  col(3).AppendInt(1);
  col(4).AppendInt(day);
  col(5).AppendInt(stamp);
  col(6).AppendString("plain");
  col(7).AppendString("k1");
  // Row 2: values that need quotes, and extremes.
  col(0).AppendCode(1);
  col(1).AppendInt(std::numeric_limits<std::int64_t>::min());
  col(2).AppendDouble(1.0 / 3.0);
  col(3).AppendInt(0);
  col(4).AppendInt(0);
  col(5).AppendInt(0);
  col(6).AppendString("say \"hi\", then\nleave\r\n");
  col(7).AppendString("");
  // Row 3: every value missing.
  for (std::size_t idx = 0; idx < table.num_columns(); ++idx) col(idx).AppendNull();
  // Row 4: a label with the delimiter, the text NA, a tiny and a huge double.
  col(0).AppendCode(2);
  col(1).AppendInt(std::numeric_limits<std::int64_t>::max());
  col(2).AppendDouble(-1.5e-300);
  col(3).AppendInt(1);
  col(4).AppendInt(day);
  col(5).AppendInt(stamp);
  col(6).AppendString("NA");
  col(7).AppendString("?");
  table.SetNumRows(4);
  return table;
}

TEST(CsvWriter, QuotesOnlyWhereReadingBackNeedsIt) {
  TempDir dir;
  const std::string path = dir.File("out.csv");
  Context ctx(1);
  ASSERT_TRUE(WriteCsv(SampleTable(), path, WriterSchema(), false, ctx).ok());
  EXPECT_EQ(ReadAll(path),
            "colour,count,value,flag,day,stamp,note,key\n"
            "red,-42,0.1,true,2021-06-30,2021-06-30T12:34:56,plain,k1\n"
            "\"NA\",-9223372036854775808,0.3333333333333333,false,1970-01-01,1970-01-01T00:00:00,"
            "\"say \"\"hi\"\", then\nleave\r\n\",\"\"\n"
            ",,,,,,,\n"
            "\"a,b\",9223372036854775807,-1.5e-300,true,2021-06-30,2021-06-30T12:34:56,\"NA\",\"?\"\n");
}

TEST(CsvWriter, RoundTripsThroughTheReader) {
  TempDir dir;
  const std::string path = dir.File("round.csv");
  Context ctx(2);
  const Table original = SampleTable();
  ASSERT_TRUE(WriteCsv(original, path, WriterSchema(), false, ctx).ok());
  CsvOptions options;
  options.strict_domain = false;  // the extreme integers lie outside the schema's bounds
  Result<Table> back = ReadCsv(path, WriterSchema(), options, ctx);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->num_rows(), original.num_rows());
  for (std::size_t col_idx = 0; col_idx < original.num_columns(); ++col_idx) {
    const Column& want = original.column(col_idx);
    const Column& got = back->column(col_idx);
    EXPECT_EQ(got.valid, want.valid) << want.name;
    for (std::size_t row = 0; row < want.size(); ++row) {
      if (!want.is_valid(row)) continue;
      switch (want.type) {
        case ColumnType::kCategorical: EXPECT_EQ(got.codes[row], want.codes[row]) << want.name; break;
        case ColumnType::kContinuous: EXPECT_EQ(got.doubles[row], want.doubles[row]) << want.name; break;
        case ColumnType::kId:
        case ColumnType::kText: EXPECT_EQ(got.strings.at(row), want.strings.at(row)) << want.name; break;
        default: EXPECT_EQ(got.ints[row], want.ints[row]) << want.name; break;
      }
    }
  }
}

TEST(CsvWriter, DoublesUseTheShortestFormThatReadsBackExactly) {
  TempDir dir;
  Context ctx(1);
  const Schema schema({Numeric("x", ColumnType::kContinuous, -1e300, 1e300)});
  Table table;
  Column column;
  column.name = "x";
  column.type = ColumnType::kContinuous;
  const std::vector<double> values = {0.1, 1e21, 5e-324, -0.0, 123456789.125, std::nextafter(1.0, 2.0),
                                      std::numeric_limits<double>::quiet_NaN()};
  for (const double value : values) column.AppendDouble(value);
  table.AddColumn(column);
  const std::string path = dir.File("doubles.csv");
  ASSERT_TRUE(WriteCsv(table, path, schema, false, ctx).ok());
  EXPECT_EQ(ReadAll(path), "x\n0.1\n1e+21\n5e-324\n-0\n123456789.125\n1.0000000000000002\n\n");
  Result<Table> back = ReadCsv(path, schema, CsvOptions{}, ctx);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  for (std::size_t row = 0; row + 1 < values.size(); ++row) {
    EXPECT_EQ(std::signbit(back->column(0).doubles[row]), std::signbit(values[row]));
    EXPECT_EQ(back->column(0).doubles[row], values[row]);
  }
  EXPECT_FALSE(back->column(0).is_valid(values.size() - 1));  // NaN is written as missing
}

TEST(CsvWriter, SameBytesForAnyThreadCountAndBatching) {
  TempDir dir;
  const Schema schema({Categorical("c", {"p", "q, r"}), Numeric("n", ColumnType::kInteger, 0, 1e9),
                       Numeric("d", ColumnType::kContinuous, 0, 1)});
  Table table;
  Column c, n, d;
  c.name = "c";
  c.type = ColumnType::kCategorical;
  c.dictionary = {"p", "q, r"};
  n.name = "n";
  n.type = ColumnType::kInteger;
  d.name = "d";
  d.type = ColumnType::kContinuous;
  for (std::uint32_t row = 0; row < 20000; ++row) {
    c.AppendCode(row % 2);
    if (row % 7 == 0) {
      n.AppendNull();
    } else {
      n.AppendInt(row * 7919);
    }
    d.AppendDouble(static_cast<double>(row) / 20000.0);
  }
  table.AddColumn(c);
  table.AddColumn(n);
  table.AddColumn(d);
  std::string first;
  for (const std::size_t threads : {std::size_t{1}, std::size_t{2}, std::size_t{7}}) {
    Context ctx(threads);
    const std::string path = dir.File("t" + std::to_string(threads) + ".csv");
    ASSERT_TRUE(WriteCsv(table, path, schema, false, ctx).ok());
    if (first.empty()) {
      first = ReadAll(path);
    } else {
      EXPECT_EQ(ReadAll(path), first) << threads << " threads";
    }
  }
  // Appending the rows in two batches gives the same bytes.
  Context ctx(2);
  Table head, tail;
  for (const Column& column : table.columns()) {
    Column empty;
    empty.name = column.name;
    empty.type = column.type;
    empty.dictionary = column.dictionary;
    Column front = empty, back = empty;
    front.AppendRange(column, 0, 12345);
    back.AppendRange(column, 12345, column.size());
    head.AddColumn(front);
    tail.AddColumn(back);
  }
  const std::string path = dir.File("batches.csv");
  Result<CsvWriter> writer = CsvWriter::Create(path, schema, false);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(writer->Append(head, ctx).ok());
  ASSERT_TRUE(writer->Append(tail, ctx).ok());
  ASSERT_TRUE(writer->Commit().ok());
  EXPECT_EQ(writer->rows_written(), 20000u);
  EXPECT_EQ(ReadAll(path), first);
}

TEST(CsvWriter, ExistingOutputIsKeptWithoutForceAndNothingIsLeftOnFailure) {
  TempDir dir;
  const std::string path = dir.Write("synth.csv", "keep me");
  Result<CsvWriter> refused = CsvWriter::Create(path, WriterSchema(), false);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(ReadAll(path), "keep me");
  {
    Result<CsvWriter> abandoned = CsvWriter::Create(dir.File("other.csv"), WriterSchema(), false);
    ASSERT_TRUE(abandoned.ok());
    Context ctx(1);
    ASSERT_TRUE(abandoned->Append(SampleTable(), ctx).ok());
  }
  EXPECT_EQ(dir.List(), std::vector<std::string>{"synth.csv"});
  Context ctx(1);
  ASSERT_TRUE(WriteCsv(SampleTable(), path, WriterSchema(), true, ctx).ok());
  EXPECT_NE(ReadAll(path), "keep me");
}

TEST(CsvWriter, TableMustHaveTheSchemasColumnsAndTypes) {
  TempDir dir;
  Context ctx(1);
  Table table = SampleTable();
  const Schema other({Plain("missing", ColumnType::kText)});
  Status status = WriteCsv(table, dir.File("a.csv"), other, false, ctx);
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(status.message().find("no column 'missing'"), std::string::npos);
  const Schema wrong_type({Plain("note", ColumnType::kBoolean)});
  status = WriteCsv(table, dir.File("b.csv"), wrong_type, false, ctx);
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(status.message().find("but the schema says boolean"), std::string::npos);
  EXPECT_TRUE(dir.List().empty());
}

TEST(CsvWriter, OtherDelimitersAndEmptyTables) {
  TempDir dir;
  Context ctx(1);
  const Schema schema({Plain("a b", ColumnType::kText), Plain("c;d", ColumnType::kText)});
  Table table;
  Column a, b;
  a.name = "a b";
  b.name = "c;d";
  a.AppendString("x;y");
  b.AppendString("x,y");
  table.AddColumn(a);
  table.AddColumn(b);
  const std::string path = dir.File("semi.csv");
  Result<CsvWriter> writer = CsvWriter::Create(path, schema, false, ';');
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(writer->Append(table, ctx).ok());
  ASSERT_TRUE(writer->Commit().ok());
  EXPECT_EQ(ReadAll(path), "a b;\"c;d\"\n\"x;y\";x,y\n");
  Result<CsvWriter> header_only = CsvWriter::Create(dir.File("empty.csv"), schema, false);
  ASSERT_TRUE(header_only.ok());
  ASSERT_TRUE(header_only->Commit().ok());
  EXPECT_EQ(ReadAll(dir.File("empty.csv")), "a b,c;d\n");
  EXPECT_EQ(CsvWriter::Create(dir.File("bad.csv"), schema, false, '"').status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace synthscale
