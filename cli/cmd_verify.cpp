// synthscale verify file.manifest.json [--json]
//
// Re-hashes every file a manifest lists (relative to the manifest's folder) and compares
// size and SHA-256. Exit 0 when all match; 3 when any file differs (size or hash); 4 when
// none differs but one is missing or unreadable (docs/provenance.md).
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "synthscale/provenance/verify.h"

namespace synthscale::cli {
namespace {

struct VerifyArgs {
  std::string manifest_path;
  bool json = false;
};

std::string SizeText(const std::optional<std::uint64_t>& size) {
  return size ? std::to_string(*size) + " bytes" : std::string("unknown size");
}

// One line per file: the state in capitals when it is not ok, then what differs.
std::string DescribeCheck(const FileCheck& file) {
  switch (file.state) {
    case FileCheckState::kOk:
      return "ok          " + file.content_url + "  sha256 " + file.actual_sha256;
    case FileCheckState::kMissing:
      return "MISSING     " + file.content_url + ": no file at " + file.path;
    case FileCheckState::kUnreadable:
      return "UNREADABLE  " + file.content_url + ": " + file.detail;
    case FileCheckState::kSizeChanged:
      return "SIZE        " + file.content_url + ": " + SizeText(file.actual_size) + ", manifest says " +
             SizeText(file.expected_size) + " (sha256 " + file.actual_sha256 + ")";
    case FileCheckState::kMismatch:
      return "MISMATCH    " + file.content_url + ": sha256 " + file.actual_sha256 + ", manifest says " +
             file.expected_sha256;
  }
  return "?";
}

nlohmann::ordered_json ReportJson(const VerifyReport& report) {
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const FileCheck& file : report.files) {
    nlohmann::ordered_json entry = {{"name", file.name},
                                    {"content_url", file.content_url},
                                    {"path", file.path},
                                    {"status", FileCheckStateName(file.state)},
                                    {"expected_sha256", file.expected_sha256}};
    using Json = nlohmann::ordered_json;
    entry["actual_sha256"] = file.actual_sha256.empty() ? Json() : Json(file.actual_sha256);
    entry["expected_size"] = file.expected_size ? Json(*file.expected_size) : Json();
    entry["actual_size"] = file.actual_size ? Json(*file.actual_size) : Json();
    if (!file.detail.empty()) entry["detail"] = file.detail;
    files.push_back(std::move(entry));
  }
  return {{"manifest", report.manifest_path}, {"ok", report.ok()}, {"files", std::move(files)}};
}

int ExitCodeForReport(const VerifyReport& report) {
  if (report.ok()) return kExitOk;
  if (report.Count(FileCheckState::kMismatch) + report.Count(FileCheckState::kSizeChanged) > 0) return kExitInvalidData;
  return kExitIO;
}

int RunVerify(const VerifyArgs& args) {
  Result<VerifyReport> report = VerifyManifest(args.manifest_path);
  if (!report.ok()) return ReportError(report.status());
  if (args.json) {
    std::printf("%s\n", ReportJson(*report).dump(2).c_str());
  } else {
    for (const FileCheck& file : report->files) std::printf("%s\n", DescribeCheck(file).c_str());
  }
  const std::size_t total = report->files.size();
  if (report->ok()) {
    if (!args.json) std::printf("all %zu files match %s\n", total, args.manifest_path.c_str());
    return kExitOk;
  }
  const std::size_t changed = report->Count(FileCheckState::kMismatch) + report->Count(FileCheckState::kSizeChanged);
  const std::size_t absent = report->Count(FileCheckState::kMissing) + report->Count(FileCheckState::kUnreadable);
  std::fprintf(stderr,
               "synthscale: %s: error: %zu of %zu files do not match the manifest (%zu changed, %zu missing or "
               "unreadable)\n",
               args.manifest_path.c_str(), changed + absent, total, changed, absent);
  return ExitCodeForReport(*report);
}

}  // namespace

Command AddVerifyCommand(CLI::App& app, const GlobalOptions& /*global*/) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* verify = app.add_subcommand(
      "verify", "Re-hash every file a manifest lists; exit 3 if one changed, 4 if one is missing");
  verify->add_option("manifest", args->manifest_path, "A <file>.manifest.json written beside an output")->required();
  verify->add_flag("--json", args->json, "Print one JSON object per run (docs/provenance.md)");
  return {verify, [args] { return RunVerify(*args); }};
}

}  // namespace synthscale::cli
