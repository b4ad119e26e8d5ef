// The library's version and the git commit it was built from.
#pragma once

namespace synthscale {

const char* Version();
const char* GitCommit();

}  // namespace synthscale
