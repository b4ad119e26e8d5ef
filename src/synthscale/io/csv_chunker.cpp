#include "synthscale/io/csv_chunker.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace synthscale::csv_internal {
namespace {

constexpr std::size_t kMaxPieceBytes = 1u << 20;
// Quote counting runs in tasks of at least this many bytes (blocks may be tiny in tests).
constexpr std::size_t kParityTaskBytes = 1u << 20;

struct HeaderSink {
  std::vector<std::string>* names;
  std::vector<std::size_t>* offsets;
  bool Field(std::size_t, std::string_view value, bool, std::size_t offset) {
    names->emplace_back(value);
    offsets->push_back(offset);
    return true;
  }
  bool EndRecord(std::size_t, std::size_t, std::size_t) { return true; }
};

}  // namespace

CsvChunker::CsvChunker(std::unique_ptr<ByteSource> source, std::string name, const CsvOptions& options)
    : source_(std::move(source)),
      name_(std::move(name)),
      options_(options),
      piece_bytes_(std::clamp<std::size_t>(options.chunk_bytes / 8, 1, kMaxPieceBytes)) {}

Result<std::unique_ptr<CsvChunker>> CsvChunker::Open(std::unique_ptr<ByteSource> source, std::string name,
                                                     const CsvOptions& options) {
  SYNTHSCALE_RETURN_IF_ERROR(ValidateCsvOptions(options));
  std::unique_ptr<CsvChunker> chunker(new CsvChunker(std::move(source), std::move(name), options));
  SYNTHSCALE_RETURN_IF_ERROR(chunker->ReadHeader());
  return chunker;
}

Status CsvChunker::Fill(std::size_t target) {
  // Grow the buffer with the data rather than to `target` at once, so a small input
  // never costs a chunk-sized allocation.
  while (!eof_ && data_size_ < target) {
    const std::size_t want = std::min(target, std::max<std::size_t>(2 * data_size_, 64u << 10));
    if (buffer_.size() < want + kScanPadding) buffer_.resize(want + kScanPadding);
    SYNTHSCALE_ASSIGN_OR_RETURN(const std::size_t got, source_->Read(buffer_.data() + data_size_, want - data_size_));
    data_size_ += got;
    if (data_size_ < want) eof_ = true;
  }
  if (buffer_.size() < data_size_ + kScanPadding) buffer_.resize(data_size_ + kScanPadding);
  std::memset(buffer_.data() + data_size_, '\n', kScanPadding);
  consumed_ = source_->consumed();
  return Status::Ok();
}

void CsvChunker::StartReadAhead() {
  if (eof_) return;
  const std::size_t carry = data_size_ - chunk_end_;
  const std::size_t request = options_.chunk_bytes;
  if (spare_.size() < carry + request + kScanPadding) spare_.resize(carry + request + kScanPadding);
  std::memcpy(spare_.data(), buffer_.data() + chunk_end_, carry);
  try {
    read_ahead_ = std::async(std::launch::async, [this, carry, request] {
      return source_->Read(spare_.data() + carry, request);
    });
  } catch (...) {
    return;  // no thread to spare: Advance() and Next() read synchronously instead
  }
  read_ahead_carry_ = carry;
  read_ahead_request_ = request;
  reading_ahead_ = true;
}

Status CsvChunker::FinishReadAhead() {
  reading_ahead_ = false;
  Result<std::size_t> got = read_ahead_.get();
  buffer_.swap(spare_);
  data_size_ = read_ahead_carry_;
  if (got.ok()) {
    data_size_ += *got;
    if (*got < read_ahead_request_) eof_ = true;
  }
  std::memset(buffer_.data() + data_size_, '\n', kScanPadding);
  consumed_ = source_->consumed();
  return got.ok() ? Status::Ok() : got.status();
}

SourceLocation CsvChunker::Locate(std::size_t offset) const {
  SourceLocation location;
  location.file = name_;
  const char* data = buffer_.data();
  offset = std::min(offset, data_size_);
  location.line = first_line_ + static_cast<std::int64_t>(CountByte(data, data + offset, '\n'));
  const void* last_newline = offset == 0 ? nullptr : ::memrchr(data, '\n', offset);
  const std::size_t line_start =
      last_newline == nullptr ? 0 : static_cast<std::size_t>(static_cast<const char*>(last_newline) - data) + 1;
  std::int64_t column = 1;
  for (std::size_t pos = line_start; pos < offset; ++pos) {
    if ((static_cast<unsigned char>(data[pos]) & 0xC0u) != 0x80u) ++column;  // count characters, not bytes
  }
  location.column = column;
  return location;
}

SourceLocation CsvChunker::HeaderLocation(std::size_t col_idx) const {
  if (col_idx < header_locations_.size()) return header_locations_[col_idx];
  SourceLocation location;
  location.file = name_;
  location.line = 1;
  return location;
}

Status CsvChunker::ReadHeader() {
  // At least a few bytes, so that a byte order mark is seen whole even with tiny chunks.
  SYNTHSCALE_RETURN_IF_ERROR(Fill(std::max<std::size_t>(options_.chunk_bytes, 4)));
  const auto* bytes = reinterpret_cast<const unsigned char*>(buffer_.data());
  if (data_size_ >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) {  // UTF-8 byte order mark
    std::memmove(buffer_.data(), buffer_.data() + 3, data_size_ - 3);
    data_size_ -= 3;
    std::memset(buffer_.data() + data_size_, '\n', kScanPadding);
  } else if (data_size_ >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF))) {
    SourceLocation location;
    location.file = name_;
    location.line = 1;
    location.column = 1;
    return InvalidData("the file is UTF-16 encoded (it starts with a UTF-16 byte order mark); save it as UTF-8, "
                       "e.g. with 'iconv -f UTF-16 -t UTF-8'",
                       location);
  }
  // Find the end of the header record, skipping leading empty lines.
  std::size_t header_end = 0;
  while (true) {
    std::size_t start = 0;
    while (start < data_size_ && (buffer_[start] == '\n' || (buffer_[start] == '\r' && start + 1 < data_size_ &&
                                                                buffer_[start + 1] == '\n'))) {
      start += buffer_[start] == '\n' ? 1u : 2u;
    }
    if (start < data_size_) {
      header_end = ScanToBoundary(start, 0, data_size_);
      if (header_end < data_size_ || eof_) break;
    } else if (eof_) {
      SourceLocation location;
      location.file = name_;
      return InvalidData("empty file, expected a header row naming the columns", location);
    }
    if (data_size_ > options_.max_field_bytes) return RecordTooLong(/*in_header=*/true);
    SYNTHSCALE_RETURN_IF_ERROR(Fill(std::max(data_size_ + 1, std::min(std::max(data_size_ + options_.chunk_bytes,
                                                                                2 * data_size_),
                                                                       options_.max_field_bytes + 1))));
  }
  const Utf8Check check = ValidateUtf8(buffer_.data(), header_end);
  if (check.offset < header_end) {
    return InvalidData(check.nul ? "NUL byte (0x00) in the header; is this a binary file or UTF-16 text? Save it as "
                                   "UTF-8 text"
                                 : "invalid UTF-8 in the header (byte " +
                                       Quoted(std::string_view(buffer_.data() + check.offset, 1)) +
                                       "); the file must be UTF-8: convert it, e.g. with 'iconv -f latin1 -t UTF-8'",
                       Locate(check.offset));
  }
  std::vector<std::size_t> offsets;
  HeaderSink sink{&header_, &offsets};
  std::string scratch;
  PieceCounts counts;
  ParseError error;
  const std::size_t consumed =
      TokenizeRecords(buffer_.data(), 0, header_end, tokenizer_config(), sink, scratch, counts, error, 1);
  if (error.failed) return InvalidData(error.message, Locate(error.offset));
  for (std::size_t col_idx = 0; col_idx < header_.size(); ++col_idx) {
    header_locations_.push_back(Locate(offsets[col_idx]));
  }
  std::unordered_map<std::string_view, std::size_t> seen;
  for (std::size_t col_idx = 0; col_idx < header_.size(); ++col_idx) {
    SourceLocation location = header_locations_[col_idx];
    if (header_[col_idx].empty()) {
      return InvalidData("column " + std::to_string(col_idx + 1) + " of the header has an empty name; give every "
                         "column a name",
                         location);
    }
    const auto [found, inserted] = seen.emplace(header_[col_idx], col_idx);
    if (!inserted) {
      location.field = header_[col_idx];
      return InvalidData("column name " + Quoted(header_[col_idx]) + " appears twice in the header (columns " +
                             std::to_string(found->second + 1) + " and " + std::to_string(col_idx + 1) +
                             "); column names must be unique: rename one",
                         location);
    }
  }
  // Drop the header bytes; the data starts on the next line.
  first_line_ += static_cast<std::int64_t>(counts.newlines);
  std::memmove(buffer_.data(), buffer_.data() + consumed, data_size_ - consumed);
  data_size_ -= consumed;
  std::memset(buffer_.data() + data_size_, '\n', kScanPadding);
  return Status::Ok();
}

Status CsvChunker::ComputeParities(const Context* ctx) {
  const std::size_t blocks = (data_size_ + piece_bytes_ - 1) / piece_bytes_;
  block_parity_.assign(blocks + 1, 0);
  std::vector<unsigned char>& parity = block_parity_;
  auto count_range = [&](std::size_t begin, std::size_t end) {
    for (std::size_t block = begin; block < end; ++block) {
      const std::size_t from = block * piece_bytes_;
      const std::size_t to = std::min(data_size_, from + piece_bytes_);
      parity[block + 1] = static_cast<unsigned char>(CountByte(buffer_.data() + from, buffer_.data() + to, '"') & 1u);
    }
    return Status::Ok();
  };
  const std::size_t grain = std::max<std::size_t>(1, kParityTaskBytes / piece_bytes_);
  if (ctx != nullptr) {
    SYNTHSCALE_RETURN_IF_ERROR(ParallelFor(ctx->pool(), blocks, grain, count_range));
  } else {
    SYNTHSCALE_RETURN_IF_ERROR(count_range(0, blocks));
  }
  // Prefix XOR: parity[k] = parity of the quotes before block k.
  for (std::size_t block = 1; block <= blocks; ++block) parity[block] ^= parity[block - 1];
  total_parity_ = parity[blocks];
  return Status::Ok();
}

std::size_t CsvChunker::LastBoundary() const {
  unsigned parity = total_parity_;  // parity of the quotes in [0, pos + 1)
  for (std::size_t pos = data_size_; pos-- > 0;) {
    const char ch = buffer_[pos];
    if (ch == '"') {
      parity ^= 1u;
    } else if (ch == '\n' && parity == 0) {
      return pos + 1;
    }
  }
  return 0;
}

std::size_t CsvChunker::ScanToBoundary(std::size_t pos, unsigned parity, std::size_t limit) const {
  const char* data = buffer_.data();
  while (pos < limit) {
    const char ch = data[pos];
    if (ch == '"') {
      parity ^= 1u;
    } else if (ch == '\n' && parity == 0) {
      return pos + 1;
    }
    ++pos;
  }
  return limit;
}

Status CsvChunker::RecordTooLong(bool in_header) const {
  // The buffer holds one incomplete record, from offset 0; report it as the tokenizer would.
  const LongRecord record = CheckRecordLength(buffer_.data(), 0, data_size_, options_.delimiter,
                                              options_.max_field_bytes);
  ParseError error;
  SetLongRecordError(record, 0, options_.max_field_bytes, error);
  SourceLocation location = Locate(error.offset);
  if (!in_header) location.row = static_cast<std::int64_t>(rows_before_) + 1;
  if (!in_header && error.field >= 0 && static_cast<std::size_t>(error.field) < header_.size()) {
    location.field = header_[static_cast<std::size_t>(error.field)];
  }
  return InvalidData(error.message, location);
}

Result<bool> CsvChunker::Next(const Context& ctx) {
  chunk_end_ = 0;
  cuts_.clear();
  std::size_t target = data_size_ + options_.chunk_bytes;
  if (reading_ahead_) {
    SYNTHSCALE_RETURN_IF_ERROR(FinishReadAhead());
    target = data_size_;  // the read-ahead read this chunk's bytes already
  }
  if (data_size_ == 0 && eof_) return false;
  while (true) {
    SYNTHSCALE_RETURN_IF_ERROR(Fill(target));
    if (data_size_ == 0) return false;
    SYNTHSCALE_RETURN_IF_ERROR(ComputeParities(&ctx));
    if (eof_) {
      chunk_end_ = data_size_;
      break;
    }
    const std::size_t boundary = LastBoundary();
    if (boundary > 0) {
      chunk_end_ = boundary;
      break;
    }
    if (data_size_ > options_.max_field_bytes) return RecordTooLong(/*in_header=*/false);
    // Grow geometrically (each retry rescans the buffer), but never far past the limit.
    target = std::max(data_size_ + 1, std::min(std::max(data_size_ + options_.chunk_bytes, 2 * data_size_),
                                               options_.max_field_bytes + 1));
  }
  CutPieces();
  StartReadAhead();
  return true;
}

std::size_t CsvChunker::num_pieces() const { return cuts_.empty() ? 0 : cuts_.size() - 1; }

PieceSpan CsvChunker::Piece(std::size_t piece_idx) const { return {cuts_[piece_idx], cuts_[piece_idx + 1]}; }

void CsvChunker::CutPieces() {
  // Piece k starts at the first record boundary at or after k * piece_bytes_. When the
  // previous cut is already past that point it is also this one, so the scans never
  // overlap and cutting costs O(chunk) even around records longer than a piece.
  const std::size_t count = (chunk_end_ + piece_bytes_ - 1) / piece_bytes_;
  cuts_.assign(count + 1, chunk_end_);
  cuts_[0] = 0;
  for (std::size_t piece_idx = 1; piece_idx < count; ++piece_idx) {
    const std::size_t target = piece_idx * piece_bytes_;
    cuts_[piece_idx] = cuts_[piece_idx - 1] >= target
                           ? cuts_[piece_idx - 1]
                           : ScanToBoundary(target, block_parity_[piece_idx], chunk_end_);
  }
}

void CsvChunker::Advance(std::size_t newlines, std::size_t rows) {
  first_line_ += static_cast<std::int64_t>(newlines);
  rows_before_ += rows;
  cuts_.clear();
  if (reading_ahead_) {  // the carry went to spare_ with the read-ahead; Next() swaps buffers
    chunk_end_ = 0;
    return;
  }
  std::memmove(buffer_.data(), buffer_.data() + chunk_end_, data_size_ - chunk_end_);
  data_size_ -= chunk_end_;
  chunk_end_ = 0;
  std::memset(buffer_.data() + data_size_, '\n', kScanPadding);
}

void CsvChunker::ReportProgress(const Context& ctx) const {
  ctx.Progress("reading " + name_, consumed_, source_->total());
}

Status CsvChunker::ErrorStatus(const std::vector<PieceOutcome>& outcomes, std::size_t piece_idx) const {
  const ParseError& error = outcomes[piece_idx].error;
  SourceLocation location = Locate(error.offset);
  if (error.has_row) {
    std::uint64_t row = rows_before_ + error.row_in_piece + 1;
    for (std::size_t idx = 0; idx < piece_idx; ++idx) row += outcomes[idx].counts.rows;
    location.row = static_cast<std::int64_t>(row);
  }
  if (error.field >= 0 && static_cast<std::size_t>(error.field) < header_.size()) {
    location.field = header_[static_cast<std::size_t>(error.field)];
  }
  return Status(error.code, error.message, location);
}

}  // namespace synthscale::csv_internal
