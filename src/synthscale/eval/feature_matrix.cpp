#include "synthscale/eval/feature_matrix.h"

#include <algorithm>
#include <cmath>

namespace synthscale::eval {

FeatureEncoder FeatureEncoder::Fit(const std::vector<EvalColumn>& columns, const EvalTable& train,
                                   std::optional<std::size_t> exclude) {
  FeatureEncoder encoder;
  std::size_t offset = 0;
  for (std::size_t col_idx = 0; col_idx < columns.size(); ++col_idx) {
    if (exclude == col_idx) continue;
    const EvalColumn& column = columns[col_idx];
    Block block;
    block.column = col_idx;
    block.offset = offset;
    block.numeric = column.numeric;
    if (column.numeric) {
      block.width = 2;
      // Two passes (mean, then squared deviations) in row order: stable and deterministic.
      const std::vector<double>& values = train.numeric[col_idx];
      double sum = 0.0;
      std::size_t count = 0;
      for (double value : values) {
        if (std::isnan(value)) continue;
        sum += value;
        ++count;
      }
      if (count > 0) {
        block.mean = sum / static_cast<double>(count);
        double squares = 0.0;
        for (double value : values) {
          if (!std::isnan(value)) squares += (value - block.mean) * (value - block.mean);
        }
        const double sd = std::sqrt(squares / static_cast<double>(count));
        block.scale = sd > 0.0 && std::isfinite(sd) ? 1.0 / sd : 1.0;
      }
      encoder.names_.push_back(column.name);
      encoder.names_.push_back(column.name + "=missing");
    } else if (column.cardinality() <= kMaxOneHotCodes) {
      block.width = column.cardinality();
      for (std::uint32_t code = 0; code < block.width; ++code) {
        encoder.names_.push_back(column.name + "#" + std::to_string(code));
      }
    } else {
      FitWideCategorical(column, train.codes[col_idx], train.num_rows, block, encoder.names_);
    }
    offset += block.width;
    encoder.blocks_.push_back(block);
  }
  encoder.num_features_ = offset;
  return encoder;
}

void FeatureEncoder::FitWideCategorical(const EvalColumn& column, const std::vector<std::uint32_t>& codes,
                                        std::size_t rows, Block& block, std::vector<std::string>& names) {
  const std::uint32_t cardinality = column.cardinality();
  std::vector<std::uint64_t> counts(cardinality, 0);
  for (std::uint32_t code : codes) ++counts[std::min(code, cardinality - 1)];
  // The most frequent codes get their own slot; ties go to the lower code (deterministic).
  std::vector<std::uint32_t> order(cardinality);
  for (std::uint32_t code = 0; code < cardinality; ++code) order[code] = code;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return counts[a] > counts[b]; });
  const std::uint32_t other = kMaxOneHotCodes - 1;
  block.slot.assign(cardinality, other);
  block.frequency.resize(cardinality);
  for (std::uint32_t rank = 0; rank < other; ++rank) {
    block.slot[order[rank]] = rank;
    names.push_back(column.name + "#" + std::to_string(order[rank]));
  }
  names.push_back(column.name + "#other");
  names.push_back(column.name + "=frequency");
  for (std::uint32_t code = 0; code < cardinality; ++code) {
    block.frequency[code] = rows > 0 ? static_cast<float>(static_cast<double>(counts[code]) /
                                                          static_cast<double>(rows))
                                     : 0.0f;
  }
  block.width = kMaxOneHotCodes + 1;
}

std::vector<std::string> FeatureEncoder::FeatureNames() const { return names_; }

void FeatureEncoder::FillRow(const EvalTable& table, std::size_t row, float* out) const {
  std::fill(out, out + num_features_, 0.0f);
  for (const Block& block : blocks_) {
    if (block.numeric) {
      const double value = table.numeric[block.column][row];
      if (std::isnan(value)) {
        out[block.offset + 1] = 1.0f;
      } else {
        // Clamp so an extreme out-of-domain value stays a finite float (xgboost rejects
        // infinities); 1e30 standard deviations is beyond any split that matters.
        const double z = std::clamp((value - block.mean) * block.scale, -1e30, 1e30);
        out[block.offset] = static_cast<float>(z);
      }
    } else {
      // Codes beyond the cardinality cannot occur in prepared inputs; clamp defensively
      // to the out-of-domain code rather than write outside the row.
      if (!block.slot.empty()) {
        const auto last = static_cast<std::uint32_t>(block.slot.size() - 1);
        const std::uint32_t code = std::min(table.codes[block.column][row], last);
        out[block.offset + block.slot[code]] = 1.0f;
        out[block.offset + kMaxOneHotCodes] = block.frequency[code];
        continue;
      }
      const std::uint32_t code = std::min(table.codes[block.column][row], block.width - 1);
      out[block.offset + code] = 1.0f;
    }
  }
}

DenseMatrix FeatureEncoder::Transform(const EvalTable& table) const {
  DenseMatrix matrix;
  matrix.rows = table.num_rows;
  matrix.cols = num_features_;
  matrix.values.resize(matrix.rows * matrix.cols);
  for (std::size_t row = 0; row < table.num_rows; ++row) {
    FillRow(table, row, matrix.values.data() + row * matrix.cols);
  }
  return matrix;
}

DenseMatrix FeatureEncoder::TransformRows(const EvalTable& table,
                                          std::span<const std::uint32_t> rows) const {
  DenseMatrix matrix;
  matrix.rows = rows.size();
  matrix.cols = num_features_;
  matrix.values.resize(matrix.rows * matrix.cols);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    FillRow(table, rows[i], matrix.values.data() + i * matrix.cols);
  }
  return matrix;
}

EvalTable SelectRows(const EvalTable& table, std::span<const std::uint32_t> rows) {
  EvalTable out;
  out.num_rows = rows.size();
  out.codes.resize(table.codes.size());
  out.numeric.resize(table.numeric.size());
  for (std::size_t col_idx = 0; col_idx < table.codes.size(); ++col_idx) {
    out.codes[col_idx].reserve(rows.size());
    for (std::uint32_t row : rows) out.codes[col_idx].push_back(table.codes[col_idx][row]);
  }
  for (std::size_t col_idx = 0; col_idx < table.numeric.size(); ++col_idx) {
    if (table.numeric[col_idx].empty()) continue;
    out.numeric[col_idx].reserve(rows.size());
    for (std::uint32_t row : rows) out.numeric[col_idx].push_back(table.numeric[col_idx][row]);
  }
  return out;
}

EvalTable ConcatenateRows(const EvalTable& first, const EvalTable& second) {
  EvalTable out = first;
  out.num_rows = first.num_rows + second.num_rows;
  for (std::size_t col_idx = 0; col_idx < out.codes.size(); ++col_idx) {
    out.codes[col_idx].insert(out.codes[col_idx].end(), second.codes[col_idx].begin(),
                              second.codes[col_idx].end());
  }
  for (std::size_t col_idx = 0; col_idx < out.numeric.size(); ++col_idx) {
    out.numeric[col_idx].insert(out.numeric[col_idx].end(), second.numeric[col_idx].begin(),
                                second.numeric[col_idx].end());
  }
  return out;
}

}  // namespace synthscale::eval
