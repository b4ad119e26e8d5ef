// CodeLabel: a readable label for an encoded value, for groups named in the report.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "synthscale/eval/eval_inputs.h"

namespace synthscale::eval {

// The label of `code` in modelled column `column` (an index into inputs.columns):
// the category for categorical columns, "false"/"true" for booleans, the bin's value
// range for binned numbers ("[17, 20]" for integers, inclusive; "[0.5, 1)" for
// continuous, the last bin closed; dates or datetimes for datetime columns), and
// "(missing)" / "(out of domain)" for the two extra codes. A code beyond those, or an
// unknown column, gives "(invalid code N)" rather than failing: labels are for display.
std::string CodeLabel(const EvalInputs& inputs, std::size_t column, std::uint32_t code);

}  // namespace synthscale::eval
