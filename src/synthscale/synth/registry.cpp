// The synthesizer registry: method name -> factory. One line per method.
#include <algorithm>
#include <functional>
#include <map>

#include "synthscale/synth/aim.h"
#include "synthscale/synth/independent.h"
#include "synthscale/synth/mst.h"
#include "synthscale/synth/synthesizer.h"

namespace synthscale {
namespace {

struct Entry {
  bool differentially_private;
  std::function<std::unique_ptr<Synthesizer>(const SynthesizerOptions&)> make;
};

const std::map<std::string, Entry, std::less<>>& Registry() {
  static const std::map<std::string, Entry, std::less<>> kRegistry = {
      {"aim", {true, [](const SynthesizerOptions& options) { return std::make_unique<AimSynthesizer>(options); }}},
      {"independent", {false, [](const SynthesizerOptions&) { return std::make_unique<IndependentSynthesizer>(); }}},
      {"mst", {true, [](const SynthesizerOptions& options) { return std::make_unique<MstSynthesizer>(options); }}},
  };
  return kRegistry;
}

}  // namespace

std::vector<std::string> SynthesizerMethods() {
  std::vector<std::string> names;
  for (const auto& [name, entry] : Registry()) names.push_back(name);
  return names;
}

bool IsPrivateMethod(std::string_view method) {
  const auto found = Registry().find(method);
  return found != Registry().end() && found->second.differentially_private;
}

Result<std::unique_ptr<Synthesizer>> MakeSynthesizer(std::string_view method, const SynthesizerOptions& options) {
  const auto found = Registry().find(method);
  if (found == Registry().end()) {
    std::string known;
    for (const std::string& name : SynthesizerMethods()) known += (known.empty() ? "" : ", ") + name;
    return InvalidArgument("unknown method '" + std::string(method) + "'; available: " + known);
  }
  SYNTHSCALE_RETURN_IF_ERROR(options.Validate(method, found->second.differentially_private));
  return found->second.make(options);
}

}  // namespace synthscale
