// Readable labels for encoded values, for reports: "Female", "[17, 19]", "(missing)".
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "synthscale/eval/eval_inputs.h"

namespace synthscale::eval {

// The label of `code` in modelled column `column`: the category for categorical columns,
// "true"/"false" for booleans, the bin as a closed range "[low, high]" for integer and
// datetime columns (datetimes as ISO dates or times) and a half-open "[low, high)" for
// continuous ones, "(missing)" and "(out of domain)" for the two extra codes.
std::string CodeLabel(const EvalInputs& inputs, std::size_t column, std::uint32_t code);

}  // namespace synthscale::eval
