#include "synthscale/io/csv_reader.h"

#include <gtest/gtest.h>

#include "io_test_util.h"
#include "synthscale/table/datetime.h"

namespace synthscale {
namespace {

using testing_io::Categorical;
using testing_io::Numeric;
using testing_io::Plain;
using testing_io::TempDir;

Schema MixedSchema() {
  return Schema({Categorical("colour", {"red", "green", "blue"}),
                 Numeric("age", ColumnType::kInteger, 0, 120),
                 Numeric("score", ColumnType::kContinuous, -10, 10),
                 Plain("member", ColumnType::kBoolean),
                 Numeric("joined", ColumnType::kDatetime, 0, 4102444800.0),
                 Plain("note", ColumnType::kText)});
}

Result<Table> ReadText(const std::string& text, const Schema& schema, const CsvOptions& options = {},
                       std::size_t threads = 1) {
  Context ctx(threads);
  SYNTHSCALE_ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader, CsvReader::OpenBuffer(text, options, "mem.csv"));
  Table all;
  Table batch;
  bool first = true;
  while (true) {
    SYNTHSCALE_ASSIGN_OR_RETURN(const bool more, reader->NextBatch(schema, ctx, &batch));
    if (!more) break;
    if (first) {
      all = batch;
      first = false;
    } else {
      all.AppendRows(batch);
    }
  }
  return all;
}

// Every value of a table as text, for whole-table comparisons.
std::string Dump(const Table& table) {
  std::string out;
  for (const Column& column : table.columns()) {
    out += column.name + "[" + std::string(ColumnTypeName(column.type)) + "]:";
    for (const std::string& label : column.dictionary) out += " dict=" + label;
    out += "\n";
    for (std::size_t row = 0; row < column.size(); ++row) {
      if (!column.is_valid(row)) {
        out += " <NA>";
        continue;
      }
      switch (column.type) {
        case ColumnType::kCategorical: out += " #" + std::to_string(column.codes[row]); break;
        case ColumnType::kInteger:
        case ColumnType::kDatetime:
        case ColumnType::kBoolean: out += " " + std::to_string(column.ints[row]); break;
        case ColumnType::kContinuous: out += " " + std::to_string(column.doubles[row]); break;
        case ColumnType::kId:
        case ColumnType::kText: out += " '" + std::string(column.strings.at(row)) + "'"; break;
      }
    }
    out += "\n";
  }
  return out;
}

// Check a failed read: code, a message substring and the location.
void ExpectError(const Status& status, ErrorCode code, const std::string& substring, std::int64_t line = -1,
                 std::int64_t column = -1, std::int64_t row = -1, const std::string& field = "") {
  ASSERT_FALSE(status.ok()) << "expected an error containing: " << substring;
  EXPECT_EQ(status.code(), code) << status.ToString();
  EXPECT_NE(status.message().find(substring), std::string::npos) << status.ToString();
  if (line >= 0) {
    EXPECT_EQ(status.location().line, line) << status.ToString();
  }
  if (column >= 0) {
    EXPECT_EQ(status.location().column, column) << status.ToString();
  }
  if (row >= 0) {
    EXPECT_EQ(status.location().row, row) << status.ToString();
  }
  if (!field.empty()) {
    EXPECT_EQ(status.location().field, field) << status.ToString();
  }
}

Schema TwoColumns() {
  return Schema({Categorical("a", {"x", "y", "z"}), Numeric("b", ColumnType::kInteger, -1000, 1000)});
}

TEST(CsvReader, ReadsEveryTypeByHeaderName) {
  const std::string text =
      "note,member,age,colour,score,joined\n"
      "hello,true,42,green,1.5,2020-01-02\n"
      "\"a, b\",NO,  7 ,blue,-2e0,2021-03-04T05:06:07\n";
  Result<Table> table = ReadText(text, MixedSchema());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ(table->num_rows(), 2u);
  ASSERT_EQ(table->num_columns(), 6u);
  EXPECT_EQ(table->column(0).name, "colour");
  EXPECT_EQ(table->column(0).codes, (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(table->column(0).dictionary, (std::vector<std::string>{"red", "green", "blue"}));
  EXPECT_EQ(table->column(1).ints, (std::vector<std::int64_t>{42, 7}));
  EXPECT_EQ(table->column(2).doubles, (std::vector<double>{1.5, -2.0}));
  EXPECT_EQ(table->column(3).ints, (std::vector<std::int64_t>{1, 0}));
  EXPECT_EQ(table->column(4).ints[0], ParseDatetime("2020-01-02")->seconds);
  EXPECT_EQ(table->column(4).ints[1], ParseDatetime("2021-03-04T05:06:07")->seconds);
  EXPECT_EQ(table->column(5).strings.at(0), "hello");
  EXPECT_EQ(table->column(5).strings.at(1), "a, b");
}

TEST(CsvReader, QuotedFieldsKeepDelimitersQuotesAndNewlines) {
  const Schema schema({Plain("t", ColumnType::kText), Plain("u", ColumnType::kText)});
  Result<Table> table = ReadText("t,u\n\"say \"\"hi\"\"\",\"a,b\"\n\"line1\nline2\",\"\"\"\"\n\"\",plain\n", schema);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ(table->num_rows(), 3u);
  EXPECT_EQ(table->column(0).strings.at(0), "say \"hi\"");
  EXPECT_EQ(table->column(1).strings.at(0), "a,b");
  EXPECT_EQ(table->column(0).strings.at(1), "line1\nline2");
  EXPECT_EQ(table->column(1).strings.at(1), "\"");
  EXPECT_TRUE(table->column(0).is_valid(2));  // "" quoted: the empty string, not missing
  EXPECT_EQ(table->column(0).strings.at(2), "");
}

TEST(CsvReader, CrlfAndLfGiveTheSameTable) {
  const std::string lf = "colour,age,score,member,joined,note\nred,1,0.5,yes,2020-01-01,\"x\ny\"\nblue,,,,,\n";
  std::string crlf;
  for (const char ch : lf) {
    if (ch == '\n') crlf += "\r";
    crlf += ch;
  }
  Result<Table> from_lf = ReadText(lf, MixedSchema());
  Result<Table> from_crlf = ReadText(crlf, MixedSchema());
  ASSERT_TRUE(from_lf.ok()) << from_lf.status().ToString();
  ASSERT_TRUE(from_crlf.ok()) << from_crlf.status().ToString();
  // The quoted value keeps its own line break as written (LF or CRLF); everything else matches.
  EXPECT_EQ(from_crlf->column(5).strings.at(0), "x\r\ny");
  Table lf_table = *from_lf;
  Table crlf_table = *from_crlf;
  lf_table.mutable_column(5) = Column{};
  crlf_table.mutable_column(5) = Column{};
  EXPECT_EQ(Dump(lf_table), Dump(crlf_table));
}

TEST(CsvReader, Utf8ByteOrderMarkIsStripped) {
  Result<Table> table = ReadText("\xEF\xBB\xBF" "a,b\nx,1\r\ny,2\r\n", TwoColumns());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->num_rows(), 2u);
}

TEST(CsvReader, ByteOrderMarkIsStrippedEvenWithOneByteChunks) {
  CsvOptions options;
  options.chunk_bytes = 1;
  Result<Table> table = ReadText("\xEF\xBB\xBF" "a,b\nx,1\n", TwoColumns(), options);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->num_rows(), 1u);
}

TEST(CsvReader, MissingTokensApplyToUnquotedFieldsOnly) {
  const Schema schema({Plain("t", ColumnType::kText), Categorical("c", {"NA", "x"}),
                       Numeric("n", ColumnType::kInteger, 0, 9)});
  Result<Table> table = ReadText("t,c,n\nNA,NA,NA\n\"NA\",\"NA\",\n,x,?\nnull,N/A,NULL\n", schema);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  const Column& text = table->column(0);
  const Column& category = table->column(1);
  EXPECT_EQ(text.valid, (std::vector<std::uint8_t>{0, 1, 0, 0}));
  EXPECT_EQ(text.strings.at(1), "NA");
  EXPECT_EQ(category.valid, (std::vector<std::uint8_t>{0, 1, 1, 0}));
  EXPECT_EQ(category.codes[1], 0u);
  EXPECT_EQ(table->column(2).null_count(), 4u);
}

TEST(CsvReader, CustomMissingTokensReplaceTheDefaults) {
  CsvOptions options;
  options.missing_tokens = {"-"};
  const Schema schema({Plain("t", ColumnType::kText), Numeric("n", ColumnType::kInteger, 0, 9)});
  Result<Table> table = ReadText("t,n\nNA,-\n-,3\n", schema, options);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->column(0).valid, (std::vector<std::uint8_t>{1, 0}));
  EXPECT_EQ(table->column(0).strings.at(0), "NA");
  EXPECT_EQ(table->column(1).valid, (std::vector<std::uint8_t>{0, 1}));
  ExpectError(ReadText("t,n\nx,\n", schema, options).status(), ErrorCode::kInvalidData, "expected an integer, found ''",
              2, 3, 1, "n");
}

TEST(CsvReader, SpacesAroundNumbersBooleansAndDatesAreIgnoredButLabelsAreExact) {
  const Schema schema({Numeric("i", ColumnType::kInteger, -9, 9), Numeric("d", ColumnType::kContinuous, -9, 9),
                       Plain("b", ColumnType::kBoolean), Numeric("t", ColumnType::kDatetime, 0, 4e9),
                       Categorical("c", {"x"})});
  Result<Table> table = ReadText("i,d,b,t,c\n +3 , 1.25 ,\tTRUE , 2020-01-01 ,x\n", schema);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->column(0).ints[0], 3);
  EXPECT_EQ(table->column(1).doubles[0], 1.25);
  EXPECT_EQ(table->column(2).ints[0], 1);
  ExpectError(ReadText("i,d,b,t,c\n1,1,1,2020-01-01, x\n", schema).status(), ErrorCode::kInvalidData,
              "category ' x' is not in the schema", 2, 18, 1, "c");
}

TEST(CsvReader, BooleanSpellings) {
  const Schema schema({Plain("b", ColumnType::kBoolean)});
  Result<Table> table = ReadText("b\ntrue\nFalse\nYES\nno\n1\n0\n", schema);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->column(0).ints, (std::vector<std::int64_t>{1, 0, 1, 0, 1, 0}));
}

TEST(CsvReader, NumbersInCommonNotations) {
  const Schema schema({Numeric("d", ColumnType::kContinuous, -1e6, 1e6), Numeric("i", ColumnType::kInteger, -9, 9)});
  Result<Table> table = ReadText("d,i\n.5,+1\n-5.,-0\n1e-3,0\n+2.5E2,7\n", schema);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->column(0).doubles, (std::vector<double>{0.5, -5.0, 0.001, 250.0}));
  EXPECT_EQ(table->column(1).ints, (std::vector<std::int64_t>{1, 0, 0, 7}));
}

TEST(CsvReader, ConcatenatedGzipMembersAreReadInTurn) {
  TempDir dir;
  const std::string path = dir.Write("two.csv.gz", testing_io::Gzip("a,b\nx,1\n") + testing_io::Gzip("y,2\n"));
  Context ctx(1);
  Result<Table> table = ReadCsv(path, TwoColumns(), CsvOptions{}, ctx);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->column(1).ints, (std::vector<std::int64_t>{1, 2}));
}

TEST(CsvReader, ConfigurableDelimiter) {
  CsvOptions options;
  options.delimiter = ';';
  Result<Table> table = ReadText("a;b\nx;1\n\"y;z\";2\n", Schema({Plain("a", ColumnType::kText),
                                                                   Numeric("b", ColumnType::kInteger, 0, 9)}),
                                 options);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->column(0).strings.at(1), "y;z");
  options.delimiter = '\t';
  table = ReadText("a\tb\nx,y\t1\n", Schema({Plain("a", ColumnType::kText), Numeric("b", ColumnType::kInteger, 0, 9)}),
                   options);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->column(0).strings.at(0), "x,y");
}

TEST(CsvReader, EmptyLinesAreSkippedAndTheLastLineBreakIsOptional) {
  Result<Table> table = ReadText("\n\na,b\nx,1\n\n\r\ny,2\n\nz,3", TwoColumns());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->num_rows(), 3u);
  EXPECT_EQ(table->column(1).ints, (std::vector<std::int64_t>{1, 2, 3}));
}

TEST(CsvReader, OneColumnFileReadsEmptyLinesAsMissingValues) {
  Result<Table> table = ReadText("n\n1\n\n3\n", Schema({Numeric("n", ColumnType::kInteger, 0, 9)}));
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->column(0).valid, (std::vector<std::uint8_t>{1, 0, 1}));
}

TEST(CsvReader, LabelsOutsideTheSchemaFollowInFirstAppearanceOrderWhenAllowed) {
  CsvOptions options;
  options.strict_domain = false;
  options.chunk_bytes = 16;  // many chunks and pieces
  const Schema schema({Categorical("a", {"x", "y"}), Numeric("b", ColumnType::kInteger, 0, 1, 2, false)});
  const std::string text = "a,b\nq,5\nx,1\np,NA\nq,2\ny,3\nr,-4\np,1\n";
  for (const std::size_t threads : {std::size_t{1}, std::size_t{2}, std::size_t{7}}) {
    Result<Table> table = ReadText(text, schema, options, threads);
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    EXPECT_EQ(table->column(0).dictionary, (std::vector<std::string>{"x", "y", "q", "p", "r"}));
    EXPECT_EQ(table->column(0).codes, (std::vector<std::uint32_t>{2, 0, 3, 2, 1, 4, 3}));
    // Out of bounds and missing in a non-nullable column are kept as read.
    EXPECT_EQ(table->column(1).ints[0], 5);
    EXPECT_EQ(table->column(1).valid[2], 0);
  }
}

TEST(CsvReader, ReadCsvMatchesNextBatchesAndReadsGzip) {
  TempDir dir;
  std::string text = "colour,age,score,member,joined,note\n";
  for (int row = 0; row < 3000; ++row) {
    text += std::string(row % 3 == 0 ? "red" : row % 3 == 1 ? "green" : "blue") + "," + std::to_string(row % 120) +
            "," + std::to_string(row % 19 - 9) + ".25," + (row % 2 ? "true" : "false") + ",2020-01-" +
            std::to_string(10 + row % 20) + ",\"note " + std::to_string(row) + "\nsecond line\"\n";
  }
  const std::string plain = dir.Write("data.csv", text);
  const std::string gzipped = dir.Write("data.csv.gz", testing_io::Gzip(text));
  CsvOptions options;
  options.chunk_bytes = 4096;
  Context ctx(2);
  Result<Table> from_plain = ReadCsv(plain, MixedSchema(), options, ctx);
  Result<Table> from_gzip = ReadCsv(gzipped, MixedSchema(), options, ctx);
  Result<Table> batched = ReadText(text, MixedSchema(), options, 2);
  ASSERT_TRUE(from_plain.ok()) << from_plain.status().ToString();
  ASSERT_TRUE(from_gzip.ok()) << from_gzip.status().ToString();
  ASSERT_TRUE(batched.ok()) << batched.status().ToString();
  EXPECT_EQ(from_plain->num_rows(), 3000u);
  EXPECT_EQ(Dump(*from_plain), Dump(*from_gzip));
  EXPECT_EQ(Dump(*from_plain), Dump(*batched));
}

// A file whose records and quoted fields straddle chunk and piece boundaries.
std::string StraddlingText(int rows) {
  std::string text = "note,colour,age\n";
  for (int row = 0; row < rows; ++row) {
    std::string note = "n" + std::to_string(row);
    if (row % 7 == 0) note = "\"quoted, with \"\"quotes\"\"\nand a line break " + std::to_string(row) + "\"";
    if (row % 11 == 0) note = std::string(static_cast<std::size_t>(row % 150), 'w');
    if (row % 13 == 0) note = "\"\"";
    text += note + "," + (row % 5 == 0 ? "NA" : row % 2 ? "red" : "blue") + "," + std::to_string(row % 100) +
            (row % 3 == 0 ? "\r\n" : "\n");
  }
  return text;
}

TEST(CsvReader, TinyChunksGiveTheSameTableAsOneChunk) {
  const Schema schema({Plain("note", ColumnType::kText), Categorical("colour", {"red", "blue"}),
                       Numeric("age", ColumnType::kInteger, 0, 99)});
  const std::string text = StraddlingText(2000);
  CsvOptions whole;
  whole.chunk_bytes = 1u << 24;
  Result<Table> reference = ReadText(text, schema, whole);
  ASSERT_TRUE(reference.ok()) << reference.status().ToString();
  ASSERT_EQ(reference->num_rows(), 2000u);
  for (const std::size_t chunk_bytes : {std::size_t{1}, std::size_t{7}, std::size_t{64}, std::size_t{1000}}) {
    CsvOptions options;
    options.chunk_bytes = chunk_bytes;
    Result<Table> table = ReadText(text, schema, options, 2);
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    EXPECT_EQ(Dump(*table), Dump(*reference)) << "chunk_bytes " << chunk_bytes;
  }
}

TEST(CsvReader, SameTableForAnyThreadCount) {
  const Schema schema({Plain("note", ColumnType::kText), Categorical("colour", {"red", "blue"}),
                       Numeric("age", ColumnType::kInteger, 0, 99)});
  const std::string text = StraddlingText(20000);
  CsvOptions options;
  options.chunk_bytes = 64u << 10;
  std::string first;
  for (const std::size_t threads : {std::size_t{1}, std::size_t{2}, std::size_t{7}}) {
    Result<Table> table = ReadText(text, schema, options, threads);
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    if (first.empty()) {
      first = Dump(*table);
    } else {
      EXPECT_EQ(Dump(*table), first) << threads << " threads";
    }
  }
}

TEST(CsvReader, NextBatchEndsWithFalseAndAnEmptyBatch) {
  Context ctx(1);
  CsvOptions options;
  options.chunk_bytes = 8;
  std::string text = "a,b\n";
  for (int row = 0; row < 100; ++row) text += "x," + std::to_string(row % 10) + "\n";
  Result<std::unique_ptr<CsvReader>> reader = CsvReader::OpenBuffer(text, options);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->header(), (std::vector<std::string>{"a", "b"}));
  Table batch;
  std::size_t rows = 0;
  std::size_t batches = 0;
  while (true) {
    Result<bool> more = (*reader)->NextBatch(TwoColumns(), ctx, &batch);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    EXPECT_GT(batch.num_rows(), 0u);
    rows += batch.num_rows();
    ++batches;
  }
  EXPECT_EQ(rows, 100u);
  EXPECT_GT(batches, 1u);
  EXPECT_EQ(batch.num_rows(), 0u);
  EXPECT_EQ(batch.num_columns(), 2u);
  Result<bool> again = (*reader)->NextBatch(TwoColumns(), ctx, &batch);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
}

TEST(CsvReader, ReportsProgressInBytes) {
  TempDir dir;
  const std::string text = StraddlingText(500);
  const std::string path = dir.Write("p.csv", text);
  Context ctx(1);
  std::uint64_t last_done = 0;
  std::uint64_t last_total = 0;
  std::string stage;
  ctx.progress = [&](std::string_view name, std::uint64_t done, std::uint64_t total) {
    stage = std::string(name);
    EXPECT_GE(done, last_done);
    last_done = done;
    last_total = total;
  };
  CsvOptions options;
  options.chunk_bytes = 1024;
  Result<Table> table = ReadCsv(path, Schema({Plain("note", ColumnType::kText), Categorical("colour", {"red", "blue"}),
                                              Numeric("age", ColumnType::kInteger, 0, 99)}),
                                options, ctx);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(stage, "reading " + path);
  EXPECT_EQ(last_total, text.size());
  EXPECT_EQ(last_done, text.size());
}

TEST(CsvReader, ReadsTheTrickyFixture) {
  // tests/data/csv/tricky.csv: BOM, CRLF, a quoted CRLF and quotes, UTF-8 labels, a
  // quoted NA (a label) next to an unquoted one (missing), an empty quoted text.
  ColumnSchema when = Numeric("when", ColumnType::kDatetime, 0, 4e9);
  when.datetime_format = DatetimeFormat::kDatetime;
  const Schema schema({Plain("id", ColumnType::kId), Plain("comment", ColumnType::kText),
                       Categorical("city", {"Lyon", "S\xC3\xA3o Paulo", "Z\xC3\xBCrich", "NA"}),
                       Numeric("amount", ColumnType::kContinuous, -10, 1000), when});
  Context ctx(2);
  Result<Table> table = ReadCsv(std::string(SYNTHSCALE_TEST_DATA_DIR) + "/csv/tricky.csv", schema, CsvOptions{}, ctx);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ(table->num_rows(), 4u);
  EXPECT_EQ(table->column(0).strings.at(3), "4");
  EXPECT_EQ(table->column(1).strings.at(0), "He said \"hi\",\r\nthen left");
  EXPECT_TRUE(table->column(1).is_valid(2));
  EXPECT_EQ(table->column(1).strings.at(2), "");
  EXPECT_FALSE(table->column(1).is_valid(3));
  EXPECT_EQ(table->column(2).codes, (std::vector<std::uint32_t>{2, 1, 0, 3}));
  EXPECT_EQ(table->column(3).doubles[0], 12.5);
  EXPECT_FALSE(table->column(3).is_valid(2));
  EXPECT_EQ(table->column(3).doubles[3], 1000.0);
  EXPECT_EQ(table->column(4).ints[1], ParseDatetime("2021-02-01T08:30:00")->seconds);
  EXPECT_FALSE(table->column(4).is_valid(2));
}

// ---- errors: each with its message and exact location -------------------------------

TEST(CsvReaderErrors, RaggedRowWithTooManyFieldsPointsAtTheFirstExtraField) {
  ExpectError(ReadText("a,b\nx,1\ny,2,3\n", TwoColumns()).status(), ErrorCode::kInvalidData,
              "expected 2 fields (as in the header), found 3", 3, 5, 2);
}

TEST(CsvReaderErrors, RaggedRowWithTooFewFieldsPointsAtTheLineEnd) {
  ExpectError(ReadText("a,b\nx,1\ny\r\n", TwoColumns()).status(), ErrorCode::kInvalidData,
              "expected 2 fields (as in the header), found 1", 3, 2, 2);
}

TEST(CsvReaderErrors, UnterminatedQuotePointsAtTheOpeningQuote) {
  ExpectError(ReadText("a,b\nx,1\n\"y,2\nz,3\n", TwoColumns()).status(), ErrorCode::kInvalidData,
              "unterminated quoted field", 3, 1, 2, "a");
}

TEST(CsvReaderErrors, UnterminatedQuoteLongerThanTheLimitSaysSo) {
  CsvOptions options;
  options.chunk_bytes = 64;
  options.max_field_bytes = 1000;
  ExpectError(ReadText("a,b\nx,1\ny,\"" + std::string(5000, 'q') + "\n", TwoColumns(), options).status(),
              ErrorCode::kInvalidData, "not closed within 1000 bytes", 3, 3, 2);
}

TEST(CsvReaderErrors, RecordLongerThanTheLimitIsAnError) {
  CsvOptions options;
  options.chunk_bytes = 64;
  options.max_field_bytes = 1000;
  ExpectError(ReadText("a,b\nx,1\n" + std::string(5000, 'q') + ",1\n", TwoColumns(), options).status(),
              ErrorCode::kInvalidData, "longer than the limit of 1000 bytes", 3, 1, 2);
  // A long record inside one big chunk is reported the same way, before any of its fields.
  options.chunk_bytes = 1u << 20;
  ExpectError(ReadText("a,b\nx,1\n" + std::string(5000, 'q') + ",1\n", TwoColumns(), options).status(),
              ErrorCode::kInvalidData, "longer than the limit of 1000 bytes", 3, 1, 2);
  ExpectError(ReadText("a,b\nx,1\ny,\"" + std::string(5000, 'q') + "\n", TwoColumns(), options).status(),
              ErrorCode::kInvalidData, "not closed within 1000 bytes", 3, 3, 2, "b");
}

TEST(CsvReaderErrors, InvalidUtf8IsReportedAtItsCharacter) {
  // Line 3: "é" is 2 bytes but one character, so the bad byte is at column 3.
  ExpectError(ReadText("a,b\nx,1\n\xC3\xA9y\xFF,2\n", Schema({Plain("a", ColumnType::kText),
                                                                Numeric("b", ColumnType::kInteger, 0, 9)}))
                  .status(),
              ErrorCode::kInvalidData, "invalid UTF-8 (byte '\\xff')", 3, 3, 2, "a");
  // Overlong encodings and surrogates are invalid too.
  ExpectError(ReadText("a,b\n\xC0\xAF,1\n", TwoColumns()).status(), ErrorCode::kInvalidData, "invalid UTF-8", 2, 1,
              1);
  ExpectError(ReadText("a,b\nx,1\n\xED\xA0\x80,1\n", TwoColumns()).status(), ErrorCode::kInvalidData,
              "invalid UTF-8", 3, 1, 2);
}

TEST(CsvReaderErrors, InvalidUtf8WinsOverAConversionErrorInTheSameRow) {
  ExpectError(ReadText("a,b\nx,abc\xFF\n", TwoColumns()).status(), ErrorCode::kInvalidData, "invalid UTF-8", 2, 6, 1,
              "b");
}

TEST(CsvReaderErrors, NulByteIsRejected) {
  ExpectError(ReadText(std::string("a,b\nx,1\ny,2\0\n", 13), TwoColumns()).status(), ErrorCode::kInvalidData,
              "NUL byte", 3, 4, 2, "b");
  ExpectError(ReadText(std::string("a\0,b\n", 5), TwoColumns()).status(), ErrorCode::kInvalidData,
              "NUL byte (0x00) in the header", 1, 2);
}

TEST(CsvReaderErrors, Utf16IsRecognised) {
  ExpectError(ReadText("\xFF\xFE" "a\0,\0b\0", TwoColumns()).status(), ErrorCode::kInvalidData, "UTF-16", 1, 1);
}

TEST(CsvReaderErrors, EmptyFileAndHeaderOnly) {
  ExpectError(ReadText("", TwoColumns()).status(), ErrorCode::kInvalidData, "empty file, expected a header row");
  ExpectError(ReadText("\n\r\n\n", TwoColumns()).status(), ErrorCode::kInvalidData, "empty file");
  ExpectError(ReadText("a,b\n", TwoColumns()).status(), ErrorCode::kInvalidData, "no data rows");
  ExpectError(ReadText("a,b\n\n\n", TwoColumns()).status(), ErrorCode::kInvalidData, "no data rows");
}

TEST(CsvReaderErrors, DuplicateAndEmptyColumnNames) {
  ExpectError(ReadText("a,b,a\n1,2,3\n", TwoColumns()).status(), ErrorCode::kInvalidData,
              "column name 'a' appears twice in the header (columns 1 and 3)", 1, 5);
  ExpectError(ReadText("a,,b\n1,2,3\n", TwoColumns()).status(), ErrorCode::kInvalidData,
              "column 2 of the header has an empty name", 1, 3);
}

TEST(CsvReaderErrors, SchemaAndHeaderMustHaveTheSameColumns) {
  ExpectError(ReadText("a,b,c\nx,1,2\n", TwoColumns()).status(), ErrorCode::kInvalidData,
              "column 'c' is in the CSV header but not in the schema", 1, 5, -1, "c");
  ExpectError(ReadText("a\nx\n", TwoColumns()).status(), ErrorCode::kInvalidData,
              "column 'b' of the schema is not in the CSV header", 1, -1, -1, "b");
}

TEST(CsvReaderErrors, DomainViolations) {
  const Schema schema({Categorical("a", {"x", "y"}, /*nullable=*/false), Numeric("b", ColumnType::kInteger, 0, 10),
                       Numeric("c", ColumnType::kContinuous, -1, 1),
                       Numeric("d", ColumnType::kDatetime, 0, 86400.0 * 365)});
  ExpectError(ReadText("a,b,c,d\nx,1,0,1970-01-01\nw,1,0,1970-01-01\n", schema).status(), ErrorCode::kInvalidData,
              "category 'w' is not in the schema's 2 categories ('x', 'y')", 3, 1, 2, "a");
  ExpectError(ReadText("a,b,c,d\nx,11,0,1970-01-01\n", schema).status(), ErrorCode::kInvalidData,
              "value '11' is outside the schema's domain [0, 10]", 2, 3, 1, "b");
  ExpectError(ReadText("a,b,c,d\nx,1,1.5,1970-01-01\n", schema).status(), ErrorCode::kInvalidData,
              "value '1.5' is outside the schema's domain [-1, 1]", 2, 5, 1, "c");
  ExpectError(ReadText("a,b,c,d\nx,1,0,1971-01-02\n", schema).status(), ErrorCode::kInvalidData,
              "outside the schema's domain [1970-01-01T00:00:00, 1971-01-01T00:00:00]", 2, 7, 1, "d");
  ExpectError(ReadText("a,b,c,d\nx,1,0,1970-01-01\nNA,1,0,1970-01-01\n", schema).status(), ErrorCode::kInvalidData,
              "missing value 'NA' in a column the schema marks as not nullable", 3, 1, 2, "a");
}

TEST(CsvReaderErrors, ValuesOfTheWrongType) {
  const Schema schema({Numeric("i", ColumnType::kInteger, -10, 10), Numeric("d", ColumnType::kContinuous, -10, 10),
                       Plain("b", ColumnType::kBoolean), Numeric("t", ColumnType::kDatetime, 0, 4e9)});
  const std::string header = "i,d,b,t\n1,1,true,2020-01-01\n";
  ExpectError(ReadText(header + "forty,1,true,2020-01-01\n", schema).status(), ErrorCode::kInvalidData,
              "expected an integer, found 'forty'", 3, 1, 2, "i");
  ExpectError(ReadText(header + "1.0,1,true,2020-01-01\n", schema).status(), ErrorCode::kInvalidData,
              "expected an integer, found '1.0'", 3, 1, 2, "i");
  ExpectError(ReadText(header + "1,one,true,2020-01-01\n", schema).status(), ErrorCode::kInvalidData,
              "expected a number, found 'one'", 3, 3, 2, "d");
  ExpectError(ReadText(header + "1,NaN,true,2020-01-01\n", schema).status(), ErrorCode::kInvalidData,
              "'NaN' is not a finite number", 3, 3, 2, "d");
  ExpectError(ReadText(header + "1,-inf,true,2020-01-01\n", schema).status(), ErrorCode::kInvalidData,
              "'-inf' is not a finite number", 3, 3, 2, "d");
  ExpectError(ReadText(header + "1,1e999,true,2020-01-01\n", schema).status(), ErrorCode::kInvalidData,
              "not a finite number", 3, 3, 2, "d");
  ExpectError(ReadText(header + "99999999999999999999,1,true,2020-01-01\n", schema).status(),
              ErrorCode::kInvalidData, "integer overflow: '99999999999999999999' does not fit in 64 bits", 3, 1, 2,
              "i");
  ExpectError(ReadText(header + "1,1,maybe,2020-01-01\n", schema).status(), ErrorCode::kInvalidData,
              "expected a boolean (true/false, yes/no or 1/0), found 'maybe'", 3, 5, 2, "b");
  ExpectError(ReadText(header + "1,1,true,2020-02-30\n", schema).status(), ErrorCode::kInvalidData,
              "expected a date or datetime", 3, 10, 2, "t");
}

TEST(CsvReaderErrors, LongValuesAreShortenedInMessages) {
  const Status status =
      ReadText("a,b\nx," + std::string(100, '7') + "z\n", TwoColumns()).status();
  ExpectError(status, ErrorCode::kInvalidData, "found '" + std::string(37, '7') + "...'", 2, 3, 1, "b");
  EXPECT_LT(status.message().size(), 200u);
}

TEST(CsvReaderErrors, QuotesMustEncloseWholeFields) {
  ExpectError(ReadText("a,b\nx,1\nab\"c,2\n", TwoColumns()).status(), ErrorCode::kInvalidData,
              "a quote '\"' inside an unquoted field", 3, 3, 2, "a");
  ExpectError(ReadText("a,b\nx,1\n\"ab\"c,2\n", TwoColumns()).status(), ErrorCode::kInvalidData,
              "unexpected 'c' after the closing quote", 3, 5, 2, "a");
}

TEST(CsvReaderErrors, CarriageReturnWithoutLineFeed) {
  ExpectError(ReadText("a,b\nx,1\ry,2\n", TwoColumns()).status(), ErrorCode::kInvalidData,
              "a carriage return (CR) not followed by a line feed", 2, 4, 1, "b");
}

TEST(CsvReaderErrors, LinesCountLineBreaksInsideQuotedFieldsAndAcrossChunks) {
  std::string text = "a,b\n";
  for (int row = 0; row < 300; ++row) text += "\"x\nline\",1\n";  // two lines per record
  text += "x,oops\n";
  for (const std::size_t chunk_bytes : {std::size_t{16}, std::size_t{100}, std::size_t{1} << 20}) {
    CsvOptions options;
    options.chunk_bytes = chunk_bytes;
    const Schema schema({Plain("a", ColumnType::kText), Numeric("b", ColumnType::kInteger, 0, 9)});
    for (const std::size_t threads : {std::size_t{1}, std::size_t{2}}) {
      ExpectError(ReadText(text, schema, options, threads).status(), ErrorCode::kInvalidData,
                  "expected an integer, found 'oops'", 2 + 600, 3, 301, "b");
    }
  }
}

TEST(CsvReaderErrors, FirstErrorInTheFileIsReported) {
  std::string text = "a,b\n";
  for (int row = 0; row < 5000; ++row) text += row == 1234 || row == 4000 ? "x,bad\n" : "x,1\n";
  CsvOptions options;
  options.chunk_bytes = 4096;
  for (const std::size_t threads : {std::size_t{1}, std::size_t{2}, std::size_t{7}}) {
    ExpectError(ReadText(text, TwoColumns(), options, threads).status(), ErrorCode::kInvalidData,
                "found 'bad'", 1236, 3, 1235, "b");
  }
}

TEST(CsvReaderErrors, LaterCallsRepeatTheError) {
  Context ctx(1);
  Result<std::unique_ptr<CsvReader>> reader = CsvReader::OpenBuffer("a,b\nx,bad\n", CsvOptions{});
  ASSERT_TRUE(reader.ok());
  Table batch;
  Result<bool> first = (*reader)->NextBatch(TwoColumns(), ctx, &batch);
  Result<bool> second = (*reader)->NextBatch(TwoColumns(), ctx, &batch);
  ASSERT_FALSE(first.ok());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(first.status().ToString(), second.status().ToString());
}

TEST(CsvReaderErrors, FileSystemProblemsAreIOErrors) {
  TempDir dir;
  Context ctx(1);
  ExpectError(ReadCsv(dir.File("absent.csv"), TwoColumns(), CsvOptions{}, ctx).status(), ErrorCode::kIO,
              "No such file or directory; check the path");
  ExpectError(ReadCsv(dir.path(), TwoColumns(), CsvOptions{}, ctx).status(), ErrorCode::kIO,
              "is a directory, expected a CSV file");
}

TEST(CsvReaderErrors, UnreadableFileIsAnIOError) {
  TempDir dir;
  Context ctx(1);
  const std::string locked = dir.Write("locked.csv", "a,b\nx,1\n");
  ::chmod(locked.c_str(), 0);
  if (::geteuid() == 0) {
    ::chmod(locked.c_str(), 0644);
    GTEST_SKIP() << "running as root: permissions do not stop root from reading";
  }
  ExpectError(ReadCsv(locked, TwoColumns(), CsvOptions{}, ctx).status(), ErrorCode::kIO, "Permission denied");
}

TEST(CsvReaderErrors, TruncatedAndCorruptGzipAreIOErrors) {
  TempDir dir;
  std::string text = "a,b\n";
  for (int row = 0; row < 20000; ++row) text += "x," + std::to_string(row % 1000) + "\n";
  const std::string gz = testing_io::Gzip(text);
  const std::string truncated = dir.Write("t.csv.gz", gz.substr(0, gz.size() / 2));
  Context ctx(1);
  ExpectError(ReadCsv(truncated, TwoColumns(), CsvOptions{}, ctx).status(), ErrorCode::kIO, "truncated gzip stream");
  std::string corrupt = gz;
  for (std::size_t pos = 40; pos < 80; ++pos) corrupt[pos] = static_cast<char>(corrupt[pos] ^ 0x5a);
  const std::string corrupt_path = dir.Write("c.csv.gz", corrupt);
  ExpectError(ReadCsv(corrupt_path, TwoColumns(), CsvOptions{}, ctx).status(), ErrorCode::kIO, "gzip stream");
  // A damaged trailer (CRC) is caught too.
  std::string bad_crc = gz;
  bad_crc[bad_crc.size() - 6] = static_cast<char>(bad_crc[bad_crc.size() - 6] ^ 1);
  const std::string crc_path = dir.Write("crc.csv.gz", bad_crc);
  ExpectError(ReadCsv(crc_path, TwoColumns(), CsvOptions{}, ctx).status(), ErrorCode::kIO, "gzip stream");
}

TEST(CsvReaderErrors, InvalidOptionsAreRejected) {
  CsvOptions options;
  options.delimiter = '"';
  ExpectError(ReadText("a,b\nx,1\n", TwoColumns(), options).status(), ErrorCode::kInvalidArgument, "delimiter");
  options = CsvOptions{};
  options.chunk_bytes = 0;
  ExpectError(ReadText("a,b\nx,1\n", TwoColumns(), options).status(), ErrorCode::kInvalidArgument, "chunk_bytes");
}

}  // namespace
}  // namespace synthscale
