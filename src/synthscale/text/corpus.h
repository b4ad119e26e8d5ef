// Corpus files: one document per line, as JSONL or plain text, gzip or not.
//
// JSONL: every non-blank line is a JSON object; the document's text is the string field
// named `text_field` (default "text") and its id the string or integer field `id_field`
// (default "id"); a line without that field is identified by its line number. Other
// fields are skipped. Plain text: every non-blank line is a document identified by its
// line number. Blank lines (only spaces, tabs, a carriage return) are no documents in
// either format. Line numbers are 1-based, as editors show them.
//
// The reader streams: it holds one batch of lines (about `batch_bytes`) at a time and
// parses a batch's lines on the thread pool, in fixed-size tasks, so the documents and
// the first error reported are the same for any thread count. gzip is detected by its
// magic bytes (io's ByteSource). Text must be UTF-8: a plain-text line that is not, or a
// JSON string that is not, is an error naming the file, line and column.
//
// Thread safety: one thread at a time per reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "synthscale/core/status.h"
#include "synthscale/core/thread_pool.h"

namespace synthscale {

class ByteSource;

namespace text {

enum class CorpusFormat : std::uint8_t { kAuto, kJsonl, kText };

// "auto", "jsonl", "text". Errors: kInvalidArgument naming the choices.
Result<CorpusFormat> ParseCorpusFormat(std::string_view name);
const char* CorpusFormatName(CorpusFormat format);

struct CorpusOptions {
  CorpusFormat format = CorpusFormat::kAuto;  // kAuto: by extension, else by the first byte
  std::string id_field = "id";
  std::string text_field = "text";
};

// One document of a batch. The views point into the batch and live as long as it does.
struct CorpusDocument {
  std::string_view id;
  std::string_view text;
  std::int64_t line = 0;  // 1-based line number in the file
};

// The documents of one batch of lines, in file order.
class CorpusBatch {
 public:
  const std::vector<CorpusDocument>& documents() const { return documents_; }
  std::size_t size() const { return documents_.size(); }
  // Input bytes (uncompressed) of the batch's lines.
  std::uint64_t bytes() const { return bytes_; }

 private:
  friend class CorpusReader;
  std::string lines_;                // the batch's raw lines
  std::vector<std::string> arenas_;  // decoded ids and texts, one arena per parse task
  std::vector<CorpusDocument> documents_;
  std::uint64_t bytes_ = 0;
};

class CorpusReader {
 public:
  // Open `path`. Errors: kIO (missing, unreadable, a directory); kInvalidArgument for an
  // empty field name.
  static Result<std::unique_ptr<CorpusReader>> Open(const std::string& path, const CorpusOptions& options);
  // Read `bytes` (owned by the caller, outliving the reader; not gzip) as if they were
  // the file `name` (fuzzing, tests). Errors: kInvalidArgument for an empty field name.
  static Result<std::unique_ptr<CorpusReader>> FromBytes(std::string_view bytes, const std::string& name,
                                                         const CorpusOptions& options);
  ~CorpusReader();
  CorpusReader(const CorpusReader&) = delete;
  CorpusReader& operator=(const CorpusReader&) = delete;

  // Replace `batch` by the next documents (at least one line's worth, about
  // `batch_bytes` of input). Returns false at the end of the file, with `batch` empty.
  // Errors: kIO (read failure, corrupt gzip); kInvalidData with file, line and column for
  // a line that is not a JSON object, a missing or non-string text field, an id that is
  // neither string nor integer, a repeated field, or text that is not UTF-8.
  Result<bool> Next(CorpusBatch& batch, ThreadPool& pool, std::size_t batch_bytes = std::size_t{8} << 20);

  CorpusFormat format() const { return format_; }
  const std::string& path() const { return path_; }
  // Compressed bytes consumed so far and the file size, for progress.
  std::uint64_t consumed() const;
  std::uint64_t total() const;

 private:
  CorpusReader(std::string path, CorpusOptions options, std::unique_ptr<ByteSource> source);
  Status ResolveFormat();
  Result<bool> Fill(std::size_t batch_bytes);

  std::string path_;
  CorpusOptions options_;
  CorpusFormat format_ = CorpusFormat::kAuto;
  std::unique_ptr<ByteSource> source_;
  std::string pending_;  // bytes read but not yet handed out (a partial last line)
  bool end_ = false;
  std::int64_t next_line_ = 1;
};

// Read every document of a (small) corpus file into memory: benchmarks and the private
// source. Errors: those of Open and Next.
struct CorpusContents {
  std::vector<std::string> ids;
  std::vector<std::string> texts;
  std::vector<std::int64_t> lines;
};
Result<CorpusContents> ReadWholeCorpus(const std::string& path, const CorpusOptions& options, ThreadPool& pool);

}  // namespace text
}  // namespace synthscale
