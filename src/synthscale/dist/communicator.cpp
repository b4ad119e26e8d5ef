#include "synthscale/dist/communicator.h"

namespace synthscale {

Status InvalidRootError(int root, int size) {
  return InvalidArgument("broadcast root must be a rank in [0, " + std::to_string(size) + "), got " +
                         std::to_string(root));
}

Status SingleProcessCommunicator::AllReduceSum(std::span<std::int64_t> /*values*/) const {
  return Status::Ok();
}

Status SingleProcessCommunicator::AllReduceSum(std::span<double> /*values*/) const { return Status::Ok(); }

Status SingleProcessCommunicator::Broadcast(std::string& /*bytes*/, int root) const {
  if (root != 0) return InvalidRootError(root, 1);
  return Status::Ok();
}

}  // namespace synthscale
