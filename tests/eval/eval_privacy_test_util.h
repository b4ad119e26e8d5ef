// Helpers shared by the privacy-metric tests: hand-built EvalInputs and Adult splits.
#pragma once

#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "synthscale/core/context.h"
#include "synthscale/core/random_stream.h"
#include "synthscale/eval/eval_inputs.h"
#include "synthscale/io/csv_reader.h"
#include "synthscale/table/schema.h"

namespace synthscale::testing_privacy {

struct TinyColumn {
  std::string name;
  bool numeric = false;
  std::uint32_t domain_size = 0;  // categorical: number of categories
};

// One row per inner vector, one value per column: numeric columns take the value (NaN =
// missing), categorical columns the code. Numeric columns get code = value (or the
// missing code), enough for the metrics that read codes.
inline eval::EvalTable MakeTable(const std::vector<TinyColumn>& columns,
                                 const std::vector<std::vector<double>>& rows) {
  eval::EvalTable table;
  table.num_rows = rows.size();
  table.codes.resize(columns.size());
  table.numeric.resize(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    for (const auto& row : rows) {
      const double value = row.at(c);
      if (columns[c].numeric) {
        table.numeric[c].push_back(value);
        table.codes[c].push_back(std::isnan(value) ? columns[c].domain_size
                                                   : static_cast<std::uint32_t>(value));
      } else {
        table.codes[c].push_back(static_cast<std::uint32_t>(value));
      }
    }
  }
  return table;
}

inline eval::EvalInputs MakeInputs(const std::vector<TinyColumn>& columns,
                                   const std::vector<std::vector<double>>& real,
                                   const std::vector<std::vector<double>>& holdout,
                                   const std::vector<std::vector<double>>& synthetic) {
  eval::EvalInputs inputs;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    eval::EvalColumn column;
    column.name = columns[c].name;
    column.type = columns[c].numeric ? ColumnType::kContinuous : ColumnType::kCategorical;
    column.schema_index = c;
    column.domain_size = columns[c].domain_size;
    column.numeric = columns[c].numeric;
    inputs.columns.push_back(column);
    inputs.quasi_identifiers.push_back(c);
  }
  inputs.real = MakeTable(columns, real);
  inputs.holdout = MakeTable(columns, holdout);
  inputs.has_holdout = !holdout.empty();
  inputs.synthetic = MakeTable(columns, synthetic);
  inputs.options.bootstrap_replicates = 50;
  return inputs;
}

// The rows `rows` of `table`, in that order.
inline eval::EvalTable SubsetRows(const eval::EvalTable& table, const std::vector<std::uint32_t>& rows) {
  eval::EvalTable out;
  out.num_rows = rows.size();
  out.codes.resize(table.codes.size());
  out.numeric.resize(table.numeric.size());
  for (std::size_t c = 0; c < table.codes.size(); ++c) {
    for (std::uint32_t row : rows) out.codes[c].push_back(table.codes[c][row]);
    if (!table.numeric[c].empty()) {
      for (std::uint32_t row : rows) out.numeric[c].push_back(table.numeric[c][row]);
    }
  }
  return out;
}

// A seeded permutation of [0, n) (Fisher–Yates on RandomStream).
inline std::vector<std::uint32_t> Permutation(std::size_t n, std::uint64_t seed, const char* purpose) {
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0U);
  RandomStream stream(seed, purpose, 0);
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[stream.UniformBelow(i)]);
  return order;
}

// Adult (data/adult) prepared as EvalInputs: real = all rows, then split by the caller.
inline eval::EvalInputs ReadAdult(const Context& ctx) {
  const std::string root = SYNTHSCALE_SOURCE_DIR;
  auto schema = Schema::ReadFile(root + "/data/adult/adult.schema.json");
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  auto table = ReadCsv(root + "/data/adult/adult.csv", *schema, CsvOptions{}, ctx);
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  auto inputs = eval::PrepareEvalInputs(*schema, *table, &*table, *table, eval::EvalOptions{}, ctx);
  EXPECT_TRUE(inputs.ok()) << inputs.status().ToString();
  return std::move(*inputs);
}

// Adult split in thirds of a seeded permutation: train, holdout, and a third set of real
// rows. Synthetic is a copy of train, the third set itself (fresh rows from the same
// distribution), or the third set with every column shuffled independently.
enum class SyntheticKind { kCopyOfTrain, kOtherRealRows, kColumnShuffles };

inline eval::EvalInputs AdultSplit(const Context& ctx, SyntheticKind kind) {
  eval::EvalInputs inputs = ReadAdult(ctx);
  const eval::EvalTable all = inputs.real;
  const std::size_t n = all.num_rows;
  const std::vector<std::uint32_t> order = Permutation(n, 7, "adult split");
  // Thirds: train, holdout, and a third set of real rows for "fresh" synthetic data.
  const std::size_t third = n / 3;
  std::vector<std::uint32_t> train(order.begin(), order.begin() + static_cast<long>(third));
  std::vector<std::uint32_t> holdout(order.begin() + static_cast<long>(third),
                                     order.begin() + static_cast<long>(2 * third));
  std::vector<std::uint32_t> fresh(order.begin() + static_cast<long>(2 * third),
                                   order.begin() + static_cast<long>(3 * third));
  inputs.real = SubsetRows(all, train);
  inputs.holdout = SubsetRows(all, holdout);
  inputs.has_holdout = true;
  switch (kind) {
    case SyntheticKind::kCopyOfTrain: inputs.synthetic = inputs.real; break;
    case SyntheticKind::kOtherRealRows: inputs.synthetic = SubsetRows(all, fresh); break;
    case SyntheticKind::kColumnShuffles: {
      eval::EvalTable shuffled = SubsetRows(all, fresh);
      for (std::size_t c = 0; c < shuffled.codes.size(); ++c) {
        const auto perm = Permutation(fresh.size(), 100 + c, "column shuffle");
        eval::EvalTable column_source = SubsetRows(SubsetRows(all, fresh), perm);
        shuffled.codes[c] = column_source.codes[c];
        shuffled.numeric[c] = column_source.numeric[c];
      }
      inputs.synthetic = std::move(shuffled);
      break;
    }
  }
  return inputs;
}

}  // namespace synthscale::testing_privacy
