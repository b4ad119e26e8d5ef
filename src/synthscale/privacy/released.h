// What a mechanism returns: the noisy answer together with the privacy it spent (the
// charge it recorded in the ledger before drawing the noise).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "synthscale/privacy/ledger.h"

namespace synthscale {

// Noisy integer counts, one per input count, in the same order.
struct NoisyCounts {
  std::vector<std::int64_t> values;
  PrivacyCharge charge;
};

// The index of the candidate an exponential mechanism selected.
struct Selection {
  std::size_t index = 0;
  PrivacyCharge charge;
};

// Largest |count| a noisy-count mechanism accepts (2^62), so that count + noise, with
// |noise| <= 2^62 guaranteed by the samplers, cannot overflow.
inline constexpr std::int64_t kMaxCountMagnitude = std::int64_t{1} << 62;

}  // namespace synthscale
