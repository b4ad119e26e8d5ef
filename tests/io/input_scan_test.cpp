#include "synthscale/io/input_scan.h"

#include <string>

#include <gtest/gtest.h>

#include "io_test_util.h"

namespace synthscale {
namespace {

using testing_io::TempDir;

// FIPS 180-2, appendix B.1: SHA-256("abc").
constexpr char kShaAbc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
// SHA-256 of the empty string (FIPS 180-2 test vectors; `printf '' | sha256sum`).
constexpr char kShaEmpty[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

TEST(ScanInputFile, HashesEveryByte) {
  const TempDir dir;
  Result<InputScan> scan = ScanInputFile(dir.Write("abc.csv", "abc"));
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  EXPECT_EQ(ToHex(scan->sha256), kShaAbc);
  ASSERT_TRUE(scan->max_records.has_value());
  EXPECT_EQ(*scan->max_records, 1u);  // no line feed: one record at most
}

TEST(ScanInputFile, EmptyFileHasOneRecordAtMost) {
  const TempDir dir;
  Result<InputScan> scan = ScanInputFile(dir.Write("empty.csv", ""));
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  EXPECT_EQ(ToHex(scan->sha256), kShaEmpty);
  EXPECT_EQ(scan->max_records, 1u);
}

TEST(ScanInputFile, BoundsRecordsByLineFeeds) {
  const TempDir dir;
  // Header + 2 rows, with a final line feed: 3 line feeds, bound 4 >= 3 records.
  Result<InputScan> scan = ScanInputFile(dir.Write("a.csv", "a,b\r\n1,2\r\n3,4\r\n"));
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  EXPECT_EQ(scan->max_records, 4u);
  // A quoted line break is one more line feed but no more records: the bound stays above.
  scan = ScanInputFile(dir.Write("q.csv", "a\n\"x\ny\"\nz"));
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  EXPECT_EQ(scan->max_records, 4u);  // 3 records: a, "x\ny", z
}

TEST(ScanInputFile, CountsAcrossBlocks) {
  // 100,000 lines of 2 bytes: 200,000 bytes, read in 64 KiB blocks (lines cut across blocks).
  std::string text;
  for (int line = 0; line < 100000; ++line) text += "x\n";
  const TempDir dir;
  Result<InputScan> scan = ScanInputFile(dir.Write("big.csv", text));
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  EXPECT_EQ(scan->max_records, 100001u);
  EXPECT_EQ(scan->sha256, Sha256(text));
}

TEST(ScanInputFile, GzipHasNoBoundAndHashesTheCompressedBytes) {
  const std::string compressed = testing_io::Gzip("a\n1\n2\n");
  ASSERT_GE(compressed.size(), 2u);
  const TempDir dir;
  Result<InputScan> scan = ScanInputFile(dir.Write("a.csv.gz", compressed));
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  EXPECT_FALSE(scan->max_records.has_value());
  EXPECT_EQ(scan->sha256, Sha256(compressed));
}

TEST(ScanInputFile, MissingFileIsAnIoError) {
  const TempDir dir;
  Result<InputScan> scan = ScanInputFile(dir.File("absent.csv"));
  ASSERT_FALSE(scan.ok());
  EXPECT_EQ(scan.status().code(), ErrorCode::kIO);
  EXPECT_NE(scan.status().message().find("cannot open"), std::string::npos) << scan.status().ToString();
}

}  // namespace
}  // namespace synthscale
