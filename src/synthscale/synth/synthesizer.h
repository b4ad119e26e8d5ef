// Synthesizer: the interface every generation method implements, and its registry.
//
// A synthesizer learns from an EncodedTable (codes per modelled column, schema order)
// and draws synthetic rows as codes. Row r is drawn from RandomStream(seed, "sample", r)
// alone, so sampled bytes never depend on threads, ranks or batch sizes. Decoding codes
// to values (within-bin draws) continues on the same stream after SampleRow.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "synthscale/core/context.h"
#include "synthscale/core/random_stream.h"
#include "synthscale/core/status.h"
#include "synthscale/table/encoding.h"

namespace synthscale {

class Synthesizer {
 public:
  virtual ~Synthesizer() = default;

  // Registry name, e.g. "independent".
  virtual std::string_view method() const = 0;
  // Whether fitting spends a differential-privacy budget (and what it guarantees).
  virtual bool differentially_private() const = 0;

  // Learn from `data`. Refitting forgets earlier data. Errors: kInvalidData.
  virtual Status Fit(const EncodedTable& data, const Context& ctx) = 0;
  virtual bool fitted() const = 0;

  // Draw one row's codes (one per modelled column, in schema order). Requires fitted().
  // Thread-safe: const, no shared mutable state.
  virtual void SampleRow(RandomStream& stream, std::span<std::uint32_t> codes) const = 0;

  // Learned parameters as JSON text, and back (model file payload). Load errors: kInvalidData.
  virtual std::string SaveParameters() const = 0;
  virtual Status LoadParameters(std::string_view json, const std::vector<std::uint32_t>& cardinalities) = 0;
};

// Names of the registered methods, sorted.
std::vector<std::string> SynthesizerMethods();
// A new, unfitted synthesizer. Errors: kInvalidArgument naming the known methods.
Result<std::unique_ptr<Synthesizer>> MakeSynthesizer(std::string_view method);

}  // namespace synthscale
