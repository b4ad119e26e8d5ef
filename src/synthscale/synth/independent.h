// IndependentSynthesizer: each column drawn from its own empirical marginal.
//
// The simplest synthesizer: it keeps every column's distribution (including the share
// of missing values) and none of the relations between columns. It is NOT differentially
// private: the marginal counts are exact. Useful as a baseline and to run the pipeline
// end to end; the private synthesizers (MST, AIM) replace it in the demo.
#pragma once

#include <cstdint>
#include <vector>

#include "synthscale/synth/synthesizer.h"

namespace synthscale {

class IndependentSynthesizer final : public Synthesizer {
 public:
  std::string_view method() const override { return "independent"; }
  bool differentially_private() const override { return false; }

  Status Fit(const EncodedTable& data, const FitInputs& inputs, const Context& ctx) override;
  // A flag, not !cumulative_.empty(): a schema with no modelled column fits to no columns.
  bool fitted() const override { return fitted_; }
  void SampleRow(RandomStream& stream, std::span<std::uint32_t> codes) const override;
  // Each column's counts rounded to `rows` (floor or ceil of rows * share) in random order:
  // the sample's 1-way marginals match the fitted ones up to one row per code.
  Status SampleCodesRounded(std::uint64_t rows, std::uint64_t seed, const Context& ctx,
                            std::vector<std::uint32_t>& codes) const override;
  SavedParameters SaveParameters() const override;
  Status LoadParameters(const SavedParameters& saved, const Encoder& encoder) override;
  std::string DescribeJson() const override;
  // LoadParameters with each column's code count (domain size + 2) given directly.
  Status LoadCounts(std::string_view json, const std::vector<std::uint32_t>& cardinalities);

  // counts()[col][code]: rows with that code (out-of-domain codes are counted but never drawn).
  const std::vector<std::vector<std::uint64_t>>& counts() const { return counts_; }

 private:
  void BuildCumulative();

  std::vector<std::vector<std::uint64_t>> counts_;
  // Per column, running sums of counts over the drawable codes (domain values + missing).
  std::vector<std::vector<std::uint64_t>> cumulative_;
  bool fitted_ = false;
};

}  // namespace synthscale
