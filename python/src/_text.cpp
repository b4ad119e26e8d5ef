// synthscale._core's text audit functions (synthscale/text.py wraps them): the audit of
// corpus files, writing its report, and the option table the Python keywords mirror.
#include <cstddef>
#include <string>
#include <vector>

#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "synthscale/core/context.h"
#include "synthscale/dist/communicator.h"
#include "synthscale/text/audit.h"
#include "synthscale/text/audit_options.h"
#include "synthscale/text/report.h"

namespace nb = nanobind;
using namespace nb::literals;

namespace synthscale::python {
namespace {

using RaiseFunction = void (*)(const Status&);
RaiseFunction raise_status = nullptr;

template <typename T>
T Unwrap(Result<T>&& result) {
  if (!result.ok()) raise_status(result.status());
  return std::move(result).value();
}

std::string TextAudit(const std::string& synthetic, const std::string& source, const std::vector<std::string>& benchmarks,
                      const std::string& languages, const std::string& options_json, std::size_t threads) {
  const nlohmann::json json = nlohmann::json::parse(options_json, nullptr, false);
  const text::TextAuditOptions options = Unwrap(text::TextAuditOptions::FromJson(json));
  text::TextAuditInputs inputs;
  inputs.synthetic = synthetic;
  inputs.source = source;
  inputs.benchmarks = benchmarks;
  inputs.language_targets = languages;
  Result<nlohmann::json> report = [&] {
    nb::gil_scoped_release release;
    const Context context(threads);
    const SingleProcessCommunicator comm;
    return text::RunTextAudit(inputs, options, context, comm);
  }();
  return text::TextReportJson(Unwrap(std::move(report)));
}

nb::tuple WriteTextReport(const std::string& report_json, const std::string& folder, bool overwrite) {
  const nlohmann::json report = nlohmann::json::parse(report_json, nullptr, false);
  if (!report.is_object() || report.value("format", "") != "synthscale-text-report") {
    raise_status(InvalidArgument("write_text_report needs the JSON text text_audit() returned"));
  }
  Result<text::TextReportPaths> paths = [&] {
    nb::gil_scoped_release release;
    return text::WriteTextReport(report, folder, overwrite);
  }();
  const text::TextReportPaths written = Unwrap(std::move(paths));
  return nb::make_tuple(written.json, written.html);
}

nb::list AuditOptions() {
  nb::list options;
  for (const text::AuditOptionInfo& info : text::AuditOptionTable()) {
    const char* type = info.type == text::AuditOptionType::kString     ? "str"
                       : info.type == text::AuditOptionType::kUnsigned ? "int"
                                                                       : "float";
    options.append(nb::make_tuple(info.name, type, info.default_value, info.help));
  }
  return options;
}

}  // namespace

void AddTextBindings(nb::module_& m, RaiseFunction raise) {
  raise_status = raise;
  m.def("text_audit", &TextAudit, "synthetic"_a, "source"_a, "benchmarks"_a, "languages"_a, "options_json"_a,
        "threads"_a = 0,
        "report.json's text for a text audit of corpus files (empty source/languages: none). Releases the GIL.");
  m.def("write_text_report", &WriteTextReport, "report_json"_a, "folder"_a, "overwrite"_a = false,
        "Write the text audit's report.json and report.html into `folder` atomically; returns their paths.");
  m.def("text_audit_options", &AuditOptions,
        "The text audit's options as (name, type, default, help) tuples, as the CLI declares them.");
}

}  // namespace synthscale::python
