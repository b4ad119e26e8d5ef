// Shared by the provenance part's files; not a public header.
#pragma once

#include <cstdint>
#include <string>

#include "synthscale/core/status.h"

namespace synthscale {

// What `conformsTo` says, and the namespace of synthscale's own terms (`ss:`). A URN,
// because the project owns no web domain; it never needs to resolve.
inline constexpr const char* kCroissantConformsTo = "http://mlcommons.org/croissant/1.1";
inline constexpr const char* kSynthscaleNamespace = "urn:synthscale:";

struct FileDigest {
  std::string sha256;  // lowercase hex
  std::uint64_t size = 0;
};

// SHA-256 and size of a file from one read, so both describe the same bytes.
// Errors: kIO (cannot open or read, with the path).
Result<FileDigest> DigestFile(const std::string& path);

// Read "1234 B" (the form contentSize is written in) or "1234" into `size`; false if malformed.
bool ParseContentSize(const std::string& text, std::uint64_t& size);

}  // namespace synthscale
