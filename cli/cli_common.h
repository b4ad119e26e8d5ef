// What every subcommand shares: exit codes, error printing, progress on a terminal,
// and the CSV options flags.
#pragma once

#include <CLI/CLI.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "synthscale/core/context.h"
#include "synthscale/core/status.h"
#include "synthscale/io/csv_options.h"

namespace synthscale::cli {

// Documented in docs/cli.md; scripts and workflow engines rely on them.
enum ExitCode : int {
  kExitOk = 0,
  kExitUsage = 2,         // bad flags or arguments (also kInvalidArgument)
  kExitInvalidData = 3,   // malformed input: CSV, schema, model file
  kExitIO = 4,            // file missing, unreadable, a directory, disk full
  kExitNotFitted = 5,     // a model that was never fitted
  kExitOutputExists = 6,  // the output exists and --force was not given
  kExitInternal = 70,     // a bug in synthscale: please report it
};

int ExitCodeFor(ErrorCode code);
// Print the one-line error to stderr and return its exit code.
int ReportError(const Status& status);

struct GlobalOptions {
  std::size_t threads = 0;  // 0 = all cores
  bool quiet = false;
  std::vector<std::string> command_line;  // argv, for provenance manifests
};

// A Context with the thread count and, when stderr is a terminal, progress and warnings.
std::unique_ptr<Context> MakeContext(const GlobalOptions& options);
// Warnings always go to stderr (unless --quiet), terminal or not.
void PrintWarning(const GlobalOptions& options, const std::string& message);

// --delimiter, --na, --allow-out-of-domain on `command`, filling `options`.
void AddCsvFlags(CLI::App& command, CsvOptions& options, std::string& delimiter,
                 std::vector<std::string>& missing_tokens);
// Apply the textual flags; errors: kInvalidArgument.
Status FinishCsvOptions(const std::string& delimiter, const std::vector<std::string>& missing_tokens,
                        CsvOptions& options);

}  // namespace synthscale::cli
