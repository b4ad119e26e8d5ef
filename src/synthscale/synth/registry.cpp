// The synthesizer registry: method name -> factory. One line per method.
#include <algorithm>
#include <functional>
#include <map>

#include "synthscale/synth/independent.h"
#include "synthscale/synth/synthesizer.h"

namespace synthscale {
namespace {

using Factory = std::function<std::unique_ptr<Synthesizer>()>;

const std::map<std::string, Factory, std::less<>>& Registry() {
  static const std::map<std::string, Factory, std::less<>> kRegistry = {
      {"independent", [] { return std::make_unique<IndependentSynthesizer>(); }},
  };
  return kRegistry;
}

}  // namespace

std::vector<std::string> SynthesizerMethods() {
  std::vector<std::string> names;
  for (const auto& [name, factory] : Registry()) names.push_back(name);
  return names;
}

Result<std::unique_ptr<Synthesizer>> MakeSynthesizer(std::string_view method) {
  const auto found = Registry().find(method);
  if (found == Registry().end()) {
    std::string known;
    for (const std::string& name : SynthesizerMethods()) known += (known.empty() ? "" : ", ") + name;
    return InvalidArgument("unknown method '" + std::string(method) + "'; available: " + known);
  }
  return found->second();
}

}  // namespace synthscale
