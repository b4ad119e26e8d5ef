#include "synthscale/io/input_scan.h"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <span>

namespace synthscale {

Result<InputScan> ScanInputFile(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return IOError("cannot open '" + path + "' for reading: " + std::strerror(errno), path);
  Sha256Hasher hasher;
  std::array<std::uint8_t, 1 << 16> buffer;
  std::uint64_t line_feeds = 0;
  bool first_block = true;
  bool gzip = false;
  while (true) {
    const std::size_t got = std::fread(buffer.data(), 1, buffer.size(), file.get());
    if (first_block) {
      gzip = got >= 2 && buffer[0] == 0x1f && buffer[1] == 0x8b;  // as ByteSource detects it
      first_block = false;
    }
    hasher.Update(std::span<const std::uint8_t>(buffer.data(), got));
    if (!gzip) {
      const std::uint8_t* pos = buffer.data();
      const std::uint8_t* const end = buffer.data() + got;
      while ((pos = static_cast<const std::uint8_t*>(std::memchr(pos, '\n', static_cast<std::size_t>(end - pos)))) !=
             nullptr) {
        ++line_feeds;
        ++pos;
      }
    }
    if (got < buffer.size()) break;
  }
  if (std::ferror(file.get())) return IOError("error while reading '" + path + "'", path);
  InputScan scan;
  scan.sha256 = hasher.Finish();
  if (!gzip) scan.max_records = line_feeds + 1;
  return scan;
}

}  // namespace synthscale
