// Counting marginals of an encoded table: the one place the fit reads the rows.
//
// Column i of the EncodedTable is attribute i of the Domain, and its codes must be
// < domain.size(i) (whether the encoder's missing and out-of-domain codes count as values
// is the caller's choice, made when it builds the Domain). A marginal over a clique counts
// the rows holding each combination of the clique's values.
//
// Two outputs:
// - dense (CountMarginal, CountMarginals): one int64 per cell in domain.h's layout. Use it
//   when the cells fit in memory (at most MarginalOptions::max_dense_cells per clique),
//   which is every clique a graphical model can hold.
// - sparse (CountMarginalSparse): the nonzero cells, sorted, with their counts. Use it when
//   the dense table would be too large, e.g. a clique of many high-cardinality attributes
//   over a table with far fewer rows than cells; its size is at most min(rows, cells).
//
// How the rows are counted. Rows are cut into blocks of kRowsPerBlock (boundaries fixed by
// the row count, never by the thread count). For a block, the cell index of each row is
// built column by column into a small reused buffer (kChunkRows rows at a time, one
// std::visit on the code width per column and chunk, uint16 indices when the clique has at
// most 2^16 cells), then counted:
// - a clique of at most kMaxDensePartialCells cells counts into a dense per-block partial
//   (uint32, as a block has fewer than 2^32 rows); many such cliques are counted together
//   in batches so each block of codes is read from memory once per batch;
// - a larger clique sorts its block's cell indices and keeps (cell, count) runs, so the
//   partial of a block never exceeds the block's row count, however many cells there are.
// Partials are summed in block order, and the sums then go through the Communicator. The
// counts are integers, so the result is the same for any thread count and any number of
// ranks. Partial memory is bounded whatever the row count (kMaxPartialBytes per round of
// tasks, or one task per thread if more, plus the output; CountingPartialBytes).
//
// Codes are checked as they are read (the largest code per column and chunk), so a code
// outside the domain is reported as kInvalidData and never written out of bounds, even
// when ValidateCodes was not called.
//
// Distributed use: every rank passes its own shard of rows and the same domain and
// cliques; the result is the count over all shards, on every rank. Argument errors are the
// same on every rank and are returned before any collective; a data error on one rank is
// passed to the others through the reduction (an extra flag), so all ranks return an
// error together and none is left waiting.
//
// Thread safety: the functions only read the table; use ctx's pool from one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "synthscale/core/context.h"
#include "synthscale/core/status.h"
#include "synthscale/dist/communicator.h"
#include "synthscale/marginal/domain.h"
#include "synthscale/table/encoding.h"

namespace synthscale {

// Rows per block: the fixed grain of every parallel pass over the rows.
inline constexpr std::size_t kRowsPerBlock = std::size_t{1} << 16;
// Rows whose cell indices are built together in a reused buffer (fits in L1 with the codes).
inline constexpr std::size_t kChunkRows = 1024;
// Largest clique (in cells) counted through dense per-block partials; larger cliques use
// sorted runs. 2^18 cells of uint32 = 1 MiB per block, 4 x kRowsPerBlock: beyond that, a
// block's dense partial would be mostly zeros and larger than its sorted runs.
inline constexpr std::uint64_t kMaxDensePartialCells = std::uint64_t{1} << 18;
// Partial counts held at once by one round of tasks (the rounds run one after another),
// unless one task per thread needs more. A bound in bytes, not rows, so that counting
// memory does not grow with the row count: 16 MiB is 64 dense block partials of a full
// batch (2^16 cells), enough to keep the reductions long and the rounds few.
inline constexpr std::size_t kMaxPartialBytes = std::size_t{16} << 20;

struct MarginalOptions {
  // Largest dense marginal, in cells, CountMarginal(s) will build: 2^27 cells of int64 is
  // 1 GiB. Larger cliques are an error that points to CountMarginalSparse.
  std::uint64_t max_dense_cells = std::uint64_t{1} << 27;
};

// The nonzero cells of one marginal: cells ascending (dense-layout indices, as in domain.h),
// counts[i] > 0 the number of rows in cells[i].
struct SparseMarginal {
  std::uint64_t num_cells = 0;  // cells of the dense table (Domain::CellCount)
  std::vector<std::uint64_t> cells;
  std::vector<std::int64_t> counts;
};

// Check that every code of column i is < domain.size(i), in one parallel pass.
// Errors: kInvalidArgument when the table's columns do not match the domain's attributes
// (count, or a column whose length differs from the row count); kInvalidData naming the
// column, the code and its row for the first row (1-based, in the location too) holding
// an out-of-domain code (the lowest such column when a row has several).
[[nodiscard]] Status ValidateCodes(const EncodedTable& table, const Domain& domain, const Context& ctx);

// Count the rows in each cell of `clique`: dense, domain.h's layout, summed over all ranks.
// Errors: kInvalidArgument for an invalid clique (unsorted, repeated or unknown attribute),
// an attribute of size 0, a table that does not match the domain, or more than
// options.max_dense_cells cells; kInvalidData for a code outside its attribute's domain
// (on any rank).
[[nodiscard]] Result<std::vector<std::int64_t>> CountMarginal(const EncodedTable& table, const Domain& domain,
                                                              const Clique& clique, const Communicator& comm,
                                                              const Context& ctx,
                                                              const MarginalOptions& options = {});

// CountMarginal for every clique, in the given order, sharing each pass over the rows: the
// cliques are batched so that a block of codes is read once per batch, and one reduction
// through `comm` carries them all. Errors as CountMarginal, for the first bad clique.
[[nodiscard]] Result<std::vector<std::vector<std::int64_t>>> CountMarginals(
    const EncodedTable& table, const Domain& domain, std::span<const Clique> cliques, const Communicator& comm,
    const Context& ctx, const MarginalOptions& options = {});

// The bytes of per-block partial counts CountMarginals holds at once for these cliques
// (dense path; the output not included), over `num_rows` rows with `threads` threads: at
// most max(kMaxPartialBytes, threads x the largest batch partial), whatever num_rows.
// Cliques that CountMarginals would reject count nothing here.
std::size_t CountingPartialBytes(const Domain& domain, std::span<const Clique> cliques, std::size_t num_rows,
                                 std::size_t threads);

// Count the rows in each nonempty cell of `clique`, for cliques too large to count densely
// (any clique with at most 2^63 cells). With more than one rank, every rank's nonzero cells
// are broadcast to all (Communicator::Broadcast from each rank in turn) and merged.
// Errors as CountMarginal, except that the only size limit is 2^63 cells.
[[nodiscard]] Result<SparseMarginal> CountMarginalSparse(const EncodedTable& table, const Domain& domain,
                                                         const Clique& clique, const Communicator& comm,
                                                         const Context& ctx);

}  // namespace synthscale
