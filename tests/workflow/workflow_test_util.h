// Helpers shared by the workflow tests: the io tests' temporary folder and file reader.
#pragma once

#include "../io/io_test_util.h"

namespace synthscale::testing_workflow {

using testing_io::ReadAll;
using testing_io::TempDir;

}  // namespace synthscale::testing_workflow
