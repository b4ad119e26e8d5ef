// synthscale budget --epsilon E --delta D   prints the zCDP rho that guarantees (E, D)-DP
// synthscale budget --rho R --delta D       prints the epsilon that rho-zCDP gives at delta D
// With --json both print one object {"epsilon": ..., "delta": ..., "rho": ...}.
// The conversion is the tight one of Canonne, Kamath, Steinke 2020 (docs/privacy.md).
#include <charconv>
#include <cstdio>
#include <memory>
#include <string>
#include <system_error>

#include "commands.h"
#include "synthscale/privacy/zcdp.h"

namespace synthscale::cli {
namespace {

struct BudgetArgs {
  std::string epsilon;
  std::string rho;
  std::string delta;
  bool json = false;
};

// The whole text as a double (from_chars: no locale, "nan" and "inf" recognised so that
// the range checks can name them). Errors: kInvalidArgument.
Result<double> ParseNumber(const std::string& text, const char* flag) {
  double value = 0.0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error == std::errc::result_out_of_range) {
    return InvalidArgument(std::string(flag) + " must be a finite number, got '" + text + "' (out of range)");
  }
  if (text.empty() || error != std::errc() || stop != end) {
    return InvalidArgument(std::string(flag) + " must be a number, got '" + text + "'");
  }
  return value;
}

// Shortest text that reads back as the same double, so a printed rho can be pasted into
// a configuration without rounding it up past the budget.
std::string Shortest(double value) {
  char buffer[64];
  const auto [stop, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return error == std::errc() ? std::string(buffer, stop) : std::string("nan");
}

int RunBudget(const BudgetArgs& args) {
  const bool have_epsilon = !args.epsilon.empty();
  const bool have_rho = !args.rho.empty();
  if (have_epsilon == have_rho) {
    return ReportError(InvalidArgument("give exactly one of --epsilon (to get rho) or --rho (to get epsilon), "
                                       "together with --delta"));
  }
  Result<double> delta = ParseNumber(args.delta, "--delta");
  if (!delta.ok()) return ReportError(delta.status());
  double epsilon = 0.0;
  double rho = 0.0;
  if (have_epsilon) {
    Result<double> parsed = ParseNumber(args.epsilon, "--epsilon");
    if (!parsed.ok()) return ReportError(parsed.status());
    Result<double> converted = RhoFromEpsilonDelta(*parsed, *delta);
    if (!converted.ok()) return ReportError(converted.status());
    epsilon = *parsed;
    rho = *converted;
  } else {
    Result<double> parsed = ParseNumber(args.rho, "--rho");
    if (!parsed.ok()) return ReportError(parsed.status());
    Result<double> converted = EpsilonFromRho(*parsed, *delta);
    if (!converted.ok()) return ReportError(converted.status());
    rho = *parsed;
    epsilon = *converted;
  }
  if (args.json) {
    std::printf("{\"epsilon\": %s, \"delta\": %s, \"rho\": %s}\n", Shortest(epsilon).c_str(),
                Shortest(*delta).c_str(), Shortest(rho).c_str());
  } else {
    std::printf("%s\n", Shortest(have_epsilon ? rho : epsilon).c_str());
  }
  return kExitOk;
}

}  // namespace

Command AddBudgetCommand(CLI::App& app, const GlobalOptions& /*global*/) {
  auto args = std::make_shared<BudgetArgs>();
  CLI::App* budget = app.add_subcommand(
      "budget", "Convert a privacy budget: (epsilon, delta)-DP to zCDP rho, or rho to epsilon at delta");
  budget->add_option("--epsilon", args->epsilon, "Target epsilon > 0: print the zCDP rho that guarantees it")
      ->type_name("FLOAT");
  budget->add_option("--rho", args->rho, "zCDP rho >= 0: print the epsilon it guarantees at --delta")
      ->type_name("FLOAT");
  budget->add_option("--delta", args->delta, "delta in (0, 1), well below 1/(number of rows)")
      ->type_name("FLOAT")
      ->required();
  budget->add_flag("--json", args->json, "Print {\"epsilon\": ..., \"delta\": ..., \"rho\": ...}");
  budget->footer("Uses the tight conversion of Canonne, Kamath & Steinke (2020); see docs/privacy.md.");
  return {budget, [args] { return RunBudget(*args); }};
}

}  // namespace synthscale::cli
