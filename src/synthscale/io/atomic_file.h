// AtomicOutputFile: write an output file so that readers only ever see it complete.
//
// Bytes go to a hidden temporary file `<dir>/.<name>.tmp.XXXXXX` in the target folder
// (same file system, so the final rename is atomic). Commit() flushes, fsyncs and moves
// it into place; destroying an uncommitted file removes the temporary, so a failed run
// leaves nothing behind. Without `force` an existing output is never replaced: Create()
// refuses it, and Commit() uses renameat2(RENAME_NOREPLACE) (or link()+unlink() where the
// file system lacks it) so a file that appeared in the meantime is not clobbered either.
//
// A killed process (SIGKILL, node failure) cannot remove its temporary. Such a leftover
// never blocks a later run (every run gets a fresh unique name) and is never read. A
// writer holds an exclusive flock(2) on its temporary until it commits or dies, so Create()
// removes this target's temporaries that nobody holds: a re-run cleans up after a killed
// run, and never touches a live writer's file (docs/reproducibility.md).
//
// Thread safety: one thread at a time per object. Movable, not copyable.
#pragma once

#include <string>
#include <string_view>

#include "synthscale/core/status.h"

namespace synthscale {

class AtomicOutputFile {
 public:
  // Claim `path` for writing. Errors: kAlreadyExists if `path` exists and !force ("use
  // --force to overwrite"); kIO if the folder is missing or unwritable or `path` is a
  // directory.
  static Result<AtomicOutputFile> Create(const std::string& path, bool force);

  AtomicOutputFile(AtomicOutputFile&& other) noexcept;
  AtomicOutputFile& operator=(AtomicOutputFile&& other) noexcept;
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;
  // Removes the temporary file unless Commit() succeeded.
  ~AtomicOutputFile();

  // Append bytes. Errors: kIO (e.g. disk full), or kInvalidArgument after Commit().
  Status Write(std::string_view bytes);
  // Flush, fsync and rename into place. Errors: kIO, or kAlreadyExists if the output
  // appeared since Create() and !force. After a failed Commit the temporary is removed.
  Status Commit();

  const std::string& path() const { return path_; }
  const std::string& temp_path() const { return temp_path_; }
  bool committed() const { return committed_; }

 private:
  AtomicOutputFile(std::string path, std::string temp_path, int fd, bool force)
      : path_(std::move(path)), temp_path_(std::move(temp_path)), fd_(fd), force_(force) {}
  void Discard();

  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
  bool force_ = false;
  bool committed_ = false;
};

// Write `bytes` to `path` through an AtomicOutputFile. Errors as Create/Write/Commit.
Status WriteFileAtomically(const std::string& path, std::string_view bytes, bool force);

}  // namespace synthscale
