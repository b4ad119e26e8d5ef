#include "synthscale/table/reserve_rows.h"

#include <variant>

namespace synthscale {

void ReserveRows(EncodedTable& table, std::size_t rows) {
  for (EncodedColumn& column : table.mutable_columns()) {
    std::visit([rows](auto& codes) { codes.reserve(rows); }, column.mutable_codes());
  }
}

}  // namespace synthscale
