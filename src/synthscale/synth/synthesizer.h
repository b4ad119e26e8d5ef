// Synthesizer: the interface every generation method implements, and its registry.
//
// A synthesizer learns from an EncodedTable (codes per modelled column, schema order)
// and draws synthetic rows as codes. Row r is drawn from RandomStream(seed, "sample", r)
// alone, so sampled bytes never depend on threads, ranks or batch sizes. Decoding codes
// to values (within-bin draws) continues on the same stream after SampleRow.
// SampleCodesRounded draws all rows' codes at once instead (rounded sampling); their
// decoding then uses a stream per row of its own (see Model::DecodeRows).
//
// Differentially private methods receive a PrivacyLedger and a Csprng in FitInputs and
// must charge the ledger for every selection and measurement before drawing its noise;
// nothing else in a fit may touch the data.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "synthscale/core/context.h"
#include "synthscale/core/crypto.h"
#include "synthscale/core/random_stream.h"
#include "synthscale/core/status.h"
#include "synthscale/privacy/ledger.h"
#include "synthscale/synth/synthesizer_options.h"
#include "synthscale/table/encoding.h"

namespace synthscale {

// What a fit may use besides the data.
struct FitInputs {
  const Encoder* encoder = nullptr;  // the schema's codecs, modelled columns in data order
  PrivacyLedger* ledger = nullptr;   // required by differentially private methods
  Csprng* noise = nullptr;           // required by differentially private methods
};

// Learned parameters as stored in the model file: JSON for structure, and an optional
// binary blob for bulk numbers (little-endian; its layout is the method's).
struct SavedParameters {
  std::string json;
  std::string binary;
};

class Synthesizer {
 public:
  virtual ~Synthesizer() = default;

  // Registry name, e.g. "independent".
  virtual std::string_view method() const = 0;
  // Whether fitting spends a differential-privacy budget (and what it guarantees).
  virtual bool differentially_private() const = 0;

  // Learn from `data`. Refitting forgets earlier data. Errors: kInvalidData (the data),
  // kInvalidArgument (options, a budget too small for the method).
  virtual Status Fit(const EncodedTable& data, const FitInputs& inputs, const Context& ctx) = 0;
  virtual bool fitted() const = 0;

  // Draw one row's codes (one per modelled column, in schema order). Requires fitted().
  // Thread-safe: const, no shared mutable state.
  virtual void SampleRow(RandomStream& stream, std::span<std::uint32_t> codes) const = 0;

  // Draw the codes of all `rows` rows jointly by controlled rounding (pgm/rounded_sampler.h),
  // so the sample's marginals carry almost no sampling noise. `codes` is resized to rows x
  // modelled columns, column-major: codes[col * rows + row]. The result depends only on
  // (parameters, rows, seed), never on ctx's threads. Requires fitted(). Errors:
  // kInvalidArgument when the method cannot sample jointly (the default) or rows is too many.
  virtual Status SampleCodesRounded(std::uint64_t rows, std::uint64_t seed, const Context& ctx,
                                    std::vector<std::uint32_t>& codes) const {
    (void)rows, (void)seed, (void)ctx, (void)codes;
    return InvalidArgument("method '" + std::string(method()) + "' has no rounded sampling; use iid sampling");
  }

  // Learned parameters, and back (model file payload). Load errors: kInvalidData.
  virtual SavedParameters SaveParameters() const = 0;
  virtual Status LoadParameters(const SavedParameters& saved, const Encoder& encoder) = 0;

  // What `synthscale inspect` shows of the learned structure, as a JSON object
  // (e.g. {"cliques": [["age", "sex"], ...]}).
  virtual std::string DescribeJson() const = 0;
};

// Names of the registered methods, sorted.
std::vector<std::string> SynthesizerMethods();
// Whether `method` is registered and differentially private.
bool IsPrivateMethod(std::string_view method);
// A new, unfitted synthesizer. Errors: kInvalidArgument naming the known methods, or an
// option the method does not accept.
Result<std::unique_ptr<Synthesizer>> MakeSynthesizer(std::string_view method,
                                                     const SynthesizerOptions& options = {});

}  // namespace synthscale
