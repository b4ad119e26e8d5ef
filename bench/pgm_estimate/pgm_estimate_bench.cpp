// synthscale_bench_pgm_estimate: time the model estimation AIM runs after every round.
//
//   synthscale_bench_pgm_estimate [--iterations I] [--threads T] [--repeats R]
//
// AIM's fit time is mostly estimation (mirror descent, each step one belief propagation);
// timing whole AIM fits cannot compare two builds, because the rounds AIM takes depend on
// floating-point details of its scores. This fixes the work: the discretised Adult domain
// (private-pgm's 14 attributes, 2..100 values), the 42 cliques of the model AIM chose on it
// (all 14 one-way and 28 two-way marginals; seed 0 of bench/dp_synth.sh), each measured
// from a 48,842-row table with Gaussian noise (sigma 20), the last eight two-way cliques
// measured twice (AIM measures a clique again when it picks it again), and I iterations
// (default 1000, mbi's default) with the convergence test off. The table is drawn from a
// RandomStream: every attribute copies a function of the previous one with probability 0.6,
// so the marginals are far from uniform. Prints each run's wall and CPU seconds (CPU time
// of all threads) and the final loss (equal across builds only to rounding), then one JSON
// line with the fastest run.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "synthscale/core/context.h"
#include "synthscale/core/random_stream.h"
#include "synthscale/pgm/estimation.h"
#include "synthscale/pgm/graphical_model.h"

namespace {

constexpr const char* kUsage = "usage: synthscale_bench_pgm_estimate [--iterations I] [--threads T] [--repeats R]\n";

// adult-domain.json of private-pgm's examples, in its column order.
const std::vector<std::uint32_t> kSizes = {85, 9, 100, 16, 7, 15, 6, 5, 2, 100, 100, 99, 42, 2};

// The model AIM (all two-way workload, epsilon 1) chose on the discretised Adult, seed 0.
const std::vector<synthscale::Clique> kCliques = {
    {0},    {1},    {2},    {3},     {4},    {5},    {6},    {7},    {8},     {9},    {10},
    {11},   {12},   {13},   {4, 6},  {6, 8}, {6, 13}, {5, 8}, {1, 5}, {5, 13}, {3, 13}, {3, 5},
    {6, 7}, {1, 6}, {4, 8}, {0, 13}, {3, 6}, {1, 8}, {7, 13}, {8, 13}, {3, 8}, {11, 13}, {4, 5},
    {0, 4}, {8, 11}, {4, 7}, {9, 13}, {7, 12}, {3, 4}, {5, 6}, {0, 6}, {5, 7}};

std::uint64_t ParseCount(const char* text, const char* flag) {
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0') {
    std::fprintf(stderr, "synthscale_bench_pgm_estimate: %s expects a number, got '%s'\n%s", flag, text, kUsage);
    std::exit(2);
  }
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace synthscale;
  std::uint64_t iterations = 1000;
  std::uint64_t threads = 0;
  std::uint64_t repeats = 3;
  for (int arg = 1; arg < argc; ++arg) {
    const std::string_view flag = argv[arg];
    if (arg + 1 >= argc) {
      std::fprintf(stderr, "%s", kUsage);
      return 2;
    }
    if (flag == "--iterations") {
      iterations = ParseCount(argv[++arg], "--iterations");
    } else if (flag == "--threads") {
      threads = ParseCount(argv[++arg], "--threads");
    } else if (flag == "--repeats") {
      repeats = ParseCount(argv[++arg], "--repeats");
    } else {
      std::fprintf(stderr, "%s", kUsage);
      return 2;
    }
  }
  std::vector<std::string> names;
  for (std::size_t attribute = 0; attribute < kSizes.size(); ++attribute) names.push_back("x" + std::to_string(attribute));
  const Domain domain(names, kSizes);

  // The table's marginals, counted directly (the counting kernel is benchmarked elsewhere).
  constexpr std::uint64_t kRows = 48842;
  std::vector<std::vector<double>> counts(kCliques.size());
  for (std::size_t clique_idx = 0; clique_idx < kCliques.size(); ++clique_idx) {
    counts[clique_idx].assign(*domain.CellCount(kCliques[clique_idx]), 0.0);
  }
  std::vector<std::uint32_t> row(kSizes.size());
  for (std::uint64_t row_idx = 0; row_idx < kRows; ++row_idx) {
    RandomStream stream(1, "bench-pgm-estimate-table", row_idx);
    for (std::size_t attribute = 0; attribute < kSizes.size(); ++attribute) {
      row[attribute] = attribute > 0 && stream.UniformDouble() < 0.6
                           ? (row[attribute - 1] * 7 + 3) % kSizes[attribute]
                           : static_cast<std::uint32_t>(stream.UniformBelow(kSizes[attribute]));
    }
    for (std::size_t clique_idx = 0; clique_idx < kCliques.size(); ++clique_idx) {
      std::uint64_t cell = 0;
      for (std::uint32_t attribute : kCliques[clique_idx]) cell = cell * kSizes[attribute] + row[attribute];
      counts[clique_idx][cell] += 1.0;
    }
  }
  std::vector<Measurement> measurements;
  RandomStream noise(2, "bench-pgm-estimate-noise", 0);
  const auto measure = [&](std::size_t clique_idx) {
    Measurement measurement;
    measurement.clique = kCliques[clique_idx];
    measurement.sigma = 20.0;
    for (double count : counts[clique_idx]) {
      // Box-Muller from the stream: the bench needs noise, not an exact sampler.
      const double u1 = 1.0 - noise.UniformDouble();
      const double u2 = noise.UniformDouble();
      measurement.values.push_back(count + 20.0 * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2));
    }
    measurements.push_back(std::move(measurement));
  };
  for (std::size_t clique_idx = 0; clique_idx < kCliques.size(); ++clique_idx) measure(clique_idx);
  for (std::size_t clique_idx = kCliques.size() - 8; clique_idx < kCliques.size(); ++clique_idx) measure(clique_idx);

  Context ctx(threads);
  EstimationOptions options;
  options.max_iterations = static_cast<int>(iterations);
  options.tolerance = 0.0;
  double best_wall = 1e300;
  double best_cpu = 1e300;
  for (std::uint64_t repeat = 0; repeat < repeats; ++repeat) {
    Result<GraphicalModel> model = GraphicalModel::Create(domain, kCliques, std::uint64_t{1} << 27);
    if (!model.ok()) {
      std::fprintf(stderr, "synthscale_bench_pgm_estimate: %s\n", model.status().message().c_str());
      return 1;
    }
    const auto wall_start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    Result<EstimationReport> report = Estimate(measurements, options, ctx, *model);
    const double cpu = static_cast<double>(std::clock() - cpu_start) / static_cast<double>(CLOCKS_PER_SEC);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    if (!report.ok()) {
      std::fprintf(stderr, "synthscale_bench_pgm_estimate: %s\n", report.status().message().c_str());
      return 1;
    }
    std::fprintf(stderr, "run %llu: %.3f s wall, %.3f s CPU, %d iterations, loss %.6f, model cells %llu\n",
                 static_cast<unsigned long long>(repeat), wall, cpu, report->iterations, report->loss,
                 static_cast<unsigned long long>(model->num_cells()));
    best_wall = std::min(best_wall, wall);
    best_cpu = std::min(best_cpu, cpu);
  }
  std::printf("{\"kernel\": \"estimate\", \"iterations\": %llu, \"threads\": %zu, \"wall_s\": %.4f, \"cpu_s\": %.4f}\n",
              static_cast<unsigned long long>(iterations), ctx.threads(), best_wall, best_cpu);
  return 0;
}
