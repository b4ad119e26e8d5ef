// ModelSampler: draw complete records from a calibrated junction-tree model.
//
// Forward sampling along the tree (Koller & Friedman, Section 12.1.1): the root clique's
// attributes are drawn from its marginal, then each clique in tree order draws the
// attributes it adds given the values of its separator with its parent, which are already
// set. Because the beliefs are calibrated, this samples exactly the model's distribution.
//
// Build precomputes, for each clique and each value of its separator, a Walker alias table
// (Vose, "A linear algorithm for generating random numbers with a given distribution", IEEE
// TSE 1991) over the cells of the attributes it adds, laid out as [separator cell][new cell].
// SampleRow then spends one uniform draw and O(1) work per clique, with no allocation: the
// draw u gives the column i = floor(u * n) and, from the fraction u * n - i, the choice
// between cell i and its alias (its top 32 bits against a 32-bit threshold, so each
// probability is exact to within 2^-32 per column).
//
// Thread safety: SampleRow is const and may run concurrently from many threads, each with
// its own RandomStream.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "synthscale/core/random_stream.h"
#include "synthscale/core/status.h"
#include "synthscale/pgm/factor.h"
#include "synthscale/pgm/junction_tree.h"

namespace synthscale {

class ModelSampler {
 public:
  ModelSampler() = default;

  // Precompute the conditional tables from `log_beliefs` (calibrated, one per tree clique,
  // as Calibrate returns). A separator value whose cells all have probability 0 (or
  // underflow) draws the new attributes uniformly. `num_attributes` is the domain's.
  // Errors: kInvalidArgument when the beliefs do not match the tree, or a clique adds more
  // than 2^32 cells to its separator.
  static Result<ModelSampler> Build(const JunctionTree& tree, const std::vector<Factor>& log_beliefs,
                                    std::size_t num_attributes);

  // Draw one record: values[attribute] for every attribute of the domain. Uses exactly one
  // stream.UniformDouble() per tree clique, in tree order, so the record depends only on the
  // stream. Precondition: values.size() == num_attributes() (checked by assert only).
  void SampleRow(RandomStream& stream, std::span<std::uint32_t> values) const;

  std::size_t num_attributes() const { return num_attributes_; }

 private:
  // 8 bytes, so the tables stay cache-sized: keep is the probability of keeping column i
  // (rather than taking the alias) in units of 2^-32; an always-kept column aliases itself.
  struct AliasCell {
    std::uint32_t keep = 0;
    std::uint32_t alias = 0;
  };
  struct Step {
    std::vector<std::uint32_t> separator_attributes;
    std::vector<std::uint64_t> separator_strides;  // separator cell = sum value * stride
    std::vector<std::uint32_t> new_attributes;
    std::vector<std::uint32_t> new_sizes;
    std::uint64_t new_cells = 1;
    std::vector<AliasCell> table;  // [separator cell][new cell]
  };

  std::vector<Step> steps_;
  std::size_t num_attributes_ = 0;
};

}  // namespace synthscale
