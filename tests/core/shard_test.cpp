#include "synthscale/core/shard.h"

#include <cstdint>
#include <limits>
#include <map>
#include <string>

#include <gtest/gtest.h>

namespace synthscale {
namespace {

// A fake environment: only the given variables are set.
EnvironmentLookup Env(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](const char* name) -> const char* {
    const auto found = variables.find(name);
    return found == variables.end() ? nullptr : found->second.c_str();
  };
}

RowRange Rows(std::uint64_t index, std::uint64_t count, std::uint64_t rows) {
  return ShardRows(Shard{index, count}, rows);
}

void ExpectRange(const RowRange& range, std::uint64_t begin, std::uint64_t end) {
  EXPECT_EQ(range.begin, begin);
  EXPECT_EQ(range.end, end);
}

TEST(ShardRows, SplitsTenRowsIntoThree) {
  // floor(I * 10 / 3) for I = 0..3: 0, 3, 6, 10.
  ExpectRange(Rows(0, 3, 10), 0, 3);
  ExpectRange(Rows(1, 3, 10), 3, 6);
  ExpectRange(Rows(2, 3, 10), 6, 10);
}

TEST(ShardRows, MoreShardsThanRowsGivesEmptyShards) {
  // floor(I * 2 / 5) for I = 0..5: 0, 0, 0, 1, 1, 2.
  ExpectRange(Rows(0, 5, 2), 0, 0);
  ExpectRange(Rows(1, 5, 2), 0, 0);
  ExpectRange(Rows(2, 5, 2), 0, 1);
  ExpectRange(Rows(3, 5, 2), 1, 1);
  ExpectRange(Rows(4, 5, 2), 1, 2);
}

TEST(ShardRows, ExactNearTheTopOfUint64) {
  const std::uint64_t rows = std::numeric_limits<std::uint64_t>::max();  // 2^64 - 1 = 3 * 6148914691236517205
  ExpectRange(Rows(1, 3, rows), 6148914691236517205ULL, 12297829382473034410ULL);
  ExpectRange(Rows(2, 3, rows), 12297829382473034410ULL, rows);
  ExpectRange(Rows(0, 1, rows), 0, rows);
}

TEST(ShardRows, ShardsTileTheRows) {
  for (std::uint64_t count = 1; count <= 9; ++count) {
    std::uint64_t next = 0;
    for (std::uint64_t index = 0; index < count; ++index) {
      const RowRange range = Rows(index, count, 1000003);
      EXPECT_EQ(range.begin, next);
      EXPECT_LE(range.end - range.begin, 1000003 / count + 1);
      EXPECT_GE(range.end - range.begin, 1000003 / count);
      next = range.end;
    }
    EXPECT_EQ(next, 1000003u);
  }
}

TEST(ResolveShard, NothingGivenIsOneShard) {
  const Result<ShardChoice> choice = ResolveShard(std::nullopt, std::nullopt, Env({}));
  ASSERT_TRUE(choice.ok()) << choice.status().ToString();
  EXPECT_EQ(choice->shard.index, 0u);
  EXPECT_EQ(choice->shard.count, 1u);
  EXPECT_EQ(choice->source, "");
}

TEST(ResolveShard, FlagsOnly) {
  const Result<ShardChoice> choice = ResolveShard(2, 3, Env({}));
  ASSERT_TRUE(choice.ok()) << choice.status().ToString();
  EXPECT_EQ(choice->shard.index, 2u);
  EXPECT_EQ(choice->shard.count, 3u);
  EXPECT_EQ(choice->source, "--shard-index, --num-shards");
}

TEST(ResolveShard, DefaultsFromSlurmArray) {
  // --array=4-7: ids 4..7, min 4, count 4; task 6 is shard 2.
  const Result<ShardChoice> choice = ResolveShard(
      std::nullopt, std::nullopt,
      Env({{"SLURM_ARRAY_TASK_ID", "6"}, {"SLURM_ARRAY_TASK_MIN", "4"}, {"SLURM_ARRAY_TASK_COUNT", "4"}}));
  ASSERT_TRUE(choice.ok()) << choice.status().ToString();
  EXPECT_EQ(choice->shard.index, 2u);
  EXPECT_EQ(choice->shard.count, 4u);
  EXPECT_EQ(choice->source, "SLURM_ARRAY_TASK_ID=6, SLURM_ARRAY_TASK_MIN=4, SLURM_ARRAY_TASK_COUNT=4");
}

TEST(ResolveShard, SlurmArrayWithStep) {
  // --array=0-12:4: ids 0, 4, 8, 12; task 8 is shard 2 of 4.
  const Result<ShardChoice> choice =
      ResolveShard(std::nullopt, std::nullopt,
                   Env({{"SLURM_ARRAY_TASK_ID", "8"}, {"SLURM_ARRAY_TASK_MIN", "0"},
                        {"SLURM_ARRAY_TASK_STEP", "4"}, {"SLURM_ARRAY_TASK_COUNT", "4"}}));
  ASSERT_TRUE(choice.ok()) << choice.status().ToString();
  EXPECT_EQ(choice->shard.index, 2u);
  EXPECT_EQ(choice->shard.count, 4u);
}

TEST(ResolveShard, FlagsWinOverSlurm) {
  const auto env = Env({{"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_COUNT", "4"}});
  Result<ShardChoice> choice = ResolveShard(0, 2, env);
  ASSERT_TRUE(choice.ok()) << choice.status().ToString();
  EXPECT_EQ(choice->shard.index, 0u);
  EXPECT_EQ(choice->shard.count, 2u);
  // One flag given: the other still comes from the array.
  choice = ResolveShard(std::nullopt, 8, env);
  ASSERT_TRUE(choice.ok()) << choice.status().ToString();
  EXPECT_EQ(choice->shard.index, 1u);
  EXPECT_EQ(choice->shard.count, 8u);
  choice = ResolveShard(3, std::nullopt, env);
  ASSERT_TRUE(choice.ok()) << choice.status().ToString();
  EXPECT_EQ(choice->shard.index, 3u);
  EXPECT_EQ(choice->shard.count, 4u);
  // --num-shards 1 inside an array: the whole sample, whatever the task id.
  choice = ResolveShard(std::nullopt, 1, env);
  ASSERT_TRUE(choice.ok()) << choice.status().ToString();
  EXPECT_EQ(choice->shard.index, 0u);
  EXPECT_EQ(choice->shard.count, 1u);
}

void ExpectError(const Result<ShardChoice>& choice, const std::string& substring) {
  ASSERT_FALSE(choice.ok());
  EXPECT_EQ(choice.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(choice.status().message().find(substring), std::string::npos) << choice.status().message();
}

TEST(ResolveShard, RefusesBadValues) {
  ExpectError(ResolveShard(0, 0, Env({})), "--num-shards must be at least 1, got 0");
  ExpectError(ResolveShard(3, 3, Env({})), "shard index 3 is out of range for 3 shards");
  ExpectError(ResolveShard(1, std::nullopt, Env({})), "--shard-index needs --num-shards");
  ExpectError(ResolveShard(std::nullopt, 4, Env({})), "--num-shards 4 needs --shard-index I (0 to 3)");
  ExpectError(ResolveShard(std::nullopt, std::nullopt, Env({{"SLURM_ARRAY_TASK_ID", "2"}})),
              "SLURM_ARRAY_TASK_ID=2 is set but SLURM_ARRAY_TASK_COUNT is not");
  ExpectError(ResolveShard(std::nullopt, std::nullopt,
                           Env({{"SLURM_ARRAY_TASK_ID", "4"}, {"SLURM_ARRAY_TASK_COUNT", "4"}})),
              "shard index 4 is out of range for 4 shards (from SLURM_ARRAY_TASK_ID=4, SLURM_ARRAY_TASK_COUNT=4)");
  ExpectError(ResolveShard(std::nullopt, std::nullopt,
                           Env({{"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_COUNT", "0"}})),
              "SLURM_ARRAY_TASK_COUNT must be at least 1, got 0");
  ExpectError(ResolveShard(std::nullopt, std::nullopt,
                           Env({{"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_MIN", "2"},
                                {"SLURM_ARRAY_TASK_COUNT", "4"}})),
              "does not name a task of a contiguous job array");
}

TEST(ResolveShard, RefusesNonNumericVariablesByName) {
  for (const char* bad : {"abc", "-1", "+1", " 1", "1.5", "99999999999999999999999"}) {
    ExpectError(ResolveShard(std::nullopt, std::nullopt,
                             Env({{"SLURM_ARRAY_TASK_ID", bad}, {"SLURM_ARRAY_TASK_COUNT", "4"}})),
                std::string("environment variable SLURM_ARRAY_TASK_ID must be a non-negative integer, got '") + bad +
                    "'");
  }
  ExpectError(ResolveShard(std::nullopt, std::nullopt,
                           Env({{"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_COUNT", "four"}})),
              "SLURM_ARRAY_TASK_COUNT must be a non-negative integer, got 'four'");
  ExpectError(ResolveShard(std::nullopt, std::nullopt,
                           Env({{"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_MIN", "x"},
                                {"SLURM_ARRAY_TASK_COUNT", "4"}})),
              "SLURM_ARRAY_TASK_MIN must be a non-negative integer, got 'x'");
}

TEST(ResolveShard, EmptyVariablesAreUnset) {
  const Result<ShardChoice> choice =
      ResolveShard(std::nullopt, std::nullopt, Env({{"SLURM_ARRAY_TASK_ID", ""}, {"SLURM_ARRAY_TASK_COUNT", ""}}));
  ASSERT_TRUE(choice.ok()) << choice.status().ToString();
  EXPECT_EQ(choice->shard.count, 1u);
}

}  // namespace
}  // namespace synthscale
