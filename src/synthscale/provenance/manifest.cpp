#include "synthscale/provenance/manifest.h"

#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <utility>

#include <nlohmann/json.hpp>

#include "synthscale/core/crypto.h"
#include "synthscale/core/version.h"
#include "synthscale/io/atomic_file.h"
#include "synthscale/provenance/manifest_internal.h"

namespace synthscale {
namespace {

using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

// The Croissant 1.1 @context exactly as mlcroissant 1.1 writes it (mlcroissant's
// rdf.make_context for a 1.1 document), so validators see a standard context, plus the
// PROV namespace and synthscale's own terms (`ss:`, a URN: the project owns no domain).
Json CroissantContext() {
  Json context = {
      {"@language", "en"},
      {"@vocab", "https://schema.org/"},
      {"arrayShape", "cr:arrayShape"},
      {"citeAs", "cr:citeAs"},
      {"column", "cr:column"},
      {"conformsTo", "dct:conformsTo"},
      {"containedIn", "cr:containedIn"},
      {"cr", "http://mlcommons.org/croissant/"},
      {"rai", "http://mlcommons.org/croissant/RAI/"},
      {"data", {{"@id", "cr:data"}, {"@type", "@json"}}},
      {"dataType", {{"@id", "cr:dataType"}, {"@type", "@vocab"}}},
      {"dct", "http://purl.org/dc/terms/"},
      {"description", {{"@container", "@language"}}},
      {"equivalentProperty", "cr:equivalentProperty"},
      {"examples", {{"@id", "cr:examples"}, {"@type", "@json"}}},
      {"extract", "cr:extract"},
      {"field", "cr:field"},
      {"fileProperty", "cr:fileProperty"},
      {"fileObject", "cr:fileObject"},
      {"fileSet", "cr:fileSet"},
      {"format", "cr:format"},
      {"includes", "cr:includes"},
      {"isArray", "cr:isArray"},
      {"isLiveDataset", "cr:isLiveDataset"},
      {"jsonPath", "cr:jsonPath"},
      {"key", "cr:key"},
      {"md5", "cr:md5"},
      {"name", {{"@container", "@language"}}},
      {"parentField", "cr:parentField"},
      {"path", "cr:path"},
      {"recordSet", "cr:recordSet"},
      {"references", "cr:references"},
      {"regex", "cr:regex"},
      {"repeated", "cr:repeated"},
      {"replace", "cr:replace"},
      {"samplingRate", "cr:samplingRate"},
      {"sc", "https://schema.org/"},
      {"separator", "cr:separator"},
      {"source", "cr:source"},
      {"subField", "cr:subField"},
      {"transform", "cr:transform"},
      {"prov", "http://www.w3.org/ns/prov#"},
      {"xsd", "http://www.w3.org/2001/XMLSchema#"},
      {"ss", kSynthscaleNamespace},
      {"commandLine", {{"@id", "ss:commandLine"}, {"@container", "@list"}}},
      {"configuration", {{"@id", "ss:configuration"}, {"@type", "@json"}}},
      {"privacyLedger", {{"@id", "ss:privacyLedger"}, {"@type", "@json"}}},
      {"evaluation", {{"@id", "ss:evaluation"}, {"@type", "@json"}}},
      {"prov:startedAtTime", {{"@type", "xsd:dateTime"}}},
      {"prov:endedAtTime", {{"@type", "xsd:dateTime"}}},
  };
  return context;
}

std::string NumberText(double value) { return Json(value).dump(); }

std::string FileName(const std::string& path) { return fs::path(path).filename().string(); }

std::string HostName() {
  std::array<char, 256> buffer{};
  if (::gethostname(buffer.data(), buffer.size() - 1) != 0) return "unknown";
  return buffer.data();
}

// `path` relative to `base_dir` (both made absolute first); "./x" is written "x".
std::string RelativeTo(const std::string& path, const fs::path& base_dir) {
  std::error_code error;
  const fs::path absolute = fs::absolute(path, error).lexically_normal();
  if (error) return path;
  const fs::path relative = absolute.lexically_relative(base_dir);
  return relative.empty() ? absolute.string() : relative.string();
}

Result<Json> ParseObject(const std::string& text, const char* what) {
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded() || !value.is_object()) {
    return InvalidArgument(std::string(what) + " must be a JSON object, got '" + text.substr(0, 40) +
                           (text.size() > 40 ? "…'" : "'"));
  }
  return value;
}

// The ledger's totals and its charges summed per mechanism (display only: the ledger
// itself, embedded in full, is what counts; its totals are rounded up, these are not).
Json PrivacySummary(const Json& ledger) {
  Json summary = Json::object();
  summary["@type"] = "ss:PrivacyGuarantee";
  summary["ss:accounting"] = ledger.value("accounting", "zCDP");
  summary["ss:neighbouring"] = ledger.value("neighbouring", "");
  if (ledger.contains("budget") && ledger["budget"].is_object()) {
    const Json& budget = ledger["budget"];
    if (budget.contains("epsilon")) summary["ss:epsilon"] = budget["epsilon"];
    if (budget.contains("delta")) summary["ss:delta"] = budget["delta"];
    if (budget.contains("rho")) summary["ss:rhoBudget"] = budget["rho"];
  }
  if (ledger.contains("spent_rho")) summary["ss:rhoSpent"] = ledger["spent_rho"];
  struct MechanismTotal {
    std::size_t charges = 0;
    double rho = 0.0;
    double epsilon = 0.0;
    bool all_pure = true;
  };
  std::map<std::string, MechanismTotal> totals;  // sorted by name: a stable order
  if (ledger.contains("charges") && ledger["charges"].is_array()) {
    for (const Json& charge : ledger["charges"]) {
      MechanismTotal& total = totals[charge.value("mechanism", "unknown")];
      ++total.charges;
      total.rho += charge.value("rho", 0.0);
      if (charge.contains("epsilon") && charge["epsilon"].is_number()) {
        total.epsilon += charge["epsilon"].get<double>();
      } else {
        total.all_pure = false;
      }
    }
  }
  Json mechanisms = Json::array();
  for (const auto& [mechanism, total] : totals) {
    Json entry = {{"ss:mechanism", mechanism}, {"ss:charges", total.charges}, {"ss:rho", total.rho}};
    if (total.all_pure) entry["ss:epsilon"] = total.epsilon;
    mechanisms.push_back(std::move(entry));
  }
  summary["ss:perMechanism"] = std::move(mechanisms);
  return summary;
}

std::string GuaranteeText(const Json& ledger) {
  const Json budget = ledger.value("budget", Json::object());
  std::string text;
  if (budget.contains("epsilon") && budget.contains("delta")) {
    text = "(epsilon=" + NumberText(budget["epsilon"].get<double>()) +
           ", delta=" + NumberText(budget["delta"].get<double>()) + ")-differential privacy";
  } else if (budget.contains("rho")) {
    text = "rho=" + NumberText(budget["rho"].get<double>()) + " zero-concentrated differential privacy";
  } else {
    text = "differential privacy";
  }
  return text + " (privacy unit: one row, " + ledger.value("neighbouring", std::string("add_remove_one_row")) + ")";
}

// A BibTeX @misc entry, so that Croissant's recommended citeAs is present.
std::string DefaultCitation(const std::string& name, const std::string& date) {
  std::string key;
  for (const char c : name) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    key += keep ? c : '_';
  }
  std::string title;
  for (const char c : name) {
    if (c != '{' && c != '}' && c != '\\') title += c;
  }
  return "@misc{" + key + ", title = {" + title + "}, note = {Synthetic data generated by synthscale " +
         std::string(Version()) + "}, year = {" + date.substr(0, 4) + "}}";
}

Status CheckInput(const ManifestInput& input) {
  if (input.outputs.empty()) return InvalidArgument("a manifest needs at least one output file, got none");
  for (const ManifestFile& file : input.outputs) {
    if (file.path.empty()) return InvalidArgument("a manifest output has an empty path");
  }
  for (const ManifestFile& file : input.inputs) {
    if (file.path.empty()) return InvalidArgument("a manifest input has an empty path");
  }
  if (input.ranks < 1) return InvalidArgument("ranks must be >= 1, got " + std::to_string(input.ranks));
  if (input.differentially_private && input.ledger_json.empty()) {
    return InvalidArgument("a differentially private manifest needs the privacy ledger, got none");
  }
  return Status::Ok();
}

}  // namespace

Result<FileDigest> DigestFile(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return IOError("cannot open '" + path + "' for reading: " + std::strerror(errno), path);
  Sha256Hasher hasher;
  std::uint64_t size = 0;
  std::array<std::uint8_t, 1 << 16> buffer;
  while (true) {
    const std::size_t got = std::fread(buffer.data(), 1, buffer.size(), file.get());
    hasher.Update(std::span<const std::uint8_t>(buffer.data(), got));
    size += got;
    if (got < buffer.size()) break;
  }
  if (std::ferror(file.get())) return IOError("error while reading '" + path + "'", path);
  const Sha256Digest digest = hasher.Finish();
  return FileDigest{ToHex(digest), size};
}

bool ParseContentSize(const std::string& text, std::uint64_t& size) {
  std::string digits = text;
  if (digits.size() > 2 && digits.compare(digits.size() - 2, 2, " B") == 0) digits.resize(digits.size() - 2);
  if (digits.empty() || digits.size() > 19) return false;
  std::uint64_t value = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  size = value;
  return true;
}

std::string ManifestPathFor(const std::string& file) { return file + ".manifest.json"; }
std::string DataCardPathFor(const std::string& file) { return file + ".datacard.md"; }

std::string ManifestMediaType(const std::string& path) {
  static const std::array<std::pair<const char*, const char*>, 10> kTypes = {{
      {".csv", "text/csv"},
      {".tsv", "text/tab-separated-values"},
      {".gz", "application/gzip"},
      {".json", "application/json"},
      {".jsonl", "application/jsonl"},
      {".md", "text/markdown"},
      {".html", "text/html"},
      {".parquet", "application/vnd.apache.parquet"},
      {".ssm", "application/vnd.synthscale.model"},
      {".yaml", "application/yaml"},
  }};
  const std::string extension = fs::path(path).extension().string();
  for (const auto& [suffix, type] : kTypes) {
    if (extension == suffix) return type;
  }
  return "application/octet-stream";
}

std::string UtcTimestamp(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm parts{};
  ::gmtime_r(&seconds, &parts);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text.data();
}

bool IncludesInputHashes(const ManifestInput& input) {
  return input.include_input_hashes.value_or(!input.differentially_private);
}

namespace {

Result<Json> BuildManifestJson(const ManifestInput& input) {
  SYNTHSCALE_RETURN_IF_ERROR(CheckInput(input));
  const std::string manifest_path =
      input.manifest_path.empty() ? ManifestPathFor(input.outputs.front().path) : input.manifest_path;
  std::error_code error;
  const fs::path manifest_dir = fs::absolute(manifest_path, error).lexically_normal().parent_path();
  if (error) return IOError("cannot resolve the manifest path '" + manifest_path + "': " + error.message());

  Json ledger;
  if (!input.ledger_json.empty()) {
    SYNTHSCALE_ASSIGN_OR_RETURN(ledger, ParseObject(input.ledger_json, "the privacy ledger"));
  }
  const std::string now = UtcTimestamp(std::chrono::system_clock::now());
  const std::string ended_at = input.ended_at.empty() ? now : input.ended_at;
  const std::string method = input.method.empty() ? "unspecified" : input.method;

  Json manifest;
  manifest["@context"] = CroissantContext();
  manifest["@type"] = "sc:Dataset";
  manifest["conformsTo"] = kCroissantConformsTo;
  manifest["name"] = input.name.empty() ? FileName(input.outputs.front().path) : input.name;
  if (!input.description.empty()) {
    manifest["description"] = input.description;
  } else if (input.differentially_private) {
    manifest["description"] = "Synthetic data made by synthscale (" + method + ") under " + GuaranteeText(ledger) + ".";
  } else {
    manifest["description"] = "Synthetic data made by synthscale (" + method + "); NOT differentially private.";
  }
  manifest["license"] = input.license.empty() ? "unspecified" : input.license;
  manifest["creator"] = {{"@type", "sc:Person"}, {"name", input.creator.empty() ? "unspecified" : input.creator}};
  manifest["datePublished"] = ended_at;
  manifest["version"] = input.version.empty() ? "1.0.0" : input.version;
  manifest["citeAs"] = input.cite_as.empty() ? DefaultCitation(manifest["name"].get<std::string>(), ended_at)
                                             : input.cite_as;
  manifest["keywords"] = input.differentially_private
                             ? Json::array({"synthetic data", "differential privacy", "synthscale"})
                             : Json::array({"synthetic data", "synthscale"});

  // Outputs: one FileObject each, hashed now.
  Json distribution = Json::array();
  for (const ManifestFile& file : input.outputs) {
    SYNTHSCALE_ASSIGN_OR_RETURN(const FileDigest digest, DigestFile(file.path));
    const std::string url = RelativeTo(file.path, manifest_dir);
    Json object = {{"@type", "cr:FileObject"}, {"@id", url}, {"name", FileName(file.path)}};
    if (!file.description.empty()) object["description"] = file.description;
    object["contentUrl"] = url;
    object["contentSize"] = std::to_string(digest.size) + " B";
    object["encodingFormat"] = file.encoding_format.empty() ? ManifestMediaType(file.path) : file.encoding_format;
    object["sha256"] = digest.sha256;
    distribution.push_back(std::move(object));
  }
  manifest["distribution"] = std::move(distribution);

  // Inputs: names always; hashes and sizes of confidential ones only for the steward.
  const bool with_hashes = IncludesInputHashes(input);
  Json derived_from = Json::array();
  for (const ManifestFile& file : input.inputs) {
    Json entity = {{"@type", "prov:Entity"}, {"name", FileName(file.path)}};
    if (!file.description.empty()) entity["description"] = file.description;
    entity["encodingFormat"] = file.encoding_format.empty() ? ManifestMediaType(file.path) : file.encoding_format;
    entity["ss:confidential"] = file.confidential;
    if (with_hashes || !file.confidential) {
      SYNTHSCALE_ASSIGN_OR_RETURN(const FileDigest digest, DigestFile(file.path));
      entity["contentSize"] = std::to_string(digest.size) + " B";
      entity["sha256"] = digest.sha256;
    } else {
      entity["ss:hashWithheld"] =
          "the hash and size of the private input are not covered by differential privacy "
          "(see include_input_hashes in docs/provenance.md)";
    }
    derived_from.push_back(std::move(entity));
  }
  manifest["prov:wasDerivedFrom"] = std::move(derived_from);

  // The run.
  Json activity;
  activity["@type"] = "prov:Activity";
  activity["name"] = "synthscale " + method;
  activity["prov:startedAtTime"] = input.started_at.empty() ? now : input.started_at;
  activity["prov:endedAtTime"] = ended_at;
  activity["prov:wasAssociatedWith"] = {{"@type", Json::array({"prov:SoftwareAgent", "sc:SoftwareApplication"})},
                                        {"name", "synthscale"},
                                        {"softwareVersion", Version()},
                                        {"ss:gitCommit", GitCommit()}};
  activity["ss:method"] = method;
  activity["commandLine"] = input.command_line;
  if (!input.configuration_json.empty()) {
    SYNTHSCALE_ASSIGN_OR_RETURN(activity["configuration"], ParseObject(input.configuration_json, "the configuration"));
  }
  if (input.seed) activity["ss:seed"] = std::to_string(*input.seed);  // text: JSON numbers lose bits past 2^53
  if (!input.noise_key_sha256.empty()) activity["ss:noiseKeySha256"] = input.noise_key_sha256;
  activity["ss:host"] = input.host.empty() ? HostName() : input.host;
  activity["ss:threads"] = input.threads;
  activity["ss:ranks"] = input.ranks;
  if (with_hashes && input.input_rows) activity["ss:inputRows"] = *input.input_rows;
  if (input.output_rows) activity["ss:outputRows"] = *input.output_rows;
  manifest["prov:wasGeneratedBy"] = std::move(activity);

  // Privacy.
  manifest["ss:differentiallyPrivate"] = input.differentially_private;
  manifest["ss:inputHashesIncluded"] = with_hashes;
  if (!ledger.is_null()) {
    Json privacy = PrivacySummary(ledger);
    if (input.data_dependent_domain) privacy["ss:dataDependentDomain"] = true;
    privacy["privacyLedger"] = ledger;
    manifest["ss:privacy"] = std::move(privacy);
  }
  if (!input.evaluation_json.empty()) {
    SYNTHSCALE_ASSIGN_OR_RETURN(manifest["evaluation"], ParseObject(input.evaluation_json, "the evaluation summary"));
  }

  // Responsible-AI statements (Croissant RAI vocabulary).
  std::string inputs_text;
  for (const ManifestFile& file : input.inputs) inputs_text += (inputs_text.empty() ? "" : ", ") + FileName(file.path);
  if (inputs_text.empty()) inputs_text = "no recorded input";
  manifest["rai:dataCollection"] =
      "Synthetic: every record was generated by synthscale " + std::string(Version()) + " (method " + method +
      ") from a model of " + inputs_text + "; no record was collected from people for this dataset.";
  manifest["rai:dataCollectionType"] = Json::array({"Synthetic data generation"});
  if (input.differentially_private) {
    manifest["rai:dataLimitations"] = Json::array(
        {"Records are samples from a statistical model, not real records: the model keeps only the statistics it "
         "measured (with noise added for differential privacy), so relationships it did not measure, rare "
         "combinations and small subgroups may be missing or distorted. Do not use it to draw conclusions about "
         "individuals."});
    std::string personal =
        "None by construction: every record is sampled from a model fitted under " + GuaranteeText(ledger) +
        "; no record is copied from the input.";
    if (input.data_dependent_domain) {
      personal =
          "The fitted statistics are protected by " + GuaranteeText(ledger) +
          ", but the schema's domain (categories, bounds) was read from the private data and is NOT covered: "
          "category values may reveal values of individual records.";
    }
    manifest["rai:personalSensitiveInformation"] = Json::array({personal});
  } else {
    manifest["rai:dataLimitations"] = Json::array(
        {"Records are samples from a statistical model, not real records; relationships the model did not learn "
         "may be missing or distorted. Do not use it to draw conclusions about individuals."});
    manifest["rai:personalSensitiveInformation"] = Json::array(
        {"NOT privacy-protected: the method is not differentially private, so records may reproduce or reveal "
         "personal or sensitive information of the input. Treat this data as confidential as its input."});
  }
  return manifest;
}

std::string ManifestText(const Json& manifest) { return manifest.dump(2) + "\n"; }

}  // namespace

Result<std::string> BuildManifest(const ManifestInput& input) {
  SYNTHSCALE_ASSIGN_OR_RETURN(const Json manifest, BuildManifestJson(input));
  return ManifestText(manifest);
}

Result<ManifestPaths> WriteManifest(const ManifestInput& input, bool force, bool write_data_card) {
  SYNTHSCALE_RETURN_IF_ERROR(CheckInput(input));
  ManifestPaths paths;
  paths.manifest = input.manifest_path.empty() ? ManifestPathFor(input.outputs.front().path) : input.manifest_path;
  // Claim both files before writing either, so an existing one stops the run early.
  SYNTHSCALE_ASSIGN_OR_RETURN(AtomicOutputFile manifest_file, AtomicOutputFile::Create(paths.manifest, force));
  SYNTHSCALE_ASSIGN_OR_RETURN(Json manifest, BuildManifestJson(input));
  if (write_data_card) {
    paths.data_card = DataCardPathFor(input.outputs.front().path);
    SYNTHSCALE_ASSIGN_OR_RETURN(AtomicOutputFile card_file, AtomicOutputFile::Create(paths.data_card, force));
    // The card is rendered from the manifest without its own entry, then listed in it.
    SYNTHSCALE_ASSIGN_OR_RETURN(const std::string card, BuildDataCard(ManifestText(manifest)));
    SYNTHSCALE_RETURN_IF_ERROR(card_file.Write(card));
    SYNTHSCALE_RETURN_IF_ERROR(card_file.Commit());
    std::error_code error;
    const fs::path manifest_dir = fs::absolute(paths.manifest, error).lexically_normal().parent_path();
    const std::string url = RelativeTo(paths.data_card, manifest_dir);
    manifest["distribution"].push_back({{"@type", "cr:FileObject"},
                                        {"@id", url},
                                        {"name", FileName(paths.data_card)},
                                        {"description", "data card (Markdown) rendered from this manifest"},
                                        {"contentUrl", url},
                                        {"contentSize", std::to_string(card.size()) + " B"},
                                        {"encodingFormat", ManifestMediaType(paths.data_card)},
                                        {"sha256", ToHex(Sha256(card))}});
  }
  Status status = manifest_file.Write(ManifestText(manifest));
  if (status.ok()) status = manifest_file.Commit();
  if (!status.ok()) {
    // No manifest: do not leave its card behind either.
    std::error_code ignored;
    if (!paths.data_card.empty()) fs::remove(paths.data_card, ignored);
    return status.WithContext("writing manifest '" + paths.manifest + "'");
  }
  return paths;
}

}  // namespace synthscale
