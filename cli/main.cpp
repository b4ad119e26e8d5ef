// synthscale: synthetic data you can trust. See docs/cli.md.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <string>

#include "cli_common.h"
#include "commands.h"
#include "synthscale/core/version.h"

int main(int argc, char** argv) {
  using namespace synthscale::cli;
  CLI::App app{"synthscale: synthetic tables with formal privacy, measured quality and provenance",
               "synthscale"};
  app.require_subcommand(1);
  app.set_version_flag("--version",
                       std::string("synthscale ") + synthscale::Version() + " (" + synthscale::GitCommit() + ")");
  GlobalOptions global;
  global.command_line.assign(argv, argv + argc);
  app.add_option("--threads", global.threads, "Worker threads (0 = all cores)")
      ->default_val(0)
      ->check(CLI::Range(0, 4096));
  app.add_flag("-q,--quiet", global.quiet, "No warnings or progress on stderr");
  app.footer("Exit codes: 0 ok, 2 usage, 3 invalid data, 4 I/O, 5 not fitted, 6 output exists, "
             "70 internal error (docs/cli.md).");

  std::vector<Command> commands = AddSchemaCommands(app, global);
  commands.push_back(AddFitCommand(app, global));
  commands.push_back(AddSampleCommand(app, global));
  commands.push_back(AddInspectCommand(app, global));
  commands.push_back(AddEvaluateCommand(app, global));
  commands.push_back(AddBudgetCommand(app, global));
  commands.push_back(AddVerifyCommand(app, global));
  commands.push_back(AddTextCommand(app, global));
  for (Command& command : AddRunCommands(app, global)) commands.push_back(std::move(command));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
    std::fprintf(stderr, "synthscale: error: %s; see 'synthscale --help'\n", error.what());
    return kExitUsage;
  }
  try {
    for (const Command& command : commands) {
      if (command.app->parsed()) return command.run();
    }
  } catch (const std::exception& error) {
    // The library does not throw; anything here is a bug.
    std::fprintf(stderr, "synthscale: internal error: %s; please report it\n", error.what());
    return kExitInternal;
  }
  std::fprintf(stderr, "synthscale: error: choose a subcommand; see 'synthscale --help'\n");
  return kExitUsage;
}
