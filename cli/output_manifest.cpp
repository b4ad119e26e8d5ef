#include "output_manifest.h"

#include <sys/stat.h>

#include <cstdio>

namespace synthscale::cli {

void AddManifestFlags(CLI::App& command, ManifestFlags& flags) {
  command.add_flag("--no-manifest", flags.skip,
                   "Do not write <output>.manifest.json and <output>.datacard.md")
      ->group("Provenance");
  command.add_flag("--steward-manifest", flags.steward,
                   "Record the hashes and row count of the private input in the manifest (for the data "
                   "steward; not covered by differential privacy, do not publish)")
      ->group("Provenance");
  command.add_option("--license", flags.license, "License of the output, e.g. CC-BY-4.0 (default: unspecified)")
      ->group("Provenance");
  command.add_option("--creator", flags.creator, "Who made the output (default: unspecified)")
      ->group("Provenance");
}

Status CheckManifestFree(const std::string& output, const ManifestFlags& flags, bool force) {
  if (flags.skip || force) return Status::Ok();
  for (const std::string& path : {ManifestPathFor(output), DataCardPathFor(output)}) {
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0) {
      SourceLocation location;
      location.file = path;
      return Status(ErrorCode::kAlreadyExists,
                    "'" + path + "' exists (the manifest of an earlier output); pass --force to replace it, "
                    "or --no-manifest",
                    location);
    }
  }
  return Status::Ok();
}

Status WriteOutputManifest(ManifestInput input, const ManifestFlags& flags, const GlobalOptions& global,
                           std::chrono::system_clock::time_point started, bool force) {
  if (flags.skip) return Status::Ok();
  input.license = flags.license;
  input.creator = flags.creator;
  if (flags.steward) input.include_input_hashes = true;
  input.command_line = global.command_line;
  input.threads = global.threads;
  input.started_at = UtcTimestamp(started);
  SYNTHSCALE_ASSIGN_OR_RETURN(ManifestPaths paths, WriteManifest(input, force));
  if (!global.quiet) {
    std::fprintf(stderr, "synthscale: wrote %s and %s (check them with 'synthscale verify')\n",
                 paths.manifest.c_str(), paths.data_card.c_str());
  }
  return Status::Ok();
}

}  // namespace synthscale::cli
