// Size an EncodedTable's code columns once for the rows to come.
//
// Appending batch by batch grows each column's vector by doubling, so the largest column
// storage would hold up to twice the codes, and every growth step copies the column and
// frees the old buffer, which the allocator may keep resident: peak memory grows with the
// rows by more than the codes. With capacity reserved for an upper bound of the rows, the
// columns are allocated once; pages of the bound that no row reaches are never touched,
// so a loose bound costs address space, not resident memory.
#pragma once

#include <cstddef>

#include "synthscale/table/encoding.h"

namespace synthscale {

// Reserve room for `rows` codes (in all) in every column of `table`; never shrinks.
void ReserveRows(EncodedTable& table, std::size_t rows);

}  // namespace synthscale
