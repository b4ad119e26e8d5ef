// CsvChunker (internal to io/): reads a CSV input in chunks of about chunk_bytes, cuts
// each chunk into pieces at record boundaries, and turns byte offsets into locations.
// Shared by the typed reader and schema inference.
//
// Memory is bounded: a chunk ends at its last complete record (found by a quote-aware
// scan) and the partial record after it is carried into the next chunk. A record longer
// than max_field_bytes is an error instead of unbounded buffering.
//
// While the pieces of one chunk are parsed, the next chunk's bytes are read (or
// decompressed) on a separate thread into a second buffer, so I/O and gzip overlap
// parsing; the chunks themselves are the same as without read-ahead.
//
// Pieces make parsing parallel and deterministic: piece k starts at the first record
// boundary at or after k * piece_bytes, where piece_bytes = min(1 MiB, chunk_bytes / 8)
// depends on the options only, never on the thread count. Whether a byte is inside
// quotes is the parity of the quotes before it (exact for every file the tokenizer
// accepts, see csv_tokenizer.h); quotes are counted per block in parallel.
#pragma once

#include <atomic>
#include <cstddef>
#include <future>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "synthscale/core/context.h"
#include "synthscale/core/status.h"
#include "synthscale/io/byte_source.h"
#include "synthscale/io/csv_options.h"
#include "synthscale/io/csv_tokenizer.h"
#include "synthscale/io/utf8.h"

namespace synthscale::csv_internal {

struct PieceSpan {
  std::size_t begin;
  std::size_t end;
};

// What parsing one piece produced: its counts and its first error.
struct PieceOutcome {
  PieceSpan span{0, 0};
  std::size_t bad_byte = SIZE_MAX;  // first invalid UTF-8 or NUL byte of the piece; pass to TokenizeRecords
  PieceCounts counts;
  ParseError error;
};

class CsvChunker {
 public:
  // Read up to and including the header record and check it (non-empty, unique names).
  // `name` is the file name used in locations. Errors: kInvalidData with a location.
  static Result<std::unique_ptr<CsvChunker>> Open(std::unique_ptr<ByteSource> source, std::string name,
                                                   const CsvOptions& options);

  const std::vector<std::string>& header() const { return header_; }
  // Location (line and column) of header field `col_idx`.
  SourceLocation HeaderLocation(std::size_t col_idx) const;
  const std::string& name() const { return name_; }
  const CsvOptions& options() const { return options_; }
  TokenizerConfig tokenizer_config() const {
    return {options_.delimiter, options_.max_field_bytes, header_.size() != 1};
  }

  // Load the next chunk; false when the input is exhausted. Call Advance() after
  // parsing each chunk.
  Result<bool> Next(const Context& ctx);
  const char* data() const { return buffer_.data(); }
  std::size_t size() const { return chunk_end_; }
  std::size_t num_pieces() const;
  // Bytes [begin, end) of piece `piece_idx` (cut in Next); pieces may be empty. Thread-safe.
  PieceSpan Piece(std::size_t piece_idx) const;
  // Forget the current chunk, which held `newlines` line feeds and `rows` data rows.
  void Advance(std::size_t newlines, std::size_t rows);
  std::uint64_t rows_before() const { return rows_before_; }

  // Parse every piece of the current chunk with parse(piece_idx, outcome) in parallel,
  // after validating its UTF-8 (outcome.bad_byte). Returns the first error in input
  // order, located.
  template <typename ParseFn>
  Status ParsePieces(const Context& ctx, std::vector<PieceOutcome>& outcomes, const ParseFn& parse);

  // The located Status for the first failed outcome (`piece_idx`).
  Status ErrorStatus(const std::vector<PieceOutcome>& outcomes, std::size_t piece_idx) const;
  // Line and column of a chunk offset (file filled in).
  SourceLocation Locate(std::size_t offset) const;
  void ReportProgress(const Context& ctx) const;

 private:
  CsvChunker(std::unique_ptr<ByteSource> source, std::string name, const CsvOptions& options);
  Status Fill(std::size_t target);
  Status ReadHeader();
  Status ComputeParities(const Context* ctx);
  std::size_t LastBoundary() const;
  std::size_t ScanToBoundary(std::size_t pos, unsigned parity, std::size_t limit) const;
  void CutPieces();
  // Start reading the next chunk into spare_ (after a copy of the carried partial record).
  void StartReadAhead();
  // Wait for the read-ahead and make its buffer the current one.
  Status FinishReadAhead();
  Status RecordTooLong(bool in_header) const;

  std::unique_ptr<ByteSource> source_;
  std::string name_;
  CsvOptions options_;
  std::size_t piece_bytes_;
  std::vector<char> buffer_;  // data_size_ bytes + kScanPadding
  std::size_t data_size_ = 0;
  std::size_t chunk_end_ = 0;
  bool eof_ = false;
  std::vector<unsigned char> block_parity_;  // quote parity at the start of each piece block
  std::vector<std::size_t> cuts_;            // piece k is [cuts_[k], cuts_[k + 1])
  unsigned total_parity_ = 0;
  std::int64_t first_line_ = 1;  // physical line of buffer_[0]
  std::uint64_t rows_before_ = 0;
  std::vector<std::string> header_;
  std::vector<SourceLocation> header_locations_;
  std::uint64_t consumed_ = 0;  // source bytes consumed, for progress (read on this thread only)
  // Read-ahead: spare_ receives the carry then the next chunk's bytes. Declared last so
  // that destruction waits for an unfinished read before the buffers go.
  std::vector<char> spare_;
  std::size_t read_ahead_carry_ = 0;
  std::size_t read_ahead_request_ = 0;
  bool reading_ahead_ = false;
  std::future<Result<std::size_t>> read_ahead_;
};

template <typename ParseFn>
Status CsvChunker::ParsePieces(const Context& ctx, std::vector<PieceOutcome>& outcomes, const ParseFn& parse) {
  const std::size_t count = num_pieces();
  outcomes.assign(count, PieceOutcome{});
  std::atomic<std::size_t> first_failed{SIZE_MAX};
  (void)ctx.pool().Run(count, [&](std::size_t piece_idx) -> Status {
    if (piece_idx > first_failed.load(std::memory_order_relaxed)) return Status::Ok();  // not reported anyway
    PieceOutcome& outcome = outcomes[piece_idx];
    outcome.span = Piece(piece_idx);
    const std::size_t length = outcome.span.end - outcome.span.begin;
    const Utf8Check check = ValidateUtf8(data() + outcome.span.begin, length);
    if (check.offset < length) outcome.bad_byte = outcome.span.begin + check.offset;
    parse(piece_idx, outcome);
    if (!outcome.error.failed && outcome.bad_byte != SIZE_MAX) {  // not expected: every byte is in some field
      outcome.error.Set(check.nul ? "NUL byte (0x00) in the data" : "invalid UTF-8", outcome.bad_byte);
      outcome.error.has_row = false;
    }
    if (!outcome.error.failed) return Status::Ok();
    std::size_t seen = first_failed.load(std::memory_order_relaxed);
    while (piece_idx < seen && !first_failed.compare_exchange_weak(seen, piece_idx)) {
    }
    return InvalidData("piece failed");  // stops a serial run; the located error is built below
  });
  for (std::size_t piece_idx = 0; piece_idx < count; ++piece_idx) {
    if (outcomes[piece_idx].error.failed) return ErrorStatus(outcomes, piece_idx);
  }
  return Status::Ok();
}

}  // namespace synthscale::csv_internal
