#include "synthscale/core/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <new>

#include "synthscale/core/random_stream.h"

namespace synthscale {
namespace {

std::vector<std::size_t> ThreadCounts() { return {1, 2, 7, HardwareThreads()}; }

TEST(ThreadPool, SizeCountsTheCaller) {
  EXPECT_EQ(ThreadPool(1).size(), 1u);
  EXPECT_EQ(ThreadPool(3).size(), 3u);
  EXPECT_EQ(ThreadPool(0).size(), HardwareThreads());
  EXPECT_GE(HardwareThreads(), 1u);
}

TEST(ThreadPool, RunsEveryTaskExactlyOnce) {
  for (std::size_t threads : ThreadCounts()) {
    ThreadPool pool(threads);
    for (std::size_t num_tasks : {0u, 1u, 2u, 5u, 100u, 1000u}) {
      std::vector<std::atomic<int>> runs(num_tasks);
      for (auto& count : runs) count.store(0);
      const Status status = pool.Run(num_tasks, [&](std::size_t task_idx) {
        runs[task_idx].fetch_add(1);
        return Status::Ok();
      });
      ASSERT_TRUE(status.ok()) << status.ToString();
      for (std::size_t task_idx = 0; task_idx < num_tasks; ++task_idx) {
        EXPECT_EQ(runs[task_idx].load(), 1) << "threads " << threads << ", tasks " << num_tasks << ", task " << task_idx;
      }
    }
  }
}

TEST(ThreadPool, ManyConsecutiveRunsOnOnePool) {
  ThreadPool pool(7);
  std::atomic<std::uint64_t> total{0};
  std::uint64_t expected = 0;
  for (std::size_t round = 0; round < 300; ++round) {
    const std::size_t num_tasks = 1 + round % 13;
    const Status status = pool.Run(num_tasks, [&](std::size_t task_idx) {
      total.fetch_add(task_idx + 1);
      return Status::Ok();
    });
    ASSERT_TRUE(status.ok());
    expected += num_tasks * (num_tasks + 1) / 2;
    ASSERT_EQ(total.load(), expected) << "round " << round;
  }
}

TEST(ThreadPool, ReturnsLowestIndexedFailure) {
  for (std::size_t threads : ThreadCounts()) {
    ThreadPool pool(threads);
    const Status status = pool.Run(20, [](std::size_t task_idx) {
      if (task_idx == 3) {
        // Fail late, so that with several threads task 5 fails first in time.
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        return InvalidData("task 3 failed");
      }
      if (task_idx == 5 || task_idx == 17) return InvalidArgument("task " + std::to_string(task_idx) + " failed");
      return Status::Ok();
    });
    ASSERT_FALSE(status.ok()) << "threads " << threads;
    EXPECT_EQ(status.code(), ErrorCode::kInvalidData) << "threads " << threads;
    EXPECT_EQ(status.message(), "task 3 failed") << "threads " << threads;
  }
}

TEST(ThreadPool, PoolStaysUsableAfterAFailure) {
  ThreadPool pool(4);
  EXPECT_FALSE(pool.Run(10, [](std::size_t task_idx) {
                     return task_idx == 0 ? Internal("boom") : Status::Ok();
                   }).ok());
  std::atomic<int> runs{0};
  EXPECT_TRUE(pool.Run(10, [&](std::size_t) {
                    runs.fetch_add(1);
                    return Status::Ok();
                  }).ok());
  EXPECT_EQ(runs.load(), 10);
}

TEST(ThreadPool, PoolOfOneRunsOnTheCaller) {
  ThreadPool pool(1);
  const std::thread::id caller = std::this_thread::get_id();
  std::vector<std::size_t> order;
  ASSERT_TRUE(pool.Run(5, [&](std::size_t task_idx) {
                    EXPECT_EQ(std::this_thread::get_id(), caller);
                    order.push_back(task_idx);
                    return Status::Ok();
                  }).ok());
  EXPECT_EQ(order, (std::vector<std::size_t>{0, 1, 2, 3, 4}));
}

TEST(ThreadPool, TwoThreadsRunTasksConcurrently) {
  // Tasks 0 and 1 each wait for the other to start: only a pool that really runs two
  // tasks at once gets past this (the wait gives up after 10 s so a failure cannot hang).
  ThreadPool pool(2);
  std::mutex mutex;
  std::condition_variable changed;
  int started = 0;
  bool timed_out = false;
  const Status status = pool.Run(2, [&](std::size_t) {
    std::unique_lock<std::mutex> lock(mutex);
    ++started;
    changed.notify_all();
    if (!changed.wait_for(lock, std::chrono::seconds(10), [&] { return started == 2; })) timed_out = true;
    return Status::Ok();
  });
  EXPECT_TRUE(status.ok());
  EXPECT_FALSE(timed_out);
}

TEST(TaskBounds, SplitsIntoFixedGrains) {
  EXPECT_EQ(NumTasks(0, 4), 0u);
  EXPECT_EQ(NumTasks(1, 4), 1u);
  EXPECT_EQ(NumTasks(8, 4), 2u);
  EXPECT_EQ(NumTasks(9, 4), 3u);
  const TaskRange last = TaskBounds(2, 9, 4);
  EXPECT_EQ(last.begin, 8u);
  EXPECT_EQ(last.end, 9u);
  const TaskRange middle = TaskBounds(1, 9, 4);
  EXPECT_EQ(middle.begin, 4u);
  EXPECT_EQ(middle.end, 8u);
}

TEST(ParallelFor, CoversRangeWithFixedGrain) {
  for (std::size_t threads : ThreadCounts()) {
    ThreadPool pool(threads);
    for (std::size_t n : {0u, 1u, 7u, 100u, 1001u}) {
      for (std::size_t grain : {1u, 3u, 64u, 1000u, 5000u}) {
        std::mutex mutex;
        std::vector<std::pair<std::size_t, std::size_t>> ranges;
        std::vector<int> hits(n, 0);
        const Status status = ParallelFor(pool, n, grain, [&](std::size_t begin, std::size_t end) {
          std::lock_guard<std::mutex> lock(mutex);
          ranges.emplace_back(begin, end);
          for (std::size_t item = begin; item < end; ++item) ++hits[item];
          return Status::Ok();
        });
        ASSERT_TRUE(status.ok());
        std::sort(ranges.begin(), ranges.end());
        // Expected: [k * grain, min((k + 1) * grain, n)) for every k with k * grain < n.
        std::vector<std::pair<std::size_t, std::size_t>> expected;
        for (std::size_t begin = 0; begin < n; begin += grain) expected.emplace_back(begin, std::min(begin + grain, n));
        EXPECT_EQ(ranges, expected) << "threads " << threads << ", n " << n << ", grain " << grain;
        EXPECT_TRUE(std::all_of(hits.begin(), hits.end(), [](int count) { return count == 1; }));
      }
    }
  }
}

TEST(ParallelFor, PassesOnTheFirstFailure) {
  ThreadPool pool(3);
  const Status status = ParallelFor(pool, 100, 10, [](std::size_t begin, std::size_t) {
    return begin >= 40 ? InvalidData("range at " + std::to_string(begin)) : Status::Ok();
  });
  EXPECT_EQ(status.message(), "range at 40");
}

std::uint64_t Bits(double value) {
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

TEST(ParallelFor, FloatingPointSumIsBitIdenticalAcrossThreadCounts) {
  // Values of wildly different magnitudes and signs, so that any change in summation
  // order changes the rounded result.
  constexpr std::size_t kItems = 100000;
  constexpr std::size_t kGrain = 1000;
  std::vector<double> values(kItems);
  RandomStream stream(3, "sample", 0);
  for (std::size_t item = 0; item < kItems; ++item) {
    const double magnitude = std::ldexp(1.0, static_cast<int>(stream.UniformBelow(80)) - 40);
    values[item] = (stream.UniformBelow(2) == 0 ? -1.0 : 1.0) * magnitude * (1.0 + stream.UniformDouble());
  }
  // Reference computed here: per grain-sized block left to right, blocks combined in order.
  double reference = 0.0;
  for (std::size_t begin = 0; begin < kItems; begin += kGrain) {
    double partial = 0.0;
    for (std::size_t item = begin; item < std::min(begin + kGrain, kItems); ++item) partial += values[item];
    reference += partial;
  }
  for (std::size_t threads : ThreadCounts()) {
    ThreadPool pool(threads);
    std::vector<double> partials(NumTasks(kItems, kGrain), 0.0);
    ASSERT_TRUE(ParallelFor(pool, kItems, kGrain, [&](std::size_t begin, std::size_t end) {
                  double partial = 0.0;
                  for (std::size_t item = begin; item < end; ++item) partial += values[item];
                  partials[begin / kGrain] = partial;
                  return Status::Ok();
                }).ok());
    double total = 0.0;
    for (double partial : partials) total += partial;
    EXPECT_EQ(Bits(total), Bits(reference)) << "threads " << threads;
  }
}

}  // namespace
}  // namespace synthscale

namespace synthscale {
namespace {

TEST(ThreadPool, ATaskThatThrowsFailsWithAStatusInsteadOfTerminating) {
  for (std::size_t threads : {std::size_t{1}, std::size_t{3}}) {
    ThreadPool pool(threads);
    const Status status = pool.Run(8, [](std::size_t task) -> Status {
      if (task == 5) throw std::bad_alloc();
      return Status::Ok();
    });
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.code(), ErrorCode::kInternal);
    EXPECT_NE(status.message().find("not enough memory"), std::string::npos);
  }
}

}  // namespace
}  // namespace synthscale
