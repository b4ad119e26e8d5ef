#include "synthscale/dist/communicator.h"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "synthscale/dist/thread_communicator.h"

namespace synthscale {
namespace {

TEST(SingleProcessCommunicator, IsRankZeroOfOne) {
  const SingleProcessCommunicator comm;
  EXPECT_EQ(comm.rank(), 0);
  EXPECT_EQ(comm.size(), 1);
}

TEST(SingleProcessCommunicator, CollectivesLeaveDataAsItIs) {
  const SingleProcessCommunicator comm;
  std::vector<std::int64_t> ints{1, -2, 3};
  ASSERT_TRUE(comm.AllReduceSum(std::span<std::int64_t>(ints)).ok());
  EXPECT_EQ(ints, (std::vector<std::int64_t>{1, -2, 3}));
  std::vector<double> doubles{0.5, -1.25};
  ASSERT_TRUE(comm.AllReduceSum(std::span<double>(doubles)).ok());
  EXPECT_EQ(doubles, (std::vector<double>{0.5, -1.25}));
  std::vector<double> empty;
  EXPECT_TRUE(comm.AllReduceSum(std::span<double>(empty)).ok());
  std::string bytes("a\0b", 3);
  ASSERT_TRUE(comm.Broadcast(bytes, 0).ok());
  EXPECT_EQ(bytes, std::string("a\0b", 3));
}

TEST(SingleProcessCommunicator, BroadcastRootOutsideGroupIsAnError) {
  const SingleProcessCommunicator comm;
  std::string bytes = "x";
  const Status status = comm.Broadcast(bytes, 1);
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(status.message().find("root must be a rank in [0, 1), got 1"), std::string::npos) << status.message();
  EXPECT_EQ(comm.Broadcast(bytes, -1).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bytes, "x");
}

TEST(ThreadCommunicatorGroup, RanksAndSizes) {
  const ThreadCommunicatorGroup group(3);
  std::vector<int> seen(3, -1);
  const std::vector<Status> statuses = group.Run([&](const Communicator& comm) {
    seen[static_cast<std::size_t>(comm.rank())] = comm.size();
    return Status::Ok();
  });
  EXPECT_EQ(seen, (std::vector<int>{3, 3, 3}));
  for (const Status& status : statuses) EXPECT_TRUE(status.ok());
}

TEST(ThreadCommunicatorGroup, IntegerSumOnEveryRank) {
  const ThreadCommunicatorGroup group(4);
  std::vector<std::vector<std::int64_t>> results(4);
  const std::vector<Status> statuses = group.Run([&](const Communicator& comm) {
    std::vector<std::int64_t> values{comm.rank(), 10 * comm.rank(), -1};
    Status status = comm.AllReduceSum(std::span<std::int64_t>(values));
    results[static_cast<std::size_t>(comm.rank())] = values;
    return status;
  });
  for (std::size_t rank = 0; rank < 4; ++rank) {
    ASSERT_TRUE(statuses[rank].ok()) << statuses[rank].ToString();
    EXPECT_EQ(results[rank], (std::vector<std::int64_t>{6, 60, -4}));
  }
}

TEST(ThreadCommunicatorGroup, DoubleSumIsInRankOrderOnEveryRank) {
  // ((1e16 + 1) + -1e16) == 0 in doubles, while (1e16 + -1e16) + 1 == 1: only rank order gives 0.
  const std::vector<double> inputs{1e16, 1.0, -1e16};
  const double rank_order = (inputs[0] + inputs[1]) + inputs[2];
  ASSERT_EQ(rank_order, 0.0);
  const ThreadCommunicatorGroup group(3);
  std::vector<double> results(3, -1.0);
  const std::vector<Status> statuses = group.Run([&](const Communicator& comm) {
    std::vector<double> values{inputs[static_cast<std::size_t>(comm.rank())]};
    Status status = comm.AllReduceSum(std::span<double>(values));
    results[static_cast<std::size_t>(comm.rank())] = values[0];
    return status;
  });
  for (std::size_t rank = 0; rank < 3; ++rank) {
    ASSERT_TRUE(statuses[rank].ok());
    EXPECT_EQ(results[rank], rank_order);
  }
}

TEST(ThreadCommunicatorGroup, BroadcastCopiesTheRootsBytes) {
  const ThreadCommunicatorGroup group(3);
  std::vector<std::string> results(3);
  const std::vector<Status> statuses = group.Run([&](const Communicator& comm) {
    std::string bytes = "rank " + std::to_string(comm.rank());
    Status status = comm.Broadcast(bytes, 2);
    results[static_cast<std::size_t>(comm.rank())] = bytes;
    return status;
  });
  for (std::size_t rank = 0; rank < 3; ++rank) {
    ASSERT_TRUE(statuses[rank].ok());
    EXPECT_EQ(results[rank], "rank 2");
  }
}

TEST(ThreadCommunicatorGroup, DifferentLengthsFailOnEveryRank) {
  const ThreadCommunicatorGroup group(2);
  const std::vector<Status> statuses = group.Run([&](const Communicator& comm) {
    std::vector<std::int64_t> values(static_cast<std::size_t>(comm.rank()) + 1, 1);
    return comm.AllReduceSum(std::span<std::int64_t>(values));
  });
  for (const Status& status : statuses) {
    EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(status.message().find("different lengths"), std::string::npos) << status.message();
  }
}

TEST(ThreadCommunicatorGroup, BadRootFailsOnEveryRankAndLaterCollectivesStillWork) {
  const ThreadCommunicatorGroup group(2);
  std::vector<std::int64_t> sums(2, 0);
  const std::vector<Status> statuses = group.Run([&](const Communicator& comm) {
    std::string bytes = "x";
    Status status = comm.Broadcast(bytes, 5);
    std::vector<std::int64_t> values{1};
    if (!comm.AllReduceSum(std::span<std::int64_t>(values)).ok()) return Internal("all-reduce failed");
    sums[static_cast<std::size_t>(comm.rank())] = values[0];
    return status;
  });
  for (std::size_t rank = 0; rank < 2; ++rank) {
    EXPECT_EQ(statuses[rank].code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(statuses[rank].message().find("got 5"), std::string::npos) << statuses[rank].message();
    EXPECT_EQ(sums[rank], 2);
  }
}

}  // namespace
}  // namespace synthscale
