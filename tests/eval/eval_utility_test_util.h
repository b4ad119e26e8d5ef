// Helpers shared by the utility and detection tests: Adult split into train and holdout,
// synthetic tables that are copies or per-column shuffles of the training rows.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "synthscale/core/context.h"
#include "synthscale/core/random_stream.h"
#include "synthscale/eval/eval_inputs.h"
#include "synthscale/eval/feature_matrix.h"
#include "synthscale/io/csv_reader.h"
#include "synthscale/table/schema.h"

namespace synthscale::testing_eval {

// A seeded permutation of 0..n-1 (Fisher-Yates over RandomStream).
inline std::vector<std::uint32_t> Permutation(std::size_t n, std::uint64_t seed,
                                              std::string_view purpose) {
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  RandomStream stream(seed, purpose, 0);
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[stream.UniformBelow(i)]);
  return order;
}

// Each column permuted independently: marginals kept, every dependence destroyed.
inline eval::EvalTable ShuffleColumns(const eval::EvalTable& table, std::uint64_t seed) {
  eval::EvalTable out = table;
  for (std::size_t col = 0; col < table.codes.size(); ++col) {
    const auto order = Permutation(table.num_rows, seed + col, "test/shuffle");
    for (std::size_t row = 0; row < table.num_rows; ++row) {
      out.codes[col][row] = table.codes[col][order[row]];
      if (!table.numeric[col].empty()) out.numeric[col][row] = table.numeric[col][order[row]];
    }
  }
  return out;
}

// Adult (data/adult) prepared once: real = a seeded `train_rows` rows, holdout = the
// next `holdout_rows` rows of the same permutation, synthetic = a copy of real.
// 0 means half of the file each.
inline eval::EvalInputs AdultInputs(eval::EvalOptions options, std::size_t train_rows = 0,
                                    std::size_t holdout_rows = 0) {
  static const eval::EvalInputs* const full = [] {
    const std::string dir = std::string(SYNTHSCALE_SOURCE_DIR) + "/data/adult/";
    auto schema = Schema::ReadFile(dir + "adult.schema.json");
    EXPECT_TRUE(schema.ok()) << schema.status().ToString();
    Context ctx(1);
    auto table = ReadCsv(dir + "adult.csv", *schema, CsvOptions{}, ctx);
    EXPECT_TRUE(table.ok()) << table.status().ToString();
    auto inputs = eval::PrepareEvalInputs(*schema, *table, &*table, *table, eval::EvalOptions{}, ctx);
    EXPECT_TRUE(inputs.ok()) << inputs.status().ToString();
    return new eval::EvalInputs(std::move(*inputs));
  }();
  eval::EvalInputs inputs = *full;
  const std::size_t n = full->real.num_rows;
  if (train_rows == 0) train_rows = n / 2;
  if (holdout_rows == 0) holdout_rows = n - train_rows;
  const auto order = Permutation(n, 2024, "test/adult_split");
  const std::vector<std::uint32_t> train(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(train_rows));
  const std::vector<std::uint32_t> holdout(
      order.begin() + static_cast<std::ptrdiff_t>(train_rows),
      order.begin() + static_cast<std::ptrdiff_t>(train_rows + holdout_rows));
  inputs.real = eval::SelectRows(full->real, train);
  inputs.holdout = eval::SelectRows(full->real, holdout);
  inputs.synthetic = inputs.real;
  inputs.has_holdout = true;
  inputs.target.reset();
  if (options.target) inputs.target = inputs.FindColumn(*options.target);
  inputs.sensitive.clear();
  for (const std::string& name : options.sensitive) inputs.sensitive.push_back(*inputs.FindColumn(name));
  inputs.options = std::move(options);
  return inputs;
}

}  // namespace synthscale::testing_eval
