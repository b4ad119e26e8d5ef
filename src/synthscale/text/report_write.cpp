// report.json and report.html on disk, and the terminal summary.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "synthscale/io/atomic_file.h"
#include "synthscale/text/report.h"

namespace synthscale::text {
namespace {

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

std::string Value(const nlohmann::json& value) {
  if (value.is_null()) return "not checked";
  if (value.is_array()) {
    std::string list;
    for (const nlohmann::json& entry : value) list += (list.empty() ? "" : ", ") + entry.get<std::string>();
    return list.empty() ? "none" : list;
  }
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

}  // namespace

std::string RenderTextReportSummary(const nlohmann::json& report) {
  std::ostringstream out;
  const nlohmann::json& summary = report["summary"];
  out << "text audit: " << summary["documents"] << " documents, " << summary["languages_identified"]
      << " languages identified (top: " << Value(summary["top_language"]) << ")\n";
  for (const auto& [key, value] : summary.items()) {
    if (key == "documents" || key == "languages_identified" || key == "top_language") continue;
    out << "  " << key << ": " << Value(value) << "\n";
  }
  return out.str();
}

Result<TextReportPaths> WriteTextReport(const nlohmann::json& report, const std::string& dir, bool force) {
  SYNTHSCALE_RETURN_IF_ERROR(EnsureDirectory(dir));
  TextReportPaths paths{dir + "/report.json", dir + "/report.html"};
  // Claim both before writing either, so an existing report is never half-replaced.
  SYNTHSCALE_ASSIGN_OR_RETURN(AtomicOutputFile json, AtomicOutputFile::Create(paths.json, force));
  SYNTHSCALE_ASSIGN_OR_RETURN(AtomicOutputFile html, AtomicOutputFile::Create(paths.html, force));
  SYNTHSCALE_RETURN_IF_ERROR(json.Write(TextReportJson(report)));
  SYNTHSCALE_RETURN_IF_ERROR(html.Write(RenderTextReportHtml(report)));
  // report.json last: tools key off it, so it appears only beside its own report.html.
  SYNTHSCALE_RETURN_IF_ERROR(html.Commit());
  const Status committed = json.Commit();
  if (!committed.ok()) {
    ::unlink(paths.html.c_str());
    return committed;
  }
  return paths;
}

}  // namespace synthscale::text
