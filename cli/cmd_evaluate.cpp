// synthscale evaluate: the trust report. Not available until its issue lands.
#include <cstdio>

#include "commands.h"

namespace synthscale::cli {

Command AddEvaluateCommand(CLI::App& app, const GlobalOptions& /*global*/) {
  CLI::App* command = app.add_subcommand("evaluate", "Compare synthetic with real data (not yet available)");
  command->allow_extras();
  return {command, [] {
            std::fprintf(stderr,
                         "synthscale: error: 'evaluate' is not yet available in this version; the "
                         "trust report is planned (issue #6)\n");
            return static_cast<int>(kExitUnavailable);
          }};
}

}  // namespace synthscale::cli
