// synthscale_bench_marginals: time counting all 2-way marginals of a random encoded table.
//
//   synthscale_bench_marginals [--rows N] [--columns C] [--threads T] [--repeats R] [--seed S]
//
// Builds a table of N rows (default 10^6) and C columns (default 80) whose attribute sizes
// cycle over 2..20, as in private-pgm's benchmark; codes are uniform from a SplitMix64
// stream seeded by S (default 1), stored in uint8. Then counts all C(C-1)/2 pairs (3160
// for 80 columns) with one CountMarginals call, R times (default 3), and prints each
// run's wall-clock seconds (and CPU seconds of all threads, a check on a busy machine) and
// the fastest to stdout. T = 0 (the default) uses every hardware thread.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "synthscale/core/context.h"
#include "synthscale/core/status.h"
#include "synthscale/dist/communicator.h"
#include "synthscale/marginal/count.h"
#include "synthscale/marginal/domain.h"
#include "synthscale/table/encoding.h"

namespace {

constexpr const char* kUsage =
    "usage: synthscale_bench_marginals [--rows N] [--columns C] [--threads T] [--repeats R] [--seed S]\n";

struct Args {
  std::uint64_t rows = 1'000'000;
  std::uint64_t columns = 80;
  std::uint64_t threads = 0;
  std::uint64_t repeats = 3;
  std::uint64_t seed = 1;
};

bool ParseArgs(int argc, char** argv, Args& args) {
  for (int arg_idx = 1; arg_idx + 1 < argc; arg_idx += 2) {
    const std::string_view name = argv[arg_idx];
    char* end = nullptr;
    const unsigned long long value = std::strtoull(argv[arg_idx + 1], &end, 10);
    if (end == argv[arg_idx + 1] || *end != '\0') return false;
    if (name == "--rows") {
      args.rows = value;
    } else if (name == "--columns") {
      args.columns = value;
    } else if (name == "--threads") {
      args.threads = value;
    } else if (name == "--repeats") {
      args.repeats = value;
    } else if (name == "--seed") {
      args.seed = value;
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && args.columns >= 2 && args.columns <= 4096 && args.repeats >= 1;
}

// SplitMix64 (Steele, Lea, Flood 2014): fixed, portable, good enough for benchmark data.
std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!ParseArgs(argc, argv, args)) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::vector<std::string> names;
  std::vector<std::uint32_t> sizes;
  synthscale::EncodedTable table;
  std::uint64_t state = args.seed;
  for (std::uint64_t col_idx = 0; col_idx < args.columns; ++col_idx) {
    const auto size = static_cast<std::uint32_t>(2 + col_idx % 19);
    names.push_back("a" + std::to_string(col_idx));
    sizes.push_back(size);
    synthscale::EncodedColumn column(names.back(), col_idx, size);
    std::vector<std::uint8_t> codes(args.rows);
    for (std::uint8_t& code : codes) code = static_cast<std::uint8_t>(SplitMix64(state) % size);
    column.mutable_codes() = std::move(codes);
    table.mutable_columns().push_back(std::move(column));
  }
  table.set_num_rows(args.rows);
  const synthscale::Domain domain(names, sizes);
  std::vector<synthscale::Clique> cliques;
  for (std::uint32_t first = 0; first < args.columns; ++first) {
    for (std::uint32_t second = first + 1; second < args.columns; ++second) cliques.push_back({first, second});
  }

  const synthscale::Context ctx(args.threads);
  const synthscale::SingleProcessCommunicator comm;
  std::printf("rows=%llu columns=%llu cliques=%zu threads=%zu\n", static_cast<unsigned long long>(args.rows),
              static_cast<unsigned long long>(args.columns), cliques.size(), ctx.threads());
  double best = 0.0;
  for (std::uint64_t repeat = 0; repeat < args.repeats; ++repeat) {
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    synthscale::Result<std::vector<std::vector<std::int64_t>>> counts =
        synthscale::CountMarginals(table, domain, cliques, comm, ctx);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    if (!counts.ok()) {
      std::fprintf(stderr, "%s\n", counts.status().ToString().c_str());
      return 1;
    }
    // Every marginal sums to the row count: a cheap check that nothing was skipped.
    for (const std::vector<std::int64_t>& marginal : *counts) {
      std::int64_t total = 0;
      for (std::int64_t count : marginal) total += count;
      if (total != static_cast<std::int64_t>(args.rows)) {
        std::fputs("internal error: a marginal does not sum to the row count\n", stderr);
        return 1;
      }
    }
    best = repeat == 0 ? seconds : std::min(best, seconds);
    std::printf("run %llu: %.3f s (CPU time of all threads: %.3f s)\n", static_cast<unsigned long long>(repeat + 1),
                seconds, cpu_seconds);
  }
  std::printf("best: %.3f s for %zu 2-way marginals\n", best, cliques.size());
  return 0;
}
