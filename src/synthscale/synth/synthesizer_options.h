// SynthesizerOptions: every setting a fit takes, written once with its default.
//
// The CLI's flags and the Python keyword arguments fill this struct; the model file
// records it (ToJson) so `synthscale inspect` shows how a model was made. Validate()
// checks the options against a method in one place, naming any option the method does
// not take.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "synthscale/core/status.h"
#include "synthscale/privacy/sensitivity.h"

namespace synthscale {

struct SynthesizerOptions {
  // Privacy budget of a differentially private method: (epsilon, delta), or rho (zCDP).
  std::optional<double> epsilon;
  std::optional<double> delta;
  std::optional<double> rho;
  // The privacy unit: one row added or removed (default), or one row replaced.
  Neighbouring neighbouring = Neighbouring::kAddRemoveOne;
  // A DP fit refuses a schema whose domain was read from the data unless this is set.
  bool allow_data_dependent_domain = false;

  // AIM: the workload is all marginals of `workload_degree` columns, unless
  // `workload` lists the column sets explicitly.
  std::uint32_t workload_degree = 3;
  std::vector<std::vector<std::string>> workload;
  // AIM: the largest graphical model allowed, in MiB of float64 cells (the paper's 80 MB).
  double max_model_size_mb = 80.0;
  // AIM: most selection rounds; 0 means the paper's 16 * columns.
  std::uint32_t max_rounds = 0;
  // Graphical-model estimation: most mirror-descent iterations per estimate.
  std::uint32_t max_iterations = 1000;

  // Errors: kInvalidArgument naming the option and the expected value.
  Status Validate(std::string_view method, bool differentially_private) const;
  // The options a method uses, as a JSON object (for the model file and inspect).
  std::string ToJson(bool differentially_private) const;
  // Back from ToJson(true). Errors: kInvalidData naming the malformed key.
  static Result<SynthesizerOptions> FromJson(std::string_view text);
};

// A workload as JSON text: an array of column-name arrays, e.g. [["age", "sex"], ["race"]].
// Errors: kInvalidData located by line and column in `file` (syntax errors and the
// offending entry), saying what was expected.
Result<std::vector<std::vector<std::string>>> ParseWorkload(std::string_view text, const std::string& file);

}  // namespace synthscale
