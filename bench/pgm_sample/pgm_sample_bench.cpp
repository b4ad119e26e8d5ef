// synthscale_bench_pgm_sample: time drawing rows from a graphical model, and counting its 2-way
// marginals, on the domain of private-pgm's kernel benchmarks (bench/mbi_kernels.py).
//
//   synthscale_bench_pgm_sample [--rows N] [--threads T] [--repeats R] [--seed S]
//                               [--only sample|sample-rounded|marginals]
//
// The domain is the 81-attribute census-like domain of private-pgm's benchmark scripts and
// bench/mbi_kernels.py (sizes 2..130), and the model's cliques are the same spanning tree of
// 80 two-way cliques. Unlike mbi_kernels.py's zero (uniform) potentials, the potentials here
// are random, uniform in [-3, 3] from a RandomStream seeded by S, so the sampler walks
// non-trivial tables.
//
// sample: draws N rows (default 10^6) with GraphicalModel::SampleRow, row i from
// RandomStream(S, PurposeId("sample"), i) as `synthscale sample` does, into an in-memory
// column-major uint8 table of codes (what mbi's synthetic_data returns is an in-memory
// table too; no CSV is written). Building the model (belief propagation and the sampling
// tables) is timed apart.
// sample-rounded: draws the N rows jointly with RoundedSampler (`sample --sampling rounded`,
// the analogue of mbi's synthetic_data, which rounds too), into its attribute-major uint32
// table; the time includes building the sampler's conditional tables.
// marginals: counts all 3,240 2-way marginals of a table of N uniform random rows over the
// same domain (codes from a SplitMix64 stream, uint8) with one CountMarginals call.
// Each kernel runs R times (default 3); T = 0 (the default) uses every hardware thread.
// Prints each run's wall and CPU seconds (CPU time of all threads, a check on a busy
// machine), then one JSON line with the fastest runs.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "synthscale/core/context.h"
#include "synthscale/core/random_stream.h"
#include "synthscale/core/status.h"
#include "synthscale/core/thread_pool.h"
#include "synthscale/dist/communicator.h"
#include "synthscale/marginal/count.h"
#include "synthscale/marginal/domain.h"
#include "synthscale/pgm/factor.h"
#include "synthscale/pgm/graphical_model.h"
#include "synthscale/pgm/rounded_sampler.h"
#include "synthscale/table/encoding.h"

namespace {

constexpr const char* kUsage =
    "usage: synthscale_bench_pgm_sample [--rows N] [--threads T] [--repeats R] [--seed S] "
    "[--only sample|sample-rounded|marginals]\n";

struct Attribute {
  const char* name;
  std::uint32_t size;
};

// private-pgm's benchmarks/benchmark_marginals.py and benchmark_synthetic_data.py domain,
// as in bench/mbi_kernels.py (same order).
constexpr Attribute kAttributes[] = {
    {"metro", 3}, {"metarea", 40}, {"metaread", 40}, {"city", 113}, {"sizepl", 15}, {"urban", 2},
    {"sea", 130}, {"gq", 5}, {"gqtype", 8}, {"gqtyped", 11}, {"gqfunds", 8}, {"farm", 2}, {"ownershp", 3},
    {"ownershpd", 3}, {"rent", 65}, {"valueh", 14}, {"split", 2}, {"slrec", 2}, {"respondt", 3},
    {"famsize", 17}, {"nchlt5", 6}, {"sex", 2}, {"age", 88}, {"agemonth", 13}, {"marst", 6}, {"marrno", 4},
    {"agemarr", 12}, {"chborn", 10}, {"race", 6}, {"hispan", 5}, {"hispand", 6}, {"bpl", 80}, {"bpld", 83},
    {"mbpl", 31}, {"mbpld", 34}, {"fbpl", 31}, {"fbpld", 32}, {"nativity", 6}, {"citizen", 6}, {"mtongue", 8},
    {"mtongued", 10}, {"spanname", 2}, {"hisprule", 8}, {"school", 2}, {"higrade", 23}, {"higraded", 23},
    {"educ", 13}, {"educd", 23}, {"empstat", 4}, {"empstatd", 12}, {"labforce", 3}, {"classwkr", 4},
    {"classwkrd", 8}, {"occ", 112}, {"occ1950", 118}, {"ind", 109}, {"ind1950", 111}, {"wkswork2", 7},
    {"hrswork2", 9}, {"uocc95", 20}, {"uclasswk", 8}, {"incwage", 37}, {"incnonwg", 3}, {"occscore", 43},
    {"sei", 65}, {"presgl", 104}, {"erscor50", 101}, {"edscor50", 95}, {"npboss50", 101}, {"migrate5", 5},
    {"migrate5d", 9}, {"migplac5", 45}, {"migcity5", 28}, {"samesea5", 6}, {"vetstat", 4}, {"vetstatd", 4},
    {"vet1940", 4}, {"vetwwi", 2}, {"vetper", 4}, {"vetchild", 5}, {"ssenroll", 3},
};

// The spanning tree of benchmark_synthetic_data.py, as in bench/mbi_kernels.py.
constexpr std::pair<const char*, const char*> kTreeEdges[] = {
    {"spanname", "famsize"}, {"urban", "vetchild"}, {"urban", "nativity"}, {"urban", "vetstat"},
    {"gqtyped", "erscor50"}, {"gqtyped", "citizen"}, {"ind1950", "occ1950"}, {"ind1950", "marst"},
    {"ind1950", "respondt"}, {"vetstatd", "nchlt5"}, {"vetstatd", "famsize"}, {"migplac5", "hrswork2"},
    {"migplac5", "sizepl"}, {"migplac5", "ssenroll"}, {"migplac5", "edscor50"}, {"hisprule", "presgl"},
    {"hisprule", "migrate5d"}, {"hisprule", "empstat"}, {"classwkrd", "agemonth"}, {"incnonwg", "empstatd"},
    {"sei", "mbpl"}, {"sei", "gqtype"}, {"sei", "vet1940"}, {"sex", "nativity"}, {"sex", "gqfunds"},
    {"mtongue", "agemarr"}, {"sea", "migrate5d"}, {"city", "empstat"}, {"city", "age"},
    {"classwkr", "edscor50"}, {"occ", "mbpl"}, {"occ1950", "famsize"}, {"higraded", "school"},
    {"hispand", "slrec"}, {"hispand", "uclasswk"}, {"hispand", "school"}, {"hispand", "wkswork2"},
    {"fbpl", "agemarr"}, {"fbpl", "marrno"}, {"fbpl", "ssenroll"}, {"hispan", "npboss50"},
    {"bpl", "npboss50"}, {"empstat", "valueh"}, {"labforce", "chborn"}, {"labforce", "ownershpd"},
    {"nchlt5", "agemarr"}, {"race", "gqtype"}, {"valueh", "sizepl"}, {"mbpld", "presgl"}, {"fbpld", "bpld"},
    {"fbpld", "occscore"}, {"fbpld", "metarea"}, {"empstatd", "agemarr"}, {"metarea", "rent"},
    {"educ", "ind"}, {"educ", "farm"}, {"npboss50", "presgl"}, {"npboss50", "educd"}, {"npboss50", "vetper"},
    {"npboss50", "incwage"}, {"age", "mtongued"}, {"nativity", "incwage"}, {"split", "respondt"},
    {"gq", "agemarr"}, {"uclasswk", "metro"}, {"uclasswk", "gqtype"}, {"incwage", "bpld"},
    {"incwage", "migrate5"}, {"migcity5", "metaread"}, {"sizepl", "agemonth"}, {"school", "samesea5"},
    {"school", "chborn"}, {"respondt", "uocc95"}, {"mbpl", "farm"}, {"mbpl", "metaread"}, {"mbpl", "vetwwi"},
    {"metro", "erscor50"}, {"uocc95", "higrade"}, {"ownershp", "metaread"}, {"chborn", "hrswork2"},
};

struct Args {
  std::uint64_t rows = 1'000'000;
  std::uint64_t threads = 0;
  std::uint64_t repeats = 3;
  std::uint64_t seed = 1;
  std::string only;
};

bool ParseArgs(int argc, char** argv, Args& args) {
  for (int arg_idx = 1; arg_idx + 1 < argc; arg_idx += 2) {
    const std::string_view name = argv[arg_idx];
    if (name == "--only") {
      args.only = argv[arg_idx + 1];
      if (args.only != "sample" && args.only != "sample-rounded" && args.only != "marginals") return false;
      continue;
    }
    char* end = nullptr;
    const unsigned long long value = std::strtoull(argv[arg_idx + 1], &end, 10);
    if (end == argv[arg_idx + 1] || *end != '\0') return false;
    if (name == "--rows") {
      args.rows = value;
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
  return argc % 2 == 1 && args.rows >= 1 && args.repeats >= 1;
}

std::uint32_t AttributeIndex(std::string_view name) {
  for (std::uint32_t attr_idx = 0; attr_idx < std::size(kAttributes); ++attr_idx) {
    if (name == kAttributes[attr_idx].name) return attr_idx;
  }
  std::fprintf(stderr, "internal error: no attribute '%.*s'\n", static_cast<int>(name.size()), name.data());
  std::exit(1);
}

// SplitMix64 (Steele, Lea, Flood 2014): fixed, portable, good enough for benchmark data.
std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

struct Timing {
  double wall = 0.0;
  double cpu = 0.0;
};

class Stopwatch {
 public:
  Timing Elapsed() const {
    return {std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count(),
            static_cast<double>(std::clock() - cpu_start_) / CLOCKS_PER_SEC};
  }

 private:
  std::chrono::steady_clock::time_point wall_start_ = std::chrono::steady_clock::now();
  std::clock_t cpu_start_ = std::clock();
};

int Fail(const synthscale::Status& status) {
  std::fprintf(stderr, "%s\n", status.ToString().c_str());
  return 1;
}

// The tree model with random potentials; returns the build time through `build`.
synthscale::Result<synthscale::GraphicalModel> MakeModel(const synthscale::Domain& domain, std::uint64_t seed,
                                                         Timing& build) {
  std::vector<synthscale::Clique> cliques;
  for (const auto& [first, second] : kTreeEdges) {
    const std::uint32_t a = AttributeIndex(first);
    const std::uint32_t b = AttributeIndex(second);
    cliques.push_back({std::min(a, b), std::max(a, b)});
  }
  const Stopwatch watch;
  SYNTHSCALE_ASSIGN_OR_RETURN(synthscale::GraphicalModel model,
                              synthscale::GraphicalModel::Create(domain, cliques, std::uint64_t{1} << 30));
  std::vector<synthscale::Factor> potentials;
  synthscale::RandomStream stream(seed, "pgm-sample-bench-potentials", 0);
  for (const synthscale::Clique& clique : model.tree().cliques) {
    std::vector<double> values(domain.CellCount(clique).value_or(0));  // two-way: at most 130 x 118 cells
    for (double& value : values) value = -3.0 + 6.0 * stream.UniformDouble();
    SYNTHSCALE_ASSIGN_OR_RETURN(synthscale::Factor factor,
                                synthscale::Factor::FromValues(domain, clique, std::move(values)));
    potentials.push_back(std::move(factor));
  }
  SYNTHSCALE_RETURN_IF_ERROR(model.SetParameters(std::move(potentials), 1e6));
  build = watch.Elapsed();
  return model;
}

// Draw `rows` rows into a column-major uint8 table, as `synthscale sample` seeds them.
synthscale::Status SampleRows(const synthscale::GraphicalModel& model, std::uint64_t rows, std::uint64_t seed,
                              const synthscale::Context& ctx, std::vector<std::vector<std::uint8_t>>& columns) {
  constexpr std::size_t kGrain = 4096;
  const std::size_t num_attributes = model.domain().num_attributes();
  const std::uint64_t purpose = synthscale::PurposeId("sample");
  return synthscale::ParallelFor(ctx.pool(), rows, kGrain, [&](std::size_t begin, std::size_t end) {
    std::vector<std::uint32_t> values(num_attributes);
    for (std::size_t row = begin; row < end; ++row) {
      synthscale::RandomStream stream(seed, purpose, row);
      model.SampleRow(stream, values);
      for (std::size_t attr_idx = 0; attr_idx < num_attributes; ++attr_idx) {
        columns[attr_idx][row] = static_cast<std::uint8_t>(values[attr_idx]);
      }
    }
    return synthscale::Status();
  });
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
  for (const Attribute& attribute : kAttributes) {
    names.emplace_back(attribute.name);
    sizes.push_back(attribute.size);
  }
  const synthscale::Domain domain(names, sizes);
  const synthscale::Context ctx(args.threads);
  std::printf("rows=%llu attributes=%zu tree_edges=%zu threads=%zu\n", static_cast<unsigned long long>(args.rows),
              names.size(), std::size(kTreeEdges), ctx.threads());
  std::string json = "{\"rows\": " + std::to_string(args.rows) + ", \"attributes\": " + std::to_string(names.size()) +
                     ", \"threads\": " + std::to_string(ctx.threads());

  if (args.only.empty() || args.only == "sample") {
    Timing build;
    synthscale::Result<synthscale::GraphicalModel> model = MakeModel(domain, args.seed, build);
    if (!model.ok()) return Fail(model.status());
    std::printf("model: %llu cells, built in %.3f s\n", static_cast<unsigned long long>(model->num_cells()),
                build.wall);
    std::vector<std::vector<std::uint8_t>> columns(names.size(), std::vector<std::uint8_t>(args.rows));
    Timing best;
    for (std::uint64_t repeat = 0; repeat < args.repeats; ++repeat) {
      const Stopwatch watch;
      const synthscale::Status status = SampleRows(*model, args.rows, args.seed, ctx, columns);
      const Timing run = watch.Elapsed();
      if (!status.ok()) return Fail(status);
      if (repeat == 0 || run.wall < best.wall) best = run;
      std::printf("sample run %llu: %.3f s (CPU time of all threads: %.3f s)\n",
                  static_cast<unsigned long long>(repeat + 1), run.wall, run.cpu);
    }
    for (std::size_t attr_idx = 0; attr_idx < names.size(); ++attr_idx) {
      const std::uint8_t largest = *std::max_element(columns[attr_idx].begin(), columns[attr_idx].end());
      if (largest >= sizes[attr_idx]) {
        std::fputs("internal error: a sampled code is outside its attribute's domain\n", stderr);
        return 1;
      }
    }
    char buffer[160];
    std::snprintf(buffer, sizeof buffer, ", \"model_build_s\": %.3f, \"sample_s\": %.3f, \"sample_cpu_s\": %.3f",
                  build.wall, best.wall, best.cpu);
    json += buffer;
  }

  if (args.only.empty() || args.only == "sample-rounded") {
    Timing build;
    synthscale::Result<synthscale::GraphicalModel> model = MakeModel(domain, args.seed, build);
    if (!model.ok()) return Fail(model.status());
    std::vector<std::uint32_t> values;
    Timing best;
    for (std::uint64_t repeat = 0; repeat < args.repeats; ++repeat) {
      const Stopwatch watch;
      synthscale::Result<synthscale::RoundedSampler> sampler =
          synthscale::RoundedSampler::Build(model->tree(), model->beliefs(), names.size());
      if (!sampler.ok()) return Fail(sampler.status());
      const synthscale::Status status = sampler->Sample(args.rows, args.seed, ctx, values);
      const Timing run = watch.Elapsed();
      if (!status.ok()) return Fail(status);
      if (repeat == 0 || run.wall < best.wall) best = run;
      std::printf("sample-rounded run %llu: %.3f s (CPU time of all threads: %.3f s)\n",
                  static_cast<unsigned long long>(repeat + 1), run.wall, run.cpu);
    }
    for (std::size_t attr_idx = 0; attr_idx < names.size(); ++attr_idx) {
      const auto first = values.begin() + static_cast<std::ptrdiff_t>(attr_idx * args.rows);
      if (*std::max_element(first, first + static_cast<std::ptrdiff_t>(args.rows)) >= sizes[attr_idx]) {
        std::fputs("internal error: a sampled code is outside its attribute's domain\n", stderr);
        return 1;
      }
    }
    char buffer[160];
    std::snprintf(buffer, sizeof buffer, ", \"sample_rounded_s\": %.3f, \"sample_rounded_cpu_s\": %.3f", best.wall,
                  best.cpu);
    json += buffer;
  }

  if (args.only.empty() || args.only == "marginals") {
    synthscale::EncodedTable table;
    std::uint64_t state = args.seed;
    for (std::size_t attr_idx = 0; attr_idx < names.size(); ++attr_idx) {
      synthscale::EncodedColumn column(names[attr_idx], attr_idx, sizes[attr_idx]);
      std::vector<std::uint8_t> codes(args.rows);
      for (std::uint8_t& code : codes) code = static_cast<std::uint8_t>(SplitMix64(state) % sizes[attr_idx]);
      column.mutable_codes() = std::move(codes);
      table.mutable_columns().push_back(std::move(column));
    }
    table.set_num_rows(args.rows);
    std::vector<synthscale::Clique> pairs;
    for (std::uint32_t first = 0; first < names.size(); ++first) {
      for (std::uint32_t second = first + 1; second < names.size(); ++second) pairs.push_back({first, second});
    }
    const synthscale::SingleProcessCommunicator comm;
    Timing best;
    for (std::uint64_t repeat = 0; repeat < args.repeats; ++repeat) {
      const Stopwatch watch;
      synthscale::Result<std::vector<std::vector<std::int64_t>>> counts =
          synthscale::CountMarginals(table, domain, pairs, comm, ctx);
      const Timing run = watch.Elapsed();
      if (!counts.ok()) return Fail(counts.status());
      for (const std::vector<std::int64_t>& marginal : *counts) {
        std::int64_t total = 0;
        for (const std::int64_t count : marginal) total += count;
        if (total != static_cast<std::int64_t>(args.rows)) {
          std::fputs("internal error: a marginal does not sum to the row count\n", stderr);
          return 1;
        }
      }
      if (repeat == 0 || run.wall < best.wall) best = run;
      std::printf("marginals run %llu: %.3f s for %zu 2-way marginals (CPU time of all threads: %.3f s)\n",
                  static_cast<unsigned long long>(repeat + 1), run.wall, pairs.size(), run.cpu);
    }
    char buffer[160];
    std::snprintf(buffer, sizeof buffer, ", \"pairs\": %zu, \"marginals_2way_s\": %.3f, \"marginals_2way_cpu_s\": %.3f",
                  pairs.size(), best.wall, best.cpu);
    json += buffer;
  }
  std::printf("%s}\n", json.c_str());
  return 0;
}
