// Read a schema's domains from a typed Table (e.g. a pandas DataFrame handed over by the
// Python package). Each column keeps its Table type; its domain is read from its values,
// so every domain is marked domain_from_data: it is NOT differentially private.
#pragma once

#include <cstdint>

#include "synthscale/table/schema.h"
#include "synthscale/table/table.h"

namespace synthscale {

struct DomainOptions {
  std::uint32_t continuous_bins = 32;  // equal-width bins of [min, max]
  std::uint32_t integer_bins = 64;     // an integer range wider than this is binned
};

// Categories are the labels that occur, sorted bytewise; numeric bounds are the observed
// minimum and maximum; nullable is whether any value is missing. A column with no
// non-missing value gets an empty domain (categorical with no categories is invalid, so
// such a column becomes text: nothing to learn from it).
Schema SchemaFromTable(const Table& table, const DomainOptions& options = {});

// Bins for an integer (or datetime) range [min, max]: one per value when that fits in
// `max_bins`, else max_bins. Shared with CSV schema inference.
std::uint32_t IntegerBins(std::int64_t min, std::int64_t max, std::uint32_t max_bins);

}  // namespace synthscale
