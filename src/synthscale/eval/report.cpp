#include "synthscale/eval/report.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <sstream>

#include "synthscale/core/version.h"
#include "synthscale/eval/baseline.h"
#include "synthscale/eval/metric.h"
#include "synthscale/eval/verdict.h"
#include "synthscale/io/atomic_file.h"
#include "synthscale/table/column_type.h"

namespace synthscale::eval {

namespace {

nlohmann::json Settings(const EvalInputs& inputs, const std::vector<std::string>& metrics) {
  const EvalOptions& options = inputs.options;
  nlohmann::json settings = {
      {"seed", std::to_string(options.seed)},  // a string: JSON numbers lose 64-bit integers
      {"bootstrap_replicates", options.bootstrap_replicates},
      {"confidence", options.confidence},
      {"max_three_way", options.max_three_way},
      {"target", options.target ? nlohmann::json(*options.target) : nlohmann::json(nullptr)},
      {"sensitive", options.sensitive},
      {"mix_ratios", options.mix_ratios},
      {"metrics", metrics},
  };
  nlohmann::json quasi = nlohmann::json::array();
  for (std::size_t c : inputs.quasi_identifiers) quasi.push_back(inputs.columns[c].name);
  settings["quasi_identifiers"] = std::move(quasi);
  return settings;
}

nlohmann::json Inputs(const EvalInputs& inputs) {
  nlohmann::json columns = nlohmann::json::array();
  for (const EvalColumn& column : inputs.columns) {
    columns.push_back({{"name", column.name}, {"type", std::string(ColumnTypeName(column.type))}});
  }
  return {{"real_rows", inputs.real.num_rows},
          {"holdout_rows", inputs.has_holdout ? nlohmann::json(inputs.holdout.num_rows) : nlohmann::json(nullptr)},
          {"synthetic_rows", inputs.synthetic.num_rows},
          {"columns", std::move(columns)}};
}

Status EnsureDirectory(const std::string& dir) {
  struct stat info {};
  if (::stat(dir.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) return Status::Ok();
    return IOError("'" + dir + "' exists and is not a folder; give -o a folder for the report", dir);
  }
  if (::mkdir(dir.c_str(), 0777) != 0) {
    return IOError("cannot create the report folder '" + dir + "': " + std::strerror(errno) +
                       "; check that its parent exists and is writable",
                   dir);
  }
  return Status::Ok();
}

}  // namespace

Result<nlohmann::json> BuildReport(const EvalInputs& inputs, const std::vector<std::string>& metric_names,
                                   const Context& ctx) {
  const bool explicit_selection = !metric_names.empty();
  const std::vector<std::string> names = explicit_selection ? metric_names : MetricNames();
  std::vector<std::unique_ptr<Metric>> metrics;
  for (const std::string& name : names) {
    std::unique_ptr<Metric> metric = MakeMetric(name);
    if (!metric) {
      std::string known;
      for (const std::string& candidate : MetricNames()) known += (known.empty() ? "" : ", ") + candidate;
      return InvalidArgument("unknown metric '" + name + "'; choose from: " + known);
    }
    metrics.push_back(std::move(metric));
  }

  nlohmann::json report = {
      {"format", "synthscale-report"},
      {"version", kReportVersion},
      {"generator", {{"name", "synthscale"}, {"version", Version()}, {"commit", GitCommit()}}},
  };
  nlohmann::json summary = nlohmann::json::object();
  nlohmann::json sections = nlohmann::json::object();
  nlohmann::json sampling = nlohmann::json::array();
  nlohmann::json skipped = nlohmann::json::array();
  std::vector<std::string> ran;
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    const Metric& metric = *metrics[i];
    const std::string name(metric.name());
    const std::string reason = metric.Unavailable(inputs);
    if (!reason.empty()) {
      if (explicit_selection) return InvalidArgument("metric '" + name + "' cannot run: " + reason);
      skipped.push_back({{"metric", name}, {"reason", reason}});
      continue;
    }
    ctx.Progress("evaluate: " + name, i, metrics.size() + 1);
    Result<MetricResult> result = metric.Compute(inputs, ctx);
    if (!result.ok()) {
      return Status(result.status().code(), "metric '" + name + "': " + result.status().message(),
                    result.status().location());
    }
    for (const auto& [key, estimate] : result->summary) summary[key] = EstimateToJson(estimate);
    for (const std::string& note : result->sampling) sampling.push_back({{"metric", name}, {"note", note}});
    sections[std::string(SectionName(metric.section()))][name] = {
        {"description", std::string(metric.description())},
        {"details", std::move(result->details)},
        {"sampling", result->sampling},
    };
    ran.push_back(name);
  }
  ctx.Progress("evaluate: baselines", metrics.size(), metrics.size() + 1);
  const double tvd_2way = summary.contains("tvd_2way_mean") && summary["tvd_2way_mean"]["value"].is_number()
                              ? summary["tvd_2way_mean"]["value"].get<double>()
                              : std::numeric_limits<double>::quiet_NaN();
  Result<nlohmann::json> baselines = ComputeBaselines(inputs, ran, tvd_2way, ctx);
  if (!baselines.ok()) return baselines.status();
  ctx.Progress("evaluate", metrics.size() + 1, metrics.size() + 1);
  report["settings"] = Settings(inputs, ran);
  report["inputs"] = Inputs(inputs);
  report["summary"] = std::move(summary);
  report["sections"] = std::move(sections);
  report["skipped"] = std::move(skipped);
  report["sampling"] = std::move(sampling);
  report["baselines"] = std::move(*baselines);
  report["verdicts"] = BuildVerdicts(report);
  return report;
}

std::string ReportJsonText(const nlohmann::json& report) { return report.dump(2) + "\n"; }

namespace {

std::string SummaryNumber(const nlohmann::json& value) {
  if (!value.is_number()) return "n/a";
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.4g", value.get<double>());
  return buffer;
}

}  // namespace

std::string RenderReportSummary(const nlohmann::json& report) {
  std::ostringstream out;
  out << "trust report: " << report["inputs"]["synthetic_rows"] << " synthetic vs "
      << report["inputs"]["real_rows"] << " real rows";
  if (!report["inputs"]["holdout_rows"].is_null()) out << " (" << report["inputs"]["holdout_rows"] << " holdout)";
  out << "\n";
  // Verdicts first, in plain words (verdict.h); the numbers follow for the record.
  const nlohmann::json& verdicts = report.value("verdicts", nlohmann::json::object());
  for (const std::string& section : VerdictSections()) {
    if (!verdicts.contains(section)) continue;
    const nlohmann::json& entry = verdicts[section];
    std::string verdict = entry["verdict"].get<std::string>();
    for (char& c : verdict) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    char head[48];
    std::snprintf(head, sizeof(head), "  %-10s %-13s", section.c_str(), verdict.c_str());
    out << head << entry["text"].get<std::string>() << "\n";
  }
  out << "measures (value [interval]; expected for a perfect generator; real holdout baseline):\n";
  const nlohmann::json& baselines = report.value("baselines", nlohmann::json::object()).value("values", nlohmann::json::object());
  std::map<std::string, const nlohmann::json*> expected;
  for (const auto& [section, entry] : verdicts.items()) {
    for (const nlohmann::json& check : entry["checks"]) expected[check["key"].get<std::string>()] = &check;
  }
  for (const auto& [key, entry] : report["summary"].items()) {
    out << "  " << key << ": " << SummaryNumber(entry["value"]);
    if (!entry["ci"][0].is_null()) out << " [" << SummaryNumber(entry["ci"][0]) << ", " << SummaryNumber(entry["ci"][1]) << "]";
    if (const auto found = expected.find(key); found != expected.end()) {
      out << "; expected " << SummaryNumber((*found->second)["expected"]);
    }
    if (baselines.contains(key)) out << "; holdout " << SummaryNumber(baselines[key]);
    out << "\n";
  }
  for (const auto& skipped : report["skipped"]) {
    out << "  skipped " << skipped["metric"].get<std::string>() << ": " << skipped["reason"].get<std::string>()
        << "\n";
  }
  return out.str();
}

Result<ReportPaths> WriteReport(const nlohmann::json& report, const std::string& dir, bool force) {
  SYNTHSCALE_RETURN_IF_ERROR(EnsureDirectory(dir));
  // "report/" and "report" name the same folder: no "report//report.json" in messages.
  std::string folder = dir;
  while (folder.size() > 1 && folder.back() == '/') folder.pop_back();
  ReportPaths paths{folder + "/report.json", folder + "/report.html"};
  // Claim both before writing either, so an existing report is never half-replaced.
  SYNTHSCALE_ASSIGN_OR_RETURN(AtomicOutputFile json, AtomicOutputFile::Create(paths.json, force));
  SYNTHSCALE_ASSIGN_OR_RETURN(AtomicOutputFile html, AtomicOutputFile::Create(paths.html, force));
  SYNTHSCALE_RETURN_IF_ERROR(json.Write(ReportJsonText(report)));
  SYNTHSCALE_RETURN_IF_ERROR(html.Write(RenderReportHtml(report)));
  // report.json last: tools key off it, so it appears only beside its own report.html.
  // Should it fail, the new report.html goes too rather than sit beside an older report.json.
  SYNTHSCALE_RETURN_IF_ERROR(html.Commit());
  const Status committed = json.Commit();
  if (!committed.ok()) {
    ::unlink(paths.html.c_str());
    return committed;
  }
  return paths;
}

}  // namespace synthscale::eval
