// The RFC 4180 tokenizer shared by typed reading (csv_reader) and schema inference
// (schema_infer); internal to io/.
//
// TokenizeRecords walks whole records of one piece of a chunk and hands each field to a
// Sink as a string_view: into the input buffer for unquoted fields and quoted fields
// without "" escapes, into a reused scratch buffer otherwise. It allocates nothing per
// field or row. Rules (docs/formats.md, "CSV"):
//   - records end in LF or CRLF; a CR not followed by LF outside quotes is an error;
//   - a field starting with '"' is quoted: it ends at a '"' not followed by '"', may hold
//     delimiters, CR and LF, and "" stands for one quote; after the closing quote only a
//     delimiter or the end of the record may follow;
//   - a '"' inside an unquoted field is an error (RFC 4180 section 2.5), which also keeps
//     the quote-parity scan that cuts chunks into pieces exact for every valid file;
//   - empty lines (nothing between two line breaks) are skipped, except in a one-column
//     file where they are empty fields;
//   - the last record may lack a line break.
// Errors record a byte offset only; line and column are computed from it when an error
// is reported (CsvChunker::Locate), so the hot loop only moves pointers.
//
// A Sink provides:
//   bool Field(std::size_t field_idx, std::string_view value, bool quoted, std::size_t offset);
//   bool EndRecord(std::size_t num_fields, std::size_t record_offset, std::size_t line_end_offset);
// returning false after filling the ParseError it shares with the tokenizer.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "synthscale/core/status.h"
#include "synthscale/io/byte_scan.h"

namespace synthscale::csv_internal {

// The first problem found in a piece; `offset` is relative to the chunk buffer.
struct ParseError {
  bool failed = false;
  ErrorCode code = ErrorCode::kInvalidData;
  std::string message;
  std::size_t offset = 0;
  std::size_t row_in_piece = 0;    // data rows of the piece before the failing one
  std::ptrdiff_t field = -1;       // CSV column index, -1 when not about one field
  bool has_row = true;             // false for problems outside any data row

  void Set(std::string text, std::size_t at, std::ptrdiff_t field_idx = -1) {
    failed = true;
    message = std::move(text);
    offset = at;
    field = field_idx;
  }
};

struct PieceCounts {
  std::size_t rows = 0;      // records handed to EndRecord successfully
  std::size_t newlines = 0;  // '\n' bytes consumed, including those inside quoted fields
};

// Unquoted fields equal to one of these are missing values (csv_options.h).
class MissingTokens {
 public:
  explicit MissingTokens(const std::vector<std::string>& tokens) : tokens_(tokens) {
    for (const std::string& token : tokens_) {
      if (token.empty()) {
        empty_is_missing_ = true;
      } else {
        first_byte_[static_cast<unsigned char>(token[0])] = true;
        max_length_ = std::max(max_length_, token.size());
        if (token.size() < 64) length_mask_ |= std::uint64_t{1} << token.size();
      }
    }
  }
  // Whether an UNQUOTED field is missing.
  bool Matches(std::string_view value) const {
    if (value.empty()) return empty_is_missing_;
    if (!first_byte_[static_cast<unsigned char>(value[0])] || value.size() > max_length_) return false;
    if (value.size() < 64 && (length_mask_ & (std::uint64_t{1} << value.size())) == 0) return false;
    return std::find(tokens_.begin(), tokens_.end(), value) != tokens_.end();
  }
  const std::vector<std::string>& tokens() const { return tokens_; }

 private:
  std::vector<std::string> tokens_;
  std::array<bool, 256> first_byte_{};
  std::size_t max_length_ = 0;
  std::uint64_t length_mask_ = 0;  // bit n set: some token has n bytes
  bool empty_is_missing_ = false;
};

// "value" for messages: at most ~40 characters (cut on a UTF-8 boundary), with
// control characters shown escaped so the message stays on one line.
std::string Quoted(std::string_view value);

// Skip ASCII spaces (and tabs) around a value, as numeric, boolean and datetime fields allow.
inline std::string_view TrimSpaces(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return value;
}

struct TokenizerConfig {
  char delimiter = ',';
  std::size_t max_field_bytes = 16u << 20;
  // Skip empty lines. Off for one-column files, where an empty line is an empty field
  // (a missing value): that is how such a file writes one.
  bool skip_empty_lines = true;
};

// Whether the record starting at `start` is longer than `max_bytes` (bytes before its
// terminating LF, found with the quote-parity rule), and if so how to report it. Shared
// by the tokenizer and the chunker so that both report a too-long record identically,
// before any of its fields, whatever the chunk size.
struct LongRecord {
  bool too_long = false;
  bool in_quotes = false;            // a quoted field is still open after max_bytes
  std::size_t opening_quote = 0;     // offset of that field's opening quote
  std::size_t field_idx = 0;         // and its index in the record
};

inline LongRecord CheckRecordLength(const char* buffer, std::size_t start, std::size_t stop, char delimiter,
                                    std::size_t max_bytes) {
  LongRecord result;
  if (stop - start <= max_bytes) return result;
  bool quoted = false;
  std::size_t field_idx = 0;
  for (std::size_t pos = start; pos <= start + max_bytes; ++pos) {
    const char ch = buffer[pos];
    if (ch == '"') {
      if (!quoted) {
        result.opening_quote = pos;
        result.field_idx = field_idx;
      }
      quoted = !quoted;
    } else if (!quoted) {
      if (ch == '\n') return result;
      if (ch == delimiter) ++field_idx;
    }
  }
  result.too_long = true;
  result.in_quotes = quoted;
  return result;
}

// Fill `error` for a record that CheckRecordLength found too long.
inline void SetLongRecordError(const LongRecord& record, std::size_t record_start, std::size_t max_bytes,
                               ParseError& error) {
  const std::string limit = std::to_string(max_bytes);
  if (record.in_quotes) {
    error.Set("a quoted field opened here is not closed within " + limit +
                  " bytes (max_field_bytes): probably an unterminated quote; close it with '\"' and write quotes "
                  "inside a value as '\"\"', or raise the limit",
              record.opening_quote, static_cast<std::ptrdiff_t>(record.field_idx));
  } else {
    error.Set("a record (line) is longer than the limit of " + limit +
                  " bytes (max_field_bytes): no line break found; check the delimiter and line endings, or raise "
                  "the limit",
              record_start, -1);
  }
}

// Tokenize records in buffer[begin, end) (end is a record boundary or the end of the
// input; the buffer has kScanPadding readable bytes after `end`). Stops after
// `max_records` records. Returns the offset after the last complete record; on error
// fills `error` (with row_in_piece) and returns the offset reached.
// `bad_byte` is the offset of the first byte that is not valid UTF-8 (or is NUL), found
// by a fast pass over the piece; it is reported when the field holding it is complete,
// so problems come out in input order whatever the chunk and piece boundaries.
template <typename Sink>
std::size_t TokenizeRecords(const char* buffer, std::size_t begin, std::size_t end, const TokenizerConfig& config,
                            Sink& sink, std::string& scratch, PieceCounts& counts, ParseError& error,
                            std::size_t max_records = SIZE_MAX, std::size_t bad_byte = SIZE_MAX) {
  const char delimiter = config.delimiter;
  const char* p = buffer + begin;
  const char* const stop = buffer + end;
  auto offset_of = [buffer](const char* ptr) { return static_cast<std::size_t>(ptr - buffer); };
  auto fail = [&](std::string message, const char* at, std::ptrdiff_t field_idx) {
    error.Set(std::move(message), offset_of(at), field_idx);
    error.row_in_piece = counts.rows;
    return offset_of(at);
  };
  std::size_t records = 0;
  while (p < stop && records < max_records) {
    const char* const record_start = p;
    if (config.skip_empty_lines) {
      if (*p == '\n') {
        ++p;
        ++counts.newlines;
        continue;
      }
      if (*p == '\r' && p + 1 < stop && p[1] == '\n') {
        p += 2;
        ++counts.newlines;
        continue;
      }
    }
    if (static_cast<std::size_t>(stop - p) > config.max_field_bytes) {
      const LongRecord record =
          CheckRecordLength(buffer, offset_of(p), offset_of(stop), delimiter, config.max_field_bytes);
      if (record.too_long) {
        SetLongRecordError(record, offset_of(p), config.max_field_bytes, error);
        error.row_in_piece = counts.rows;
        return error.offset;
      }
    }
    std::size_t field_idx = 0;
    while (true) {
      const char* const field_start = p;
      std::string_view value;
      bool quoted = false;
      bool record_end = false;
      const char* line_end = nullptr;  // where the field ends: at a delimiter, or the end of the line
      if (p < stop && *p == '"') {
        quoted = true;
        const char* const content = p + 1;
        const char* cursor = content;
        bool escaped = false;
        const char* closing = nullptr;
        while (true) {
          const auto* quote = static_cast<const char*>(
              std::memchr(cursor, '"', static_cast<std::size_t>(stop - cursor)));
          if (quote == nullptr) {
            return fail("unterminated quoted field: the quote that opens it is never closed; close it with "
                        "a '\"' and write quotes inside a value as '\"\"'",
                        field_start, static_cast<std::ptrdiff_t>(field_idx));
          }
          if (quote + 1 < stop && quote[1] == '"') {
            escaped = true;
            cursor = quote + 2;
            continue;
          }
          closing = quote;
          break;
        }
        counts.newlines += CountByte(content, closing, '\n');
        if (escaped) {
          scratch.clear();
          const char* from = content;
          while (from < closing) {
            const auto* quote = static_cast<const char*>(
                std::memchr(from, '"', static_cast<std::size_t>(closing - from)));
            const char* upto = quote == nullptr ? closing : quote + 1;  // keep one quote of each pair
            scratch.append(from, static_cast<std::size_t>(upto - from));
            from = quote == nullptr ? closing : quote + 2;
          }
          value = scratch;
        } else {
          value = std::string_view(content, static_cast<std::size_t>(closing - content));
        }
        p = closing + 1;
        line_end = p;
        if (p == stop) {
          record_end = true;
        } else if (*p == delimiter) {
          ++p;
        } else if (*p == '\n') {
          ++p;
          ++counts.newlines;
          record_end = true;
        } else if (*p == '\r' && p + 1 < stop && p[1] == '\n') {
          p += 2;
          ++counts.newlines;
          record_end = true;
        } else {
          return fail("unexpected " + Quoted(std::string_view(p, 1)) +
                          " after the closing quote of a quoted field; expected a delimiter or the end of "
                          "the line. Inside a quoted value write a quote as '\"\"'",
                      p, static_cast<std::ptrdiff_t>(field_idx));
        }
      } else {
        const char* found = FindSpecial(p, stop, delimiter);
        value = std::string_view(p, static_cast<std::size_t>(found - p));
        line_end = found;
        if (found == stop) {
          p = stop;
          record_end = true;
        } else if (*found == delimiter) {
          p = found + 1;
        } else if (*found == '\n') {
          p = found + 1;
          ++counts.newlines;
          record_end = true;
        } else if (*found == '\r') {
          if (found + 1 < stop && found[1] == '\n') {
            p = found + 2;
            ++counts.newlines;
            record_end = true;
          } else {
            return fail("a carriage return (CR) not followed by a line feed; lines must end in LF or CRLF "
                        "(convert old Mac line endings, e.g. with 'mac2unix')",
                        found, static_cast<std::ptrdiff_t>(field_idx));
          }
        } else {
          return fail("a quote '\"' inside an unquoted field; quote the whole field and double the quotes "
                      "inside it (e.g. \"5\"\" tall\")",
                      found, static_cast<std::ptrdiff_t>(field_idx));
        }
      }
      if (offset_of(line_end) > bad_byte) {  // the field holding the bad byte is complete
        const auto byte = static_cast<unsigned char>(buffer[bad_byte]);
        return fail(byte == 0 ? std::string("NUL byte (0x00) in the data; is this a binary file or UTF-16 text? "
                                            "Save it as UTF-8 text")
                              : "invalid UTF-8 (byte " + Quoted(std::string_view(buffer + bad_byte, 1)) +
                                    "); the file must be UTF-8 encoded: convert it, e.g. with "
                                    "'iconv -f latin1 -t UTF-8'",
                    buffer + bad_byte, static_cast<std::ptrdiff_t>(field_idx));
      }
      if (!sink.Field(field_idx, value, quoted, offset_of(field_start))) {
        error.row_in_piece = counts.rows;
        return error.offset;
      }
      if (record_end) {
        if (!sink.EndRecord(field_idx + 1, offset_of(record_start), offset_of(line_end))) {
          error.row_in_piece = counts.rows;
          return error.offset;
        }
        break;
      }
      ++field_idx;
    }
    ++counts.rows;
    ++records;
  }
  return offset_of(p);
}

}  // namespace synthscale::csv_internal
