#include "synthscale/io/atomic_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io_test_util.h"

namespace synthscale {
namespace {

using testing_io::ReadAll;
using testing_io::TempDir;

TEST(AtomicOutputFile, CommitMovesTheCompleteFileIntoPlace) {
  TempDir dir;
  const std::string path = dir.File("out.txt");
  Result<AtomicOutputFile> file = AtomicOutputFile::Create(path, false);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  ASSERT_TRUE(file->Write("hello ").ok());
  ASSERT_TRUE(file->Write("world").ok());
  // Before Commit only the hidden temporary exists, in the same folder.
  const std::vector<std::string> before = dir.List();
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].rfind(".out.txt.tmp.", 0), 0u) << before[0];
  EXPECT_EQ(dir.File(before[0]), file->temp_path());
  ASSERT_TRUE(file->Commit().ok());
  EXPECT_EQ(dir.List(), std::vector<std::string>{"out.txt"});
  EXPECT_EQ(ReadAll(path), "hello world");
}

TEST(AtomicOutputFile, CommittedFileHasTheUsualPermissions) {
  TempDir dir;
  const std::string path = dir.File("perm.txt");
  ASSERT_TRUE(WriteFileAtomically(path, "x", false).ok());
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  const mode_t old_mask = ::umask(0);
  ::umask(old_mask);
  EXPECT_EQ(info.st_mode & 0777u, 0666u & ~old_mask);
}

TEST(AtomicOutputFile, ExistingOutputIsKeptWithoutForce) {
  TempDir dir;
  const std::string path = dir.Write("model.ssm", "precious");
  Result<AtomicOutputFile> file = AtomicOutputFile::Create(path, false);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), ErrorCode::kAlreadyExists);
  EXPECT_NE(file.status().message().find("use --force to overwrite"), std::string::npos);
  EXPECT_EQ(file.status().location().file, path);
  EXPECT_EQ(ReadAll(path), "precious");
  EXPECT_EQ(dir.List(), std::vector<std::string>{"model.ssm"});
}

TEST(AtomicOutputFile, ForceReplacesTheOutput) {
  TempDir dir;
  const std::string path = dir.Write("model.ssm", "old");
  ASSERT_TRUE(WriteFileAtomically(path, "new", true).ok());
  EXPECT_EQ(ReadAll(path), "new");
  EXPECT_EQ(dir.List(), std::vector<std::string>{"model.ssm"});
}

TEST(AtomicOutputFile, UncommittedFileLeavesNothingBehind) {
  TempDir dir;
  {
    Result<AtomicOutputFile> file = AtomicOutputFile::Create(dir.File("partial.csv"), false);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE(file->Write("half a file").ok());
  }
  EXPECT_TRUE(dir.List().empty());
}

TEST(AtomicOutputFile, FileThatAppearsBeforeCommitIsNotClobbered) {
  TempDir dir;
  const std::string path = dir.File("race.txt");
  Result<AtomicOutputFile> file = AtomicOutputFile::Create(path, false);
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file->Write("mine").ok());
  dir.Write("race.txt", "theirs");
  const Status status = file->Commit();
  EXPECT_EQ(status.code(), ErrorCode::kAlreadyExists) << status.ToString();
  EXPECT_NE(status.message().find("appeared while this command ran"), std::string::npos);
  EXPECT_EQ(ReadAll(path), "theirs");
  EXPECT_EQ(dir.List(), std::vector<std::string>{"race.txt"});  // temporary removed
}

TEST(AtomicOutputFile, MissingFolderAndDirectoryTargetsAreIOErrors) {
  TempDir dir;
  Result<AtomicOutputFile> missing = AtomicOutputFile::Create(dir.File("no/such/folder/out.csv"), true);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kIO);
  EXPECT_NE(missing.status().message().find("does not exist"), std::string::npos) << missing.status().ToString();
  Result<AtomicOutputFile> directory = AtomicOutputFile::Create(dir.path(), true);
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.status().code(), ErrorCode::kIO);
  EXPECT_NE(directory.status().message().find("is a directory"), std::string::npos);
  Result<AtomicOutputFile> empty = AtomicOutputFile::Create("", true);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), ErrorCode::kIO);
}

TEST(AtomicOutputFile, UnwritableFolderIsAnIOError) {
  if (::geteuid() == 0) GTEST_SKIP() << "running as root: folder permissions do not stop root from writing";
  TempDir dir;
  const std::string locked = dir.File("locked");
  ASSERT_EQ(::mkdir(locked.c_str(), 0500), 0);
  Result<AtomicOutputFile> file = AtomicOutputFile::Create(locked + "/out.csv", false);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), ErrorCode::kIO);
  EXPECT_NE(file.status().message().find("check that the folder is writable"), std::string::npos);
}

TEST(AtomicOutputFile, MovingTransfersOwnership) {
  TempDir dir;
  const std::string path = dir.File("moved.txt");
  Result<AtomicOutputFile> created = AtomicOutputFile::Create(path, false);
  ASSERT_TRUE(created.ok());
  AtomicOutputFile first = std::move(created).value();
  AtomicOutputFile second = std::move(first);
  ASSERT_TRUE(second.Write("moved").ok());
  ASSERT_TRUE(second.Commit().ok());
  EXPECT_EQ(ReadAll(path), "moved");
  EXPECT_EQ(second.Write("more").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(second.Commit().code(), ErrorCode::kInvalidArgument);
}

TEST(AtomicOutputFile, RelativePathsUseTheCurrentFolder) {
  TempDir dir;
  char previous[4096];
  ASSERT_NE(::getcwd(previous, sizeof previous), nullptr);
  ASSERT_EQ(::chdir(dir.path().c_str()), 0);
  const Status status = WriteFileAtomically("relative.txt", "r", false);
  ASSERT_EQ(::chdir(previous), 0);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(ReadAll(dir.File("relative.txt")), "r");
}

TEST(AtomicOutputFile, LeftoverTemporaryOfAKilledRunIsRemoved) {
  TempDir dir;
  // What a SIGKILLed writer leaves: an unlocked temporary of this target, half written.
  const std::string stale = dir.Write(".out.csv.tmp.AbC123", "half a fi");
  // Files that only look alike are never touched.
  dir.Write(".other.csv.tmp.AbC123", "x");
  dir.Write(".out.csv.tmp.toolong1", "x");
  dir.Write("out.csv.tmp.AbC123", "x");
  ASSERT_TRUE(WriteFileAtomically(dir.File("out.csv"), "whole", false).ok());
  EXPECT_EQ(ReadAll(dir.File("out.csv")), "whole");
  EXPECT_EQ(dir.List(), (std::vector<std::string>{".other.csv.tmp.AbC123", ".out.csv.tmp.toolong1", "out.csv",
                                                  "out.csv.tmp.AbC123"}));
}

TEST(AtomicOutputFile, LiveWritersTemporaryIsKept) {
  TempDir dir;
  Result<AtomicOutputFile> live = AtomicOutputFile::Create(dir.File("out.csv"), true);
  ASSERT_TRUE(live.ok()) << live.status().ToString();
  ASSERT_TRUE(live->Write("in progress").ok());
  // The writer holds its lock: another open file description cannot take it.
  const int probe = ::open(live->temp_path().c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(probe, 0);
  EXPECT_NE(::flock(probe, LOCK_EX | LOCK_NB), 0);
  ::close(probe);
  // A second writer of the same target (e.g. --force) leaves the live temporary alone.
  ASSERT_TRUE(WriteFileAtomically(dir.File("out.csv"), "second", true).ok());
  struct stat info {};
  EXPECT_EQ(::stat(live->temp_path().c_str(), &info), 0);
  ASSERT_TRUE(live->Commit().ok());
  EXPECT_EQ(ReadAll(dir.File("out.csv")), "in progress");
  EXPECT_EQ(dir.List(), std::vector<std::string>{"out.csv"});
}

}  // namespace
}  // namespace synthscale
