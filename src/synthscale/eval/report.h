// The trust report: every selected metric run over one EvalInputs, assembled into
// report.json (format documented in docs/metrics.md), rendered as report.html and as a
// short text summary.
//
// report.json holds no timings, paths or host names, so the same inputs, options and
// seed give the same bytes for any thread count (timings go to the manifest).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "synthscale/core/context.h"
#include "synthscale/core/status.h"
#include "synthscale/eval/eval_inputs.h"

namespace synthscale::eval {

// "synthscale-report" version written and read by this build.
inline constexpr int kReportVersion = 2;

// Run `metric_names` (empty = every registered metric that can run on these inputs;
// named metrics that cannot run are an error) and assemble the report.
// Errors: kInvalidArgument for an unknown metric name or one whose inputs are missing;
// any metric's error.
Result<nlohmann::json> BuildReport(const EvalInputs& inputs, const std::vector<std::string>& metric_names,
                                   const Context& ctx);

// report.json's text: pretty-printed, stable key order, ending in a newline.
std::string ReportJsonText(const nlohmann::json& report);

// One self-contained HTML page (inline CSS and SVG, no scripts fetched) for `report`.
std::string RenderReportHtml(const nlohmann::json& report);

// A few lines for the terminal: the headline summary entries with their intervals.
std::string RenderReportSummary(const nlohmann::json& report);

struct ReportPaths {
  std::string json;
  std::string html;
};

// Write `<dir>/report.json` and `<dir>/report.html`, creating `dir` if needed; each file
// appears complete or not at all. Errors: kAlreadyExists if either exists and !force;
// kIO.
Result<ReportPaths> WriteReport(const nlohmann::json& report, const std::string& dir, bool force);

}  // namespace synthscale::eval
