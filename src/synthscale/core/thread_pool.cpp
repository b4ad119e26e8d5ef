#include "synthscale/core/thread_pool.h"

#include <exception>
#include <new>
#include <string>

namespace synthscale {

std::size_t HardwareThreads() {
  const unsigned count = std::thread::hardware_concurrency();
  return count == 0 ? 1 : count;
}

ThreadPool::ThreadPool(std::size_t threads) : num_threads_(threads == 0 ? HardwareThreads() : threads) {
  // The caller participates in Run, so a pool of N threads starts N - 1 workers.
  for (std::size_t worker_idx = 1; worker_idx < num_threads_; ++worker_idx) {
    workers_.emplace_back([this] { WorkerLoop(); });
  }
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

namespace {

// No exception may cross a worker thread (it would call std::terminate): a task that
// throws (std::bad_alloc from a large allocation, a library's exception) fails with a
// Status like any other.
Status RunTask(const std::function<Status(std::size_t)>& task, std::size_t task_idx) {
  try {
    return task(task_idx);
  } catch (const std::bad_alloc&) {
    return Internal("not enough memory for a parallel task; use a smaller problem (fewer rows, columns or "
                    "categories) or a machine with more memory");
  } catch (const std::exception& error) {
    return Internal(std::string("a parallel task failed: ") + error.what());
  }
}

}  // namespace

void ThreadPool::WorkerLoop() {
  std::uint64_t seen_generation = 0;
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    work_ready_.wait(lock, [&] { return stopping_ || generation_ != seen_generation; });
    if (stopping_) return;
    seen_generation = generation_;
    while (next_task_ < num_tasks_) {
      const std::size_t task_idx = next_task_++;
      lock.unlock();
      Status status = RunTask(*task_, task_idx);
      lock.lock();
      task_status_[task_idx] = std::move(status);
      if (++tasks_finished_ == num_tasks_) work_done_.notify_all();
    }
  }
}

Status ThreadPool::Run(std::size_t num_tasks, const std::function<Status(std::size_t)>& task) {
  if (num_tasks == 0) return Status::Ok();
  if (workers_.empty() || num_tasks == 1) {
    for (std::size_t task_idx = 0; task_idx < num_tasks; ++task_idx) {
      SYNTHSCALE_RETURN_IF_ERROR(RunTask(task, task_idx));
    }
    return Status::Ok();
  }
  std::unique_lock<std::mutex> lock(mutex_);
  task_ = &task;
  num_tasks_ = num_tasks;
  next_task_ = 0;
  tasks_finished_ = 0;
  task_status_.assign(num_tasks, Status::Ok());
  ++generation_;
  work_ready_.notify_all();
  // The calling thread works too.
  while (next_task_ < num_tasks_) {
    const std::size_t task_idx = next_task_++;
    lock.unlock();
    Status status = RunTask(task, task_idx);
    lock.lock();
    task_status_[task_idx] = std::move(status);
    ++tasks_finished_;
  }
  work_done_.wait(lock, [&] { return tasks_finished_ == num_tasks_; });
  task_ = nullptr;
  num_tasks_ = 0;
  for (Status& status : task_status_) {
    if (!status.ok()) return status;
  }
  return Status::Ok();
}

Status ParallelFor(ThreadPool& pool, std::size_t n, std::size_t grain,
                   const std::function<Status(std::size_t, std::size_t)>& body) {
  if (grain == 0) grain = 1;
  return pool.Run(NumTasks(n, grain), [&](std::size_t task_idx) {
    const TaskRange range = TaskBounds(task_idx, n, grain);
    return body(range.begin, range.end);
  });
}

}  // namespace synthscale
