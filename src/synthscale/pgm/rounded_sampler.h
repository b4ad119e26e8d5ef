// RoundedSampler: draw all n records of a sample jointly by controlled rounding.
//
// Forward sampling (model_sampler.h) draws each record on its own, so a sample's marginals
// carry multinomial noise of order sqrt(n p). Private-PGM's default sampler ("round" in
// McKenna et al.'s private-pgm, mbi/graphical_model.py, synthetic_data) removes most of it:
// it walks the junction tree in order and, for each clique, splits the rows generated so far
// into groups by their separator value; a group of n_g rows gets floor(n_g p) rows of each
// new-attribute cell (p = p(cell | separator value) from the calibrated beliefs) plus the
// remaining units handed out at random, and the group's rows receive those values in a random
// order. Every clique's marginal is then within one unit per cell (and per group) of its
// expected value, while the joint stays a draw from the model. We implement the idea, not the
// code:
//
// - Groups come from a stable counting sort on the separator cell (O(n + separator cells) per
//   clique, no hashing, no per-row allocation).
// - The remaining R = n_g - sum floor(n_g p) units go to cells by systematic sampling on the
//   fractional parts (one uniform start, points start + k, k < R, on the cumulative fractional
//   parts; Madow 1949): each cell gets its extra unit with probability exactly equal to its
//   fractional part, so the expected count of every cell is exactly n_g p (private-pgm draws
//   the R cells successively, which is close but not exactly unbiased).
// - The group's values are shuffled with Fisher-Yates and given to its rows in row order.
// - A separator value whose cells all have probability 0 (or underflow) is uniform, as in
//   ModelSampler.
//
// Determinism: the randomness of clique step s and separator cell c is the stream
// (seed, "sample-rounded", first_key(s) + c), with first_key(s) the number of separator cells
// of all earlier steps, so every (step, separator cell) has its own stream and the result
// depends only on (model, rows, seed) - never on the thread count or on how groups are
// split into tasks.
//
// Memory: the values of all rows (rows x attributes x 4 bytes), plus a workspace of
// rows x 8 bytes and 8 bytes per cell of the largest separator.
//
// Thread safety: Sample is const and may run concurrently.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "synthscale/core/context.h"
#include "synthscale/core/random_stream.h"
#include "synthscale/core/status.h"
#include "synthscale/pgm/factor.h"
#include "synthscale/pgm/junction_tree.h"

namespace synthscale {

// Most rows RoundedSampler draws at once: row indices are 32-bit in its workspace.
inline constexpr std::uint64_t kMaxRoundedRows = 0xFFFFFFFFull;

// Round `total` units onto cells with probabilities `probabilities` (non-negative, summing to
// 1 up to rounding): counts[c] = floor(total p_c), plus one unit each for R = total - sum of
// floors cells chosen by systematic sampling on the fractional parts with one uniform from
// `stream` (cell c gets the unit with probability equal to its fractional part). The counts
// always sum to `total` and each is floor or ceil of total p_c (up to rounding of p). No draw
// when R == 0. `fractions` is workspace of probabilities.size(). Precondition: sizes match.
void RoundCounts(std::uint64_t total, std::span<const double> probabilities, RandomStream& stream,
                 std::span<std::uint64_t> counts, std::span<double> fractions);

// Write counts[c] copies of c into `values` (cells in order), then shuffle them with
// Fisher-Yates from `stream`. Precondition: values.size() == sum of counts.
void FillShuffled(std::span<const std::uint64_t> counts, RandomStream& stream, std::span<std::uint32_t> values);

class RoundedSampler {
 public:
  RoundedSampler() = default;

  // Precompute p(new cells | separator cell) per clique in tree order from `log_beliefs`
  // (calibrated, one per tree clique). `num_attributes` is the domain's.
  // Errors: kInvalidArgument when the beliefs do not match the tree, or a clique adds more
  // than 2^32 cells to its separator.
  static Result<RoundedSampler> Build(const JunctionTree& tree, const std::vector<Factor>& log_beliefs,
                                      std::size_t num_attributes);

  // Draw `rows` records jointly into `values`, resized to rows x num_attributes() and laid out
  // by attribute: values[attribute * rows + row]. Groups run in parallel on ctx's pool.
  // Errors: kInvalidArgument when rows > kMaxRoundedRows.
  Status Sample(std::uint64_t rows, std::uint64_t seed, const Context& ctx, std::vector<std::uint32_t>& values) const;

  std::size_t num_attributes() const { return num_attributes_; }

 private:
  struct Step {
    std::vector<std::uint32_t> separator_attributes;
    std::vector<std::uint64_t> separator_strides;  // separator cell = sum value * stride
    std::vector<std::uint32_t> new_attributes;
    std::vector<std::uint32_t> new_sizes;
    std::uint64_t separator_cells = 1;
    std::uint64_t new_cells = 1;
    std::uint64_t first_key = 0;        // stream index of separator cell 0
    std::vector<double> probabilities;  // [separator cell][new cell], each row sums to 1
  };

  std::vector<Step> steps_;
  std::size_t num_attributes_ = 0;
  std::uint64_t max_separator_cells_ = 1;
};

}  // namespace synthscale
