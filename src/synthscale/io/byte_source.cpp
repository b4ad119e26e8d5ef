#include "synthscale/io/byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

namespace synthscale {
namespace {

std::string OpenErrorMessage(const std::string& path, int error) {
  std::string message = "cannot open '" + path + "': " + std::strerror(error);
  if (error == ENOENT) message += "; check the path";
  if (error == EACCES) message += "; check the file's permissions";
  return message;
}

class FileSource final : public ByteSource {
 public:
  FileSource(int fd, std::string path, std::uint64_t total) : fd_(fd), path_(std::move(path)), total_(total) {}
  ~FileSource() override { (void)::close(fd_); }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  Result<std::size_t> Read(char* out, std::size_t size) override {
    std::size_t filled = 0;
    while (filled < size) {
      const ssize_t got = ::read(fd_, out + filled, size - filled);
      if (got < 0) {
        if (errno == EINTR) continue;
        return IOError("cannot read '" + path_ + "': " + std::strerror(errno), path_);
      }
      if (got == 0) break;
      filled += static_cast<std::size_t>(got);
    }
    consumed_ += filled;
    return filled;
  }
  std::uint64_t consumed() const override { return consumed_; }
  std::uint64_t total() const override { return total_; }

 private:
  int fd_;
  std::string path_;
  std::uint64_t total_;
  std::uint64_t consumed_ = 0;
};

class GzipSource final : public ByteSource {
 public:
  GzipSource(gzFile file, std::string path, std::uint64_t total)
      : file_(file), path_(std::move(path)), total_(total) {}
  ~GzipSource() override { (void)gzclose(file_); }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  Result<std::size_t> Read(char* out, std::size_t size) override {
    std::size_t filled = 0;
    while (filled < size) {
      const auto request = static_cast<unsigned>(std::min<std::size_t>(size - filled, 1u << 30));
      const int got = gzread(file_, out + filled, request);
      if (got < 0) return Corrupt();
      if (got == 0) {
        // gzread reports a stream cut short only through gzerror.
        int code = Z_OK;
        (void)gzerror(file_, &code);
        if (code != Z_OK && code != Z_STREAM_END) return Corrupt();
        break;
      }
      filled += static_cast<std::size_t>(got);
    }
    const z_off_t offset = gzoffset(file_);
    if (offset >= 0) consumed_ = static_cast<std::uint64_t>(offset);
    return filled;
  }
  std::uint64_t consumed() const override { return consumed_; }
  std::uint64_t total() const override { return total_; }
  bool compressed() const override { return true; }

 private:
  Status Corrupt() {
    int code = Z_OK;
    const char* what = gzerror(file_, &code);
    std::string detail = what != nullptr && *what != '\0' ? what : "unknown zlib error";
    if (detail.rfind("<fd:", 0) == 0 && detail.find(": ") != std::string::npos) {
      detail = detail.substr(detail.find(": ") + 2);  // gzdopen names the file "<fd:N>"
    }
    const bool truncated = code == Z_BUF_ERROR || detail.find("unexpected end") != std::string::npos;
    return IOError(std::string(truncated ? "truncated" : "corrupt") + " gzip stream in '" + path_ + "' (" + detail +
                       "); the file is damaged or was not fully copied: "
                       "check it with 'gzip -t' and copy or download it again",
                   path_);
  }

  gzFile file_;
  std::string path_;
  std::uint64_t total_;
  std::uint64_t consumed_ = 0;
};

class BufferSource final : public ByteSource {
 public:
  explicit BufferSource(std::string_view bytes) : bytes_(bytes) {}
  Result<std::size_t> Read(char* out, std::size_t size) override {
    const std::size_t count = std::min(size, bytes_.size() - position_);
    if (count > 0) std::memcpy(out, bytes_.data() + position_, count);
    position_ += count;
    return count;
  }
  std::uint64_t consumed() const override { return position_; }
  std::uint64_t total() const override { return bytes_.size(); }

 private:
  std::string_view bytes_;
  std::size_t position_ = 0;
};

}  // namespace

Result<std::unique_ptr<ByteSource>> OpenFileSource(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IOError(OpenErrorMessage(path, errno), path);
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const int error = errno;
    (void)::close(fd);
    return IOError("cannot read '" + path + "': " + std::strerror(error), path);
  }
  if (S_ISDIR(info.st_mode)) {
    (void)::close(fd);
    return IOError("'" + path + "' is a directory, expected a CSV file", path);
  }
  const std::uint64_t total = S_ISREG(info.st_mode) ? static_cast<std::uint64_t>(info.st_size) : 0;
  unsigned char magic[2] = {0, 0};
  const ssize_t got = ::pread(fd, magic, sizeof magic, 0);
  const bool gzip = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  if (!gzip) {
    (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    return std::unique_ptr<ByteSource>(std::make_unique<FileSource>(fd, path, total));
  }
  gzFile file = gzdopen(fd, "rb");
  if (file == nullptr) {
    (void)::close(fd);
    return IOError("cannot open gzip file '" + path + "' (out of memory?)", path);
  }
  (void)gzbuffer(file, 1u << 18);
  return std::unique_ptr<ByteSource>(std::make_unique<GzipSource>(file, path, total));
}

std::unique_ptr<ByteSource> MemorySource(std::string_view bytes) { return std::make_unique<BufferSource>(bytes); }

}  // namespace synthscale
