// The text audit's report: report.json (keys documented in docs/text.md), report.html
// (one self-contained page: inline CSS and SVG, nothing fetched) and a terminal summary.
//
// report.json holds no timings, paths of temporary files or host names, so the same
// inputs and options give the same bytes for any thread count (timings go to the manifest).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "synthscale/core/status.h"

namespace synthscale::text {

struct AuditResults;

// Assemble report.json's content from the audit's results.
nlohmann::json BuildTextReport(const AuditResults& results);

// report.json's text: pretty-printed, sorted keys, ending in a newline.
std::string TextReportJson(const nlohmann::json& report);

// report.html for `report`.
std::string RenderTextReportHtml(const nlohmann::json& report);

// A few lines for the terminal.
std::string RenderTextReportSummary(const nlohmann::json& report);

struct TextReportPaths {
  std::string json;
  std::string html;
};

// Write `<dir>/report.json` and `<dir>/report.html`, creating `dir` if needed; each file
// appears complete or not at all. Errors: kAlreadyExists if either exists and !force; kIO.
Result<TextReportPaths> WriteTextReport(const nlohmann::json& report, const std::string& dir, bool force);

}  // namespace synthscale::text
