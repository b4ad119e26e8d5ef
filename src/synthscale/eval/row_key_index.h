// RowKeyIndex: find the rows of one table that equal a row of another on a set of columns.
//
// Used by the exact-match and correct-attribution-probability metrics. Keys are compared
// exactly: categorical columns by code, and numeric columns either by value (NaN = NaN,
// -0 = +0) or by code (the schema's bins), as the caller chooses. The index sorts the
// indexed rows by (64-bit key hash, key, order column code, row), so a lookup is a binary
// search on the hash followed by exact comparisons: collisions cost time, never
// correctness, and no memory is allocated per row.
//
// Thread safety: Find is const and may be called from many threads. The index keeps a
// pointer to the indexed table, which must outlive it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "synthscale/eval/eval_inputs.h"

namespace synthscale::eval {

struct RowKey {
  std::vector<std::size_t> columns;  // indexes into EvalInputs::columns
  std::vector<bool> by_value;        // per entry: compare numeric values, not codes
};

// The key over `columns`; numeric columns compared by value when numeric_by_value.
RowKey MakeRowKey(const EvalInputs& inputs, std::vector<std::size_t> columns, bool numeric_by_value);

class RowKeyIndex {
 public:
  // Index every row of `table`. Within a group of equal keys, rows are ordered by the
  // code of `order_column` (when given), then by row.
  RowKeyIndex(RowKey key, const EvalTable& table, std::optional<std::size_t> order_column = {});

  // Positions [first, second) in order() of the indexed rows whose key equals row `row`
  // of `query` (a table with the same columns).
  std::pair<std::size_t, std::size_t> Find(const EvalTable& query, std::size_t row) const;

  // Indexed rows in sorted order.
  const std::vector<std::uint32_t>& order() const { return order_; }

  std::uint64_t Hash(const EvalTable& table, std::size_t row) const;

 private:
  // <0, 0, >0 as the key of a[row_a] is before, equal to or after the key of b[row_b].
  int Compare(const EvalTable& a, std::size_t row_a, const EvalTable& b, std::size_t row_b) const;

  RowKey key_;
  const EvalTable* table_;
  std::vector<std::uint32_t> order_;
  std::vector<std::uint64_t> sorted_hashes_;  // hash of order_[i]
};

}  // namespace synthscale::eval
