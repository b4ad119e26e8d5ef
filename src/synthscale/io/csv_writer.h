// CsvWriter: write typed Tables as an RFC 4180 CSV file, atomically.
//
// The schema gives the column order, and the datetime format of datetime columns; batch
// columns are matched to it by name. Fields are quoted only when needed: when they hold
// the delimiter, a quote, CR or LF, or when a label or text equals one of the default
// missing tokens ("", NA, N/A, NULL, null, ?), so that reading the file back gives the
// same values. Missing values (and non-finite doubles) are written as empty fields.
// Doubles use the shortest representation that reads back to the same bits
// (std::to_chars), integers are exact, datetimes are "YYYY-MM-DD" or
// "YYYY-MM-DDTHH:MM:SS" (FormatDatetime), booleans "true"/"false". Lines end in LF.
//
// Rows are formatted in parallel in fixed blocks of rows and written in block order, so
// the bytes are identical for any thread count. Output goes through AtomicOutputFile:
// nothing appears at `path` before Commit(), and an uncommitted writer leaves nothing.
//
// Thread safety: one thread at a time per writer. Movable, not copyable.
#pragma once

#include <cstdint>
#include <string>

#include "synthscale/core/context.h"
#include "synthscale/core/status.h"
#include "synthscale/io/atomic_file.h"
#include "synthscale/table/schema.h"
#include "synthscale/table/table.h"

namespace synthscale {

class CsvWriter {
 public:
  // Claim `path` and write the header row. Errors: as AtomicOutputFile::Create;
  // kInvalidArgument for a delimiter that is a quote, CR, LF or NUL.
  static Result<CsvWriter> Create(const std::string& path, const Schema& schema, bool force, char delimiter = ',');

  // Append all rows of `batch`. Errors: kInvalidArgument if a schema column is missing
  // from `batch` or has another type; kIO if writing fails.
  Status Append(const Table& batch, const Context& ctx);
  // Flush and move the file into place. Errors: as AtomicOutputFile::Commit.
  Status Commit();

  std::uint64_t rows_written() const { return rows_written_; }

 private:
  CsvWriter(AtomicOutputFile file, Schema schema, char delimiter)
      : file_(std::move(file)), schema_(std::move(schema)), delimiter_(delimiter) {}

  AtomicOutputFile file_;
  Schema schema_;
  char delimiter_;
  std::uint64_t rows_written_ = 0;
};

// Write `table` to `path` (Create + Append + Commit).
Status WriteCsv(const Table& table, const std::string& path, const Schema& schema, bool force, const Context& ctx);

}  // namespace synthscale
