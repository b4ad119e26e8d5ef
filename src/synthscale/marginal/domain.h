// Domain and Clique: the discrete space every marginal and graphical model lives in.
//
// A Domain names the model's attributes (one per modelled column, schema order) and the
// number of values each takes; attribute i takes values 0 .. size(i) - 1. A Clique is a
// set of attribute indices kept sorted ascending and without repeats.
//
// Dense layout, shared by marginal tables and graphical-model factors: the cells of a
// clique (a_0 < a_1 < ... < a_k-1) are stored row-major, the last attribute fastest, so
// the cell of values (v_0, ..., v_k-1) is at sum_j v_j * stride_j with
// stride_k-1 = 1 and stride_j = stride_j+1 * size(a_j+1). The empty clique has one cell.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace synthscale {

using Clique = std::vector<std::uint32_t>;

// True when `clique` is sorted ascending, has no repeats and every index < num_attributes.
inline bool IsValidClique(const Clique& clique, std::size_t num_attributes) {
  for (std::size_t i = 0; i < clique.size(); ++i) {
    if (clique[i] >= num_attributes) return false;
    if (i > 0 && clique[i - 1] >= clique[i]) return false;
  }
  return true;
}

// `attributes` sorted and deduplicated.
inline Clique MakeClique(std::vector<std::uint32_t> attributes) {
  std::sort(attributes.begin(), attributes.end());
  attributes.erase(std::unique(attributes.begin(), attributes.end()), attributes.end());
  return attributes;
}

// True when every attribute of `inner` is in `outer` (both valid cliques).
inline bool IsSubset(const Clique& inner, const Clique& outer) {
  return std::includes(outer.begin(), outer.end(), inner.begin(), inner.end());
}

class Domain {
 public:
  Domain() = default;
  // names.size() == sizes.size(); every size >= 1 (checked by callers that build from a schema).
  Domain(std::vector<std::string> names, std::vector<std::uint32_t> sizes)
      : names_(std::move(names)), sizes_(std::move(sizes)) {}

  std::size_t num_attributes() const { return sizes_.size(); }
  std::uint32_t size(std::uint32_t attribute) const { return sizes_[attribute]; }
  const std::string& name(std::uint32_t attribute) const { return names_[attribute]; }
  const std::vector<std::uint32_t>& sizes() const { return sizes_; }
  const std::vector<std::string>& names() const { return names_; }

  // Number of cells of `clique` (product of sizes; 1 for the empty clique), or nullopt when
  // it exceeds 2^63 (callers turn that into a clear "model too large" error).
  std::optional<std::uint64_t> CellCount(const Clique& clique) const {
    std::uint64_t cells = 1;
    constexpr std::uint64_t kLimit = std::uint64_t{1} << 63;
    for (std::uint32_t attribute : clique) {
      if (cells > kLimit / sizes_[attribute]) return std::nullopt;
      cells *= sizes_[attribute];
    }
    return cells;
  }

  // "(age, sex)": how cliques are named in errors, progress and ledger labels.
  std::string Describe(const Clique& clique) const {
    std::string text = "(";
    for (std::size_t i = 0; i < clique.size(); ++i) {
      if (i > 0) text += ", ";
      text += names_[clique[i]];
    }
    return text + ")";
  }

 private:
  std::vector<std::string> names_;
  std::vector<std::uint32_t> sizes_;
};

}  // namespace synthscale
