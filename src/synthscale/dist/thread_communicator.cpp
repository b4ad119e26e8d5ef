#include "synthscale/dist/thread_communicator.h"

#include <algorithm>
#include <thread>

namespace synthscale {

ThreadCommunicatorGroup::Shared::Shared(int size)
    : barrier(size),
      data(static_cast<std::size_t>(size), nullptr),
      lengths(static_cast<std::size_t>(size), 0),
      roots(static_cast<std::size_t>(size), 0) {}

class ThreadCommunicatorGroup::RankCommunicator final : public Communicator {
 public:
  RankCommunicator(Shared& shared, int rank, int size) : shared_(&shared), rank_(rank), size_(size) {}

  int rank() const override { return rank_; }
  int size() const override { return size_; }

  Status AllReduceSum(std::span<std::int64_t> values) const override { return Reduce(values); }
  Status AllReduceSum(std::span<double> values) const override { return Reduce(values); }

  Status Broadcast(std::string& bytes, int root) const override {
    const auto self = static_cast<std::size_t>(rank_);
    shared_->data[self] = &bytes;
    shared_->roots[self] = root;
    shared_->barrier.arrive_and_wait();
    const bool same_root = std::all_of(shared_->roots.begin(), shared_->roots.end(),
                                       [&](int other) { return other == root; });
    const bool valid_root = root >= 0 && root < size_;
    if (same_root && valid_root && root != rank_) {
      bytes = *static_cast<const std::string*>(shared_->data[static_cast<std::size_t>(root)]);
    }
    // Nobody returns (and may change its string) before every rank has copied the root's.
    shared_->barrier.arrive_and_wait();
    if (!valid_root) return InvalidRootError(root, size_);
    if (!same_root) return InvalidArgument("broadcast: ranks passed different roots");
    return Status::Ok();
  }

 private:
  template <typename T>
  Status Reduce(std::span<T> values) const {
    const auto self = static_cast<std::size_t>(rank_);
    shared_->data[self] = values.data();
    shared_->lengths[self] = values.size();
    shared_->barrier.arrive_and_wait();
    const bool same_length = std::all_of(shared_->lengths.begin(), shared_->lengths.end(),
                                         [&](std::size_t length) { return length == values.size(); });
    std::vector<T> sum;
    if (same_length) {
      // Rank order: ((v_0 + v_1) + v_2) + ..., the same bits on every rank.
      const T* first = static_cast<const T*>(shared_->data[0]);
      sum.assign(first, first + values.size());
      for (std::size_t other = 1; other < shared_->data.size(); ++other) {
        const T* part = static_cast<const T*>(shared_->data[other]);
        for (std::size_t idx = 0; idx < sum.size(); ++idx) sum[idx] += part[idx];
      }
    }
    // Nobody overwrites its input before every rank has read all inputs.
    shared_->barrier.arrive_and_wait();
    if (!same_length) {
      return InvalidArgument("all-reduce: ranks passed different lengths (this rank " +
                             std::to_string(values.size()) + ")");
    }
    std::copy(sum.begin(), sum.end(), values.begin());
    return Status::Ok();
  }

  Shared* shared_;
  int rank_;
  int size_;
};

ThreadCommunicatorGroup::ThreadCommunicatorGroup(int size)
    : size_(std::max(size, 1)), shared_(std::make_unique<Shared>(size_)) {
  for (int rank = 0; rank < size_; ++rank) {
    communicators_.push_back(std::make_unique<RankCommunicator>(*shared_, rank, size_));
  }
}

std::vector<Status> ThreadCommunicatorGroup::Run(const std::function<Status(const Communicator&)>& body) const {
  std::vector<Status> statuses(static_cast<std::size_t>(size_));
  std::vector<std::thread> threads;
  threads.reserve(statuses.size());
  for (std::size_t rank = 0; rank < statuses.size(); ++rank) {
    threads.emplace_back([&, rank] { statuses[rank] = body(*communicators_[rank]); });
  }
  for (std::thread& thread : threads) thread.join();
  return statuses;
}

}  // namespace synthscale
