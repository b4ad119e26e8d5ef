#include "synthscale/text/corpus.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "text_test_util.h"

namespace synthscale::text {
namespace {

using testing::TempDir;
using testing::WriteFile;
using testing::WriteGzip;

struct Read {
  std::vector<std::string> ids;
  std::vector<std::string> texts;
  std::vector<std::int64_t> lines;
};

Result<Read> ReadAll(const std::string& path, const CorpusOptions& options = {}, std::size_t threads = 1,
                     std::size_t batch_bytes = 1 << 20) {
  ThreadPool pool(threads);
  SYNTHSCALE_ASSIGN_OR_RETURN(std::unique_ptr<CorpusReader> reader, CorpusReader::Open(path, options));
  Read read;
  CorpusBatch batch;
  for (;;) {
    SYNTHSCALE_ASSIGN_OR_RETURN(bool more, reader->Next(batch, pool, batch_bytes));
    if (!more) break;
    for (const CorpusDocument& doc : batch.documents()) {
      read.ids.emplace_back(doc.id);
      read.texts.emplace_back(doc.text);
      read.lines.push_back(doc.line);
    }
  }
  return read;
}

TEST(CorpusReader, ReadsJsonlIdsTextsAndLineNumbers) {
  TempDir dir;
  const std::string path = WriteFile(dir.File("c.jsonl"),
                                     "{\"id\": \"a\", \"text\": \"Hallo Welt\", \"meta\": {\"text\": \"no\", \"x\": [1, {\"id\": 2}]}}\n"
                                     "\n"
                                     "{\"text\": \"ohne id \\u00e9\\n zweite Zeile\"}\r\n"
                                     "{\"id\": 17, \"text\": \"\"}");
  Result<Read> read = ReadAll(path);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->ids, (std::vector<std::string>{"a", "3", "17"}));
  EXPECT_EQ(read->texts, (std::vector<std::string>{"Hallo Welt", "ohne id \xC3\xA9\n zweite Zeile", ""}));
  EXPECT_EQ(read->lines, (std::vector<std::int64_t>{1, 3, 4}));
}

TEST(CorpusReader, ConfigurableFieldNames) {
  TempDir dir;
  const std::string path = WriteFile(dir.File("c.jsonl"), "{\"doc\": \"x1\", \"body\": \"eins\", \"text\": 5}\n");
  CorpusOptions options;
  options.id_field = "doc";
  options.text_field = "body";
  Result<Read> read = ReadAll(path, options);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->ids, std::vector<std::string>{"x1"});
  EXPECT_EQ(read->texts, std::vector<std::string>{"eins"});
}

TEST(CorpusReader, PlainTextOneDocumentPerLineGzipOrNot) {
  TempDir dir;
  const std::string bytes = "erste Zeile\n  \nzweite Zeile\r\ndritte";
  for (const std::string& path : {WriteFile(dir.File("c.txt"), bytes), WriteGzip(dir.File("c.txt.gz"), bytes),
                                  WriteGzip(dir.File("c.data"), bytes)}) {
    Result<Read> read = ReadAll(path);
    ASSERT_TRUE(read.ok()) << read.status().ToString();
    EXPECT_EQ(read->ids, (std::vector<std::string>{"1", "3", "4"})) << path;
    EXPECT_EQ(read->texts, (std::vector<std::string>{"erste Zeile", "zweite Zeile", "dritte"})) << path;
  }
}

TEST(CorpusReader, AutoFormatByExtensionThenFirstByte) {
  TempDir dir;
  const std::string json = "{\"text\": \"a\"}\n";
  Result<Read> sniffed = ReadAll(WriteGzip(dir.File("corpus.gz"), json));
  ASSERT_TRUE(sniffed.ok()) << sniffed.status().ToString();
  EXPECT_EQ(sniffed->texts, std::vector<std::string>{"a"});
  // A .txt file is plain text even when a line looks like JSON.
  Result<Read> plain = ReadAll(WriteFile(dir.File("corpus.txt"), json));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->texts, std::vector<std::string>{"{\"text\": \"a\"}"});
}

TEST(CorpusReader, SameDocumentsForAnyBatchSizeAndThreadCount) {
  TempDir dir;
  std::string bytes;
  for (int line = 0; line < 2000; ++line) {
    bytes += testing::JsonLine("d" + std::to_string(line), "Dokument Nummer " + std::to_string(line * 7919 % 1000));
  }
  const std::string path = WriteFile(dir.File("c.jsonl"), bytes);
  Result<Read> reference = ReadAll(path, {}, 1, 1 << 20);
  ASSERT_TRUE(reference.ok());
  ASSERT_EQ(reference->ids.size(), 2000u);
  for (std::size_t threads : {2u, 4u}) {
    for (std::size_t batch : {1u, 100u, 4096u}) {
      Result<Read> read = ReadAll(path, {}, threads, batch);
      ASSERT_TRUE(read.ok());
      EXPECT_EQ(read->ids, reference->ids);
      EXPECT_EQ(read->texts, reference->texts);
      EXPECT_EQ(read->lines, reference->lines);
    }
  }
}

void ExpectError(const std::string& path, const CorpusOptions& options, ErrorCode code, std::int64_t line,
                 const std::string& message) {
  Result<Read> read = ReadAll(path, options);
  ASSERT_FALSE(read.ok()) << path;
  EXPECT_EQ(read.status().code(), code);
  EXPECT_EQ(read.status().location().line, line) << read.status().ToString();
  EXPECT_NE(read.status().message().find(message), std::string::npos) << read.status().ToString();
}

TEST(CorpusReader, BadLinesNameFileLineAndColumn) {
  TempDir dir;
  const std::string ok = "{\"text\": \"fine\"}\n";
  ExpectError(WriteFile(dir.File("a.jsonl"), ok + "{\"text\": \"x\",}\n"), {}, ErrorCode::kInvalidData, 2, "syntax error");
  ExpectError(WriteFile(dir.File("b.jsonl"), ok + ok + "[1, 2]\n"), {}, ErrorCode::kInvalidData, 3, "got an array");
  ExpectError(WriteFile(dir.File("c.jsonl"), "{\"body\": \"x\"}\n"), {}, ErrorCode::kInvalidData, 1,
              "no field 'text'");
  ExpectError(WriteFile(dir.File("d.jsonl"), "{\"text\": 3}\n"), {}, ErrorCode::kInvalidData, 1,
              "field 'text' must be a string");
  ExpectError(WriteFile(dir.File("e.jsonl"), "{\"text\": \"a\", \"id\": 1.5}\n"), {}, ErrorCode::kInvalidData, 1,
              "must be a string or an integer");
  ExpectError(WriteFile(dir.File("f.jsonl"), "{\"text\": \"a\", \"text\": \"b\"}\n"), {}, ErrorCode::kInvalidData, 1,
              "appears twice");
  ExpectError(WriteFile(dir.File("g.jsonl"), "{\"text\": \"\xC3\x28\"}\n"), {}, ErrorCode::kInvalidData, 1, "UTF-8");
  ExpectError(WriteFile(dir.File("h.jsonl"), "\"just a string\"\n"), {}, ErrorCode::kInvalidData, 1,
              "expected a JSON object");
  ExpectError(WriteFile(dir.File("i.txt"), "gut\nschlecht \xFF hier\n"), {}, ErrorCode::kInvalidData, 2,
              "invalid UTF-8");
  Result<Read> read = ReadAll(dir.File("i.txt"));
  EXPECT_EQ(read.status().location().column, 10);  // "schlecht " is 9 characters
  EXPECT_EQ(read.status().location().file, dir.File("i.txt"));
}

TEST(CorpusReader, MissingFileOrFolderIsAnIoError) {
  TempDir dir;
  Result<std::unique_ptr<CorpusReader>> missing = CorpusReader::Open(dir.File("none.jsonl"), {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kIO);
  Result<std::unique_ptr<CorpusReader>> folder = CorpusReader::Open(dir.path(), {});
  ASSERT_FALSE(folder.ok());
  EXPECT_NE(folder.status().message().find("expected a corpus file"), std::string::npos);
}

TEST(CorpusFormat, ParsesNames) {
  EXPECT_EQ(*ParseCorpusFormat("jsonl"), CorpusFormat::kJsonl);
  EXPECT_EQ(*ParseCorpusFormat("text"), CorpusFormat::kText);
  EXPECT_EQ(*ParseCorpusFormat("auto"), CorpusFormat::kAuto);
  EXPECT_NE(ParseCorpusFormat("csv").status().message().find("choose auto, jsonl or text"), std::string::npos);
}

}  // namespace
}  // namespace synthscale::text
