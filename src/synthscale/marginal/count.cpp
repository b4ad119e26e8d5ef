#include "synthscale/marginal/count.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace synthscale {
namespace {

// A small clique's dense scratch is kept in 4 copies, rows going to copy (row % 4), so
// runs of rows in the same cell (skewed data) do not wait on each other's increments.
constexpr std::uint64_t kMaxCellsForCopies = 4096;
constexpr std::uint32_t kCopies = 4;
// Cliques of at most 2^16 cells build their cell indices in uint16.
constexpr std::uint64_t kMaxCells16 = std::uint64_t{1} << 16;
// Scratch cells (cells x copies, uint32) of one batch of dense cliques: 256 KiB, so the
// histograms of a batch stay in L2 while a chunk of codes is counted into all of them.
constexpr std::uint64_t kBatchScratchCells = std::uint64_t{1} << 16;
// Cells per task when summing partials.
constexpr std::size_t kReduceGrain = std::size_t{1} << 16;

std::string CliqueNumbers(const Clique& clique) {
  std::string text = "{";
  for (std::size_t pos = 0; pos < clique.size(); ++pos) {
    if (pos > 0) text += ", ";
    text += std::to_string(clique[pos]);
  }
  return text + "}";
}

Status CheckTable(const EncodedTable& table, const Domain& domain) {
  if (table.num_columns() != domain.num_attributes()) {
    return InvalidArgument("the encoded table has " + std::to_string(table.num_columns()) +
                           " columns but the domain has " + std::to_string(domain.num_attributes()) +
                           " attributes; column i must be attribute i");
  }
  for (std::size_t col_idx = 0; col_idx < table.num_columns(); ++col_idx) {
    const std::size_t length = table.column(col_idx).size();
    if (length != table.num_rows()) {
      return InvalidArgument("column '" + table.column(col_idx).name() + "' has " + std::to_string(length) +
                             " codes but the encoded table has " + std::to_string(table.num_rows()) + " rows");
    }
  }
  return Status::Ok();
}

// The clique's cell count, after checking the clique against the domain.
Result<std::uint64_t> CheckClique(const Domain& domain, const Clique& clique) {
  if (!IsValidClique(clique, domain.num_attributes())) {
    return InvalidArgument("clique " + CliqueNumbers(clique) +
                           " must list distinct attribute indices in ascending order, each < " +
                           std::to_string(domain.num_attributes()) + " (the number of attributes)");
  }
  for (std::uint32_t attribute : clique) {
    if (domain.size(attribute) == 0) {
      return InvalidArgument("attribute '" + domain.name(attribute) + "' has a domain of size 0; every attribute " +
                             "needs at least one value");
    }
  }
  const std::optional<std::uint64_t> cells = domain.CellCount(clique);
  if (!cells) {
    return InvalidArgument("marginal over " + domain.Describe(clique) +
                           " would have more than 2^63 cells; use smaller cliques or coarser attributes");
  }
  return *cells;
}

Status CheckDenseSize(const Domain& domain, const Clique& clique, std::uint64_t cells,
                      const MarginalOptions& options) {
  if (cells <= options.max_dense_cells) return Status::Ok();
  return InvalidArgument("marginal over " + domain.Describe(clique) + " would have " + std::to_string(cells) +
                         " cells, more than the limit " + std::to_string(options.max_dense_cells) +
                         "; use CountMarginalSparse, a smaller clique, or coarser attributes (fewer "
                         "categories or bins)");
}

Status CodeError(const EncodedTable& table, const Domain& domain, std::uint32_t attribute, std::uint32_t code,
                 std::size_t row) {
  SourceLocation location;
  location.row = static_cast<std::int64_t>(row) + 1;
  location.field = table.column(attribute).name();
  const std::uint32_t size = domain.size(attribute);
  return InvalidData("column '" + table.column(attribute).name() + "' holds code " + std::to_string(code) +
                         " at row " + std::to_string(row + 1) + ", outside the domain of attribute '" +
                         domain.name(attribute) + "' (" + std::to_string(size) + " values, codes 0.." +
                         std::to_string(size == 0 ? 0 : size - 1) + ")",
                     location);
}

// The first row in [begin, end) of `attribute` whose code is >= its size, with its code.
std::pair<std::size_t, std::uint32_t> FirstBadCode(const EncodedTable& table, const Domain& domain,
                                                   std::uint32_t attribute, std::size_t begin, std::size_t end) {
  const std::uint32_t limit = domain.size(attribute);
  return std::visit(
      [&](const auto& codes) -> std::pair<std::size_t, std::uint32_t> {
        for (std::size_t row = begin; row < end; ++row) {
          if (codes[row] >= limit) return {row, static_cast<std::uint32_t>(codes[row])};
        }
        return {end, 0};
      },
      table.column(attribute).codes());
}

// Strides of the dense layout (domain.h): the last attribute fastest.
std::vector<std::uint64_t> Strides(const Domain& domain, const Clique& clique) {
  std::vector<std::uint64_t> strides(clique.size(), 1);
  for (std::size_t pos = clique.size(); pos-- > 1;) strides[pos - 1] = strides[pos] * domain.size(clique[pos]);
  return strides;
}

// Set idx[0, n) to the cell indices of rows [begin, begin + n), column by column, with one
// std::visit per column. Index is the narrowest type holding every cell index (uint16 lets
// SSE2 multiply 8 lanes at once); products are taken in at least 32 bits and truncated,
// which is exact for codes in the domain. Returns the position in `clique` of the first
// column holding a code outside its domain (then idx is garbage), or nullopt.
template <typename Index>
std::optional<std::size_t> BuildIndices(const EncodedTable& table, const Domain& domain, const Clique& clique,
                                        const std::vector<std::uint64_t>& strides, std::size_t begin,
                                        std::size_t n, Index* idx) {
  using Wide = std::conditional_t<(sizeof(Index) < 4), std::uint32_t, Index>;
  if (clique.empty()) {
    std::fill(idx, idx + n, Index{0});
    return std::nullopt;
  }
  for (std::size_t pos = 0; pos < clique.size(); ++pos) {
    const std::uint32_t attribute = clique[pos];
    const auto stride = static_cast<Wide>(strides[pos]);
    const std::uint32_t max_code = std::visit(
        [&](const auto& codes) -> std::uint32_t {
          using Code = typename std::decay_t<decltype(codes)>::value_type;
          const Code* chunk = codes.data() + begin;
          Code max_seen = 0;
          if (pos == 0) {
            for (std::size_t row = 0; row < n; ++row) {
              idx[row] = static_cast<Index>(static_cast<Wide>(chunk[row]) * stride);
              max_seen = chunk[row] > max_seen ? chunk[row] : max_seen;
            }
          } else if (stride == 1) {
            for (std::size_t row = 0; row < n; ++row) {
              idx[row] = static_cast<Index>(idx[row] + static_cast<Wide>(chunk[row]));
              max_seen = chunk[row] > max_seen ? chunk[row] : max_seen;
            }
          } else {
            for (std::size_t row = 0; row < n; ++row) {
              idx[row] = static_cast<Index>(idx[row] + static_cast<Wide>(chunk[row]) * stride);
              max_seen = chunk[row] > max_seen ? chunk[row] : max_seen;
            }
          }
          return max_seen;
        },
        table.column(attribute).codes());
    if (max_code >= domain.size(attribute)) return pos;
  }
  return std::nullopt;
}

// The error for a chunk where BuildIndices found a bad code in clique[pos].
Status ChunkCodeError(const EncodedTable& table, const Domain& domain, const Clique& clique, std::size_t pos,
                      std::size_t begin, std::size_t end) {
  const auto [row, code] = FirstBadCode(table, domain, clique[pos], begin, end);
  return CodeError(table, domain, clique[pos], code, row);
}

// ---- Dense cliques, counted in batches ---------------------------------------------------

struct DenseClique {
  std::size_t clique_idx;   // in the caller's list
  std::uint64_t cells;
  std::uint32_t copies;     // 1 or kCopies
  std::size_t partial_offset;  // within the batch's partial
  std::size_t scratch_offset;  // within the batch's scratch
  std::vector<std::uint64_t> strides;
};

struct DenseBatch {
  std::vector<DenseClique> cliques;
  std::size_t partial_cells = 0;  // sum of cells
  std::size_t scratch_cells = 0;  // sum of cells x copies
};

// Add one to hist[idx[row]] for each row, spreading rows over `copies` histograms.
template <typename Index>
void Scatter(const Index* idx, std::size_t n, std::uint64_t cells, std::uint32_t copies, std::uint32_t* hist) {
  std::size_t row = 0;
  if (copies == kCopies) {
    std::uint32_t* hist1 = hist + cells;
    std::uint32_t* hist2 = hist1 + cells;
    std::uint32_t* hist3 = hist2 + cells;
    for (; row + 4 <= n; row += 4) {
      ++hist[idx[row]];
      ++hist1[idx[row + 1]];
      ++hist2[idx[row + 2]];
      ++hist3[idx[row + 3]];
    }
  }
  for (; row < n; ++row) ++hist[idx[row]];
}

// Count rows [block.begin, block.end) of every clique in `batch` into partial[0, partial_cells).
Status CountDenseBlock(const EncodedTable& table, const Domain& domain, std::span<const Clique> cliques,
                       const DenseBatch& batch, TaskRange block, std::uint32_t* partial) {
  std::vector<std::uint32_t> scratch(batch.scratch_cells, 0);
  std::array<std::uint16_t, kChunkRows> idx16;
  std::array<std::uint32_t, kChunkRows> idx32;
  for (std::size_t begin = block.begin; begin < block.end; begin += kChunkRows) {
    const std::size_t n = std::min(kChunkRows, block.end - begin);
    for (const DenseClique& dense : batch.cliques) {
      const Clique& clique = cliques[dense.clique_idx];
      std::uint32_t* hist = scratch.data() + dense.scratch_offset;
      const std::optional<std::size_t> bad =
          dense.cells <= kMaxCells16
              ? BuildIndices(table, domain, clique, dense.strides, begin, n, idx16.data())
              : BuildIndices(table, domain, clique, dense.strides, begin, n, idx32.data());
      if (bad) return ChunkCodeError(table, domain, clique, *bad, begin, begin + n);
      if (dense.cells <= kMaxCells16) {
        Scatter(idx16.data(), n, dense.cells, dense.copies, hist);
      } else {
        Scatter(idx32.data(), n, dense.cells, dense.copies, hist);
      }
    }
  }
  for (const DenseClique& dense : batch.cliques) {
    const std::uint32_t* hist = scratch.data() + dense.scratch_offset;
    std::uint32_t* out = partial + dense.partial_offset;
    std::copy(hist, hist + dense.cells, out);
    for (std::uint32_t copy = 1; copy < dense.copies; ++copy) {
      const std::uint32_t* other = hist + copy * dense.cells;
      for (std::size_t cell = 0; cell < dense.cells; ++cell) out[cell] += other[cell];
    }
  }
  return Status::Ok();
}

// Cut the dense cliques (in order) into batches of at most kBatchScratchCells scratch cells.
std::vector<DenseBatch> PlanBatches(const Domain& domain, std::span<const Clique> cliques,
                                    const std::vector<std::size_t>& dense_idx,
                                    const std::vector<std::uint64_t>& cells) {
  std::vector<DenseBatch> batches;
  for (std::size_t clique_idx : dense_idx) {
    DenseClique dense;
    dense.clique_idx = clique_idx;
    dense.cells = cells[clique_idx];
    dense.copies = dense.cells <= kMaxCellsForCopies ? kCopies : 1;
    dense.strides = Strides(domain, cliques[clique_idx]);
    const std::uint64_t scratch = dense.cells * dense.copies;
    if (batches.empty() || batches.back().scratch_cells + scratch > kBatchScratchCells) batches.emplace_back();
    DenseBatch& batch = batches.back();
    dense.partial_offset = batch.partial_cells;
    dense.scratch_offset = batch.scratch_cells;
    batch.partial_cells += dense.cells;
    batch.scratch_cells += scratch;
    batch.cliques.push_back(std::move(dense));
  }
  return batches;
}

// How the (batch, row block) tasks of CountDense are cut into rounds, one after another.
// A round's partials are held at once, so a round is bounded in bytes (kMaxPartialBytes),
// not in rows: the partial memory is then the same for 10^6 rows as for 10^9. A round
// still takes at least one task per thread, so that no thread idles. Round boundaries do
// not change the result: counts are integers, summed exactly in any grouping.
struct DenseRounds {
  std::vector<std::size_t> ends;  // end task of each round; round r is [ends[r-1], ends[r])
  std::size_t max_cells = 0;      // partial cells (uint32) of the largest round
};

DenseRounds PlanRounds(const std::vector<DenseBatch>& batches, std::size_t num_blocks, std::size_t threads) {
  DenseRounds rounds;
  const std::size_t num_tasks = batches.size() * num_blocks;
  std::size_t first_task = 0;
  while (first_task < num_tasks) {
    std::size_t end_task = first_task;
    std::size_t used = 0;
    while (end_task < num_tasks) {
      const std::size_t cells = batches[end_task / num_blocks].partial_cells;
      const bool full = (used + cells) * sizeof(std::uint32_t) > kMaxPartialBytes;
      if (end_task - first_task >= threads && full) break;
      used += cells;
      ++end_task;
    }
    rounds.ends.push_back(end_task);
    rounds.max_cells = std::max(rounds.max_cells, used);
    first_task = end_task;
  }
  return rounds;
}

// Count the dense cliques into out[clique_idx] (already sized and zeroed): tasks are
// (batch, row block), run in rounds (PlanRounds) that reuse one partial buffer, and each
// round's partials are added to the output in block order.
Status CountDense(const EncodedTable& table, const Domain& domain, std::span<const Clique> cliques,
                  const std::vector<DenseBatch>& batches, const Context& ctx,
                  std::vector<std::vector<std::int64_t>>& out) {
  const std::size_t num_blocks = NumTasks(table.num_rows(), kRowsPerBlock);
  const std::size_t num_tasks = batches.size() * num_blocks;
  const DenseRounds rounds = PlanRounds(batches, num_blocks, ctx.pool().size());
  // Every task overwrites its whole partial (CountDenseBlock copies, never adds), so the
  // buffer needs no clearing between rounds.
  std::vector<std::uint32_t> partials(rounds.max_cells);
  std::size_t first_task = 0;
  for (const std::size_t end_task : rounds.ends) {
    // One round: tasks [first_task, end_task), partials laid out one after another.
    std::vector<std::size_t> partial_offsets{0};
    for (std::size_t task_idx = first_task; task_idx < end_task; ++task_idx) {
      partial_offsets.push_back(partial_offsets.back() + batches[task_idx / num_blocks].partial_cells);
    }
    SYNTHSCALE_RETURN_IF_ERROR(ctx.pool().Run(end_task - first_task, [&](std::size_t local_idx) {
      const std::size_t task_idx = first_task + local_idx;
      const TaskRange block = TaskBounds(task_idx % num_blocks, table.num_rows(), kRowsPerBlock);
      return CountDenseBlock(table, domain, cliques, batches[task_idx / num_blocks], block,
                             partials.data() + partial_offsets[local_idx]);
    }));
    // Sum: one task per (clique of a batch in this round, range of cells), blocks in order.
    struct ReduceTask {
      std::size_t batch_idx;
      const DenseClique* dense;
      TaskRange cells;
    };
    std::vector<ReduceTask> reduce_tasks;
    const std::size_t first_batch = first_task / num_blocks;
    const std::size_t last_batch = (end_task - 1) / num_blocks;
    for (std::size_t batch_idx = first_batch; batch_idx <= last_batch; ++batch_idx) {
      for (const DenseClique& dense : batches[batch_idx].cliques) {
        const std::size_t cells = dense.cells;
        for (std::size_t range = 0; range < NumTasks(cells, kReduceGrain); ++range) {
          reduce_tasks.push_back({batch_idx, &dense, TaskBounds(range, cells, kReduceGrain)});
        }
      }
    }
    SYNTHSCALE_RETURN_IF_ERROR(ctx.pool().Run(reduce_tasks.size(), [&](std::size_t reduce_idx) {
      const ReduceTask& task = reduce_tasks[reduce_idx];
      std::int64_t* sums = out[task.dense->clique_idx].data();
      const std::size_t batch_first = std::max(first_task, task.batch_idx * num_blocks);
      const std::size_t batch_end = std::min(end_task, (task.batch_idx + 1) * num_blocks);
      for (std::size_t task_idx = batch_first; task_idx < batch_end; ++task_idx) {
        const std::uint32_t* partial =
            partials.data() + partial_offsets[task_idx - first_task] + task.dense->partial_offset;
        for (std::size_t cell = task.cells.begin; cell < task.cells.end; ++cell) sums[cell] += partial[cell];
      }
      return Status::Ok();
    }));
    first_task = end_task;
    ctx.Progress("counting marginals", first_task, num_tasks);
  }
  return Status::Ok();
}

// ---- Large cliques: sorted runs per block --------------------------------------------------

// The nonzero cells of some rows, sorted, with their counts.
struct Runs {
  std::vector<std::uint64_t> cells;
  std::vector<std::int64_t> counts;
};

Status CountBlockRuns(const EncodedTable& table, const Domain& domain, const Clique& clique,
                      const std::vector<std::uint64_t>& strides, TaskRange block, Runs& runs) {
  std::vector<std::uint64_t> idx(block.end - block.begin);
  for (std::size_t begin = block.begin; begin < block.end; begin += kChunkRows) {
    const std::size_t n = std::min(kChunkRows, block.end - begin);
    if (const std::optional<std::size_t> bad =
            BuildIndices(table, domain, clique, strides, begin, n, idx.data() + (begin - block.begin))) {
      return ChunkCodeError(table, domain, clique, *bad, begin, begin + n);
    }
  }
  std::sort(idx.begin(), idx.end());
  for (std::size_t pos = 0; pos < idx.size();) {
    std::size_t end = pos + 1;
    while (end < idx.size() && idx[end] == idx[pos]) ++end;
    runs.cells.push_back(idx[pos]);
    runs.counts.push_back(static_cast<std::int64_t>(end - pos));
    pos = end;
  }
  return Status::Ok();
}

// Merge two sorted runs, adding the counts of cells in both.
Runs MergeTwo(const Runs& first, const Runs& second) {
  Runs merged;
  merged.cells.reserve(first.cells.size() + second.cells.size());
  merged.counts.reserve(first.cells.size() + second.cells.size());
  std::size_t first_pos = 0;
  std::size_t second_pos = 0;
  while (first_pos < first.cells.size() && second_pos < second.cells.size()) {
    const std::uint64_t first_cell = first.cells[first_pos];
    const std::uint64_t second_cell = second.cells[second_pos];
    if (first_cell < second_cell) {
      merged.cells.push_back(first_cell);
      merged.counts.push_back(first.counts[first_pos++]);
    } else if (second_cell < first_cell) {
      merged.cells.push_back(second_cell);
      merged.counts.push_back(second.counts[second_pos++]);
    } else {
      merged.cells.push_back(first_cell);
      merged.counts.push_back(first.counts[first_pos++] + second.counts[second_pos++]);
    }
  }
  for (; first_pos < first.cells.size(); ++first_pos) {
    merged.cells.push_back(first.cells[first_pos]);
    merged.counts.push_back(first.counts[first_pos]);
  }
  for (; second_pos < second.cells.size(); ++second_pos) {
    merged.cells.push_back(second.cells[second_pos]);
    merged.counts.push_back(second.counts[second_pos]);
  }
  return merged;
}

// Merge sorted runs pairwise, neighbours first (a balanced tree), each level's merges in
// parallel on `pool`.
Runs MergeRuns(std::vector<Runs> lists, ThreadPool& pool) {
  if (lists.empty()) return {};
  while (lists.size() > 1) {
    std::vector<Runs> merged((lists.size() + 1) / 2);
    const Status status = pool.Run(lists.size() / 2, [&](std::size_t pair_idx) {
      merged[pair_idx] = MergeTwo(lists[2 * pair_idx], lists[2 * pair_idx + 1]);
      return Status::Ok();
    });
    static_cast<void>(status);  // the tasks cannot fail
    if (lists.size() % 2 == 1) merged.back() = std::move(lists.back());
    lists = std::move(merged);
  }
  return std::move(lists[0]);
}

// Count `clique` over all local rows as runs: blocks in rounds of bounded memory; each
// round's block runs are handed to `consume` in block order.
Status ForEachBlockRuns(const EncodedTable& table, const Domain& domain, const Clique& clique, const Context& ctx,
                        const std::function<void(std::vector<Runs>&)>& consume) {
  const std::vector<std::uint64_t> strides = Strides(domain, clique);
  const std::size_t num_blocks = NumTasks(table.num_rows(), kRowsPerBlock);
  // A block's runs take at most 16 bytes per row, plus its 8-byte index buffer; a round is
  // bounded in bytes (not rows), but takes at least one block per thread.
  const std::size_t blocks_per_round =
      std::max<std::size_t>(ctx.pool().size(), kMaxPartialBytes / (kRowsPerBlock * 24));
  for (std::size_t first_block = 0; first_block < num_blocks; first_block += blocks_per_round) {
    const std::size_t end_block = std::min(num_blocks, first_block + blocks_per_round);
    std::vector<Runs> runs(end_block - first_block);
    SYNTHSCALE_RETURN_IF_ERROR(ctx.pool().Run(runs.size(), [&](std::size_t local_idx) {
      const TaskRange block = TaskBounds(first_block + local_idx, table.num_rows(), kRowsPerBlock);
      return CountBlockRuns(table, domain, clique, strides, block, runs[local_idx]);
    }));
    consume(runs);
  }
  return Status::Ok();
}

Status CountLargeDense(const EncodedTable& table, const Domain& domain, const Clique& clique, const Context& ctx,
                       std::vector<std::int64_t>& out) {
  return ForEachBlockRuns(table, domain, clique, ctx, [&](std::vector<Runs>& runs) {
    for (const Runs& block : runs) {
      for (std::size_t pos = 0; pos < block.cells.size(); ++pos) out[block.cells[pos]] += block.counts[pos];
    }
  });
}

// ---- Reduction across ranks -------------------------------------------------------------

Status RemoteFailure() {
  return InvalidData("another rank found a code outside its attribute's domain while counting marginals; "
                     "see that rank's error");
}

// Sum every rank's dense counts, with a flag saying whether any rank failed locally.
Status ReduceDense(const Communicator& comm, const Status& local, std::vector<std::vector<std::int64_t>>& out) {
  if (comm.size() == 1) return local;
  std::size_t total = 1;
  for (const std::vector<std::int64_t>& counts : out) total += counts.size();
  std::vector<std::int64_t> flat;
  flat.reserve(total);
  for (const std::vector<std::int64_t>& counts : out) flat.insert(flat.end(), counts.begin(), counts.end());
  flat.push_back(local.ok() ? 0 : 1);
  SYNTHSCALE_RETURN_IF_ERROR(comm.AllReduceSum(std::span<std::int64_t>(flat)));
  if (!local.ok()) return local;
  if (flat.back() != 0) return RemoteFailure();
  std::size_t offset = 0;
  for (std::vector<std::int64_t>& counts : out) {
    std::copy_n(flat.begin() + static_cast<std::ptrdiff_t>(offset), counts.size(), counts.begin());
    offset += counts.size();
  }
  return Status::Ok();
}

void AppendBytes(std::string& bytes, const void* data, std::size_t size) {
  if (size > 0) bytes.append(static_cast<const char*>(data), size);  // data may be null when empty
}

// [ok: 1 byte][n: uint64][n cells][n counts], native byte order (ranks share a machine type).
std::string SerializeRuns(const Runs& runs, bool ok) {
  std::string bytes(1, ok ? '\1' : '\0');
  if (!ok) return bytes;
  const std::uint64_t n = runs.cells.size();
  AppendBytes(bytes, &n, sizeof(n));
  AppendBytes(bytes, runs.cells.data(), n * sizeof(std::uint64_t));
  AppendBytes(bytes, runs.counts.data(), n * sizeof(std::int64_t));
  return bytes;
}

// nullopt when the sender failed; kInternal when the bytes are not a message of ours.
Result<std::optional<Runs>> DeserializeRuns(const std::string& bytes) {
  if (bytes.size() == 1 && bytes[0] == '\0') return std::optional<Runs>();
  std::uint64_t n = 0;
  if (bytes.size() < 1 + sizeof(n)) return Internal("sparse marginal message from a rank is truncated");
  std::memcpy(&n, bytes.data() + 1, sizeof(n));
  const std::size_t payload = bytes.size() - 1 - sizeof(n);
  if (n > payload / 16 || payload != n * 16) return Internal("sparse marginal message from a rank has a bad size");
  Runs runs;
  runs.cells.resize(n);
  runs.counts.resize(n);
  if (n == 0) return std::optional<Runs>(std::move(runs));  // memcpy needs non-null pointers
  std::memcpy(runs.cells.data(), bytes.data() + 1 + sizeof(n), n * sizeof(std::uint64_t));
  std::memcpy(runs.counts.data(), bytes.data() + 1 + sizeof(n) + n * sizeof(std::uint64_t), n * sizeof(std::int64_t));
  return std::optional<Runs>(std::move(runs));
}

// Every rank broadcasts its runs in turn; all merge them in rank order.
Status ReduceSparse(const Communicator& comm, const Status& local, ThreadPool& pool, Runs& runs) {
  if (comm.size() == 1) return local;
  std::vector<Runs> all(static_cast<std::size_t>(comm.size()));
  bool remote_failed = false;
  Status transport;
  for (int root = 0; root < comm.size(); ++root) {
    std::string bytes;
    if (root == comm.rank()) bytes = SerializeRuns(runs, local.ok());
    SYNTHSCALE_RETURN_IF_ERROR(comm.Broadcast(bytes, root));
    Result<std::optional<Runs>> received = DeserializeRuns(bytes);
    // Keep taking part in the remaining broadcasts whatever happened.
    if (!received.ok()) {
      if (transport.ok()) transport = received.status();
      continue;
    }
    if (!received->has_value()) {
      remote_failed = true;
      continue;
    }
    all[static_cast<std::size_t>(root)] = std::move(**received);
  }
  if (!local.ok()) return local;
  if (!transport.ok()) return transport;
  if (remote_failed) return RemoteFailure();
  runs = MergeRuns(std::move(all), pool);
  return Status::Ok();
}

}  // namespace

Status ValidateCodes(const EncodedTable& table, const Domain& domain, const Context& ctx) {
  SYNTHSCALE_RETURN_IF_ERROR(CheckTable(table, domain));
  const std::size_t num_rows = table.num_rows();
  return ctx.pool().Run(NumTasks(num_rows, kRowsPerBlock), [&](std::size_t block_idx) -> Status {
    const TaskRange block = TaskBounds(block_idx, num_rows, kRowsPerBlock);
    std::size_t first_row = block.end;
    std::uint32_t first_attribute = 0;
    std::uint32_t first_code = 0;
    for (std::uint32_t attribute = 0; attribute < table.num_columns(); ++attribute) {
      const std::uint32_t limit = domain.size(attribute);
      const std::uint32_t max_code = std::visit(
          [&](const auto& codes) -> std::uint32_t {
            using Code = typename std::decay_t<decltype(codes)>::value_type;
            Code max_seen = 0;
            for (std::size_t row = block.begin; row < block.end; ++row) {
              max_seen = codes[row] > max_seen ? codes[row] : max_seen;
            }
            return max_seen;
          },
          table.column(attribute).codes());
      if (max_code < limit || block.begin == block.end) continue;
      const auto [row, code] = FirstBadCode(table, domain, attribute, block.begin, first_row);
      if (row < first_row) {
        first_row = row;
        first_attribute = attribute;
        first_code = code;
      }
    }
    if (first_row == block.end) return Status::Ok();
    return CodeError(table, domain, first_attribute, first_code, first_row);
  });
}

std::size_t CountingPartialBytes(const Domain& domain, std::span<const Clique> cliques, std::size_t num_rows,
                                 std::size_t threads) {
  std::vector<std::uint64_t> cells(cliques.size(), 0);
  std::vector<std::size_t> dense_idx;
  for (std::size_t clique_idx = 0; clique_idx < cliques.size(); ++clique_idx) {
    const Result<std::uint64_t> clique_cells = CheckClique(domain, cliques[clique_idx]);
    if (!clique_cells.ok() || *clique_cells > kMaxDensePartialCells) continue;
    cells[clique_idx] = *clique_cells;
    dense_idx.push_back(clique_idx);
  }
  const DenseRounds rounds = PlanRounds(PlanBatches(domain, cliques, dense_idx, cells),
                                        NumTasks(num_rows, kRowsPerBlock), std::max<std::size_t>(1, threads));
  return rounds.max_cells * sizeof(std::uint32_t);
}

Result<std::vector<std::vector<std::int64_t>>> CountMarginals(const EncodedTable& table, const Domain& domain,
                                                              std::span<const Clique> cliques,
                                                              const Communicator& comm, const Context& ctx,
                                                              const MarginalOptions& options) {
  // Argument errors first: every rank sees the same ones, before any collective.
  SYNTHSCALE_RETURN_IF_ERROR(CheckTable(table, domain));
  std::vector<std::uint64_t> cells(cliques.size());
  std::vector<std::size_t> dense_idx;
  std::vector<std::size_t> large_idx;
  for (std::size_t clique_idx = 0; clique_idx < cliques.size(); ++clique_idx) {
    SYNTHSCALE_ASSIGN_OR_RETURN(cells[clique_idx], CheckClique(domain, cliques[clique_idx]));
    SYNTHSCALE_RETURN_IF_ERROR(CheckDenseSize(domain, cliques[clique_idx], cells[clique_idx], options));
    (cells[clique_idx] <= kMaxDensePartialCells ? dense_idx : large_idx).push_back(clique_idx);
  }
  std::vector<std::vector<std::int64_t>> out(cliques.size());
  for (std::size_t clique_idx = 0; clique_idx < cliques.size(); ++clique_idx) {
    out[clique_idx].assign(cells[clique_idx], 0);
  }
  Status local = CountDense(table, domain, cliques, PlanBatches(domain, cliques, dense_idx, cells), ctx, out);
  for (std::size_t clique_idx : large_idx) {
    if (!local.ok()) break;
    local = CountLargeDense(table, domain, cliques[clique_idx], ctx, out[clique_idx]);
  }
  SYNTHSCALE_RETURN_IF_ERROR(ReduceDense(comm, local, out));
  return out;
}

Result<std::vector<std::int64_t>> CountMarginal(const EncodedTable& table, const Domain& domain,
                                                const Clique& clique, const Communicator& comm, const Context& ctx,
                                                const MarginalOptions& options) {
  SYNTHSCALE_ASSIGN_OR_RETURN(std::vector<std::vector<std::int64_t>> counts,
                              CountMarginals(table, domain, std::span<const Clique>(&clique, 1), comm, ctx, options));
  return std::move(counts[0]);
}

Result<SparseMarginal> CountMarginalSparse(const EncodedTable& table, const Domain& domain, const Clique& clique,
                                           const Communicator& comm, const Context& ctx) {
  SYNTHSCALE_RETURN_IF_ERROR(CheckTable(table, domain));
  SYNTHSCALE_ASSIGN_OR_RETURN(const std::uint64_t num_cells, CheckClique(domain, clique));
  Runs total;
  const Status local = ForEachBlockRuns(table, domain, clique, ctx, [&](std::vector<Runs>& runs) {
    runs.insert(runs.begin(), std::move(total));
    total = MergeRuns(std::move(runs), ctx.pool());
  });
  SYNTHSCALE_RETURN_IF_ERROR(ReduceSparse(comm, local, ctx.pool(), total));
  SparseMarginal sparse;
  sparse.num_cells = num_cells;
  sparse.cells = std::move(total.cells);
  sparse.counts = std::move(total.counts);
  return sparse;
}

}  // namespace synthscale
