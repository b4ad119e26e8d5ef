#include "synthscale/text/corpus.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include <nlohmann/json.hpp>

#include "synthscale/io/byte_source.h"
#include "synthscale/io/utf8.h"

namespace synthscale::text {
namespace {

// Lines parsed per task: fixed, so task boundaries (and the first error) do not depend
// on the thread count.
constexpr std::size_t kLinesPerTask = 256;

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool IsBlank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

// 1-based column (in characters) of byte `offset` of `line`.
std::int64_t ColumnOf(std::string_view line, std::size_t offset) {
  std::int64_t column = 1;
  for (std::size_t idx = 0; idx < offset && idx < line.size(); ++idx) {
    if ((static_cast<unsigned char>(line[idx]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

struct Line {
  std::size_t offset;
  std::size_t size;
  std::int64_t number;
};

// Collects the two fields of one JSONL line from nlohmann's SAX events, without building
// the whole object: values of other fields (and anything nested) are skipped.
class FieldCollector final : public nlohmann::json_sax<nlohmann::json> {
 public:
  FieldCollector(const CorpusOptions& options, std::string& arena) : options_(options), arena_(arena) {}

  void Reset() {
    depth_ = 0;
    current_ = Field::kOther;
    id_.reset();
    text_.reset();
    problem_.clear();
    problem_offset_ = 0;
  }

  bool null() override { return Scalar("null"); }
  bool boolean(bool) override { return Scalar("a boolean"); }
  bool number_integer(number_integer_t value) override { return Integer(std::to_string(value)); }
  bool number_unsigned(number_unsigned_t value) override { return Integer(std::to_string(value)); }
  bool number_float(number_float_t, const string_t&) override { return Scalar("a number with a fraction"); }
  bool binary(binary_t&) override { return Scalar("binary"); }
  bool string(string_t& value) override {
    if (depth_ == 0) return Fail("expected a JSON object per line, got a string");
    if (depth_ != 1 || current_ == Field::kOther) return true;
    return Store(value);
  }
  bool start_object(std::size_t) override {
    if (depth_ == 1 && current_ != Field::kOther) return Fail(FieldName() + " must be a string, got an object");
    ++depth_;
    return true;
  }
  bool key(string_t& name) override {
    if (depth_ != 1) return true;
    current_ = name == options_.text_field ? Field::kText : name == options_.id_field ? Field::kId : Field::kOther;
    if ((current_ == Field::kText && text_) || (current_ == Field::kId && id_)) {
      return Fail("field '" + name + "' appears twice in the object");
    }
    return true;
  }
  bool end_object() override {
    --depth_;
    if (depth_ == 1) current_ = Field::kOther;
    return true;
  }
  bool start_array(std::size_t) override {
    if (depth_ == 0) return Fail("expected a JSON object per line, got an array");
    if (depth_ == 1 && current_ != Field::kOther) return Fail(FieldName() + " must be a string, got an array");
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    if (depth_ == 1) current_ = Field::kOther;
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& error) override {
    problem_ = error.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..."
    const std::size_t colon = problem_.find(": ");
    if (colon != std::string::npos) problem_ = problem_.substr(colon + 2);
    problem_offset_ = position > 0 ? position - 1 : 0;
    return false;
  }

  void set_offset(std::size_t offset) { offset_hint_ = offset; }
  const std::string& problem() const { return problem_; }
  std::size_t problem_offset() const { return problem_offset_; }
  // (offset, size) of the id and text in the arena, when present.
  const std::optional<std::pair<std::size_t, std::size_t>>& id() const { return id_; }
  const std::optional<std::pair<std::size_t, std::size_t>>& text() const { return text_; }

 private:
  enum class Field : std::uint8_t { kOther, kId, kText };

  std::string FieldName() const {
    return "field '" + (current_ == Field::kText ? options_.text_field : options_.id_field) + "'";
  }
  bool Fail(std::string message) {
    problem_ = std::move(message);
    problem_offset_ = offset_hint_;
    return false;
  }
  bool Scalar(const char* what) {
    if (depth_ == 0) return Fail(std::string("expected a JSON object per line, got ") + what);
    if (depth_ != 1 || current_ == Field::kOther) return true;
    return Fail(FieldName() + (current_ == Field::kText ? " must be a string" : " must be a string or an integer") +
                ", got " + what);
  }
  bool Integer(const std::string& digits) {
    if (depth_ == 0) return Fail("expected a JSON object per line, got a number");
    if (depth_ != 1 || current_ == Field::kOther) return true;
    if (current_ == Field::kText) return Fail(FieldName() + " must be a string, got a number");
    return Store(digits);
  }
  bool Store(const std::string& value) {
    const std::pair<std::size_t, std::size_t> where{arena_.size(), value.size()};
    arena_ += value;
    (current_ == Field::kText ? text_ : id_) = where;
    return true;
  }

  const CorpusOptions& options_;
  std::string& arena_;
  int depth_ = 0;
  Field current_ = Field::kOther;
  std::optional<std::pair<std::size_t, std::size_t>> id_;
  std::optional<std::pair<std::size_t, std::size_t>> text_;
  std::string problem_;
  std::size_t problem_offset_ = 0;
  std::size_t offset_hint_ = 0;
};

// What a parse task produces: documents whose views are (offset, size) into the task's
// arena or the batch's lines until all tasks are done.
struct PendingDocument {
  std::size_t id_offset;
  std::size_t id_size;
  bool id_in_arena;
  std::size_t text_offset;
  std::size_t text_size;
  bool text_in_arena;
  std::int64_t line;
};

Status LineError(const std::string& path, std::int64_t line, std::int64_t column, const std::string& message) {
  SourceLocation location;
  location.file = path;
  location.line = line;
  location.column = column;
  return InvalidData(message, location);
}

Status ParseJsonLines(const std::string& path, const CorpusOptions& options, std::string_view lines,
                      const std::vector<Line>& todo, std::string& arena, std::vector<PendingDocument>& out) {
  FieldCollector collector(options, arena);
  for (const Line& line : todo) {
    const std::string_view bytes = lines.substr(line.offset, line.size);
    collector.Reset();
    collector.set_offset(0);
    const bool parsed = nlohmann::json::sax_parse(bytes.begin(), bytes.end(), &collector,
                                                  nlohmann::json::input_format_t::json, true);
    if (!parsed || !collector.problem().empty()) {
      return LineError(path, line.number, ColumnOf(bytes, collector.problem_offset()),
                       collector.problem() + " (expected one JSON object per line with a string field '" +
                           options.text_field + "')");
    }
    if (!collector.text()) {
      return LineError(path, line.number, 1,
                       "no field '" + options.text_field +
                           "' in this object; name the text field with --text-field (Python: text_field=)");
    }
    PendingDocument doc{};
    doc.line = line.number;
    doc.text_offset = collector.text()->first;
    doc.text_size = collector.text()->second;
    doc.text_in_arena = true;
    if (collector.id()) {
      doc.id_offset = collector.id()->first;
      doc.id_size = collector.id()->second;
    } else {
      doc.id_offset = arena.size();
      arena += std::to_string(line.number);
      doc.id_size = arena.size() - doc.id_offset;
    }
    doc.id_in_arena = true;
    out.push_back(doc);
  }
  return Status::Ok();
}

Status ParseTextLines(const std::string& path, std::string_view lines, const std::vector<Line>& todo,
                      std::string& arena, std::vector<PendingDocument>& out) {
  for (const Line& line : todo) {
    std::string_view bytes = lines.substr(line.offset, line.size);
    const csv_internal::Utf8Check check = csv_internal::ValidateUtf8(bytes.data(), bytes.size());
    if (check.offset != bytes.size()) {
      return LineError(path, line.number, ColumnOf(bytes, check.offset),
                       check.nul ? "NUL byte in the text (is the file UTF-16 or binary?); the corpus must be UTF-8 text"
                                 : "invalid UTF-8; the corpus must be UTF-8 text (convert it, e.g. with iconv)");
    }
    PendingDocument doc{};
    doc.line = line.number;
    doc.text_offset = line.offset;
    doc.text_size = bytes.size();
    doc.text_in_arena = false;
    doc.id_offset = arena.size();
    arena += std::to_string(line.number);
    doc.id_size = arena.size() - doc.id_offset;
    doc.id_in_arena = true;
    out.push_back(doc);
  }
  return Status::Ok();
}

}  // namespace

Result<CorpusFormat> ParseCorpusFormat(std::string_view name) {
  if (name == "auto") return CorpusFormat::kAuto;
  if (name == "jsonl") return CorpusFormat::kJsonl;
  if (name == "text") return CorpusFormat::kText;
  return InvalidArgument("unknown corpus format '" + std::string(name) + "'; choose auto, jsonl or text");
}

const char* CorpusFormatName(CorpusFormat format) {
  switch (format) {
    case CorpusFormat::kAuto: return "auto";
    case CorpusFormat::kJsonl: return "jsonl";
    case CorpusFormat::kText: return "text";
  }
  return "auto";
}

CorpusReader::CorpusReader(std::string path, CorpusOptions options, std::unique_ptr<ByteSource> source)
    : path_(std::move(path)), options_(std::move(options)), format_(options_.format), source_(std::move(source)) {}

CorpusReader::~CorpusReader() = default;

std::uint64_t CorpusReader::consumed() const { return source_->consumed(); }
std::uint64_t CorpusReader::total() const { return source_->total(); }

Result<std::unique_ptr<CorpusReader>> CorpusReader::Open(const std::string& path, const CorpusOptions& options) {
  if (options.text_field.empty()) return InvalidArgument("the text field name must not be empty");
  if (options.id_field.empty()) return InvalidArgument("the id field name must not be empty");
  Result<std::unique_ptr<ByteSource>> source = OpenFileSource(path);
  if (!source.ok()) {
    std::string message = source.status().message();
    const std::size_t csv = message.find("expected a CSV file");
    if (csv != std::string::npos) message.replace(csv, 19, "expected a corpus file");
    return Status(source.status().code(), message, source.status().location());
  }
  std::unique_ptr<CorpusReader> reader(new CorpusReader(path, options, std::move(source).value()));
  SYNTHSCALE_RETURN_IF_ERROR(reader->ResolveFormat());
  return reader;
}

Result<std::unique_ptr<CorpusReader>> CorpusReader::FromBytes(std::string_view bytes, const std::string& name,
                                                             const CorpusOptions& options) {
  if (options.text_field.empty()) return InvalidArgument("the text field name must not be empty");
  if (options.id_field.empty()) return InvalidArgument("the id field name must not be empty");
  std::unique_ptr<CorpusReader> reader(new CorpusReader(name, options, MemorySource(bytes)));
  SYNTHSCALE_RETURN_IF_ERROR(reader->ResolveFormat());
  return reader;
}

// kAuto: .jsonl, .ndjson or .json (optionally .gz) mean JSONL, .txt means plain text;
// anything else is JSONL when its first non-blank byte is '{'.
Status CorpusReader::ResolveFormat() {
  if (format_ != CorpusFormat::kAuto) return Status::Ok();
  std::string name = path_;
  if (EndsWith(name, ".gz")) name.resize(name.size() - 3);
  if (EndsWith(name, ".jsonl") || EndsWith(name, ".ndjson") || EndsWith(name, ".json")) {
    format_ = CorpusFormat::kJsonl;
    return Status::Ok();
  }
  if (EndsWith(name, ".txt")) {
    format_ = CorpusFormat::kText;
    return Status::Ok();
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(bool more, Fill(std::size_t{1} << 16));
  (void)more;
  const std::size_t first = pending_.find_first_not_of(" \t\r\n");
  format_ = first != std::string::npos && pending_[first] == '{' ? CorpusFormat::kJsonl : CorpusFormat::kText;
  return Status::Ok();
}

// Read until `pending_` holds at least `batch_bytes` or the input ends.
Result<bool> CorpusReader::Fill(std::size_t batch_bytes) {
  constexpr std::size_t kBlock = std::size_t{1} << 20;
  while (!end_ && pending_.size() < batch_bytes) {
    const std::size_t before = pending_.size();
    pending_.resize(before + kBlock);
    Result<std::size_t> got = source_->Read(pending_.data() + before, kBlock);
    if (!got.ok()) {
      pending_.resize(before);
      return got.status();
    }
    pending_.resize(before + *got);
    if (*got == 0) end_ = true;
  }
  return !pending_.empty();
}

Result<bool> CorpusReader::Next(CorpusBatch& batch, ThreadPool& pool, std::size_t batch_bytes) {
  batch.documents_.clear();
  batch.bytes_ = 0;
  for (;;) {
    SYNTHSCALE_ASSIGN_OR_RETURN(bool any, Fill(std::max<std::size_t>(batch_bytes, 1)));
    if (!any) {
      batch.lines_.clear();
      return false;
    }
    // Hand out whole lines; keep a partial last line for the next batch (at the end of
    // the input the last line needs no newline). A line longer than the batch grows it.
    std::size_t cut = pending_.size();
    if (!end_) {
      const std::size_t last_newline = pending_.rfind('\n');
      if (last_newline == std::string::npos) {
        batch_bytes = pending_.size() * 2;  // one line longer than a batch: read on
        continue;
      }
      cut = last_newline + 1;
    }
    batch.lines_.assign(pending_, 0, cut);
    pending_.erase(0, cut);
    break;
  }

  std::vector<Line> lines;
  const std::string_view all = batch.lines_;
  std::size_t start = 0;
  while (start < all.size()) {
    std::size_t end = all.find('\n', start);
    if (end == std::string_view::npos) end = all.size();
    std::size_t size = end - start;
    if (size > 0 && all[start + size - 1] == '\r') --size;
    const std::int64_t number = next_line_++;
    if (!IsBlank(all.substr(start, size))) lines.push_back({start, size, number});
    start = end + 1;
  }
  batch.bytes_ = all.size();

  const std::size_t num_tasks = NumTasks(lines.size(), kLinesPerTask);
  batch.arenas_.resize(num_tasks);
  std::vector<std::vector<PendingDocument>> pending(num_tasks);
  SYNTHSCALE_RETURN_IF_ERROR(pool.Run(num_tasks, [&](std::size_t task_idx) -> Status {
    const TaskRange range = TaskBounds(task_idx, lines.size(), kLinesPerTask);
    const std::vector<Line> todo(lines.begin() + static_cast<std::ptrdiff_t>(range.begin),
                                 lines.begin() + static_cast<std::ptrdiff_t>(range.end));
    std::string& arena = batch.arenas_[task_idx];
    arena.clear();
    pending[task_idx].reserve(todo.size());
    return format_ == CorpusFormat::kJsonl ? ParseJsonLines(path_, options_, all, todo, arena, pending[task_idx])
                                           : ParseTextLines(path_, all, todo, arena, pending[task_idx]);
  }));
  batch.documents_.reserve(lines.size());
  for (std::size_t task_idx = 0; task_idx < num_tasks; ++task_idx) {
    const std::string_view arena = batch.arenas_[task_idx];
    for (const PendingDocument& doc : pending[task_idx]) {
      CorpusDocument out;
      out.id = (doc.id_in_arena ? arena : all).substr(doc.id_offset, doc.id_size);
      out.text = (doc.text_in_arena ? arena : all).substr(doc.text_offset, doc.text_size);
      out.line = doc.line;
      batch.documents_.push_back(out);
    }
  }
  return true;
}

Result<CorpusContents> ReadWholeCorpus(const std::string& path, const CorpusOptions& options, ThreadPool& pool) {
  SYNTHSCALE_ASSIGN_OR_RETURN(std::unique_ptr<CorpusReader> reader, CorpusReader::Open(path, options));
  CorpusContents contents;
  CorpusBatch batch;
  for (;;) {
    SYNTHSCALE_ASSIGN_OR_RETURN(bool more, reader->Next(batch, pool));
    if (!more) break;
    for (const CorpusDocument& doc : batch.documents()) {
      contents.ids.emplace_back(doc.id);
      contents.texts.emplace_back(doc.text);
      contents.lines.push_back(doc.line);
    }
  }
  return contents;
}

}  // namespace synthscale::text
