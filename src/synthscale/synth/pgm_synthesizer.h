// PgmSynthesizer: what MST and AIM share: a private measurement step over the encoded
// table and a Private-PGM graphical model that is estimated from the measurements and
// sampled.
//
// The model's domain. Attribute i is modelled column i with size(i) = the column's
// domain size, plus one value for "missing" when the column is nullable (the encoder's
// missing code is the domain size, so codes are values). Out-of-domain values are not
// part of a public domain: a DP fit refuses them (kInvalidData naming column and row).
// Sizes come from the schema alone, never from the data.
//
// Compressed values (MST, after McKenna et al. 2021, "Winning the NIST Contest", 4.1):
// values whose noisy 1-way count is below 3 sigma may be merged into one value per
// attribute. The merge is post-processing of the noisy counts. A merged value is drawn
// back uniformly among its original values when sampling.
//
// Thread safety: SampleRow and SampleCodesRounded are const and thread-safe; Fit needs
// exclusive access.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "synthscale/dist/communicator.h"
#include "synthscale/marginal/domain.h"
#include "synthscale/pgm/estimation.h"
#include "synthscale/pgm/graphical_model.h"
#include "synthscale/synth/synthesizer.h"

namespace synthscale {

// The public model domain of the encoder's modelled columns (see above).
Domain ModelDomain(const Encoder& encoder);

class PgmSynthesizer : public Synthesizer {
 public:
  explicit PgmSynthesizer(SynthesizerOptions options) : options_(std::move(options)) {}

  bool differentially_private() const override { return true; }
  bool fitted() const override { return model_.has_value(); }
  void SampleRow(RandomStream& stream, std::span<std::uint32_t> codes) const override;
  // Controlled rounding through the junction tree (pgm/rounded_sampler.h); a merged value is
  // then drawn back among its original values from the stream (seed, "sample-rounded-expand",
  // row). Errors: those of RoundedSampler.
  Status SampleCodesRounded(std::uint64_t rows, std::uint64_t seed, const Context& ctx,
                            std::vector<std::uint32_t>& codes) const override;
  SavedParameters SaveParameters() const override;
  Status LoadParameters(const SavedParameters& saved, const Encoder& encoder) override;
  std::string DescribeJson() const override;

  const GraphicalModel& model() const { return *model_; }
  const EstimationReport& estimation() const { return estimation_; }

 protected:
  // State of one fit: the data, where its privacy goes, the domains.
  struct FitState {
    const EncodedTable* data = nullptr;
    PrivacyLedger* ledger = nullptr;
    Csprng* noise = nullptr;
    const Context* ctx = nullptr;
    Domain original;  // ModelDomain(encoder)
  };

  // Check the inputs and codes, reset compression, and fill `state`. A table with no rows
  // is fitted like any other (under add/remove it neighbours a one-row table).
  // Errors: kInvalidArgument (no ledger/noise), kInvalidData (a code outside the public
  // domain).
  Status BeginFit(const EncodedTable& data, const FitInputs& inputs, const Context& ctx, FitState& state);

  // The model domain after compression (the original one until Compress is called).
  const Domain& domain() const { return domain_; }

  // Exact counts of the rows in each cell of `clique` (model domain), e.g. for a
  // selection score. Not private: only for use inside a mechanism.
  Result<std::vector<std::int64_t>> Count(const FitState& state, const Clique& clique) const;
  Result<std::vector<std::vector<std::int64_t>>> CountMany(const FitState& state,
                                                          std::span<const Clique> cliques) const;
  // Measure the marginal on `clique` with the discrete Gaussian mechanism spending at
  // most `rho` (the ledger records the exact cost), labelled "marginal (a, b)".
  Result<Measurement> Measure(const FitState& state, const Clique& clique, double rho) const;
  // The same with the exact counts already at hand (from Count/CountMany of `clique`).
  Result<Measurement> MeasureCounts(const FitState& state, const Clique& clique,
                                    std::span<const std::int64_t> counts, double rho) const;
  // The noise standard deviation per unit of 1 / sqrt(2 rho): sqrt of the counts' L2
  // sensitivity under the ledger's neighbouring relation (1, or sqrt(2) under replace).
  static double NoiseUnit(const FitState& state);

  // Merge, per attribute, the values whose noisy 1-way count (in `one_way`, one
  // measurement per attribute in attribute order) is below `threshold` into one value,
  // and rewrite those measurements onto the compressed domain.
  void Compress(std::vector<Measurement>& one_way, double threshold);

  // Estimate a model over `cliques` from `measurements`, warm-started from `previous` if
  // given, with at most `max_iterations` (0: the options' max_iterations).
  Result<GraphicalModel> EstimateModel(const std::vector<Clique>& cliques, std::span<const Measurement> measurements,
                                       const GraphicalModel* previous, const Context& ctx, int max_iterations = 0);
  void Keep(GraphicalModel model) { model_ = std::move(model); }

  // The model size cap in cells (options' max_model_size_mb of float64).
  std::uint64_t MaxModelCells() const;

  const SynthesizerOptions& options() const { return options_; }

 private:
  // Original value -> model value, and model value -> its original values, per attribute.
  std::vector<std::vector<std::uint32_t>> to_model_;
  std::vector<std::vector<std::vector<std::uint32_t>>> from_model_;
  bool compressed_ = false;

  SynthesizerOptions options_;
  SingleProcessCommunicator comm_;
  Domain domain_;
  std::optional<GraphicalModel> model_;
  EstimationReport estimation_;
};

}  // namespace synthscale
