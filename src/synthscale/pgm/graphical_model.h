// GraphicalModel: a Private-PGM style model over a Domain (McKenna, Sheldon, Miklau,
// ICML 2019, "Graphical-model based estimation and inference for differential privacy").
//
// The model is p(x) ∝ exp(sum_c potential_c(x_c)) over the cliques of a junction tree built
// from the requested cliques (see junction_tree.h), scaled to an estimated number of records
// total(). It keeps its log-potentials, the calibrated beliefs (clique marginals, from belief
// propagation) and the sampling tables, all refreshed whenever the potentials change, so
// every const method is cheap and thread-safe.
//
// A new model has zero potentials (the uniform distribution) and total() == 1. Estimate
// (estimation.h) fits the potentials to noisy marginals; WarmStartFrom copies what an older
// model over fewer cliques knew (AIM adds a clique per round).
//
// Serialised form (Serialize/Deserialize), all integers and doubles little-endian:
//   magic "SSPGM\x00\x01\n" (8 bytes), uint32 format version (1),
//   uint32 number of attributes, then per attribute: uint32 size, uint32 name length, name bytes,
//   uint32 number of cliques, then per clique: uint32 length, that many uint32 attribute indices,
//   double total, uint64 number of potential values, then those doubles: the potentials of
//   the junction-tree cliques (rebuilt from the cliques, deterministically) concatenated in
//   clique-index order, each in the dense layout of domain.h,
//   and last the SHA-256 of every preceding byte (32 bytes).
// Doubles are stored bit for bit, and beliefs and sampling tables are recomputed by the
// same deterministic code, so a loaded model gives the same marginals and samples.
//
// Thread safety: const methods may be called concurrently; mutation needs exclusive access.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "synthscale/core/random_stream.h"
#include "synthscale/core/status.h"
#include "synthscale/marginal/domain.h"
#include "synthscale/pgm/factor.h"
#include "synthscale/pgm/junction_tree.h"
#include "synthscale/pgm/model_sampler.h"

namespace synthscale {

class GraphicalModel {
 public:
  // Create a uniform model (zero potentials, total 1) over the junction tree of `cliques`.
  // The tree's size is checked before any factor is allocated.
  // Errors: kInvalidArgument when the domain is empty or has an attribute of size 0, a clique
  // is invalid (unsorted, repeated or out-of-range index), or the junction tree would need
  // more than `max_cells` cells in total (the message gives the size, the largest tree clique
  // and the cap).
  static Result<GraphicalModel> Create(const Domain& domain, const std::vector<Clique>& cliques,
                                       std::uint64_t max_cells);

  const Domain& domain() const { return domain_; }
  // The cliques the model was created with, as given.
  const std::vector<Clique>& cliques() const { return cliques_; }
  const JunctionTree& tree() const { return tree_; }
  // Log-potentials, one per tree clique (tree().cliques order).
  const std::vector<Factor>& potentials() const { return potentials_; }
  // Calibrated log-probability marginals, one per tree clique.
  const std::vector<Factor>& beliefs() const { return beliefs_; }
  // Estimated number of records: marginals are scaled to sum to it.
  double total() const { return total_; }
  // Cells across the tree's cliques (the size of one set of factor tables).
  std::uint64_t num_cells() const;

  // Replace the potentials and total, then recalibrate and rebuild the sampling tables.
  // Errors: kInvalidArgument when the potentials do not match the tree cliques or a value is
  // not finite, or total is not finite and > 0.
  Status SetParameters(std::vector<Factor> potentials, double total);

  // Start from what `old` knows: set this model's potentials so that its marginal on every
  // tree clique equals `old`'s marginal there (root: log of old's marginal; other cliques:
  // log of old's marginal minus log of old's marginal on the separator), and take old's
  // total. When old's distribution factorises over this tree (as when this model's cliques
  // include old's), this model then has exactly old's distribution.
  // Errors: kInvalidArgument when the domains differ (attribute count or sizes), or a
  // marginal of old is too large to compute (see Marginal).
  Status WarmStartFrom(const GraphicalModel& old);

  // The model's marginal on `clique` as counts summing to total(), in the dense layout.
  // Read from the smallest tree clique containing `clique` when one does; otherwise computed
  // by variable elimination over the smallest subtree whose cliques cover `clique`.
  // Errors: kInvalidArgument for an invalid clique, or when the elimination would need a
  // factor of more than 2^28 cells.
  Result<std::vector<double>> Marginal(const Clique& clique) const;
  // The same marginal as log-probabilities (log-sums to 0).
  Result<Factor> LogMarginal(const Clique& clique) const;

  // Draw one record (values[attribute] for every attribute) from the model; see
  // ModelSampler::SampleRow. Precondition: values.size() == domain().num_attributes().
  void SampleRow(RandomStream& stream, std::span<std::uint32_t> values) const { sampler_.SampleRow(stream, values); }

  // The serialised form described at the top of this file.
  std::string Serialize() const;
  // Parse a serialised model. Errors: kInvalidData for a wrong magic or version, truncated,
  // trailing or corrupt bytes (checksum), or inconsistent contents.
  static Result<GraphicalModel> Deserialize(std::string_view bytes);

 private:
  GraphicalModel() = default;
  // Recalibrate beliefs and rebuild the sampler from potentials_.
  Status Refresh();

  Domain domain_;
  std::vector<Clique> cliques_;
  JunctionTree tree_;
  std::vector<Factor> potentials_;
  std::vector<Factor> beliefs_;
  double total_ = 1.0;
  ModelSampler sampler_;
};

}  // namespace synthscale
