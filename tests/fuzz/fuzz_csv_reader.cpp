// libFuzzer target: arbitrary bytes as a CSV file.
//
// The first byte picks the options (chunk size, delimiter, strict domain); the rest is the
// file. Besides "no crash, no sanitizer report", it checks the reader's promises:
//   - the result (table or error, with its location) is the same for a tiny chunk size
//     with two threads as for one big chunk with one thread;
//   - a schema inferred from the bytes is valid, survives JSON and back, and reads the
//     same bytes without error.
// A broken promise calls __builtin_trap(), which libFuzzer reports as a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "synthscale/io/csv_reader.h"
#include "synthscale/io/schema_infer.h"

namespace {

using synthscale::ColumnSchema;
using synthscale::ColumnType;
using synthscale::Context;
using synthscale::CsvOptions;
using synthscale::CsvReader;
using synthscale::Result;
using synthscale::Schema;
using synthscale::Table;

Schema FixedSchema() {
  auto numeric = [](const char* name, ColumnType type, double min, double max) {
    ColumnSchema column;
    column.name = name;
    column.type = type;
    column.min = min;
    column.max = max;
    column.bins = 8;
    return column;
  };
  ColumnSchema a;
  a.name = "a";
  a.type = ColumnType::kCategorical;
  a.categories = {"x", "y", "z"};
  ColumnSchema d;
  d.name = "d";
  d.type = ColumnType::kBoolean;
  d.nullable = false;
  ColumnSchema f;
  f.name = "f";
  f.type = ColumnType::kText;
  return Schema({a, numeric("b", ColumnType::kInteger, -100, 100), numeric("c", ColumnType::kContinuous, -1e3, 1e3),
                 d, numeric("e", ColumnType::kDatetime, 0, 4e9), f});
}

// A table or an error, as text, to compare two reads.
struct Outcome {
  bool ok = false;
  std::string text;
  bool operator==(const Outcome& other) const { return ok == other.ok && text == other.text; }
};

Outcome Read(std::string_view bytes, const Schema& schema, const CsvOptions& options, const Context& ctx) {
  Result<std::unique_ptr<CsvReader>> reader = CsvReader::OpenBuffer(bytes, options, "fuzz.csv");
  if (!reader.ok()) return {false, reader.status().ToString()};
  Table all;
  Table batch;
  bool first = true;
  while (true) {
    Result<bool> more = (*reader)->NextBatch(schema, ctx, &batch);
    if (!more.ok()) return {false, more.status().ToString()};
    if (!*more) break;
    if (first) {
      all = batch;
      first = false;
    } else {
      all.AppendRows(batch);
    }
  }
  std::string out;
  for (const synthscale::Column& column : all.columns()) {
    out += column.name + ":";
    for (const std::string& label : column.dictionary) out += label + "|";
    for (std::size_t row = 0; row < column.size(); ++row) {
      out += column.is_valid(row) ? "v" : "-";
      if (!column.ints.empty()) out += std::to_string(column.ints[row]);
      if (!column.doubles.empty()) out += std::to_string(column.doubles[row]);
      if (!column.codes.empty()) out += std::to_string(column.codes[row]);
      if (column.strings.size() > row) out += std::string(column.strings.at(row)) + "|";
    }
  }
  return {true, out};
}

// Print why a promise broke, then crash so libFuzzer keeps the input.
[[noreturn]] void Broken(const std::string& what) {
  std::fprintf(stderr, "broken promise: %s\n", what.c_str());
  __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const Context one_thread(1);
  static const Context two_threads(2);
  static const Schema schema = FixedSchema();
  const std::uint8_t knobs = data[0];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

  CsvOptions small;
  constexpr char kDelimiters[] = {',', ';', '\t', '|'};
  small.delimiter = kDelimiters[knobs & 3u];
  small.chunk_bytes = std::size_t{8} << ((knobs >> 2) & 7u);  // 8 to 1024 bytes (unit tests cover 1)
  small.max_field_bytes = 4096;
  small.strict_domain = (knobs & 0x20u) != 0;
  CsvOptions big = small;
  big.chunk_bytes = 1u << 20;

  const Outcome tiny_chunks = Read(bytes, schema, small, two_threads);
  const Outcome one_chunk = Read(bytes, schema, big, one_thread);
  if (!(tiny_chunks == one_chunk)) {
    Broken("tiny chunks gave\n" + tiny_chunks.text + "\none chunk gave\n" + one_chunk.text);
  }

  Result<synthscale::SchemaInference> inferred =
      synthscale::InferSchemaFromCsvBuffer(bytes, small, synthscale::InferOptions{}, two_threads, "fuzz.csv");
  if (!inferred.ok()) return 0;
  const synthscale::Status valid = inferred->schema.Validate();
  if (!valid.ok()) Broken("inferred schema is invalid: " + valid.ToString());
  Result<Schema> reparsed = Schema::FromJson(inferred->schema.ToJson());
  if (!reparsed.ok()) Broken("inferred schema does not parse back: " + reparsed.status().ToString());
  CsvOptions strict = big;
  strict.strict_domain = true;
  const Outcome read_back = Read(bytes, *reparsed, strict, one_thread);
  if (!read_back.ok) Broken("the inferred schema does not read the file: " + read_back.text);
  return 0;
}
