// One pass over an input file: its SHA-256 (for provenance) and a bound on its rows (to
// size the encoded table once, instead of growing it).
//
// Why a bound and not the row count: counting records exactly needs the CSV grammar
// (quoted fields may hold line breaks), while every record but the last ends with a line
// feed, so "line feeds + 1" bounds the records of any RFC 4180 file from above and costs
// one memchr per block of the pass that hashes the file anyway. For a gzip file the bytes
// hashed are the compressed ones and no bound is given (the rows are known only after
// decompressing, which the reader does once).
//
// Errors: kIO when the file cannot be opened or read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "synthscale/core/crypto.h"
#include "synthscale/core/status.h"

namespace synthscale {

struct InputScan {
  Sha256Digest sha256{};
  // Line feeds + 1 for a plain file: at least its records, header included; nullopt for gzip.
  std::optional<std::uint64_t> max_records;
};

// Read `path` once, in blocks of 64 KiB, hashing every byte and counting line feeds.
[[nodiscard]] Result<InputScan> ScanInputFile(const std::string& path);

}  // namespace synthscale
