#include "synthscale/pgm/exp_kernels.h"

namespace synthscale {

// Each kernel is compiled twice (AVX2 and baseline SSE2) and picked at load time. Neither
// clone may use FMA, and both compute the same IEEE operations in the same order, so the
// results are the same bits on every x86-64 machine.
#if defined(__x86_64__)
#define SYNTHSCALE_EXP_KERNEL __attribute__((target_clones("avx2", "default")))
#else
#define SYNTHSCALE_EXP_KERNEL
#endif

SYNTHSCALE_EXP_KERNEL
double SumExpShifted(const double* values, std::size_t n, double shift) {
  double lanes[kExpSumLanes] = {};
  std::size_t idx = 0;
  for (; idx + kExpSumLanes <= n; idx += kExpSumLanes) {
    for (std::size_t lane = 0; lane < kExpSumLanes; ++lane) lanes[lane] += ExpFast(values[idx + lane] - shift);
  }
  for (std::size_t lane = 0; idx < n; ++idx, ++lane) lanes[lane] += ExpFast(values[idx] - shift);
  for (std::size_t width = kExpSumLanes / 2; width > 0; width /= 2) {
    for (std::size_t lane = 0; lane < width; ++lane) lanes[lane] = lanes[2 * lane] + lanes[2 * lane + 1];
  }
  return lanes[0];
}

SYNTHSCALE_EXP_KERNEL
void AddExpShifted(double* out, const double* values, const double* shifts, std::size_t n) {
  for (std::size_t idx = 0; idx < n; ++idx) out[idx] += ExpFast(values[idx] - shifts[idx]);
}

SYNTHSCALE_EXP_KERNEL
void ExpScaled(double* out, const double* values, std::size_t n, double scale) {
  for (std::size_t idx = 0; idx < n; ++idx) out[idx] = ExpFast(values[idx]) * scale;
}

SYNTHSCALE_EXP_KERNEL
double MaxOf(const double* values, std::size_t n, double initial) {
  double lanes[kExpSumLanes];
  for (double& lane : lanes) lane = initial;
  std::size_t idx = 0;
  for (; idx + kExpSumLanes <= n; idx += kExpSumLanes) {
    for (std::size_t lane = 0; lane < kExpSumLanes; ++lane) {
      lanes[lane] = values[idx + lane] > lanes[lane] ? values[idx + lane] : lanes[lane];
    }
  }
  for (; idx < n; ++idx) lanes[0] = values[idx] > lanes[0] ? values[idx] : lanes[0];
  double best = lanes[0];
  for (double lane : lanes) best = lane > best ? lane : best;
  return best;
}

}  // namespace synthscale
