// ByteSource (internal to io/): where the CSV reader's bytes come from. A plain file
// (read(2)), a gzip file (zlib's gzread, detected by the magic bytes 1f 8b), or a buffer
// in memory (fuzzing, tests).
//
// Thread safety: one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "synthscale/core/status.h"

namespace synthscale {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Fill `size` bytes at `out`, fewer only at the end of the input; returns the count
  // (0 at the end). Errors: kIO (read failure, truncated or corrupt gzip stream).
  virtual Result<std::size_t> Read(char* out, std::size_t size) = 0;
  // Input bytes consumed so far and in total (compressed bytes for gzip; total 0 when
  // unknown), for progress.
  virtual std::uint64_t consumed() const = 0;
  virtual std::uint64_t total() const = 0;
  virtual bool compressed() const { return false; }
};

// Open a file, detecting gzip by its first two bytes. Errors: kIO for a missing or
// unreadable path or a directory, naming `path`.
Result<std::unique_ptr<ByteSource>> OpenFileSource(const std::string& path);
// A source over bytes owned by the caller, which must outlive it (no gzip detection).
std::unique_ptr<ByteSource> MemorySource(std::string_view bytes);

}  // namespace synthscale
