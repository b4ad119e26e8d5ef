// Manifest: the provenance record written beside every file synthscale produces.
//
// `<file>.manifest.json` is Croissant 1.1 JSON-LD (schema.org Dataset) with the RAI
// vocabulary and W3C PROV terms (docs/provenance.md): name, description, license, creator,
// datePublished; one cr:FileObject per output with contentSize, encodingFormat and sha256;
// prov:wasDerivedFrom (the inputs, by hash unless withheld); prov:wasGeneratedBy (tool
// version and commit, command line, configuration, seed, noise-key commitment, host,
// threads, ranks, start and end time); the privacy ledger; the RAI fields; and the
// evaluation summary when there is one. A Markdown data card `<file>.datacard.md` is
// rendered from the same manifest and listed in it, so `verify` checks it too.
//
// A differentially private release must not carry what DP does not cover: the exact row
// count and the hash (or size) of the private input (docs/privacy.md, "Private
// synthesizers"). So, unless `include_input_hashes` says otherwise, the manifest of a DP
// output names its confidential inputs but records neither their hash nor their size.
//
// Thread safety: the functions share no state; call them from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "synthscale/core/status.h"

namespace synthscale {

// One file the run wrote (an output) or read (an input).
struct ManifestFile {
  std::string path;             // as the run saw it (absolute or relative to the working folder)
  std::string encoding_format;  // a media type; empty = from the extension (ManifestMediaType)
  std::string description;      // optional, e.g. "synthetic table", "fitted model"
  // Inputs only: whether the file is the private data (or derived from it without DP).
  // A DP manifest withholds the hash and size of confidential inputs unless asked; a
  // public schema or a model file written by a DP fit is not confidential.
  bool confidential = true;
};

// Everything a manifest says. Empty strings and absent optionals are left out or
// filled with the defaults documented on each field.
struct ManifestInput {
  // Where the manifest goes; empty = ManifestPathFor(outputs[0].path). Output paths are
  // recorded relative to its folder.
  std::string manifest_path;
  std::string name;         // empty = "<first output's file name>"
  std::string description;  // empty = a sentence naming the method and its privacy
  std::string license;      // empty = "unspecified"; an SPDX id or URL is best
  std::string creator;      // empty = "unspecified"
  std::string version;      // of the dataset; empty = "1.0.0"
  std::string cite_as;      // a BibTeX entry; empty = one naming the file and synthscale
  std::vector<ManifestFile> outputs;  // at least one; hashed when the manifest is built
  std::vector<ManifestFile> inputs;   // hashed unless withheld (below)

  // What made the outputs.
  std::string method;                     // "aim", "mst", "independent", "sample", …
  bool differentially_private = false;    // the outputs are DP releases (fit/sample of a DP model)
  bool data_dependent_domain = false;     // a DP model whose schema domain came from the data
  // Record hashes and sizes of confidential inputs (and `input_rows`). Absent = true for
  // non-private outputs, false for DP ones: a manifest with them is for the data steward.
  std::optional<bool> include_input_hashes;
  std::optional<std::uint64_t> input_rows;   // recorded only with the input hashes
  std::optional<std::uint64_t> output_rows;  // rows of a synthetic table (chosen by the user)

  std::vector<std::string> command_line;  // argv as given
  std::string configuration_json;         // a JSON object (the resolved options); empty = none
  std::optional<std::uint64_t> seed;
  std::string noise_key_sha256;           // hex SHA-256 commitment of the DP noise key
  std::string ledger_json;                // PrivacyLedger::ToJson(); empty = not private
  std::string evaluation_json;            // summary of report.json; empty = no report
  std::size_t threads = 0;
  int ranks = 1;
  std::string host;        // empty = this machine's host name
  std::string started_at;  // ISO 8601 UTC (UtcTimestamp); empty = now
  std::string ended_at;    // empty = now
};

// `<file>.manifest.json` and `<file>.datacard.md`.
std::string ManifestPathFor(const std::string& file);
std::string DataCardPathFor(const std::string& file);

// The media type written as encodingFormat for `path`, from its extension: text/csv,
// application/gzip, application/json, text/markdown, text/html,
// application/vnd.synthscale.model (.ssm), application/octet-stream otherwise.
std::string ManifestMediaType(const std::string& path);

// `time` as ISO 8601 UTC with seconds, e.g. "2025-11-23T21:50:07Z".
std::string UtcTimestamp(std::chrono::system_clock::time_point time);

// Whether the manifest will record hashes of confidential inputs.
bool IncludesInputHashes(const ManifestInput& input);

// Build the manifest's JSON-LD text, hashing every output (and the inputs whose hashes
// are recorded). Errors: kInvalidArgument (no outputs, an empty path, configuration,
// ledger or evaluation text that is not a JSON object, threads or ranks out of range);
// kIO (a file cannot be read, with its path).
Result<std::string> BuildManifest(const ManifestInput& input);

// Render the data card (Markdown) from a manifest's text: what the files are, how they
// were made, the privacy guarantee, the RAI statements and how to verify them.
// Errors: kInvalidData when `manifest_json` is not a manifest.
Result<std::string> BuildDataCard(std::string_view manifest_json);

struct ManifestPaths {
  std::string manifest;
  std::string data_card;  // empty when not written
};

// Write the data card and then the manifest (which lists the card) atomically. Without
// `force` neither file may exist yet; both are claimed before either is written. Errors:
// those of BuildManifest, kAlreadyExists, kIO.
Result<ManifestPaths> WriteManifest(const ManifestInput& input, bool force, bool write_data_card = true);

}  // namespace synthscale
