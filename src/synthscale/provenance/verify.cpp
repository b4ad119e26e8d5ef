#include "synthscale/provenance/verify.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "synthscale/provenance/manifest_internal.h"

namespace synthscale {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

bool IsFileObject(const Json& item) {
  if (!item.is_object() || !item.contains("@type")) return false;
  const Json& type = item["@type"];
  const auto matches = [](const Json& value) {
    return value.is_string() && (value == "cr:FileObject" || value == "sc:FileObject" || value == "FileObject" ||
                                 value == "http://mlcommons.org/croissant/FileObject" ||
                                 value == "https://schema.org/FileObject");
  };
  if (type.is_array()) {
    for (const Json& value : type) {
      if (matches(value)) return true;
    }
    return false;
  }
  return matches(type);
}

bool IsHexDigest(const std::string& text) {
  if (text.size() != 64) return false;
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

std::string Lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

Result<FileCheck> ReadFileObject(const Json& item, std::size_t index, const fs::path& base_dir,
                                 const std::string& manifest_path) {
  const std::string where = "file object " + std::to_string(index + 1) + " of the distribution";
  FileCheck check;
  check.name = item.contains("name") && item["name"].is_string() ? item["name"].get<std::string>() : "";
  if (!item.contains("contentUrl") || !item["contentUrl"].is_string() || item["contentUrl"].get<std::string>().empty()) {
    return InvalidData(where + " has no contentUrl", {manifest_path, 0, 0, 0, check.name});
  }
  check.content_url = item["contentUrl"].get<std::string>();
  if (check.name.empty()) check.name = check.content_url;
  if (check.content_url.find("://") != std::string::npos) {
    return InvalidData(where + " ('" + check.name + "') has contentUrl '" + check.content_url +
                           "', expected a local path: verify checks local files only",
                       {manifest_path, 0, 0, 0, check.name});
  }
  if (!item.contains("sha256") || !item["sha256"].is_string() || !IsHexDigest(item["sha256"].get<std::string>())) {
    return InvalidData(where + " ('" + check.name + "') needs a sha256 of 64 hex digits",
                       {manifest_path, 0, 0, 0, check.name});
  }
  check.expected_sha256 = Lower(item["sha256"].get<std::string>());
  if (item.contains("contentSize")) {
    std::uint64_t size = 0;
    const Json& value = item["contentSize"];
    if (value.is_number_unsigned()) {
      check.expected_size = value.get<std::uint64_t>();
    } else if (value.is_string() && ParseContentSize(value.get<std::string>(), size)) {
      check.expected_size = size;
    } else {
      return InvalidData(where + " ('" + check.name + "') has contentSize " + value.dump() +
                             ", expected a byte count such as \"1234 B\"",
                         {manifest_path, 0, 0, 0, check.name});
    }
  }
  const fs::path url(check.content_url);
  check.path = (url.is_absolute() ? url : base_dir / url).lexically_normal().string();
  return check;
}

void CheckFile(FileCheck& check) {
  struct stat info {};
  if (::stat(check.path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
    check.state = FileCheckState::kMissing;
    return;
  }
  Result<FileDigest> digest = DigestFile(check.path);
  if (!digest.ok()) {
    check.state = FileCheckState::kUnreadable;
    check.detail = digest.status().message();
    return;
  }
  check.actual_sha256 = digest->sha256;
  check.actual_size = digest->size;
  if (check.expected_size && *check.expected_size != digest->size) {
    check.state = FileCheckState::kSizeChanged;
  } else if (digest->sha256 != check.expected_sha256) {
    check.state = FileCheckState::kMismatch;
  } else {
    check.state = FileCheckState::kOk;
  }
}

}  // namespace

const char* FileCheckStateName(FileCheckState state) {
  switch (state) {
    case FileCheckState::kOk:
      return "ok";
    case FileCheckState::kMissing:
      return "missing";
    case FileCheckState::kSizeChanged:
      return "size_changed";
    case FileCheckState::kMismatch:
      return "mismatch";
    case FileCheckState::kUnreadable:
      return "unreadable";
  }
  return "unknown";
}

bool VerifyReport::ok() const { return Count(FileCheckState::kOk) == files.size(); }

std::size_t VerifyReport::Count(FileCheckState state) const {
  std::size_t count = 0;
  for (const FileCheck& file : files) count += file.state == state ? 1 : 0;
  return count;
}

Result<VerifyReport> VerifyManifest(const std::string& manifest_path) {
  std::ifstream stream(manifest_path, std::ios::binary);
  struct stat info {};
  if (!stream || ::stat(manifest_path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
    return IOError("cannot read manifest '" + manifest_path + "': no such file", manifest_path);
  }
  std::ostringstream buffer;
  buffer << stream.rdbuf();
  const Json manifest = Json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
  if (manifest.is_discarded() || !manifest.is_object()) {
    return InvalidData("not a manifest: expected a JSON-LD object", {manifest_path, 0, 0, 0, ""});
  }
  if (!manifest.contains("distribution") || !manifest["distribution"].is_array()) {
    return InvalidData("not a manifest: no 'distribution' list of files", {manifest_path, 0, 0, 0, ""});
  }
  std::error_code error;
  const fs::path base_dir = fs::absolute(manifest_path, error).lexically_normal().parent_path();
  if (error) return IOError("cannot resolve '" + manifest_path + "': " + error.message(), manifest_path);

  VerifyReport report;
  report.manifest_path = manifest_path;
  const Json& distribution = manifest["distribution"];
  for (std::size_t index = 0; index < distribution.size(); ++index) {
    if (!IsFileObject(distribution[index])) continue;  // a FileSet: nothing to hash
    SYNTHSCALE_ASSIGN_OR_RETURN(FileCheck check, ReadFileObject(distribution[index], index, base_dir, manifest_path));
    report.files.push_back(std::move(check));
  }
  if (report.files.empty()) {
    return InvalidData("the manifest lists no file objects to verify", {manifest_path, 0, 0, 0, "distribution"});
  }
  for (FileCheck& check : report.files) CheckFile(check);
  return report;
}

}  // namespace synthscale
