#include "synthscale/eval/row_key_index.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>

namespace synthscale::eval {

namespace {

// SplitMix64's finaliser: a cheap, well-mixed 64-bit hash step.
std::uint64_t Mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// Equal doubles (NaN = NaN, -0 = +0) map to equal bits.
std::uint64_t CanonicalBits(double value) {
  if (std::isnan(value)) return 0x7ff8000000000000ULL;
  if (value == 0.0) return 0;
  return std::bit_cast<std::uint64_t>(value);
}

int CompareDoubles(double a, double b) {
  const bool a_nan = std::isnan(a);
  const bool b_nan = std::isnan(b);
  if (a_nan || b_nan) return static_cast<int>(a_nan) - static_cast<int>(b_nan);
  return a < b ? -1 : (a > b ? 1 : 0);
}

}  // namespace

RowKey MakeRowKey(const EvalInputs& inputs, std::vector<std::size_t> columns, bool numeric_by_value) {
  RowKey key;
  for (std::size_t column : columns) key.by_value.push_back(numeric_by_value && inputs.columns[column].numeric);
  key.columns = std::move(columns);
  return key;
}

std::uint64_t RowKeyIndex::Hash(const EvalTable& table, std::size_t row) const {
  std::uint64_t hash = 0x9e3779b97f4a7c15ULL;
  for (std::size_t entry = 0; entry < key_.columns.size(); ++entry) {
    const std::size_t column = key_.columns[entry];
    const std::uint64_t word = key_.by_value[entry] ? CanonicalBits(table.numeric[column][row])
                                                    : table.codes[column][row];
    hash = Mix(hash ^ Mix(word + entry));
  }
  return hash;
}

int RowKeyIndex::Compare(const EvalTable& a, std::size_t row_a, const EvalTable& b,
                         std::size_t row_b) const {
  for (std::size_t entry = 0; entry < key_.columns.size(); ++entry) {
    const std::size_t column = key_.columns[entry];
    int order = 0;
    if (key_.by_value[entry]) {
      order = CompareDoubles(a.numeric[column][row_a], b.numeric[column][row_b]);
    } else {
      const std::uint32_t x = a.codes[column][row_a];
      const std::uint32_t y = b.codes[column][row_b];
      order = x < y ? -1 : (x > y ? 1 : 0);
    }
    if (order != 0) return order;
  }
  return 0;
}

RowKeyIndex::RowKeyIndex(RowKey key, const EvalTable& table, std::optional<std::size_t> order_column)
    : key_(std::move(key)), table_(&table) {
  const std::size_t n = table.num_rows;
  std::vector<std::uint64_t> hashes(n);
  for (std::size_t row = 0; row < n; ++row) hashes[row] = Hash(table, row);
  order_.resize(n);
  std::iota(order_.begin(), order_.end(), 0U);
  // A total order (ends with the row number), so the result does not depend on the sort.
  std::sort(order_.begin(), order_.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (hashes[a] != hashes[b]) return hashes[a] < hashes[b];
    const int order = Compare(table, a, table, b);
    if (order != 0) return order < 0;
    if (order_column) {
      const std::uint32_t x = table.codes[*order_column][a];
      const std::uint32_t y = table.codes[*order_column][b];
      if (x != y) return x < y;
    }
    return a < b;
  });
  sorted_hashes_.resize(n);
  for (std::size_t i = 0; i < n; ++i) sorted_hashes_[i] = hashes[order_[i]];
}

std::pair<std::size_t, std::size_t> RowKeyIndex::Find(const EvalTable& query, std::size_t row) const {
  const std::uint64_t hash = Hash(query, row);
  const auto [lo, hi] = std::equal_range(sorted_hashes_.begin(), sorted_hashes_.end(), hash);
  auto first = order_.begin() + (lo - sorted_hashes_.begin());
  auto last = order_.begin() + (hi - sorted_hashes_.begin());
  // Within one hash, rows are sorted by key: narrow to the rows whose key equals the query's.
  first = std::partition_point(first, last, [&](std::uint32_t indexed) {
    return Compare(*table_, indexed, query, row) < 0;
  });
  last = std::partition_point(first, last, [&](std::uint32_t indexed) {
    return Compare(*table_, indexed, query, row) == 0;
  });
  return {static_cast<std::size_t>(first - order_.begin()), static_cast<std::size_t>(last - order_.begin())};
}

}  // namespace synthscale::eval
