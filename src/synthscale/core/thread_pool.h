// ThreadPool and deterministic parallel loops.
//
// Work is cut into tasks whose boundaries depend only on the problem size and a fixed
// grain (never on the number of threads). Each task writes its own partial result, and
// partial results are combined in task-index order on the calling thread. So a sum over
// rows is the same bits with 1, 2 or 64 threads: the reduction order is
// ((p0 + p1) + p2) + ... over tasks in index order, whatever thread ran each task.
//
// Thread safety: Run/ParallelFor may be called from one thread at a time per pool.
// Worker threads never throw across the pool: the first failing task's Status is returned.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "synthscale/core/status.h"

namespace synthscale {

class ThreadPool {
 public:
  // threads == 0 means all hardware threads. A pool of 1 runs tasks on the caller.
  explicit ThreadPool(std::size_t threads = 0);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  std::size_t size() const { return num_threads_; }

  // Run task(task_idx) for task_idx in [0, num_tasks); tasks are claimed in index order.
  // Returns the Status of the lowest-indexed failed task, or OK.
  Status Run(std::size_t num_tasks, const std::function<Status(std::size_t)>& task);

 private:
  void WorkerLoop();

  std::size_t num_threads_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable work_done_;
  const std::function<Status(std::size_t)>* task_ = nullptr;
  std::size_t num_tasks_ = 0;
  std::size_t next_task_ = 0;
  std::size_t tasks_finished_ = 0;
  std::uint64_t generation_ = 0;
  bool stopping_ = false;
  std::vector<Status> task_status_;
};

// Number of hardware threads (at least 1).
std::size_t HardwareThreads();

// Split [0, n) into ceil(n / grain) ranges of `grain` items (the last may be shorter).
struct TaskRange {
  std::size_t begin;
  std::size_t end;
};
inline std::size_t NumTasks(std::size_t n, std::size_t grain) { return (n + grain - 1) / grain; }
inline TaskRange TaskBounds(std::size_t task_idx, std::size_t n, std::size_t grain) {
  const std::size_t begin = task_idx * grain;
  return {begin, begin + grain < n ? begin + grain : n};
}

// Run body(begin, end) over fixed-size ranges of [0, n) in parallel.
Status ParallelFor(ThreadPool& pool, std::size_t n, std::size_t grain,
                   const std::function<Status(std::size_t, std::size_t)>& body);

}  // namespace synthscale
