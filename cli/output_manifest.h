// The manifest and data card every `fit` and `sample` output gets (docs/provenance.md):
// the flags, the up-front check that they can be written, and writing them.
#pragma once

#include <CLI/CLI.hpp>

#include <chrono>
#include <string>

#include "cli_common.h"
#include "synthscale/core/status.h"
#include "synthscale/provenance/manifest.h"

namespace synthscale::cli {

struct ManifestFlags {
  bool skip = false;          // --no-manifest
  bool steward = false;       // --steward-manifest: record hashes of confidential inputs
  std::string license;        // --license
  std::string creator;        // --creator
};

// --no-manifest, --steward-manifest, --license, --creator on `command`.
void AddManifestFlags(CLI::App& command, ManifestFlags& flags);

// Before any work: the output's manifest and data card must not exist unless `force`.
// Errors: kAlreadyExists naming the file.
Status CheckManifestFree(const std::string& output, const ManifestFlags& flags, bool force);

// Fill what every manifest shares (argv, threads, times, license, creator) and write it.
// Prints where it went unless quiet. Errors: those of WriteManifest.
Status WriteOutputManifest(ManifestInput input, const ManifestFlags& flags, const GlobalOptions& global,
                           std::chrono::system_clock::time_point started, bool force);

}  // namespace synthscale::cli
