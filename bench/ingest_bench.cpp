// synthscale_bench_ingest: CSV ingest (parse + encode) throughput.
//
//   synthscale_bench_ingest <csv> <schema.json> [--threads N] [--chunk-mb M] [--no-encode] [--verbose]
//
// Streams the file the way a fit does: read one batch (about chunk-mb of text) with
// CsvReader, encode it with Encoder::Append onto the EncodedTable, drop the batch. Peak
// memory is therefore the encoded output (1-2 bytes per cell) plus the reader's chunk
// buffers and one batch, not the text. Prints rows, seconds, rows/s and MB/s (of the
// file's bytes, 10^6) to stderr; --verbose adds each column's code width and counts of
// missing and out-of-domain codes (a check that the data was read as meant);
// --no-encode only parses (to split the time between parsing and encoding).
// Used by bench/ingest.sh; results in docs/benchmarks.md.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>
#include <vector>

#include "synthscale/core/context.h"
#include "synthscale/core/status.h"
#include "synthscale/io/csv_options.h"
#include "synthscale/io/csv_reader.h"
#include "synthscale/table/encoding.h"
#include "synthscale/table/schema.h"
#include "synthscale/table/table.h"

namespace {

constexpr const char* kUsage =
    "usage: synthscale_bench_ingest <csv> <schema.json> [--threads N] [--chunk-mb M] [--no-encode] [--verbose]\n";

struct Args {
  std::string csv;
  std::string schema;
  std::size_t threads = 0;  // all hardware threads
  std::size_t chunk_mb = 0;  // the reader's default
  bool verbose = false;
  bool encode = true;
};

bool ParseCount(const char* text, std::size_t& out) {
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || value == 0 || value > (1ull << 20)) return false;
  out = static_cast<std::size_t>(value);
  return true;
}

bool ParseArgs(int argc, char** argv, Args& args) {
  std::vector<std::string> positional;
  for (int arg_idx = 1; arg_idx < argc; ++arg_idx) {
    const std::string_view arg = argv[arg_idx];
    if ((arg == "--threads" || arg == "--chunk-mb") && arg_idx + 1 < argc) {
      std::size_t& target = arg == "--threads" ? args.threads : args.chunk_mb;
      if (!ParseCount(argv[++arg_idx], target)) return false;
    } else if (arg == "--verbose") {
      args.verbose = true;
    } else if (arg == "--no-encode") {
      args.encode = false;
    } else if (!arg.empty() && arg[0] == '-') {
      return false;
    } else {
      positional.emplace_back(arg);
    }
  }
  if (positional.size() != 2) return false;
  args.csv = positional[0];
  args.schema = positional[1];
  return true;
}

int Fail(const synthscale::Status& status) {
  std::fprintf(stderr, "synthscale_bench_ingest: %s\n", status.ToString().c_str());
  return 1;
}

// Bytes held by the codes of the encoded table (size, not capacity).
std::size_t EncodedBytes(const synthscale::EncodedTable& table) {
  std::size_t bytes = 0;
  for (const synthscale::EncodedColumn& column : table.columns()) bytes += column.size() * column.code_width();
  return bytes;
}

void PrintColumns(const synthscale::EncodedTable& table) {
  for (const synthscale::EncodedColumn& column : table.columns()) {
    std::size_t missing = 0;
    std::size_t outside = 0;
    std::visit(
        [&](const auto& codes) {
          for (const auto code : codes) {
            if (code == column.missing_code()) ++missing;
            if (code == column.out_of_domain_code()) ++outside;
          }
        },
        column.codes());
    std::fprintf(stderr, "  %-12s %u-byte codes, domain %u, missing %zu, outside the domain %zu\n",
                 column.name().c_str(), static_cast<unsigned>(column.code_width()), column.domain_size(), missing,
                 outside);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!ParseArgs(argc, argv, args)) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::error_code size_error;
  const std::uintmax_t file_bytes = std::filesystem::file_size(args.csv, size_error);

  const auto start = std::chrono::steady_clock::now();
  synthscale::Result<synthscale::Schema> schema = synthscale::Schema::ReadFile(args.schema);
  if (!schema.ok()) return Fail(schema.status());
  synthscale::Result<synthscale::Encoder> encoder = synthscale::Encoder::Create(*schema);
  if (!encoder.ok()) return Fail(encoder.status());
  const synthscale::Context ctx(args.threads);

  synthscale::CsvOptions options;
  if (args.chunk_mb != 0) options.chunk_bytes = args.chunk_mb << 20;
  synthscale::Result<std::unique_ptr<synthscale::CsvReader>> reader = synthscale::CsvReader::Open(args.csv, options);
  if (!reader.ok()) return Fail(reader.status());

  synthscale::EncodedTable encoded = encoder->MakeEmpty();
  synthscale::Table batch;
  std::size_t batches = 0;
  std::size_t rows_read = 0;
  for (;;) {
    synthscale::Result<bool> more = (*reader)->NextBatch(*schema, ctx, &batch);
    if (!more.ok()) return Fail(more.status());
    if (!*more) break;
    rows_read += batch.num_rows();
    if (args.encode) {
      const synthscale::Status appended = encoder->Append(batch, ctx, encoded);
      if (!appended.ok()) return Fail(appended);
    }
    ++batches;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const double rows = static_cast<double>(rows_read);
  const double megabytes = size_error ? 0.0 : static_cast<double>(file_bytes) / 1e6;
  std::fprintf(stderr,
               "synthscale: %zu rows x %zu columns (%zu batches, %zu threads) in %.3f s: %.0f rows/s, %.1f MB/s "
               "(%.1f MB of CSV); encoded %.1f MB%s\n",
               rows_read, schema->size(), batches, ctx.threads(), seconds, rows / seconds,
               megabytes / seconds, megabytes, static_cast<double>(EncodedBytes(encoded)) / 1e6,
               args.encode ? "" : " (--no-encode: parsed only)");
  if (args.verbose) PrintColumns(encoded);
  return 0;
}
