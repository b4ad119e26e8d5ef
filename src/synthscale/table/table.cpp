#include "synthscale/table/table.h"

#include <algorithm>
#include <unordered_map>

namespace synthscale {

std::size_t Column::null_count() const {
  return static_cast<std::size_t>(std::count(valid.begin(), valid.end(), std::uint8_t{0}));
}

void Column::AppendNull() {
  valid.push_back(0);
  switch (type) {
    case ColumnType::kCategorical: codes.push_back(0); break;
    case ColumnType::kInteger:
    case ColumnType::kDatetime:
    case ColumnType::kBoolean: ints.push_back(0); break;
    case ColumnType::kContinuous: doubles.push_back(0.0); break;
    case ColumnType::kId:
    case ColumnType::kText: strings.push_back({}); break;
  }
}

void Column::AppendCode(std::uint32_t code) {
  valid.push_back(1);
  codes.push_back(code);
}

void Column::AppendInt(std::int64_t value) {
  valid.push_back(1);
  ints.push_back(value);
}

void Column::AppendDouble(double value) {
  valid.push_back(1);
  doubles.push_back(value);
}

void Column::AppendString(std::string_view value) {
  valid.push_back(1);
  strings.push_back(value);
}

void Column::AppendCategory(std::string_view label) {
  auto found = std::find(dictionary.begin(), dictionary.end(), label);
  if (found == dictionary.end()) {
    dictionary.emplace_back(label);
    found = dictionary.end() - 1;
  }
  AppendCode(static_cast<std::uint32_t>(found - dictionary.begin()));
}

void Column::AppendRange(const Column& other, std::size_t begin, std::size_t end) {
  valid.insert(valid.end(), other.valid.begin() + static_cast<std::ptrdiff_t>(begin),
               other.valid.begin() + static_cast<std::ptrdiff_t>(end));
  const auto first = static_cast<std::ptrdiff_t>(begin);
  const auto last = static_cast<std::ptrdiff_t>(end);
  switch (type) {
    case ColumnType::kCategorical: {
      // Remap other's codes into our dictionary, adding labels in other's code order
      // so the result does not depend on how the rows were split.
      // `index` holds views into `dictionary`'s strings: reserve first so that adding
      // labels never reallocates (moving short strings would leave the views dangling).
      dictionary.reserve(dictionary.size() + other.dictionary.size());
      std::unordered_map<std::string_view, std::uint32_t> index;
      for (std::size_t code = 0; code < dictionary.size(); ++code) {
        index.emplace(dictionary[code], static_cast<std::uint32_t>(code));
      }
      std::vector<std::uint32_t> remap(other.dictionary.size());
      for (std::size_t code = 0; code < other.dictionary.size(); ++code) {
        auto found = index.find(other.dictionary[code]);
        if (found == index.end()) {
          remap[code] = static_cast<std::uint32_t>(dictionary.size());
          dictionary.push_back(other.dictionary[code]);
          index.emplace(dictionary.back(), remap[code]);
        } else {
          remap[code] = found->second;
        }
      }
      for (std::size_t row = begin; row < end; ++row) {
        codes.push_back(other.valid[row] ? remap[other.codes[row]] : 0);
      }
      break;
    }
    case ColumnType::kInteger:
    case ColumnType::kDatetime:
    case ColumnType::kBoolean:
      ints.insert(ints.end(), other.ints.begin() + first, other.ints.begin() + last);
      break;
    case ColumnType::kContinuous:
      doubles.insert(doubles.end(), other.doubles.begin() + first, other.doubles.begin() + last);
      break;
    case ColumnType::kId:
    case ColumnType::kText:
      for (std::size_t row = begin; row < end; ++row) strings.push_back(other.strings.at(row));
      break;
  }
}

std::ptrdiff_t Table::FindColumn(std::string_view name) const {
  for (std::size_t col_idx = 0; col_idx < columns_.size(); ++col_idx) {
    if (columns_[col_idx].name == name) return static_cast<std::ptrdiff_t>(col_idx);
  }
  return -1;
}

void Table::AddColumn(Column column) {
  if (columns_.empty()) num_rows_ = column.size();
  columns_.push_back(std::move(column));
}

void Table::AppendRows(const Table& other) {
  for (std::size_t col_idx = 0; col_idx < columns_.size(); ++col_idx) {
    columns_[col_idx].AppendRange(other.columns_[col_idx], 0, other.num_rows());
  }
  num_rows_ += other.num_rows();
}

}  // namespace synthscale
