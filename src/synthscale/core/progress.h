// Progress reporting: the library never prints; it calls a ProgressCallback.
// The CLI shows progress on stderr only when stderr is a terminal.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

namespace synthscale {

// (what is being done, units done so far, total units or 0 when unknown).
using ProgressCallback = std::function<void(std::string_view stage, std::uint64_t done,
                                            std::uint64_t total)>;

}  // namespace synthscale
