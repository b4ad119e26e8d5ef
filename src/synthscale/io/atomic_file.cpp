#include "synthscale/io/atomic_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <utility>
#include <vector>

namespace synthscale {
namespace {

std::string ErrnoText(int error) { return std::strerror(error); }

// The process umask, read without changing it: umask(2) can only be read by setting it,
// which would race with other threads creating files.
mode_t CurrentUmask() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Umask:", 0) == 0) {
      unsigned long value = 0;
      if (std::sscanf(line.c_str() + 6, "%lo", &value) == 1) return static_cast<mode_t>(value & 0777u);
    }
  }
  return 022;
}

struct SplitPath {
  std::string dir;   // "." when the path has no folder part
  std::string name;
};

SplitPath Split(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return {".", path};
  if (slash == 0) return {"/", path.substr(1)};
  return {path.substr(0, slash), path.substr(slash + 1)};
}

// mkostemp's suffix: six characters replacing "XXXXXX".
constexpr std::size_t kTempSuffixLength = 6;
// Attempts at a temporary that no cleaner removed between its creation and its lock.
constexpr int kTempAttempts = 8;

// Remove temporaries of `name` in `dir` that no live writer holds: a writer keeps an
// exclusive flock on its temporary until it commits or dies (the kernel drops the lock
// when a process is killed, even by SIGKILL), so an unlocked one is left over from a
// killed run. Best effort: an unreadable folder or a file system without flock (where
// every lock attempt fails) removes nothing. Only names of exactly this target's form are
// considered, so no other file in the folder is touched.
void RemoveStaleTemporaries(const std::string& dir, const std::string& name) {
  const std::string prefix = "." + name + ".tmp.";
  DIR* folder = ::opendir(dir.c_str());
  if (folder == nullptr) return;
  while (const dirent* entry = ::readdir(folder)) {
    const std::string_view entry_name(entry->d_name);
    if (entry_name.size() != prefix.size() + kTempSuffixLength || entry_name.rfind(prefix, 0) != 0) continue;
    const std::string path = dir + "/" + std::string(entry_name);
    // Read-write: NFS emulates flock with byte-range locks, whose exclusive kind needs a
    // writable descriptor. A file we may not write (another user's) is left alone.
    const int fd = ::open(path.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) continue;
    struct stat info {};
    struct stat named {};
    // The name must still be the file we locked (another cleaner may have removed it and
    // a new writer reused the name) before it is unlinked.
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && ::flock(fd, LOCK_EX | LOCK_NB) == 0 &&
        ::lstat(path.c_str(), &named) == 0 && named.st_ino == info.st_ino && named.st_dev == info.st_dev) {
      (void)::unlink(path.c_str());  // we hold its lock, so no writer can be using it
    }
    (void)::close(fd);  // also drops our lock
  }
  (void)::closedir(folder);
}

// Lock a fresh temporary; false when a cleaner got to it first (it holds the lock or has
// unlinked the file), so the caller makes another. A file system without flock gives
// true: its temporaries are then simply never cleaned.
bool LockTemporary(int fd) {
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) return errno != EWOULDBLOCK;
  struct stat info {};
  return ::fstat(fd, &info) != 0 || info.st_nlink > 0;
}

void SyncDirectory(const std::string& dir) {
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return;  // durability of the rename is best effort
  (void)::fsync(dir_fd);
  (void)::close(dir_fd);
}

}  // namespace

Result<AtomicOutputFile> AtomicOutputFile::Create(const std::string& path, bool force) {
  if (path.empty()) return IOError("the output path is empty; give a file name");
  const SplitPath parts = Split(path);
  if (parts.name.empty() || parts.name == "." || parts.name == "..") {
    return IOError("output '" + path + "' is a directory, expected a file name", path);
  }
  struct stat info {};
  mode_t mode = static_cast<mode_t>(0666u & ~CurrentUmask());
  if (::stat(path.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) {
      return IOError("output '" + path + "' is a directory, expected a file name", path);
    }
    if (!force) {
      return AlreadyExists("output file '" + path + "' already exists; use --force to overwrite it", path);
    }
    mode = static_cast<mode_t>(info.st_mode & 07777u);  // keep the replaced file's permissions
  }
  struct stat dir_info {};
  if (::stat(parts.dir.c_str(), &dir_info) != 0) {
    return IOError("cannot write '" + path + "': folder '" + parts.dir + "' " +
                       (errno == ENOENT ? std::string("does not exist; create it first") : ErrnoText(errno)),
                   path);
  }
  if (!S_ISDIR(dir_info.st_mode)) {
    return IOError("cannot write '" + path + "': '" + parts.dir + "' is not a folder", path);
  }
  RemoveStaleTemporaries(parts.dir, parts.name);
  const std::string temp_template = parts.dir + "/." + parts.name + ".tmp.XXXXXX";
  std::vector<char> buffer;
  int fd = -1;
  for (int attempt = 0; attempt < kTempAttempts && fd < 0; ++attempt) {
    buffer.assign(temp_template.begin(), temp_template.end());
    buffer.push_back('\0');
    fd = ::mkostemp(buffer.data(), O_CLOEXEC);
    if (fd < 0) {
      return IOError("cannot create a file in folder '" + parts.dir + "': " + ErrnoText(errno) +
                         "; check that the folder is writable",
                     path);
    }
    if (!LockTemporary(fd)) {
      (void)::close(fd);  // the cleaner that took it also unlinks it
      fd = -1;
    }
  }
  if (fd < 0) {
    return IOError("cannot claim a temporary file in folder '" + parts.dir +
                       "': another process kept removing it; run again",
                   path);
  }
  std::string temp_path(buffer.data());
  // mkstemp creates the file 0600; give the output the usual permissions.
  (void)::fchmod(fd, mode);
  return AtomicOutputFile(path, std::move(temp_path), fd, force);
}

AtomicOutputFile::AtomicOutputFile(AtomicOutputFile&& other) noexcept
    : path_(std::move(other.path_)),
      temp_path_(std::move(other.temp_path_)),
      fd_(std::exchange(other.fd_, -1)),
      force_(other.force_),
      committed_(std::exchange(other.committed_, true)) {}

AtomicOutputFile& AtomicOutputFile::operator=(AtomicOutputFile&& other) noexcept {
  if (this != &other) {
    Discard();
    path_ = std::move(other.path_);
    temp_path_ = std::move(other.temp_path_);
    fd_ = std::exchange(other.fd_, -1);
    force_ = other.force_;
    committed_ = std::exchange(other.committed_, true);
  }
  return *this;
}

AtomicOutputFile::~AtomicOutputFile() { Discard(); }

void AtomicOutputFile::Discard() {
  if (fd_ >= 0) {
    (void)::close(fd_);
    fd_ = -1;
  }
  if (!committed_ && !temp_path_.empty()) {
    (void)::unlink(temp_path_.c_str());
    temp_path_.clear();
  }
}

Status AtomicOutputFile::Write(std::string_view bytes) {
  if (committed_ || fd_ < 0) {
    return InvalidArgument("write to output '" + path_ + "' after it was committed or failed");
  }
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd_, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      return IOError("cannot write '" + path_ + "': " + ErrnoText(error) +
                         (error == ENOSPC ? std::string("; free some space and run again") : std::string()),
                     path_);
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return Status::Ok();
}

Status AtomicOutputFile::Commit() {
  if (committed_ || fd_ < 0) {
    return InvalidArgument("output '" + path_ + "' was already committed or failed");
  }
  auto fail = [this](Status status) {
    Discard();
    return status;
  };
  if (::fsync(fd_) != 0) {
    return fail(IOError("cannot flush '" + path_ + "' to disk: " + ErrnoText(errno), path_));
  }
  const int close_result = ::close(fd_);
  fd_ = -1;
  if (close_result != 0) return fail(IOError("cannot close '" + path_ + "': " + ErrnoText(errno), path_));

  if (force_) {
    if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
      return fail(IOError("cannot move the output into place at '" + path_ + "': " + ErrnoText(errno), path_));
    }
  } else if (::renameat2(AT_FDCWD, temp_path_.c_str(), AT_FDCWD, path_.c_str(), RENAME_NOREPLACE) != 0) {
    const int rename_error = errno;
    if (rename_error == EEXIST) {
      return fail(AlreadyExists("output file '" + path_ +
                                    "' appeared while this command ran; it was kept. Use --force to overwrite it",
                                path_));
    }
    if (rename_error != EINVAL && rename_error != ENOSYS && rename_error != ENOTSUP) {
      return fail(IOError("cannot move the output into place at '" + path_ + "': " + ErrnoText(rename_error),
                          path_));
    }
    // The file system has no RENAME_NOREPLACE: link() also refuses an existing name.
    if (::link(temp_path_.c_str(), path_.c_str()) != 0) {
      const int link_error = errno;
      if (link_error == EEXIST) {
        return fail(AlreadyExists("output file '" + path_ +
                                      "' appeared while this command ran; it was kept. Use --force to overwrite it",
                                  path_));
      }
      return fail(IOError("cannot move the output into place at '" + path_ + "': " + ErrnoText(link_error), path_));
    }
    (void)::unlink(temp_path_.c_str());
  }
  committed_ = true;
  SyncDirectory(Split(path_).dir);
  return Status::Ok();
}

Status WriteFileAtomically(const std::string& path, std::string_view bytes, bool force) {
  SYNTHSCALE_ASSIGN_OR_RETURN(AtomicOutputFile file, AtomicOutputFile::Create(path, force));
  SYNTHSCALE_RETURN_IF_ERROR(file.Write(bytes));
  return file.Commit();
}

}  // namespace synthscale
