#include "synthscale/table/reserve_rows.h"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "synthscale/core/context.h"

namespace synthscale {
namespace {

// Two columns: 3 categories (1-byte codes) and an integer of 300 bins (2-byte codes).
Schema TwoColumns() {
  ColumnSchema colour;
  colour.name = "colour";
  colour.type = ColumnType::kCategorical;
  colour.categories = {"red", "green", "blue"};
  ColumnSchema size;
  size.name = "size";
  size.type = ColumnType::kInteger;
  size.min = 0;
  size.max = 299;
  size.bins = 300;
  return Schema({colour, size});
}

Table Batch(std::size_t rows, std::size_t first) {
  Column colour;
  colour.name = "colour";
  colour.type = ColumnType::kCategorical;
  colour.dictionary = {"red", "green", "blue"};
  Column size;
  size.name = "size";
  size.type = ColumnType::kInteger;
  for (std::size_t row = 0; row < rows; ++row) {
    colour.AppendCode(static_cast<std::uint32_t>((first + row) % 3));
    size.AppendInt(static_cast<std::int64_t>((first + row) % 300));
  }
  Table table;
  table.AddColumn(std::move(colour));
  table.AddColumn(std::move(size));
  return table;
}

const void* Data(const EncodedColumn& column) {
  return std::visit([](const auto& codes) -> const void* { return codes.data(); }, column.codes());
}

std::size_t Capacity(const EncodedColumn& column) {
  return std::visit([](const auto& codes) { return codes.capacity(); }, column.codes());
}

TEST(ReserveRows, AppendingUpToTheBoundNeverReallocates) {
  Result<Encoder> encoder = Encoder::Create(TwoColumns());
  ASSERT_TRUE(encoder.ok()) << encoder.status().ToString();
  EncodedTable table = encoder->MakeEmpty();
  ReserveRows(table, 1000);
  ASSERT_EQ(table.num_columns(), 2u);
  EXPECT_EQ(table.column(1).code_width(), 2u);
  std::vector<const void*> data;
  for (const EncodedColumn& column : table.columns()) {
    EXPECT_GE(Capacity(column), 1000u);
    data.push_back(Data(column));
  }
  const Context ctx(2);
  // 3 batches of 333 rows: 999 rows, within the bound. Without the reservation the
  // vectors would be reallocated as they grow (and their data pointers would move).
  for (std::size_t batch_idx = 0; batch_idx < 3; ++batch_idx) {
    ASSERT_TRUE(encoder->Append(Batch(333, batch_idx * 333), ctx, table).ok());
  }
  ASSERT_EQ(table.num_rows(), 999u);
  for (std::size_t col_idx = 0; col_idx < table.num_columns(); ++col_idx) {
    EXPECT_EQ(Data(table.column(col_idx)), data[col_idx]) << table.column(col_idx).name();
    EXPECT_EQ(table.column(col_idx).size(), 999u);
  }
  // The codes are those of the rows (row r: colour r % 3, size r % 300).
  EXPECT_EQ(table.column(0).code(998), 998u % 3);
  EXPECT_EQ(table.column(1).code(998), 998u % 300);
}

TEST(ReserveRows, NeverShrinks) {
  Result<Encoder> encoder = Encoder::Create(TwoColumns());
  ASSERT_TRUE(encoder.ok()) << encoder.status().ToString();
  EncodedTable table = encoder->MakeEmpty();
  const Context ctx(1);
  ASSERT_TRUE(encoder->Append(Batch(50, 0), ctx, table).ok());
  ReserveRows(table, 10);
  EXPECT_EQ(table.num_rows(), 50u);
  for (const EncodedColumn& column : table.columns()) {
    EXPECT_EQ(column.size(), 50u);
    EXPECT_GE(Capacity(column), 50u);
  }
}

}  // namespace
}  // namespace synthscale
