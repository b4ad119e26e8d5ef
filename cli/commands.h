// The subcommands. Each Add*Command registers its flags on `app` and returns what to run
// when it was chosen; main() dispatches after parsing.
#pragma once

#include <functional>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli_common.h"

namespace synthscale::cli {

struct Command {
  CLI::App* app;
  std::function<int()> run;
};

std::vector<Command> AddSchemaCommands(CLI::App& app, const GlobalOptions& global);
Command AddFitCommand(CLI::App& app, const GlobalOptions& global);
Command AddSampleCommand(CLI::App& app, const GlobalOptions& global);
Command AddInspectCommand(CLI::App& app, const GlobalOptions& global);
Command AddEvaluateCommand(CLI::App& app, const GlobalOptions& global);
Command AddBudgetCommand(CLI::App& app, const GlobalOptions& global);
Command AddVerifyCommand(CLI::App& app, const GlobalOptions& global);
Command AddTextCommand(CLI::App& app, const GlobalOptions& global);  // text audit
std::vector<Command> AddRunCommands(CLI::App& app, const GlobalOptions& global);  // run + hidden step commands

}  // namespace synthscale::cli
