// Helpers for the fidelity metric tests: small Tables and Schemas built by hand, prepared
// through PrepareEvalInputs exactly as the report does, and metrics run by name.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "synthscale/core/context.h"
#include "synthscale/core/random_stream.h"
#include "synthscale/eval/eval_inputs.h"
#include "synthscale/eval/metric.h"
#include "synthscale/table/schema.h"
#include "synthscale/table/table.h"

namespace synthscale::eval::fidelity_testing {

inline ColumnSchema CategoricalSchema(const std::string& name, std::vector<std::string> categories) {
  ColumnSchema column;
  column.name = name;
  column.type = ColumnType::kCategorical;
  column.categories = std::move(categories);
  return column;
}

inline ColumnSchema NumericSchema(const std::string& name, ColumnType type, double min, double max,
                                  std::uint32_t bins) {
  ColumnSchema column;
  column.name = name;
  column.type = type;
  column.min = min;
  column.max = max;
  column.bins = bins;
  return column;
}

inline ColumnSchema BooleanSchema(const std::string& name) {
  ColumnSchema column;
  column.name = name;
  column.type = ColumnType::kBoolean;
  return column;
}

// A categorical column; an empty label is a missing value.
inline Column CategoricalColumn(const std::string& name, const std::vector<std::string>& labels) {
  Column column;
  column.name = name;
  column.type = ColumnType::kCategorical;
  for (const std::string& label : labels) {
    if (label.empty()) column.AppendNull(); else column.AppendCategory(label);
  }
  return column;
}

// An integer, datetime or boolean column; nullopt is a missing value.
inline Column IntColumn(const std::string& name, ColumnType type,
                        const std::vector<std::optional<std::int64_t>>& values) {
  Column column;
  column.name = name;
  column.type = type;
  for (const auto& value : values) {
    if (value) column.AppendInt(*value); else column.AppendNull();
  }
  return column;
}

// A continuous column; NaN is a missing value.
inline Column ContinuousColumn(const std::string& name, const std::vector<double>& values) {
  Column column;
  column.name = name;
  column.type = ColumnType::kContinuous;
  for (double value : values) {
    if (std::isnan(value)) column.AppendNull(); else column.AppendDouble(value);
  }
  return column;
}

inline Table MakeTable(std::vector<Column> columns) {
  Table table;
  for (Column& column : columns) table.AddColumn(std::move(column));
  return table;
}

// Rows of `table` with each column permuted independently (seeded Fisher-Yates per
// column): every 1-way distribution is kept exactly, every association is broken.
inline Table ShuffleColumns(const Table& table, std::uint64_t seed) {
  Table out;
  for (std::size_t col_idx = 0; col_idx < table.num_columns(); ++col_idx) {
    const Column& column = table.column(col_idx);
    std::vector<std::size_t> order(table.num_rows());
    for (std::size_t row = 0; row < order.size(); ++row) order[row] = row;
    RandomStream stream(seed, "test/shuffle", col_idx);
    for (std::size_t row = order.size(); row > 1; --row) {
      std::swap(order[row - 1], order[stream.UniformBelow(row)]);
    }
    Column shuffled;
    shuffled.name = column.name;
    shuffled.type = column.type;
    shuffled.dictionary = column.dictionary;
    for (std::size_t row : order) shuffled.AppendRange(column, row, row + 1);
    out.AddColumn(std::move(shuffled));
  }
  return out;
}

inline EvalOptions TestOptions(std::size_t replicates = 50, std::uint64_t seed = 7) {
  EvalOptions options;
  options.seed = seed;
  options.bootstrap_replicates = replicates;
  return options;
}

inline EvalInputs Prepare(const Schema& schema, const Table& real, const Table& synthetic,
                          EvalOptions options = TestOptions()) {
  Context ctx(1);
  Result<EvalInputs> inputs = PrepareEvalInputs(schema, real, nullptr, synthetic, std::move(options), ctx);
  EXPECT_TRUE(inputs.ok()) << inputs.status().message();
  return std::move(inputs).value();
}

inline MetricResult RunMetric(const std::string& name, const EvalInputs& inputs, std::size_t threads = 2) {
  std::unique_ptr<Metric> metric = MakeMetric(name);
  EXPECT_NE(metric, nullptr) << name;
  if (metric == nullptr) return {};
  Context ctx(threads);
  Result<MetricResult> result = metric->Compute(inputs, ctx);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? std::move(result).value() : MetricResult{};
}

inline Estimate SummaryEntry(const MetricResult& result, const std::string& key) {
  for (const auto& [name, estimate] : result.summary) {
    if (name == key) return estimate;
  }
  ADD_FAILURE() << "no summary entry " << key;
  return {};
}

// Everything a metric returns, as one JSON value, to compare runs bit for bit.
inline std::string Serialize(const MetricResult& result) {
  nlohmann::json summary = nlohmann::json::array();
  for (const auto& [name, estimate] : result.summary) summary.push_back({name, EstimateToJson(estimate)});
  return nlohmann::json{{"details", result.details}, {"summary", summary}, {"sampling", result.sampling}}.dump();
}

}  // namespace synthscale::eval::fidelity_testing
