#include "synthscale/core/shard.h"

#include <charconv>
#include <string_view>
#include <system_error>

#include "synthscale/core/int128.h"

namespace synthscale {
namespace {

constexpr const char* kTaskId = "SLURM_ARRAY_TASK_ID";
constexpr const char* kTaskCount = "SLURM_ARRAY_TASK_COUNT";
constexpr const char* kTaskMin = "SLURM_ARRAY_TASK_MIN";
constexpr const char* kTaskStep = "SLURM_ARRAY_TASK_STEP";

// A variable's value as a non-negative decimal integer; nullopt when unset or empty.
Result<std::optional<std::uint64_t>> ReadVariable(const EnvironmentLookup& environment, const char* name) {
  const char* raw = environment ? environment(name) : nullptr;
  if (raw == nullptr || *raw == '\0') return std::optional<std::uint64_t>();
  const std::string_view text(raw);
  std::uint64_t value = 0;
  // from_chars accepts no sign or space, so "-1", "+1" and " 1" are refused here too.
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return InvalidArgument(std::string("environment variable ") + name + " must be a non-negative integer, got '" +
                           std::string(text) + "'; unset it or pass --shard-index and --num-shards explicitly");
  }
  return std::optional<std::uint64_t>(value);
}

std::string Assignment(const char* name, std::uint64_t value) {
  return std::string(name) + "=" + std::to_string(value);
}

}  // namespace

RowRange ShardRows(const Shard& shard, std::uint64_t rows) {
  const auto boundary = [&](std::uint64_t index) {
    return static_cast<std::uint64_t>(static_cast<UInt128>(index) * rows / shard.count);
  };
  return {boundary(shard.index), boundary(shard.index + 1)};
}

Result<ShardChoice> ResolveShard(std::optional<std::uint64_t> index_flag, std::optional<std::uint64_t> count_flag,
                                 const EnvironmentLookup& environment) {
  SYNTHSCALE_ASSIGN_OR_RETURN(const std::optional<std::uint64_t> task_id, ReadVariable(environment, kTaskId));
  ShardChoice choice;
  std::string count_source;
  if (count_flag) {
    if (*count_flag == 0) return InvalidArgument("--num-shards must be at least 1, got 0");
    choice.shard.count = *count_flag;
    count_source = "--num-shards";
  } else if (index_flag || task_id) {
    SYNTHSCALE_ASSIGN_OR_RETURN(const std::optional<std::uint64_t> task_count, ReadVariable(environment, kTaskCount));
    if (!task_count) {
      return InvalidArgument(index_flag ? std::string("--shard-index needs --num-shards (or ") + kTaskCount +
                                              " from a Slurm job array)"
                                        : std::string(kTaskId) + "=" + std::to_string(*task_id) + " is set but " +
                                              kTaskCount + " is not; pass --num-shards K");
    }
    if (*task_count == 0) {
      return InvalidArgument(std::string("environment variable ") + kTaskCount + " must be at least 1, got 0");
    }
    choice.shard.count = *task_count;
    count_source = Assignment(kTaskCount, *task_count);
  } else {
    return choice;  // no sharding asked for: shard 0 of 1
  }

  std::string index_source;
  if (index_flag) {
    choice.shard.index = *index_flag;
    index_source = "--shard-index";
  } else if (choice.shard.count == 1) {
    choice.shard.index = 0;  // the only shard; a task id of a wider array does not matter
  } else if (task_id) {
    SYNTHSCALE_ASSIGN_OR_RETURN(const std::optional<std::uint64_t> task_min, ReadVariable(environment, kTaskMin));
    SYNTHSCALE_ASSIGN_OR_RETURN(const std::optional<std::uint64_t> task_step, ReadVariable(environment, kTaskStep));
    const std::uint64_t min = task_min.value_or(0);
    const std::uint64_t step = task_step.value_or(1);
    if (step == 0) {
      return InvalidArgument(std::string("environment variable ") + kTaskStep + " must be at least 1, got 0");
    }
    index_source = Assignment(kTaskId, *task_id);
    if (task_min) index_source += ", " + Assignment(kTaskMin, min);
    if (task_step) index_source += ", " + Assignment(kTaskStep, step);
    if (*task_id < min || (*task_id - min) % step != 0) {
      return InvalidArgument(index_source + " does not name a task of a contiguous job array; submit with "
                             "--array=0-<K-1> or pass --shard-index explicitly");
    }
    choice.shard.index = (*task_id - min) / step;
  } else {
    return InvalidArgument("--num-shards " + std::to_string(choice.shard.count) +
                           " needs --shard-index I (0 to " + std::to_string(choice.shard.count - 1) +
                           "), or SLURM_ARRAY_TASK_ID from a Slurm job array");
  }
  choice.source = index_source.empty() ? count_source : index_source + ", " + count_source;
  if (choice.shard.index >= choice.shard.count) {
    return InvalidArgument("shard index " + std::to_string(choice.shard.index) + " is out of range for " +
                           std::to_string(choice.shard.count) + " shards (from " + choice.source +
                           "): the index must be 0 to " + std::to_string(choice.shard.count - 1));
  }
  return choice;
}

}  // namespace synthscale
