#include "synthscale/eval/marginal_tvd.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>

namespace synthscale::eval {

namespace {

// Largest marginal counted densely. Clearing and scanning a cell costs about a tenth of
// sorting a row's cell index (measured on Adult: 49k rows, 3-way marginals up to 400k
// cells), so dense wins up to ~16 cells per row; 2^16 cells (256 KiB) are always cheap;
// 2^24 cells (64 MiB per table) bounds the memory of one marginal.
std::uint64_t MaxDenseCells(std::size_t rows) {
  const std::uint64_t by_rows = std::uint64_t{16} * rows;
  return std::min<std::uint64_t>(std::max<std::uint64_t>(by_rows, std::uint64_t{1} << 16),
                                 std::uint64_t{1} << 24);
}

struct Layout {
  std::size_t arity = 0;
  std::array<const std::uint32_t*, 3> codes{};
  std::array<std::uint64_t, 3> strides{};
};

// The rows counted are table's own (subset.weights empty) or the subset's gathered codes.
Layout MakeLayout(const EvalInputs& inputs, const EvalTable& table, RowSubset subset,
                  std::span<const std::size_t> clique, std::uint64_t& cells) {
  const auto& columns = subset.weights.empty() ? table.codes : *subset.codes;
  Layout layout;
  layout.arity = clique.size();
  cells = 1;
  for (std::size_t k = clique.size(); k-- > 0;) {
    layout.codes[k] = columns[clique[k]].data();
    layout.strides[k] = cells;
    cells *= inputs.columns[clique[k]].cardinality();
  }
  return layout;
}

template <std::size_t kArity>
inline std::uint64_t CellOf(const Layout& layout, std::size_t row) {
  std::uint64_t cell = layout.codes[0][row] * layout.strides[0];
  if constexpr (kArity > 1) cell += layout.codes[1][row] * layout.strides[1];
  if constexpr (kArity > 2) cell += layout.codes[2][row];
  return cell;
}

template <std::size_t kArity>
void CountDense(const Layout& layout, std::size_t num_rows, RowSubset subset, std::vector<std::uint32_t>& counts) {
  if (subset.weights.empty()) {
    for (std::size_t row = 0; row < num_rows; ++row) ++counts[CellOf<kArity>(layout, row)];
    return;
  }
  for (std::size_t k = 0; k < subset.weights.size(); ++k) counts[CellOf<kArity>(layout, k)] += subset.weights[k];
}

template <std::size_t kArity>
void CollectCells(const Layout& layout, std::size_t num_rows, RowSubset subset,
                  std::vector<std::pair<std::uint64_t, std::uint32_t>>& cells) {
  cells.clear();
  if (subset.weights.empty()) {
    for (std::size_t row = 0; row < num_rows; ++row) cells.emplace_back(CellOf<kArity>(layout, row), 1);
  } else {
    for (std::size_t k = 0; k < subset.weights.size(); ++k) {
      cells.emplace_back(CellOf<kArity>(layout, k), subset.weights[k]);
    }
  }
  std::sort(cells.begin(), cells.end());
  // Merge runs of the same cell in place.
  std::size_t out = 0;
  for (std::size_t idx = 0; idx < cells.size(); ++idx) {
    if (out > 0 && cells[out - 1].first == cells[idx].first) {
      cells[out - 1].second += cells[idx].second;
    } else {
      cells[out++] = cells[idx];
    }
  }
  cells.resize(out);
}

// |real_count N_s - synthetic_count N_r|: below 2^62 as both tables have < 2^31 rows.
// 32-bit operands let the compiler use 32 x 32 -> 64-bit vector multiplies in the cell scan.
inline std::uint64_t AbsDifference(std::uint32_t real_count, std::uint32_t synthetic_count,
                                   std::uint32_t real_rows, std::uint32_t synthetic_rows) {
  const std::uint64_t a = std::uint64_t{real_count} * synthetic_rows;
  const std::uint64_t b = std::uint64_t{synthetic_count} * real_rows;
  return a > b ? a - b : b - a;
}

void Dispatch(std::size_t arity, auto&& body) {
  switch (arity) {
    case 1: body(std::integral_constant<std::size_t, 1>{}); break;
    case 2: body(std::integral_constant<std::size_t, 2>{}); break;
    default: body(std::integral_constant<std::size_t, 3>{}); break;
  }
}

}  // namespace

RowSubset NonzeroRows(const EvalTable& table, RowWeights weights, RowSubsetStorage& storage) {
  storage.weights.clear();
  storage.codes.resize(table.codes.size());
  for (auto& column : storage.codes) column.clear();
  for (std::size_t row = 0; row < weights.size(); ++row) {
    if (weights[row] == 0) continue;
    storage.weights.push_back(weights[row]);
    for (std::size_t col_idx = 0; col_idx < table.codes.size(); ++col_idx) {
      storage.codes[col_idx].push_back(table.codes[col_idx][row]);
    }
  }
  return {storage.weights, &storage.codes};
}

double MarginalTvd(const EvalInputs& inputs, std::span<const std::size_t> clique, RowSubset real_subset,
                   RowSubset synthetic_subset, MarginalScratch& scratch) {
  std::uint64_t cells = 0;
  const Layout real = MakeLayout(inputs, inputs.real, real_subset, clique, cells);
  const Layout synthetic = MakeLayout(inputs, inputs.synthetic, synthetic_subset, clique, cells);
  // Below 2^31 (CheckCodes).
  const auto real_rows = static_cast<std::uint32_t>(inputs.real.num_rows);
  const auto synthetic_rows = static_cast<std::uint32_t>(inputs.synthetic.num_rows);
  // Resampled weights sum to the row count, so the totals are the row counts.
  const double denominator = 2.0 * static_cast<double>(real_rows) * static_cast<double>(synthetic_rows);
  std::uint64_t numerator = 0;
  if (cells <= MaxDenseCells(std::size_t{real_rows} + synthetic_rows)) {
    scratch.real_counts.assign(cells, 0);
    scratch.synthetic_counts.assign(cells, 0);
    Dispatch(clique.size(), [&](auto arity) {
      CountDense<decltype(arity)::value>(real, real_rows, real_subset, scratch.real_counts);
      CountDense<decltype(arity)::value>(synthetic, synthetic_rows, synthetic_subset, scratch.synthetic_counts);
    });
    for (std::uint64_t cell = 0; cell < cells; ++cell) {
      numerator += AbsDifference(scratch.real_counts[cell], scratch.synthetic_counts[cell], real_rows,
                                 synthetic_rows);
    }
    return static_cast<double>(numerator) / denominator;
  }
  Dispatch(clique.size(), [&](auto arity) {
    CollectCells<decltype(arity)::value>(real, real_rows, real_subset, scratch.real_cells);
    CollectCells<decltype(arity)::value>(synthetic, synthetic_rows, synthetic_subset, scratch.synthetic_cells);
  });
  // Merge the two sorted cell lists: a cell in one list only is absent (0) in the other.
  const auto& r = scratch.real_cells;
  const auto& s = scratch.synthetic_cells;
  std::size_t ri = 0;
  std::size_t si = 0;
  while (ri < r.size() || si < s.size()) {
    if (si == s.size() || (ri < r.size() && r[ri].first < s[si].first)) {
      numerator += AbsDifference(r[ri++].second, 0, real_rows, synthetic_rows);
    } else if (ri == r.size() || s[si].first < r[ri].first) {
      numerator += AbsDifference(0, s[si++].second, real_rows, synthetic_rows);
    } else {
      numerator += AbsDifference(r[ri++].second, s[si++].second, real_rows, synthetic_rows);
    }
  }
  return static_cast<double>(numerator) / denominator;
}

Status CheckCodes(const EvalInputs& inputs) {
  for (const auto* table : {&inputs.real, &inputs.synthetic}) {
    if (table->num_rows >= (std::size_t{1} << 31)) {
      return InvalidArgument("fidelity metrics take tables of fewer than 2^31 rows; a table has " +
                             std::to_string(table->num_rows) + " rows; evaluate a sample of it");
    }
    if (table->codes.size() != inputs.columns.size()) {
      return Internal("evaluation inputs hold " + std::to_string(table->codes.size()) +
                      " code columns for " + std::to_string(inputs.columns.size()) + " columns");
    }
    for (std::size_t col_idx = 0; col_idx < inputs.columns.size(); ++col_idx) {
      const auto& codes = table->codes[col_idx];
      const std::uint32_t cardinality = inputs.columns[col_idx].cardinality();
      if (codes.size() != table->num_rows ||
          std::any_of(codes.begin(), codes.end(), [&](std::uint32_t code) { return code >= cardinality; })) {
        return Internal("evaluation inputs of column '" + inputs.columns[col_idx].name +
                        "' are inconsistent (length or code out of range)");
      }
    }
  }
  return Status::Ok();
}

}  // namespace synthscale::eval
