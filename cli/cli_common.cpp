#include "cli_common.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

namespace synthscale::cli {

int ExitCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return kExitOk;
    case ErrorCode::kInvalidArgument: return kExitUsage;
    case ErrorCode::kInvalidData: return kExitInvalidData;
    case ErrorCode::kIO: return kExitIO;
    case ErrorCode::kNotFitted: return kExitNotFitted;
    case ErrorCode::kAlreadyExists: return kExitOutputExists;
    case ErrorCode::kInternal: return kExitInternal;
  }
  return kExitInternal;
}

int ReportError(const Status& status) {
  std::string line = status.ToString();
  for (char& ch : line) {
    if (ch == '\n' || ch == '\r') ch = ' ';  // one line, always
  }
  std::fprintf(stderr, "synthscale: %s\n", line.c_str());
  return ExitCodeFor(status.code());
}

void PrintWarning(const GlobalOptions& options, const std::string& message) {
  if (!options.quiet) std::fprintf(stderr, "synthscale: warning: %s\n", message.c_str());
}

std::unique_ptr<Context> MakeContext(const GlobalOptions& options) {
  auto context = std::make_unique<Context>(options.threads);
  context->warning = [options](std::string_view message) { PrintWarning(options, std::string(message)); };
  if (!options.quiet && ::isatty(STDERR_FILENO)) {
    // Redraw at most ten times a second; finish the line when a stage completes.
    auto last = std::make_shared<std::chrono::steady_clock::time_point>();
    context->progress = [last](std::string_view stage, std::uint64_t done, std::uint64_t total) {
      const auto now = std::chrono::steady_clock::now();
      const bool finished = total > 0 && done >= total;
      if (!finished && now - *last < std::chrono::milliseconds(100)) return;
      *last = now;
      if (total > 0) {
        std::fprintf(stderr, "\r%.*s: %3.0f%%", static_cast<int>(stage.size()), stage.data(),
                     100.0 * static_cast<double>(done) / static_cast<double>(total));
      } else {
        std::fprintf(stderr, "\r%.*s: %llu", static_cast<int>(stage.size()), stage.data(),
                     static_cast<unsigned long long>(done));
      }
      if (finished) std::fputc('\n', stderr);
      std::fflush(stderr);
    };
  }
  return context;
}

void AddCsvFlags(CLI::App& command, CsvOptions& options, std::string& delimiter,
                 std::vector<std::string>& missing_tokens) {
  command.add_option("--delimiter", delimiter, "Field delimiter: one character, or 'tab'")
      ->default_val(",");
  command.add_option("--na", missing_tokens,
                     "Token that means a missing value (repeatable; replaces the defaults "
                     "'', NA, N/A, NULL, null, ?)");
  command.add_flag("--strict-domain,!--allow-out-of-domain", options.strict_domain,
                   "Keep values outside the schema's domain (encoded as out-of-domain) "
                   "instead of stopping with an error");
}

Status FinishCsvOptions(const std::string& delimiter, const std::vector<std::string>& missing_tokens,
                        CsvOptions& options) {
  if (delimiter == "tab" || delimiter == "\\t") {
    options.delimiter = '\t';
  } else if (delimiter.size() == 1 && delimiter[0] != '"' && delimiter[0] != '\n' && delimiter[0] != '\r') {
    options.delimiter = delimiter[0];
  } else {
    return InvalidArgument("--delimiter must be one character other than a quote or newline, got '" +
                           delimiter + "'");
  }
  if (!missing_tokens.empty()) options.missing_tokens = missing_tokens;
  return Status::Ok();
}

}  // namespace synthscale::cli
