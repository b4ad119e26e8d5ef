#include "synthscale/provenance/verify.h"

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "provenance_test_util.h"
#include "synthscale/provenance/manifest.h"

namespace synthscale {
namespace {

using testing_provenance::ReadAll;
using testing_provenance::SampleRun;
using testing_provenance::TempDir;

// Writes synth.csv's manifest and card in `dir`; returns the manifest's path.
std::string WriteSample(const TempDir& dir) {
  Result<ManifestPaths> paths = WriteManifest(SampleRun(dir, true), /*force=*/false);
  EXPECT_TRUE(paths.ok()) << paths.status().ToString();
  return paths.ok() ? paths->manifest : std::string();
}

const FileCheck& Find(const VerifyReport& report, const std::string& url) {
  for (const FileCheck& file : report.files) {
    if (file.content_url == url) return file;
  }
  ADD_FAILURE() << "no file " << url;
  return report.files.front();
}

TEST(VerifyManifest, UntouchedFilesMatch) {
  TempDir dir;
  Result<VerifyReport> report = VerifyManifest(WriteSample(dir));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->files.size(), 2u);  // synth.csv and its data card
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->files[0].content_url, "synth.csv");
  EXPECT_EQ(report->files[0].actual_sha256, report->files[0].expected_sha256);
}

TEST(VerifyManifest, FindsFilesFromAnotherWorkingFolder) {
  TempDir dir;
  const std::string manifest = WriteSample(dir);
  const std::filesystem::path before = std::filesystem::current_path();
  std::filesystem::current_path("/");
  Result<VerifyReport> report = VerifyManifest(manifest);
  std::filesystem::current_path(before);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
}

TEST(VerifyManifest, ChangedByteIsAMismatch) {
  TempDir dir;
  const std::string manifest = WriteSample(dir);
  std::string bytes = ReadAll(dir.File("synth.csv"));
  bytes[9] = bytes[9] == '1' ? '2' : '1';  // same size, one byte different
  dir.Write("synth.csv", bytes);
  Result<VerifyReport> report = VerifyManifest(manifest);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok());
  const FileCheck& file = Find(*report, "synth.csv");
  EXPECT_EQ(file.state, FileCheckState::kMismatch);
  EXPECT_NE(file.actual_sha256, file.expected_sha256);
  EXPECT_EQ(Find(*report, "synth.csv.datacard.md").state, FileCheckState::kOk);
  EXPECT_EQ(report->Count(FileCheckState::kMismatch), 1u);
}

TEST(VerifyManifest, TruncatedFileChangedSize) {
  TempDir dir;
  const std::string manifest = WriteSample(dir);
  const std::string bytes = ReadAll(dir.File("synth.csv"));
  dir.Write("synth.csv", bytes.substr(0, bytes.size() - 1));
  Result<VerifyReport> report = VerifyManifest(manifest);
  ASSERT_TRUE(report.ok());
  const FileCheck& file = Find(*report, "synth.csv");
  EXPECT_EQ(file.state, FileCheckState::kSizeChanged);
  EXPECT_EQ(*file.expected_size, bytes.size());
  EXPECT_EQ(*file.actual_size, bytes.size() - 1);
}

TEST(VerifyManifest, DeletedFileIsMissing) {
  TempDir dir;
  const std::string manifest = WriteSample(dir);
  std::filesystem::remove(dir.File("synth.csv.datacard.md"));
  Result<VerifyReport> report = VerifyManifest(manifest);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(Find(*report, "synth.csv.datacard.md").state, FileCheckState::kMissing);
  EXPECT_EQ(Find(*report, "synth.csv").state, FileCheckState::kOk);
  EXPECT_STREQ(FileCheckStateName(FileCheckState::kMissing), "missing");
}

TEST(VerifyManifest, DirectoryInPlaceOfFileIsMissing) {
  TempDir dir;
  const std::string manifest = WriteSample(dir);
  std::filesystem::remove(dir.File("synth.csv"));
  std::filesystem::create_directory(dir.File("synth.csv"));
  Result<VerifyReport> report = VerifyManifest(manifest);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(Find(*report, "synth.csv").state, FileCheckState::kMissing);
}

TEST(VerifyManifest, ErrorsNameTheProblem) {
  TempDir dir;
  const Status missing = VerifyManifest(dir.File("none.manifest.json")).status();
  EXPECT_EQ(missing.code(), ErrorCode::kIO);
  EXPECT_NE(missing.message().find("cannot read manifest"), std::string::npos);

  const Status not_json = VerifyManifest(dir.Write("a.json", "{oops")).status();
  EXPECT_EQ(not_json.code(), ErrorCode::kInvalidData);
  EXPECT_NE(not_json.message().find("expected a JSON-LD object"), std::string::npos);

  const Status no_distribution = VerifyManifest(dir.Write("b.json", "{\"name\": \"x\"}")).status();
  EXPECT_NE(no_distribution.message().find("no 'distribution' list"), std::string::npos);

  const Status empty = VerifyManifest(dir.Write("c.json", "{\"distribution\": []}")).status();
  EXPECT_NE(empty.message().find("lists no file objects"), std::string::npos);

  const Status bad_hash = VerifyManifest(dir.Write(
      "d.json", R"({"distribution": [{"@type": "cr:FileObject", "name": "x", "contentUrl": "x", "sha256": "12"}]})"))
                              .status();
  EXPECT_NE(bad_hash.message().find("needs a sha256 of 64 hex digits"), std::string::npos);

  const Status remote = VerifyManifest(dir.Write(
      "e.json", R"({"distribution": [{"@type": "cr:FileObject", "name": "x", "contentUrl": "https://example.org/x"}]})"))
                            .status();
  EXPECT_NE(remote.message().find("expected a local path"), std::string::npos);

  const Status no_url =
      VerifyManifest(dir.Write("f.json", R"({"distribution": [{"@type": "cr:FileObject", "name": "x"}]})")).status();
  EXPECT_NE(no_url.message().find("has no contentUrl"), std::string::npos);

  const std::string hash(64, '0');
  const Status bad_size = VerifyManifest(dir.Write("g.json", R"({"distribution": [{"@type": "cr:FileObject",
      "name": "x", "contentUrl": "x", "sha256": ")" + hash + R"(", "contentSize": "big"}]})"))
                              .status();
  EXPECT_NE(bad_size.message().find("expected a byte count"), std::string::npos);
}

}  // namespace
}  // namespace synthscale
