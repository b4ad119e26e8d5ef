// VerifyManifest: check that the files a manifest describes are still the files it hashed.
//
// Every cr:FileObject in the manifest's `distribution` is looked up relative to the
// manifest's folder (its contentUrl), re-hashed with SHA-256 and compared with the
// recorded contentSize and sha256. Inputs (prov:wasDerivedFrom) are not checked: they
// need not travel with a release. Thread safety: none needed (no shared state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "synthscale/core/status.h"

namespace synthscale {

enum class FileCheckState {
  kOk,           // present, same size and SHA-256
  kMissing,      // no file at the path (or not a regular file)
  kSizeChanged,  // a different size (so a different hash too)
  kMismatch,     // same size, different SHA-256
  kUnreadable,   // present but could not be read
};

// "ok", "missing", "size_changed", "mismatch", "unreadable" (the --json names).
const char* FileCheckStateName(FileCheckState state);

struct FileCheck {
  std::string name;         // the FileObject's name
  std::string content_url;  // as recorded
  std::string path;         // where it was looked for
  FileCheckState state = FileCheckState::kOk;
  std::string expected_sha256;
  std::string actual_sha256;  // empty unless the file was read
  std::optional<std::uint64_t> expected_size;
  std::optional<std::uint64_t> actual_size;
  std::string detail;  // why a file could not be read
};

struct VerifyReport {
  std::string manifest_path;
  std::vector<FileCheck> files;  // in the manifest's order

  bool ok() const;
  std::size_t Count(FileCheckState state) const;
};

// Re-hash every FileObject of the manifest at `manifest_path`. A file that differs is
// reported in the result, not as an error. Errors: kIO (the manifest cannot be read);
// kInvalidData (not JSON, no distribution, a FileObject without contentUrl or a 64-digit
// sha256, a contentUrl that is not a local relative or absolute path).
Result<VerifyReport> VerifyManifest(const std::string& manifest_path);

}  // namespace synthscale
