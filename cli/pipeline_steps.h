// Hidden subcommands for pipeline steps that have no public subcommand: `run` starts them
// as child processes like every other step (workflow/step_command.h names them).
#pragma once

#include <vector>

#include "commands.h"

namespace synthscale::cli {

// `pipeline-validate DATA --schema S` (an ingest step that checks a CSV against a schema)
// and `pipeline-mix --real R --synthetic S --schema X (--share F | --rows N) -o OUT`.
std::vector<Command> AddPipelineStepCommands(CLI::App& app, const GlobalOptions& global);

}  // namespace synthscale::cli
