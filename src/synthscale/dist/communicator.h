// Communicator: the collectives that let the same code run on one process or on many
// ranks (MPI processes) that each hold a shard of the rows.
//
// Contract, for every backend:
// - Every rank calls the same collectives, in the same order, with the same sizes
//   (AllReduceSum: the same span length; Broadcast: the same root). A rank that hits an
//   error of its own must still take part in the collectives its peers will call, and
//   tell them through the data (see CountMarginal's error flag in marginal/count.h);
//   otherwise its peers wait for ever.
// - AllReduceSum over doubles adds the ranks' values in rank order,
//   ((v_0 + v_1) + v_2) + ..., on every rank, so every rank gets the same bits and a run
//   on N ranks is reproducible. (MPI_Allreduce gives neither guarantee; the MPI backend
//   gathers and adds in rank order itself.) Integer sums are exact in any order; the
//   caller keeps them below 2^63.
// - Collectives return a non-OK Status only for errors every rank sees alike (invalid
//   arguments, a failed transport), never for data.
//
// Thread safety: a Communicator is used by one thread at a time; collectives are
// const because they do not change which group or rank the object stands for.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "synthscale/core/status.h"

namespace synthscale {

class Communicator {
 public:
  virtual ~Communicator() = default;

  // This process's rank in [0, size()).
  virtual int rank() const = 0;
  // Number of ranks, at least 1.
  virtual int size() const = 0;

  // Replace values[i] on every rank by the sum over ranks of values[i].
  // Errors: kInvalidArgument when ranks pass different lengths (backends that can tell).
  [[nodiscard]] virtual Status AllReduceSum(std::span<std::int64_t> values) const = 0;
  // As above, adding in rank order so the result is bit-identical on every rank.
  [[nodiscard]] virtual Status AllReduceSum(std::span<double> values) const = 0;

  // Make `bytes` on every rank equal to `bytes` on rank `root` (any length).
  // Errors: kInvalidArgument unless 0 <= root < size().
  [[nodiscard]] virtual Status Broadcast(std::string& bytes, int root) const = 0;

 protected:
  Communicator() = default;
  Communicator(const Communicator&) = default;
  Communicator& operator=(const Communicator&) = default;
};

// The one-process group: rank 0 of 1. Sums and broadcasts leave the data as it is.
class SingleProcessCommunicator final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  [[nodiscard]] Status AllReduceSum(std::span<std::int64_t> values) const override;
  [[nodiscard]] Status AllReduceSum(std::span<double> values) const override;
  // Errors: kInvalidArgument unless root == 0.
  [[nodiscard]] Status Broadcast(std::string& bytes, int root) const override;
};

// The message for a root outside [0, size): shared by the backends.
Status InvalidRootError(int root, int size);

}  // namespace synthscale
