// Helpers for the pgm tests: brute-force joints over small domains, random models.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "synthscale/core/random_stream.h"
#include "synthscale/marginal/domain.h"
#include "synthscale/pgm/factor.h"
#include "synthscale/pgm/graphical_model.h"

namespace synthscale::pgm_test {

// Dense index of `values` (one per domain attribute) in `clique`'s layout.
inline std::uint64_t CellOf(const Domain& domain, const Clique& clique, const std::vector<std::uint32_t>& values) {
  std::uint64_t cell = 0;
  for (std::uint32_t attribute : clique) cell = cell * domain.size(attribute) + values[attribute];
  return cell;
}

// Call fn(values) for every complete assignment of the domain, in row-major order.
template <typename Fn>
void ForEachAssignment(const Domain& domain, Fn&& fn) {
  std::vector<std::uint32_t> values(domain.num_attributes(), 0);
  while (true) {
    fn(values);
    std::size_t attribute = domain.num_attributes();
    while (true) {
      if (attribute == 0) return;
      --attribute;
      if (++values[attribute] < domain.size(static_cast<std::uint32_t>(attribute))) break;
      values[attribute] = 0;
    }
  }
}

// Joint probabilities of p(x) ∝ exp(sum of log-factors), indexed by the full-domain cell.
inline std::vector<double> BruteForceJoint(const Domain& domain, const std::vector<Factor>& log_factors) {
  Clique all;
  for (std::uint32_t attribute = 0; attribute < domain.num_attributes(); ++attribute) all.push_back(attribute);
  std::vector<double> joint;
  ForEachAssignment(domain, [&](const std::vector<std::uint32_t>& values) {
    double log_value = 0.0;
    for (const Factor& factor : log_factors) log_value += factor.values()[CellOf(domain, factor.clique(), values)];
    joint.push_back(log_value);
  });
  // Shifted by the largest, so peaked potentials (values in the thousands) do not overflow.
  double largest = -std::numeric_limits<double>::infinity();
  for (double value : joint) largest = std::max(largest, value);
  for (double& value : joint) value = std::exp(value - largest);
  double total = 0.0;
  for (double value : joint) total += value;
  for (double& value : joint) value /= total;
  return joint;
}

// Marginal of a full-domain joint (indexed as BruteForceJoint) on `clique`, scaled by `scale`.
inline std::vector<double> MarginalOf(const Domain& domain, const std::vector<double>& joint, const Clique& clique,
                                      double scale) {
  std::uint64_t cells = domain.CellCount(clique).value();
  std::vector<double> result(cells, 0.0);
  std::size_t joint_idx = 0;
  ForEachAssignment(domain, [&](const std::vector<std::uint32_t>& values) {
    result[CellOf(domain, clique, values)] += joint[joint_idx++] * scale;
  });
  return result;
}

// Uniform values in [low, high) from a fixed stream (test data, not privacy noise).
inline std::vector<double> RandomValues(std::size_t count, RandomStream& stream, double low, double high) {
  std::vector<double> values(count);
  for (double& value : values) value = low + (high - low) * stream.UniformDouble();
  return values;
}

// A model over `cliques` with random potentials (uniform in [-2, 2), from the stream
// (seed, purpose, index)) and total 1000, for the samplers' tests.
inline GraphicalModel RandomModel(const Domain& domain, const std::vector<Clique>& cliques, std::uint64_t seed,
                                  const char* purpose, std::uint64_t index) {
  GraphicalModel model = GraphicalModel::Create(domain, cliques, std::uint64_t{1} << 40).value();
  RandomStream stream(seed, purpose, index);
  std::vector<Factor> potentials;
  for (const Clique& clique : model.tree().cliques) {
    const std::uint64_t cells = domain.CellCount(clique).value();
    potentials.push_back(Factor::FromValues(domain, clique, RandomValues(cells, stream, -2.0, 2.0)).value());
  }
  EXPECT_TRUE(model.SetParameters(std::move(potentials), 1000.0).ok());
  return model;
}

}  // namespace synthscale::pgm_test
