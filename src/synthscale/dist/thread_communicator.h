// ThreadCommunicatorGroup: a group of ranks that are threads of this one process.
//
// It follows the Communicator contract exactly (collectives in the same order on every
// rank, double sums in rank order), so tests can run distributed code paths with 2, 3 or
// 7 ranks, each holding a shard of the rows, and check the result against one process.
// It is not a way to speed anything up: ranks exchange data through shared memory behind
// a barrier per collective.
//
// Thread safety: each rank's Communicator is used by one thread at a time, and every
// rank's thread must take part in every collective (or the others wait for ever).
#pragma once

#include <barrier>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "synthscale/core/status.h"
#include "synthscale/dist/communicator.h"

namespace synthscale {

class ThreadCommunicatorGroup {
 public:
  // A group of `size` ranks; size < 1 is treated as 1.
  explicit ThreadCommunicatorGroup(int size);
  ThreadCommunicatorGroup(const ThreadCommunicatorGroup&) = delete;
  ThreadCommunicatorGroup& operator=(const ThreadCommunicatorGroup&) = delete;

  int size() const { return size_; }
  // The communicator of `rank` (0 <= rank < size()), valid while the group lives.
  const Communicator& communicator(int rank) const { return *communicators_[static_cast<std::size_t>(rank)]; }

  // Run body(communicator(rank)) for every rank, each on its own thread, and return
  // each rank's Status, indexed by rank.
  std::vector<Status> Run(const std::function<Status(const Communicator&)>& body) const;

 private:
  class RankCommunicator;
  friend class RankCommunicator;

  // Shared by the ranks' collectives; written by rank r only in slot r, between barriers.
  struct Shared {
    explicit Shared(int size);
    std::barrier<> barrier;
    std::vector<const void*> data;
    std::vector<std::size_t> lengths;
    std::vector<int> roots;
  };

  int size_;
  std::unique_ptr<Shared> shared_;
  std::vector<std::unique_ptr<Communicator>> communicators_;
};

}  // namespace synthscale
