// Context: what every long-running library call needs, passed explicitly
// (no global mutable state): the thread pool, progress and warning callbacks.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>

#include "synthscale/core/progress.h"
#include "synthscale/core/thread_pool.h"

namespace synthscale {

using WarningCallback = std::function<void(std::string_view message)>;

class Context {
 public:
  // threads == 0 means all hardware threads.
  explicit Context(std::size_t threads = 0) : pool_(std::make_unique<ThreadPool>(threads)) {}

  ThreadPool& pool() const { return *pool_; }
  std::size_t threads() const { return pool_->size(); }

  void Progress(std::string_view stage, std::uint64_t done, std::uint64_t total) const {
    if (progress) progress(stage, done, total);
  }
  void Warn(std::string_view message) const {
    if (warning) warning(message);
  }

  ProgressCallback progress;
  WarningCallback warning;

 private:
  std::unique_ptr<ThreadPool> pool_;
};

}  // namespace synthscale
