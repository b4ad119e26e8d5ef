// Shard: which slice of one global row sequence a job writes, and how a Slurm job array
// chooses it.
//
// Shard I of K holds rows [floor(I*N/K), floor((I+1)*N/K)) of the N rows, so the K
// slices are contiguous, disjoint, cover every row, and differ in size by at most one.
// Because row r of a sample always draws from its own stream (seed, "sample", r), the
// shards concatenated in index order are the unsharded sample, byte for byte
// (docs/reproducibility.md).
//
// Thread safety: pure functions; the environment is read through the given lookup only.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "synthscale/core/status.h"

namespace synthscale {

struct Shard {
  std::uint64_t index = 0;
  std::uint64_t count = 1;
};

struct RowRange {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

// Rows [floor(index*rows/count), floor((index+1)*rows/count)), exact for any 64-bit
// values (128-bit products). Requires count > 0 and index < count (ResolveShard checks).
RowRange ShardRows(const Shard& shard, std::uint64_t rows);

// The chosen shard and where it came from, for messages and the manifest.
struct ShardChoice {
  Shard shard;
  // "" when no sharding was asked for; otherwise e.g. "--shard-index/--num-shards" or
  // "SLURM_ARRAY_TASK_ID=5, SLURM_ARRAY_TASK_MIN=4, SLURM_ARRAY_TASK_COUNT=4".
  std::string source;
};

// Returns the value of an environment variable, or nullptr when it is unset.
using EnvironmentLookup = std::function<const char*(const char* name)>;

// Resolve --shard-index / --num-shards. Explicit flags win; an absent flag defaults from a
// Slurm job array: count from SLURM_ARRAY_TASK_COUNT, index from
// (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP (MIN 0 and STEP 1
// when unset). With neither flags nor SLURM_ARRAY_TASK_ID: shard 0 of 1. A count of 1
// is always index 0 (the environment is not consulted for it). Empty variables count as
// unset.
// Errors (kInvalidArgument, naming the flag or variable and its value): a count of 0,
// an index >= count, a variable that is not a non-negative decimal integer, an index
// without a count (or the reverse) from any source, SLURM_ARRAY_TASK_ID below
// SLURM_ARRAY_TASK_MIN or off its step.
Result<ShardChoice> ResolveShard(std::optional<std::uint64_t> index_flag, std::optional<std::uint64_t> count_flag,
                                 const EnvironmentLookup& environment);

}  // namespace synthscale
