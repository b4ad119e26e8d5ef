// CsvReader: stream a CSV file (RFC 4180, optionally gzip-compressed) into typed Tables.
//
// The input is read in chunks of about options.chunk_bytes, so memory stays bounded
// whatever the file size. Each chunk is cut into pieces at record boundaries (a fixed
// piece size, never the thread count), pieces are parsed in parallel with ctx.pool() into
// piece-local columns and appended in piece order: the Table is identical for any number
// of threads, and for any chunk size.
//
// Columns are matched to the schema by header name (the file may order them
// differently); the Table has the schema's columns, in schema order, with the schema's
// types. Categorical dictionaries list the schema's categories first, in schema order;
// labels outside the schema (only when !strict_domain) follow in order of first appearance.
// Conversion per type (docs/formats.md): integer (64-bit, from_chars), continuous
// (finite doubles, fast_float), boolean (true/false, yes/no, 1/0, any case), datetime
// (ParseDatetime), categorical (exact label), id and text (as written). Spaces around
// numeric, boolean and datetime fields are ignored.
//
// Errors: kIO for the file system (missing file, permission denied, a directory, a
// truncated or corrupt gzip stream); kInvalidData for the content, with a SourceLocation
// (file, physical line, character column, data row, field) and a message saying what was
// expected, what was found and what to do.
//
// Thread safety: one thread at a time per reader.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "synthscale/core/context.h"
#include "synthscale/core/status.h"
#include "synthscale/io/csv_options.h"
#include "synthscale/table/schema.h"
#include "synthscale/table/table.h"

namespace synthscale {

namespace csv_internal {
class CsvChunker;
struct ReadPlan;
struct PieceColumns;
struct PieceOutcome;
}  // namespace csv_internal

class CsvReader {
 public:
  // Open `path` (gzip detected by its magic bytes) and read its header row.
  // Errors: kIO (missing, unreadable, a directory), kInvalidData (empty file, bad header:
  // an empty or duplicate column name, invalid UTF-8), kInvalidArgument (bad options).
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path, const CsvOptions& options);
  // Read CSV text held in memory (no gzip); `bytes` must outlive the reader. `name`
  // stands for the file in error locations.
  static Result<std::unique_ptr<CsvReader>> OpenBuffer(std::string_view bytes, const CsvOptions& options,
                                                       const std::string& name = "<memory>");
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Column names from the header row, in file order.
  const std::vector<std::string>& header() const;

  // Replace *batch with the typed rows of the next chunk (about chunk_bytes of input);
  // returns false, with an empty batch, at the end. Pass the same schema every time.
  // Errors: as above, plus kInvalidData for a schema/header mismatch (naming the column),
  // a file with a header but no data rows, and any malformed or out-of-domain value.
  // After an error, every later call returns the same error.
  Result<bool> NextBatch(const Schema& schema, const Context& ctx, Table* batch);

  // Data rows read so far.
  std::uint64_t rows_read() const { return rows_read_; }

 private:
  friend Result<Table> ReadCsv(const std::string&, const Schema&, const CsvOptions&, const Context&);
  explicit CsvReader(std::unique_ptr<csv_internal::CsvChunker> chunker);
  Status PreparePlan(const Schema& schema);
  // Parse the next non-empty chunk and append its rows to `out` (whose columns follow
  // the plan). Returns false at the end of the input.
  Result<bool> ReadChunkInto(const Context& ctx, Table* out);
  void ResetTable(Table* table) const;

  std::unique_ptr<csv_internal::CsvChunker> chunker_;
  std::unique_ptr<csv_internal::ReadPlan> plan_;
  std::vector<csv_internal::PieceColumns> pieces_;
  std::vector<csv_internal::PieceOutcome> outcomes_;
  std::vector<std::string> scratch_;
  std::uint64_t rows_read_ = 0;
  bool finished_ = false;
  Status failure_;
};

// Read a whole CSV file into one Table (see CsvReader for the rules and errors).
Result<Table> ReadCsv(const std::string& path, const Schema& schema, const CsvOptions& options,
                      const Context& ctx);

}  // namespace synthscale
